/* results.c: results as JSON (docs/results.md describes the format). */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_sequence(const unsigned char *s)
{
    size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || (n == 2 && s[0] < 0xC2) || (n == 4 && s[0] > 0xF4))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* A JSON string of any bytes: paths, tool output and case text need not be
 * UTF-8, and jansson refuses what is not; bad bytes become U+FFFD. */
static json_t *text(const char *s)
{
    rl_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_sequence(p);
        if (n)
            rl_buf_add(&b, (const char *)p, n);
        else
            rl_buf_puts(&b, "\xEF\xBF\xBD");
        p += n ? n : 1;
    }
    char *str = rl_buf_steal(&b);
    json_t *j = json_string(str);
    free(str);
    return j;
}

static json_t *text_or_null(const char *s)
{
    return s ? text(s) : json_null();
}

static json_t *report_json(const rl_report *r)
{
    json_t *frames = json_array();
    for (size_t i = 0; i < r->nframes; i++) {
        const rl_frame *f = &r->frames[i];
        json_array_append_new(frames, json_pack("{s:o, s:o, s:i}", "function",
                                                text_or_null(f->function), "file",
                                                text_or_null(f->file), "line", f->line));
    }
    json_t *o = json_pack("{s:s, s:o, s:o, s:o}", "kind", rl_kind_name(r->kind), "tool_kind",
                          text(r->tool_kind), "headline", text(r->headline), "frames", frames);
    if (o && (r->kind == RL_KIND_EXIT || r->kind == RL_KIND_SIGNAL))
        json_object_set_new(o, "code", json_integer(r->code));
    return o;
}

int rl_results_write_json(const char *path, const rl_result *results, size_t n,
                          const rl_diag *input_errors, size_t nerrors, rl_diag *diag)
{
    size_t counts[RL_SKIP + 1] = {0};
    int complete = 1; /* every part made it into the document */
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const rl_result *r = &results[i];
        counts[r->verdict]++;
        json_t *reports = json_array();
        for (size_t j = 0; j < r->reports.count; j++) {
            json_t *report = report_json(&r->reports.items[j]);
            complete &= report && json_array_append_new(reports, report) == 0;
        }
        json_t *item = json_pack(
            "{s:o, s:o, s:s, s:o, s:o, s:s, s:f, s:f, s:o, s:o, s:o, s:o}", "case",
            text(r->rcase->name), "file", text(r->rcase->path), "tool", rl_tool_name(r->tool.id),
            "spec", text(r->tool.spec), "program", text(r->tool.program), "verdict",
            rl_verdict_name(r->verdict), "seconds", r->seconds, "build_seconds", r->build_seconds,
            "message", text_or_null(r->message), "log", text_or_null(r->log_path), "log_dir",
            text_or_null(r->log_dir), "reports", reports);
        complete &= item && json_array_append_new(list, item) == 0;
    }
    json_t *errors = json_array();
    for (size_t i = 0; i < nerrors; i++) {
        json_t *e = json_pack("{s:o, s:i, s:o}", "file", text(input_errors[i].file), "line",
                              input_errors[i].line, "message", text(input_errors[i].message));
        complete &= e && json_array_append_new(errors, e) == 0;
    }
    json_t *doc = json_pack("{s:s, s:{s:I, s:I, s:I, s:I}, s:o, s:o}", "racelab", RL_VERSION,
                            "summary", "passed", (json_int_t)counts[RL_PASS], "failed",
                            (json_int_t)counts[RL_FAIL], "errors", (json_int_t)counts[RL_ERROR],
                            "skipped", (json_int_t)counts[RL_SKIP], "input_errors", errors,
                            "results", list);
    if (!doc || !complete) {
        json_decref(doc);
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
