/* results.c: results as JSON (docs/results.md describes the format). */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *report_json(const rl_report *r)
{
    json_t *frames = json_array();
    for (size_t i = 0; i < r->nframes; i++) {
        const rl_frame *f = &r->frames[i];
        json_array_append_new(frames, json_pack("{s:o, s:o, s:i}", "function",
                                                string_or_null(f->function), "file",
                                                string_or_null(f->file), "line", f->line));
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "kind", rl_kind_name(r->kind), "tool_kind",
                          r->tool_kind, "headline", r->headline, "frames", frames);
    if (r->kind == RL_KIND_EXIT || r->kind == RL_KIND_SIGNAL)
        json_object_set_new(o, "code", json_integer(r->code));
    return o;
}

int rl_results_write_json(const char *path, const rl_result *results, size_t n,
                          const rl_diag *input_errors, size_t nerrors, rl_diag *diag)
{
    size_t counts[RL_SKIP + 1] = {0};
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const rl_result *r = &results[i];
        counts[r->verdict]++;
        json_t *reports = json_array();
        for (size_t j = 0; j < r->reports.count; j++)
            json_array_append_new(reports, report_json(&r->reports.items[j]));
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:o, s:o, s:o, s:o}", "case",
                            r->rcase->name, "file", r->rcase->path, "tool",
                            rl_tool_name(r->tool.id), "spec", r->tool.spec, "program",
                            r->tool.program, "verdict", rl_verdict_name(r->verdict), "seconds",
                            r->seconds, "build_seconds", r->build_seconds, "message",
                            string_or_null(r->message), "log", string_or_null(r->log_path),
                            "log_dir", string_or_null(r->log_dir), "reports", reports));
    }
    json_t *errors = json_array();
    for (size_t i = 0; i < nerrors; i++)
        json_array_append_new(errors, json_pack("{s:s, s:i, s:s}", "file", input_errors[i].file,
                                                "line", input_errors[i].line, "message",
                                                input_errors[i].message));
    json_t *doc = json_pack("{s:s, s:{s:I, s:I, s:I, s:I}, s:o, s:o}", "racelab", RL_VERSION,
                            "summary", "passed", (json_int_t)counts[RL_PASS], "failed",
                            (json_int_t)counts[RL_FAIL], "errors", (json_int_t)counts[RL_ERROR],
                            "skipped", (json_int_t)counts[RL_SKIP], "input_errors", errors,
                            "results", list);
    if (!doc) {
        rl_diag_set(diag, path, 0, "cannot build the JSON document");
        return -1;
    }
    /* Write beside and rename, so a reader never sees half a file. */
    char *tmp = rl_xasprintf("%s.tmp", path);
    int rc = json_dump_file(doc, tmp, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    json_decref(doc);
    if (rc < 0 || rename(tmp, path) < 0) {
        rl_diag_set(diag, path, 0, "cannot write results: %s", strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}
