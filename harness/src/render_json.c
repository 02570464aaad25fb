/* render_json.c: results as JSON (docs/results.md describes the format,
 * and docs/results.schema.json is its schema). */
#define _GNU_SOURCE
#include "json.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

static json_t *command_json(const rl_command *c)
{
    if (!c->argv)
        return json_null();
    json_t *env = json_object();
    for (char *const *e = c->env_set; e && *e; e++) {
        size_t k = strcspn(*e, "=");
        char *name = rl_xstrndup(*e, k);
        json_object_set_new(env, name, rl_json_text((*e)[k] ? *e + k + 1 : ""));
        free(name);
    }
    return json_pack("{s:o, s:o, s:b, s:o, s:o}", "argv", rl_json_text_list(c->argv), "env", env,
                     "env_only", c->env_only, "unset", rl_json_text_list(c->env_unset), "cwd",
                     rl_json_text(c->cwd));
}

static json_t *report_json(const rl_report *r, long line)
{
    json_t *stacks = json_array();
    for (size_t s = 0; s < r->nstacks; s++) {
        const rl_stack *st = &r->stacks[s];
        json_t *frames = json_array();
        for (size_t i = 0; i < st->nframes; i++) {
            const rl_frame *f = &st->frames[i];
            json_array_append_new(frames, json_pack("{s:o, s:o, s:i}", "function",
                                                    rl_json_text(f->function), "file",
                                                    rl_json_text(f->file), "line", f->line));
        }
        json_array_append_new(stacks, json_pack("{s:o, s:b, s:o}", "title", rl_json_text(st->title),
                                                "access", st->access, "frames", frames));
    }
    return json_pack("{s:s, s:o, s:o, s:o, s:o}", "kind", rl_kind_name(r->kind), "tool_kind",
                     rl_json_text(r->tool_kind), "headline", rl_json_text(r->headline), "stacks", stacks,
                     "expectation", line > 0 ? json_integer(line) : json_null());
}

static const char *line_type(rl_line_type t)
{
    return t == RL_LINE_ALLOW ? "allow" : t == RL_LINE_UNSUPPORTED ? "unsupported" : "expect";
}

static json_t *expectation_json(const rl_expect *e, const rl_line_verdict *v, const rl_case *c)
{
    json_t *markers = json_array();
    for (size_t m = 0; m < e->nmarkers; m++)
        json_array_append_new(markers, json_pack("{s:o, s:i, s:b}", "name", rl_json_text(e->markers[m].name),
                                                 "line", e->markers[m].line, "access",
                                                 e->markers[m].access));
    json_t *reports = json_array();
    for (size_t i = 0; v && i < v->nreports; i++)
        json_array_append_new(reports, json_integer((json_int_t)v->reports[i]));
    json_t *o = json_pack("{s:i, s:s, s:s, s:o, s:i, s:o, s:o, s:b}", "line", e->line, "type",
                          line_type(e->type), "kind", rl_kind_name(e->kind), "scope",
                          rl_json_text(c->sets[e->set].scope.text), "count", e->count, "markers", markers,
                          "reports", reports, "met", v ? v->met : 0);
    if (o && (e->kind == RL_KIND_EXIT || e->kind == RL_KIND_SIGNAL))
        json_object_set_new(o, "code", json_integer(e->code));
    return o;
}

static json_t *ending_json(const rl_ending *e)
{
    if (e->kind == RL_KIND_UNKNOWN)
        return json_null();
    return json_pack("{s:s, s:i, s:b, s:o}", "kind", rl_kind_name(e->kind), "code", e->code,
                     "by_tool", e->by_tool, "detail", rl_json_text(e->detail));
}

static json_t *result_json(const rl_result *r)
{
    char *message = r->verdict == RL_PASS ? NULL : rl_render_problem(r);
    const rl_match *m = &r->match;
    json_t *reports = json_array();
    for (size_t j = 0; j < r->reports.count; j++) {
        long l = j < m->nreports ? m->report_line[j] : -1;
        long line = l >= 0 ? r->rcase->expects[m->lines[l].expect].line : 0;
        json_array_append_new(reports, report_json(&r->reports.items[j], line));
    }
    json_t *expectations = json_array();
    for (size_t l = 0; l < m->nlines; l++)
        json_array_append_new(expectations, expectation_json(&r->rcase->expects[m->lines[l].expect],
                                                             &m->lines[l], r->rcase));
    json_t *set = json_null();
    if (m->set >= 0 && (size_t)m->set < r->rcase->nsets)
        set = json_pack("{s:o, s:i}", "scope", rl_json_text(r->rcase->sets[m->set].scope.text), "line",
                        r->rcase->sets[m->set].line);
    json_t *ending_ok = m->nlines || m->set >= 0 ? json_boolean(m->ending_ok) : json_null();
    json_t *bug = json_null();
    if (r->rcase->bug_known) {
        bug = json_array();
        for (size_t k = 0; k < r->rcase->nbugs; k++)
            json_array_append_new(bug, json_string(rl_kind_name(r->rcase->bugs[k])));
    }
    json_t *doc = json_pack(
        "{s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:s, s:f, s:f, s:o, s:o, s:o, s:o, s:o, s:o, "
        "s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "case", rl_json_text(r->rcase->name), "file", rl_json_text(r->rcase->path), "bug", bug,
        "tool",
        rl_tool_name(r->tool->id), "spec", rl_json_text(r->tool->spec), "program",
        rl_json_text(r->tool->program),
        "toolchain", rl_json_toolchain(&r->tool->toolchain), "compiler",
        rl_json_toolchain(&r->tool->compiler), "verdict", rl_verdict_name(r->verdict), "seconds",
        r->seconds, "build_seconds", r->build_seconds, "message",
        rl_json_text(message && *message ? message : NULL), "log",
        rl_json_text(r->log_path), "log_dir", rl_json_text(r->log_dir), "binary",
        rl_json_text(r->binary), "preprocess", command_json(&r->preprocess), "compile",
        command_json(&r->compile), "link", command_json(&r->link), "run", command_json(&r->run), "set", set, "expectations",
        expectations, "reports", reports, "ending", ending_json(&r->ending), "ending_ok",
        ending_ok);
    free(message);
    return doc;
}

int rl_results_write_json(const char *path, const rl_result *results, size_t n,
                          const rl_diag *input_errors, size_t nerrors, const rl_run_info *info,
                          rl_diag *diag)
{
    int interrupted = info && info->interrupted;
    rl_summary sum;
    rl_summarize(results, n, &sum);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const rl_result *r = &results[i];
        json_t *item = result_json(r);
        if (item)
            json_object_set_new(item, "notes", rl_json_text_list(r->notes));
        /* One result that cannot be written must not lose the others: it is
         * written as what could be said of it. */
        if (!item)
            item = json_pack("{s:o, s:s, s:s, s:s}", "case", rl_json_text(r->rcase->name), "tool",
                             rl_tool_name(r->tool->id), "verdict", rl_verdict_name(r->verdict),
                             "message", "racelab could not write this result in full");
        json_array_append_new(list, item);
    }
    json_t *errors = json_array();
    for (size_t i = 0; i < nerrors; i++)
        json_array_append_new(errors, json_pack("{s:o, s:i, s:o}", "file",
                                                rl_json_text(input_errors[i].file ? input_errors[i].file : ""), "line",
                                                input_errors[i].line, "message",
                                                rl_json_text(input_errors[i].message)));
    /* Verified: every job ran and passed, and nothing was left out. */
    int verified = !interrupted && !nerrors && !sum.count[RL_FAIL] && !sum.count[RL_ERROR] &&
                   !sum.count[RL_SKIP] && sum.count[RL_PASS] > 0;
    json_t *doc = json_pack("{s:s, s:i, s:b, s:{s:b, s:I, s:I, s:I, s:I}, s:o, s:o}", "racelab",
                            RL_VERSION, "format", RL_RESULTS_FORMAT, "interrupted", interrupted,
                            "summary", "verified", verified, "passed",
                            (json_int_t)sum.count[RL_PASS], "failed",
                            (json_int_t)sum.count[RL_FAIL], "errors",
                            (json_int_t)sum.count[RL_ERROR], "skipped",
                            (json_int_t)sum.count[RL_SKIP], "input_errors", errors,
                            "results", list);
    json_object_set_new(doc, "shard",
                        info && info->shards ? json_pack("{s:I, s:I}", "index", (json_int_t)info->shard,
                                                         "count", (json_int_t)info->shards)
                                             : json_null());
    json_object_set_new(doc, "asked",
                        info && info->cases && info->specs
                            ? json_pack("{s:o, s:o}", "cases", rl_json_text_list((char *const *)info->cases),
                                        "tools", rl_json_text_list((char *const *)info->specs))
                            : json_null());
    int rc = rl_json_write(path, doc, JSON_INDENT(2) | JSON_ENSURE_ASCII, "results", diag);
    json_decref(doc);
    return rc;
}
