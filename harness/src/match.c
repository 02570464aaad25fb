/* match.c: do a tool's reports agree with a case's expectations?
 *
 * They agree when every expect line of the tool is met by at least one
 * report and every report meets at least one expect line. A report meets a
 * line when the kinds agree and, for each marker of the line, some frame of
 * the report is at the marked line of the case file. */
#define _GNU_SOURCE
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int frame_in_case(const rl_frame *f, const rl_case *c)
{
    if (!f->file || f->line <= 0)
        return 0;
    if (strcmp(f->file, c->path) == 0)
        return 1;
    if (strcmp(base_name(f->file), base_name(c->path)) != 0)
        return 0;
    if (f->file[0] != '/')
        return 1; /* a relative name: the tool did not say where */
    char *real = realpath(f->file, NULL);
    int same = real && strcmp(real, c->path) == 0;
    free(real);
    return same;
}

static int report_meets(const rl_report *r, const rl_expect *e, const rl_case *c)
{
    if (r->kind != e->kind)
        return 0;
    if (e->kind == RL_KIND_EXIT && r->code != e->code)
        return 0;
    for (size_t m = 0; m < e->nmarkers; m++) {
        int found = 0;
        for (size_t i = 0; i < r->nframes && !found; i++)
            found = r->frames[i].line == e->marker_lines[m] && frame_in_case(&r->frames[i], c);
        if (!found)
            return 0;
    }
    return 1;
}

static void describe_expect(rl_buf *b, const rl_expect *e)
{
    rl_buf_puts(b, rl_kind_name(e->kind));
    if (e->kind == RL_KIND_EXIT)
        rl_buf_printf(b, " %d", e->code);
    for (size_t m = 0; m < e->nmarkers; m++)
        rl_buf_printf(b, " @%s=%d", e->markers[m], e->marker_lines[m]);
    rl_buf_printf(b, "   (line %d)", e->line);
}

char *rl_report_describe(const rl_report *r, const rl_case *c)
{
    rl_buf b = {0};
    rl_buf_printf(&b, "%s \"%s\"", rl_kind_name(r->kind), r->headline);
    if (r->kind == RL_KIND_UNKNOWN)
        rl_buf_printf(&b, " (%s: no racelab kind for it)", r->tool_kind);
    int shown = 0;
    for (size_t i = 0; i < r->nframes; i++) {
        const rl_frame *f = &r->frames[i];
        if (!c || !frame_in_case(f, c))
            continue;
        int seen = 0; /* each case line once */
        for (size_t j = 0; j < i && !seen; j++)
            seen = r->frames[j].line == f->line && frame_in_case(&r->frames[j], c);
        if (seen)
            continue;
        rl_buf_printf(&b, "%s %s:%d%s%s", shown++ ? "," : " at", base_name(f->file), f->line,
                      f->function ? " " : "", f->function ? f->function : "");
    }
    return rl_buf_steal(&b);
}

int rl_match(const rl_case *c, rl_tool_id tool, const rl_report_list *reports, char **why)
{
    size_t n = reports->count;
    int *report_met = rl_xcalloc(n + 1, sizeof *report_met);
    int ok = 1, declared = 0;
    rl_buf expected = {0};

    for (size_t i = 0; i < c->nexpects; i++) {
        const rl_expect *e = &c->expects[i];
        if (e->tool != tool)
            continue;
        declared = 1;
        /* clean is met by silence; any report then goes unmet below. */
        int met = e->kind == RL_KIND_CLEAN && n == 0;
        for (size_t r = 0; r < n; r++) {
            if (report_meets(&reports->items[r], e, c)) {
                met = 1;
                report_met[r] = 1;
            }
        }
        ok &= met;
        rl_buf_puts(&expected, met ? "    met          " : "    NOT MET      ");
        describe_expect(&expected, e);
        rl_buf_puts(&expected, "\n");
    }
    for (size_t r = 0; r < n; r++)
        ok &= report_met[r];
    ok &= declared;
    if (why && !ok) {
        rl_buf b = {0};
        if (!declared)
            rl_buf_printf(&b, "  %s has no expect line for %s\n", c->path, rl_tool_name(tool));
        else
            rl_buf_printf(&b, "  expected:\n%s", expected.data);
        rl_buf_puts(&b, n ? "  reported:\n" : "  reported:      nothing\n");
        for (size_t r = 0; r < n; r++) {
            char *d = rl_report_describe(&reports->items[r], c);
            rl_buf_printf(&b, "    %s%s\n", report_met[r] ? "expected     " : "UNEXPECTED   ", d);
            free(d);
        }
        *why = rl_buf_steal(&b);
    } else if (why)
        *why = NULL;
    rl_buf_free(&expected);
    free(report_met);
    return ok;
}
