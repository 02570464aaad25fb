/* render_sarif.c: results as SARIF 2.1.0, the format code-scanning views
 * read: each thing that makes a job fail is a finding at the line of the
 * case it concerns. An unexpected report points at the case line its first
 * access frame is on (or the first frame in the case); an expectation no
 * report met, at its expect line; a job that errored, at the line its
 * problem names (or the case's first); bad input, at its file and line.
 * Passing jobs say nothing; a skipped one is a note. */
#define _GNU_SOURCE
#include "json.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *id, *name, *text;
} rules[] = {
    {"RL1", "UnexpectedReport", "The tool reported something the case does not expect."},
    {"RL2", "MissedReport", "The case expects a report the tool did not give."},
    {"RL3", "WrongEnding", "The program ended otherwise than the case says."},
    {"RL4", "ToolError", "The tool could not do its job, or could not be proven to have."},
    {"RL5", "Skipped", "The job did not run (a toolchain the case declares unsupported)."},
    {"RL6", "InputError", "A case file racelab cannot read."},
};

enum { UNEXPECTED, MISSED, ENDING, TOOL_ERROR, SKIPPED, INPUT };

static json_t *location(const char *file, int line)
{
    char *uri = rl_xasprintf("file://%s", file);
    json_t *loc = json_pack("{s:{s:{s:o}, s:{s:i}}}", "physicalLocation", "artifactLocation",
                            "uri", rl_json_text(uri), "region", "startLine", line > 0 ? line : 1);
    free(uri);
    return loc;
}

static void add(json_t *results, int rule, const char *level, const char *text, const char *file,
                int line, const char *kind)
{
    json_t *r = json_pack("{s:s, s:i, s:s, s:{s:o}, s:[o]}", "ruleId", rules[rule].id,
                          "ruleIndex", rule, "level", level, "message", "text",
                          rl_json_text(text), "locations", location(file, line));
    if (r && kind)
        json_object_set_new(r, "properties", json_pack("{s:s}", "kind", kind));
    json_array_append_new(results, r);
}

/* The case line a report points at: its first frame in the case file, in
 * an access stack when it has one. */
static int report_line(const rl_report *r, const rl_case *c)
{
    for (int access = 1; access >= 0; access--)
        for (size_t s = 0; s < r->nstacks; s++) {
            if (access && !r->stacks[s].access)
                continue;
            for (size_t f = 0; f < r->stacks[s].nframes; f++)
                if (rl_frame_in_case(&r->stacks[s].frames[f], c))
                    return r->stacks[s].frames[f].line;
        }
    return 1;
}

static void result_findings(json_t *out, const rl_result *r)
{
    char chain[RL_PATH_SIZE + 64];
    rl_toolchain_describe(&r->tool->toolchain, chain, sizeof chain);
    const rl_case *c = r->rcase;
    if (r->verdict == RL_ERROR || r->verdict == RL_SKIP) {
        char *text = rl_xasprintf("%s/%s (%s): %s", c->name, r->tool->spec, chain,
                                  rl_diag_message(&r->problem));
        add(out, r->verdict == RL_ERROR ? TOOL_ERROR : SKIPPED,
            r->verdict == RL_ERROR ? "error" : "note", text, c->path,
            r->problem.file && strcmp(r->problem.file, c->path) == 0 ? r->problem.line : 1, NULL);
        free(text);
        return;
    }
    if (r->verdict != RL_FAIL)
        return;
    const rl_match *m = &r->match;
    for (size_t i = 0; i < r->reports.count && i < m->nreports; i++) {
        if (m->report_line[i] >= 0)
            continue;
        const rl_report *rep = &r->reports.items[i];
        char *d = rl_render_report(rep, c);
        char *text = rl_xasprintf("%s under %s: unexpected %s", r->tool->spec, chain, d);
        add(out, UNEXPECTED, "error", text, c->path, report_line(rep, c), rl_kind_name(rep->kind));
        free(text);
        free(d);
    }
    for (size_t l = 0; l < m->nlines; l++) {
        const rl_expect *e = &c->expects[m->lines[l].expect];
        if (m->lines[l].met || rl_kind_is_ending(e->kind))
            continue;
        char *text = e->kind == RL_KIND_CLEAN
                         ? rl_xasprintf("%s under %s: expected clean, got reports", r->tool->spec,
                                        chain)
                         : rl_xasprintf("%s under %s: expected %s%s, got %zu", r->tool->spec,
                                        chain, rl_kind_name(e->kind),
                                        e->count > 1 ? " (a count)" : "", m->lines[l].nreports);
        add(out, MISSED, "error", text, c->path, e->line, rl_kind_name(e->kind));
        free(text);
    }
    if (!m->ending_ok) {
        int line = m->ending_line >= 0 ? c->expects[m->lines[m->ending_line].expect].line : 1;
        char *text = rl_xasprintf("%s under %s: the program ended otherwise: %s", r->tool->spec,
                                  chain, r->ending.detail ? r->ending.detail : "unknown");
        add(out, ENDING, "error", text, c->path, line, NULL);
        free(text);
    }
}

int rl_results_write_sarif(const char *path, const rl_result *results, size_t n,
                           const rl_diag *input_errors, size_t nerrors, rl_diag *diag)
{
    json_t *rule_list = json_array();
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
        json_array_append_new(rule_list, json_pack("{s:s, s:s, s:{s:s}}", "id", rules[i].id,
                                                   "name", rules[i].name, "shortDescription",
                                                   "text", rules[i].text));
    json_t *found = json_array();
    for (size_t i = 0; i < n; i++)
        result_findings(found, &results[i]);
    for (size_t i = 0; i < nerrors; i++)
        add(found, INPUT, "error", rl_diag_message(&input_errors[i]),
            input_errors[i].file ? input_errors[i].file : "/", input_errors[i].line, NULL);
    rl_summary s;
    rl_summarize(results, n, &s);
    json_t *doc = json_pack(
        "{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:o}}, s:o, s:[{s:b}]}]}", "$schema",
        "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs", "tool",
        "driver", "name", "racelab", "version", RL_VERSION, "semanticVersion", RL_VERSION, "rules",
        rule_list, "results", found, "invocations", "executionSuccessful",
        !nerrors && !s.count[RL_ERROR]);
    int rc = rl_json_write(path, doc, JSON_INDENT(2) | JSON_ENSURE_ASCII, "the SARIF report", diag);
    json_decref(doc);
    return rc;
}
