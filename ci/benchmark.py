#!/usr/bin/env python3
"""How close a racelab run comes to its lower bound.

    ci/benchmark.py [-n RUNS] [--jobs N] [--racelab PATH] [RACELAB RUN ARGS...]

Runs `racelab run` RUNS times (default 5) in one work directory (the first
run builds; the others reuse the builds) and reports, per run, the wall time
against the lower bound for N parallel jobs: the larger of the summed job
times (builds and runs) divided by N and the longest single job. A ratio near
1 means the scheduler wastes nothing; the rest is racelab's own overhead
(resolving toolchains, supervising, writing logs and results).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--racelab", default=os.path.join(os.path.dirname(__file__), "..", "build", "racelab"))
    ap.add_argument("args", nargs="*")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "r.json")
        print("run  wall(s)  bound(s)  ratio  jobs  summed(s)  longest(s)")
        for i in range(a.n):
            cmd = [a.racelab, "run", "--jobs", str(a.jobs), "--work", work, "--json", out] + a.args
            start = time.monotonic()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.monotonic() - start
            with open(out) as f:
                results = json.load(f)["results"]
            times = [r["seconds"] + r["build_seconds"] for r in results]
            bound = max(sum(times) / a.jobs, max(times, default=0))
            print("%3d  %7.2f  %8.2f  %5.2f  %4d  %9.2f  %10.2f" % (
                i + 1, wall, bound, wall / bound if bound else 0, len(results), sum(times), max(times, default=0)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
