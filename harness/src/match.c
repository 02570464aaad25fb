/* match.c: do a tool's reports and the program's ending agree with a case?
 *
 * The runner chooses the set of lines for the toolchain (the applicable
 * set of highest rank, rl_case_select_set). Reports are then assigned one to one to its lines: an
 * expect line takes exactly its count of reports (1, or N for xN), an allow
 * line at most its count (any number without one), and every report must
 * be taken by some line. A report can be taken by a line when the kinds
 * agree and, for each marker of the line, some frame of the report (of an
 * access stack, for @access:NAME) is at the marked line of the case file.
 * The assignment is a maximum matching, found by augmenting paths, so a
 * report is never taken by one line when another line needed it.
 *
 * The ending (exit, signal, hang) is matched apart: against the set's
 * ending line, or without one against a normal exit with status 0 (or a
 * status the tool set itself, as TSan does after reporting). */
#define _GNU_SOURCE
#include "util.h"
#include "match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rl_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int rl_frame_in_case(const rl_frame *f, const rl_case *c)
{
    if (!f->file || f->line <= 0)
        return 0;
    if (strcmp(f->file, c->path) == 0)
        return 1;
    if (strcmp(rl_base_name(f->file), rl_base_name(c->path)) != 0)
        return 0;
    if (f->file[0] != '/')
        return 1; /* a relative name: the tool did not say where */
    char *real = realpath(f->file, NULL);
    int same = real && strcmp(real, c->path) == 0;
    free(real);
    return same;
}

static int marker_met(const rl_report *r, const rl_marker_ref *m, const rl_case *c)
{
    for (size_t s = 0; s < r->nstacks; s++) {
        if (m->access && !r->stacks[s].access)
            continue;
        for (size_t i = 0; i < r->stacks[s].nframes; i++)
            if (r->stacks[s].frames[i].line == m->line && rl_frame_in_case(&r->stacks[s].frames[i], c))
                return 1;
    }
    return 0;
}

static int report_meets(const rl_report *r, const rl_expect *e, const rl_case *c)
{
    if (r->kind != e->kind)
        return 0;
    for (size_t m = 0; m < e->nmarkers; m++)
        if (!marker_met(r, &e->markers[m], c))
            return 0;
    return 1;
}

/* Lines that say the same (type, kind, markers) are one group: their
 * reports are interchangeable, so they are matched together. */
typedef struct group {
    size_t first;    /* an expect line of the group (its index in lines) */
    int allow;
    size_t cap, used;
} group;

static int same_line(const rl_expect *a, const rl_expect *b)
{
    if (a->type != b->type || a->kind != b->kind || a->nmarkers != b->nmarkers)
        return 0;
    for (size_t m = 0; m < a->nmarkers; m++)
        if (a->markers[m].line != b->markers[m].line || a->markers[m].access != b->markers[m].access)
            return 0;
    return 1;
}

typedef struct matcher {
    const rl_case *c;
    const rl_report_list *reports;
    const rl_expect **lines; /* the set's report lines, by index in out->lines */
    group *groups;
    size_t ngroups;
    long *assign;            /* per report: group, or -1 */
    long *parent, *via;      /* BFS per group */
    size_t *queue;
} matcher;

static int meets_group(const matcher *mt, size_t r, size_t g)
{
    return report_meets(&mt->reports->items[r], mt->lines[mt->groups[g].first], mt->c);
}

/* Give report r a group, moving others along a path when that frees room.
 * allow_ok: allow groups may take reports (the second phase). */
static int augment(matcher *mt, size_t r, int allow_ok)
{
    size_t head = 0, tail = 0;
    for (size_t g = 0; g < mt->ngroups; g++)
        mt->parent[g] = -2;
    for (size_t g = 0; g < mt->ngroups; g++) {
        if ((mt->groups[g].allow && !allow_ok) || !meets_group(mt, r, g))
            continue;
        mt->parent[g] = -1;
        mt->via[g] = (long)r;
        mt->queue[tail++] = g;
    }
    while (head < tail) {
        size_t g = mt->queue[head++];
        if (mt->groups[g].used < mt->groups[g].cap) {
            for (long cur = (long)g; cur != -1;) {
                long prev = mt->parent[cur];
                mt->assign[mt->via[cur]] = cur;
                mt->groups[cur].used++;
                if (prev != -1)
                    mt->groups[prev].used--;
                cur = prev;
            }
            return 1;
        }
        for (size_t rr = 0; rr < mt->reports->count; rr++) {
            if (mt->assign[rr] != (long)g)
                continue;
            for (size_t g2 = 0; g2 < mt->ngroups; g2++) {
                if (mt->parent[g2] != -2 || (mt->groups[g2].allow && !allow_ok) ||
                    !meets_group(mt, rr, g2))
                    continue;
                mt->parent[g2] = (long)g;
                mt->via[g2] = (long)rr;
                mt->queue[tail++] = g2;
            }
        }
    }
    return 0;
}

static int ending_agrees(const rl_ending *ending, const rl_expect *line)
{
    if (!ending || ending->kind == RL_KIND_UNKNOWN)
        return 0;
    if (!line) /* the default: a normal end */
        return ending->kind == RL_KIND_EXIT && (ending->code == 0 || ending->by_tool);
    if (ending->kind != line->kind)
        return 0;
    if (line->kind == RL_KIND_EXIT)
        return !ending->by_tool && ending->code == line->code;
    if (line->kind == RL_KIND_SIGNAL)
        return ending->code == line->code;
    return 1;
}

void rl_match_run(const rl_case *c, long set, const rl_report_list *reports,
                  const rl_ending *ending, rl_match *out)
{
    memset(out, 0, sizeof *out);
    out->ending_line = -1;
    out->nreports = reports->count;
    out->report_line = rl_xcalloc(reports->count + 1, sizeof *out->report_line);
    for (size_t r = 0; r < reports->count; r++)
        out->report_line[r] = -1;
    out->set = set;
    if (set < 0 || (size_t)set >= c->nsets)
        return; /* no set: nothing agrees */

    /* The set's lines, report lines first in file order, then the ending. */
    size_t nlines = 0;
    for (size_t i = 0; i < c->nexpects; i++)
        nlines += c->expects[i].set == (size_t)out->set && c->expects[i].type != RL_LINE_UNSUPPORTED;
    out->lines = rl_xcalloc(nlines + 1, sizeof *out->lines);
    matcher mt = {.c = c, .reports = reports};
    mt.lines = rl_xcalloc(nlines + 1, sizeof *mt.lines);
    for (size_t i = 0; i < c->nexpects; i++) {
        const rl_expect *e = &c->expects[i];
        if (e->set != (size_t)out->set || e->type == RL_LINE_UNSUPPORTED)
            continue;
        if (rl_kind_is_ending(e->kind))
            out->ending_line = (long)out->nlines;
        mt.lines[out->nlines] = e;
        out->lines[out->nlines++].expect = i;
    }

    /* Groups of report lines. */
    mt.groups = rl_xcalloc(out->nlines + 1, sizeof *mt.groups);
    size_t *line_group = rl_xcalloc(out->nlines + 1, sizeof *line_group);
    for (size_t l = 0; l < out->nlines; l++) {
        const rl_expect *e = mt.lines[l];
        if (rl_kind_is_ending(e->kind) || e->kind == RL_KIND_CLEAN)
            continue;
        size_t g = 0;
        while (g < mt.ngroups && !same_line(mt.lines[mt.groups[g].first], e))
            g++;
        if (g == mt.ngroups)
            mt.groups[mt.ngroups++] =
                (group){.first = l, .allow = e->type == RL_LINE_ALLOW, .cap = 0, .used = 0};
        size_t cap = e->count ? (size_t)e->count : reports->count;
        mt.groups[g].cap += cap;
        line_group[l] = g;
    }
    mt.assign = rl_xcalloc(reports->count + 1, sizeof *mt.assign);
    for (size_t r = 0; r < reports->count; r++)
        mt.assign[r] = -1;
    mt.parent = rl_xcalloc(mt.ngroups + 1, sizeof *mt.parent);
    mt.via = rl_xcalloc(mt.ngroups + 1, sizeof *mt.via);
    mt.queue = rl_xcalloc(mt.ngroups + 1, sizeof *mt.queue);
    for (int phase = 0; phase < 2; phase++)
        for (size_t r = 0; r < reports->count; r++)
            if (mt.assign[r] < 0)
                augment(&mt, r, phase);

    /* Hand each group's reports to its lines in file order. */
    int ok = 1;
    for (size_t l = 0; l < out->nlines; l++) {
        const rl_expect *e = mt.lines[l];
        rl_line_verdict *v = &out->lines[l];
        if (l == (size_t)out->ending_line) {
            v->met = ending_agrees(ending, e);
            continue;
        }
        if (e->kind == RL_KIND_CLEAN) {
            v->met = reports->count == 0;
            ok &= v->met;
            continue;
        }
        size_t g = line_group[l];
        size_t want = e->count ? (size_t)e->count : reports->count;
        v->reports = rl_xcalloc((want < reports->count ? want : reports->count) + 1,
                                sizeof *v->reports);
        for (size_t r = 0; r < reports->count && v->nreports < want; r++) {
            if (mt.assign[r] != (long)g)
                continue;
            v->reports[v->nreports++] = r;
            out->report_line[r] = (long)l;
            mt.assign[r] = -2; /* handed out */
        }
        v->met = e->type == RL_LINE_ALLOW || v->nreports == (size_t)e->count;
        ok &= v->met;
    }
    for (size_t r = 0; r < reports->count; r++)
        ok &= out->report_line[r] >= 0;
    out->ending_ok = ending_agrees(ending, out->ending_line >= 0 ? mt.lines[out->ending_line] : NULL);
    out->ok = ok && out->ending_ok;

    free(line_group);
    free(mt.lines);
    free(mt.groups);
    free(mt.assign);
    free(mt.parent);
    free(mt.via);
    free(mt.queue);
}

void rl_match_clear(rl_match *m)
{
    for (size_t l = 0; l < m->nlines; l++)
        free(m->lines[l].reports);
    free(m->lines);
    free(m->report_line);
    memset(m, 0, sizeof *m);
    m->set = -1;
    m->ending_line = -1;
}

