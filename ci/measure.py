#!/usr/bin/env python3
"""Measure what the tools really report, before writing an expectation.

    ci/measure.py [-n RUNS] [--racelab PATH] [--tool TOOL]... CASE_OR_DIR_ARGS...

Runs `racelab run` RUNS times (default 20) with the given tools and cases
and tallies, per (case, tool), each distinct outcome: the reports (kind and
the case-file lines of their access stacks) and the ending. An outcome seen
in every run is what an expect line may say; one seen in only some runs
needs the program made deterministic first (docs/case-format.md).
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile


def signature(result):
    case = result["file"]
    reports = []
    for r in result.get("reports") or []:
        lines = sorted({f["line"] for s in r["stacks"] if s["access"] for f in s["frames"]
                        if f["file"] and os.path.basename(f["file"]) == os.path.basename(case)})
        reports.append("%s@%s" % (r["kind"], ",".join(map(str, lines))))
    ending = result.get("ending") or {}
    end = "%s %s%s" % (ending.get("kind"), ending.get("code"), " (tool)" if ending.get("by_tool") else "")
    return " | ".join(sorted(reports)) or "clean", end, result["verdict"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument("--racelab", default=os.path.join(os.path.dirname(__file__), "..", "build", "racelab"))
    ap.add_argument("--tool", action="append", default=[])
    ap.add_argument("args", nargs="*")
    a = ap.parse_args()
    tally = collections.defaultdict(collections.Counter)
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "r.json")
        for i in range(a.n):
            cmd = [a.racelab, "run", "--work", work, "--json", out] + a.args
            for t in a.tool:
                cmd += ["--tool", t]
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with open(out) as f:
                doc = json.load(f)
            for r in doc["results"]:
                tally[(r["case"], r["spec"])][signature(r)] += 1
    for (case, tool), counts in sorted(tally.items()):
        print("%s/%s:" % (case, tool))
        for (reports, end, verdict), n in counts.most_common():
            print("  %3d/%d  %-5s  ended %-12s  %s" % (n, a.n, verdict, end, reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
