/* render_text.c: results as text for people: a line per job, what a job
 * that did not pass met and missed, and a run's summary. The results are
 * data (racelab.h); this is one way of showing them. */
#define _GNU_SOURCE
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void describe_line(rl_buf *b, const rl_expect *e)
{
    rl_buf_puts(b, rl_kind_name(e->kind));
    if (e->kind == RL_KIND_EXIT)
        rl_buf_printf_escaped(b, " %d", e->code);
    if (e->kind == RL_KIND_SIGNAL) {
        const char *name = rl_signal_name(e->code);
        rl_buf_printf_escaped(b, " %s", name ? name : "?");
    }
    if (e->type == RL_LINE_EXPECT && e->count > 1)
        rl_buf_printf_escaped(b, " x%d", e->count);
    if (e->type == RL_LINE_ALLOW && e->count > 0)
        rl_buf_printf_escaped(b, " (up to %d)", e->count);
    for (size_t m = 0; m < e->nmarkers; m++)
        rl_buf_printf_escaped(b, " @%s%s=%d", e->markers[m].access ? "access:" : "", e->markers[m].name,
                      e->markers[m].line);
    rl_buf_printf_escaped(b, "   (line %d)", e->line);
}

char *rl_render_report(const rl_report *r, const rl_case *c)
{
    rl_buf b = {0};
    rl_buf_printf_escaped(&b, "%s \"%s\"", rl_kind_name(r->kind), r->headline);
    if (r->kind == RL_KIND_UNKNOWN)
        rl_buf_printf_escaped(&b, " (%s: no racelab kind for it)", r->tool_kind);
    int shown = 0;
    rl_map seen = {0}; /* each case line once */
    for (size_t s = 0; s < r->nstacks; s++) {
        for (size_t i = 0; i < r->stacks[s].nframes; i++) {
            const rl_frame *f = &r->stacks[s].frames[i];
            if (!c || !rl_frame_in_case(f, c))
                continue;
            char key[32];
            size_t unused;
            snprintf(key, sizeof key, "%d", f->line);
            if (rl_map_get(&seen, key, &unused) == 0)
                continue;
            rl_map_put(&seen, key, 1);
            rl_buf_printf_escaped(&b, "%s %s:%d%s%s", shown++ ? "," : " at", rl_base_name(f->file), f->line,
                          f->function ? " " : "", f->function ? f->function : "");
        }
    }
    rl_map_clear(&seen);
    return rl_buf_steal(&b);
}

/* Each line of the set met or NOT MET, each report expected or UNEXPECTED,
 * and the ending. */
static void explain_match(rl_buf *b_out, const rl_match *m, const rl_case *c,
                          const rl_report_list *reports, const rl_ending *ending)
{
    rl_buf b = {0};
    if (m->set >= 0 && (size_t)m->set < c->nsets) {
        const rl_line_set *set = &c->sets[m->set];
        rl_buf_printf_escaped(&b, "  expected%s%s%s:\n", set->scope.text[0] ? " (lines of " : "",
                      set->scope.text, set->scope.text[0] ? ")" : "");
        for (size_t l = 0; l < m->nlines; l++) {
            const rl_expect *e = &c->expects[m->lines[l].expect];
            const rl_line_verdict *v = &m->lines[l];
            const char *state = v->met ? (e->type == RL_LINE_ALLOW ? "allowed      " : "met          ")
                                       : "NOT MET      ";
            rl_buf_printf_escaped(&b, "    %s", state);
            describe_line(&b, e);
            if (!rl_kind_is_ending(e->kind) && e->kind != RL_KIND_CLEAN &&
                (e->count > 1 || e->type == RL_LINE_ALLOW || !v->met))
                rl_buf_printf_escaped(&b, ": %zu report%s", v->nreports, v->nreports == 1 ? "" : "s");
            rl_buf_puts(&b, "\n");
        }
        if (m->ending_line < 0)
            rl_buf_printf_escaped(&b, "    %sexit 0, the default ending\n",
                          m->ending_ok ? "met          " : "NOT MET      ");
    }
    rl_buf_puts(&b, reports->count ? "  reported:\n" : "  reported:      nothing\n");
    for (size_t r = 0; r < reports->count; r++) {
        char *d = rl_render_report(&reports->items[r], c);
        long l = r < m->nreports ? m->report_line[r] : -1;
        if (l >= 0)
            rl_buf_printf(&b, "    expected     %s   (line %d)\n", d,
                          c->expects[m->lines[l].expect].line);
        else
            rl_buf_printf(&b, "    UNEXPECTED   %s\n", d);
        free(d);
    }
    rl_buf_printf_escaped(&b, "  ended:          %s\n", ending && ending->detail ? ending->detail : "unknown");
    rl_buf_puts(b_out, b.data);
    rl_buf_free(&b);
}

char *rl_render_problem(const rl_result *r)
{
    rl_buf b = {0};
    if (r->verdict == RL_FAIL)
        explain_match(&b, &r->match, r->rcase, &r->reports, &r->ending);
    else if (r->problem.message) {
        char *text = rl_diag_format(&r->problem);
        rl_buf_puts(&b, text);
        free(text);
    }
    if ((r->verdict == RL_FAIL || r->verdict == RL_ERROR) && r->log_path) {
        rl_buf_puts(&b, b.len && b.data[b.len - 1] != '\n' ? "\n  " : "  ");
        rl_buf_printf_escaped(&b, "log: %s", r->log_path);
    }
    return rl_buf_steal(&b);
}

char *rl_render_result_line(const rl_result *r, int width)
{
    static const char *const labels[RL_VERDICT_COUNT] = {"PASS ", "FAIL ", "ERROR", "SKIP "};
    char chain[RL_PATH_SIZE + 64] = "-";
    if (r->tool->toolchain.path[0])
        rl_toolchain_describe(&r->tool->toolchain, chain, sizeof chain);
    char *name = rl_xasprintf("%s/%s", r->rcase->name, r->tool->spec);
    rl_buf line = {0};
    rl_buf_printf_escaped(&line, "%s %-*s %-16s %6.2fs", labels[r->verdict], width, name, chain,
                          r->seconds);
    free(name);
    return rl_buf_steal(&line);
}

char *rl_render_result_details(const rl_result *r)
{
    rl_buf b = {0};
    if (r->verdict != RL_PASS) {
        char *problem = rl_render_problem(r);
        if (*problem)
            rl_buf_printf_escaped(&b, "  case: %s\n", r->rcase->path);
        if (*problem)
            rl_buf_printf(&b, "%s%s\n", problem[0] == ' ' ? "" : "  ", problem);
        free(problem);
    }
    for (char **n = r->notes; n && *n; n++)
        rl_buf_printf_escaped(&b, "  note: %s\n", *n);
    return rl_buf_steal(&b);
}

void rl_summarize(const rl_result *results, size_t n, rl_summary *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++)
        if ((unsigned)results[i].verdict < RL_VERDICT_COUNT)
            out->count[results[i].verdict]++;
    out->total = n;
}

char *rl_render_summary(const rl_result *results, size_t n)
{
    rl_buf b = {0};
    /* Which toolchain each tool was: the matrix a run covered. */
    int named = 0;
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = results[k].tool == results[i].tool ||
                   strcmp(results[k].tool->spec, results[i].tool->spec) == 0;
        if (seen || !results[i].tool->toolchain.path[0])
            continue;
        char chain[RL_PATH_SIZE + 64];
        rl_toolchain_describe(&results[i].tool->toolchain, chain, sizeof chain);
        rl_buf_printf_escaped(&b, "%s %s = %s", named++ ? "," : "toolchains:", results[i].tool->spec, chain);
    }
    if (named)
        rl_buf_puts(&b, "\n");
    rl_summary s;
    rl_summarize(results, n, &s);
    rl_buf_printf_escaped(&b, "%zu passed, %zu failed", s.count[RL_PASS], s.count[RL_FAIL]);
    if (s.count[RL_ERROR])
        rl_buf_printf_escaped(&b, ", %zu errors", s.count[RL_ERROR]);
    if (s.count[RL_SKIP])
        rl_buf_printf_escaped(&b, ", %zu skipped", s.count[RL_SKIP]);
    rl_buf_puts(&b, "\n");
    /* A skipped job checked nothing: each is named, with its reason. */
    if (s.count[RL_SKIP])
        rl_buf_printf_escaped(&b, "not verified: %zu job%s skipped\n", s.count[RL_SKIP],
                      s.count[RL_SKIP] == 1 ? " was" : "s were");
    for (size_t i = 0; i < n; i++) {
        if (results[i].verdict != RL_SKIP)
            continue;
        rl_buf_printf_escaped(&b, "  SKIP %s/%s: ", results[i].rcase->name,
                              results[i].tool->spec);
        rl_buf_printf(&b, "%s\n", rl_diag_message(&results[i].problem));
    }
    return rl_buf_steal(&b);
}
