/* case_check.c: what a case's lines must say as a whole, once the file is
 * read: every marker names a line, each tool has one ending and is not both
 * clean and reporting, scopes do not overlap, a tool is not opted out of
 * entirely. (The contract is docs/case-format.md.) */
#define _GNU_SOURCE
#include "case_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct set_facts {
    int expects, allows, unsupported, clean, reports;
    int ending_line, clean_line, report_line, allow_line;
} set_facts;

int rl_case_check(rl_case *c, const char *path, const rl_map *markers, rl_diag *diag)
{
    size_t nexpect_lines = 0;
    int only_unsupported = 0;
    for (size_t i = 0; i < c->nexpects; i++) {
        nexpect_lines += c->expects[i].type == RL_LINE_EXPECT;
        if (c->expects[i].type == RL_LINE_UNSUPPORTED && !only_unsupported)
            only_unsupported = c->expects[i].line;
    }
    /* Unsupported lines alone (whatever toolchains they name) leave no tool
     * anything to check. */
    if (nexpect_lines == 0 && only_unsupported)
        return rl_diag_set(diag, path, only_unsupported,
                           "every toolchain of every tool the case names is unsupported: a case "
                           "must be checked by some tool (it has no expect line)");
    if (c->nexpects == 0)
        return rl_diag_set(diag, path, 1, "no '// expect TOOL: KIND' line: a case must say what each tool reports");
    set_facts *facts = rl_xcalloc(c->nsets + 1, sizeof *facts);
    int rc = 0;
    for (size_t i = 0; i < c->nexpects && rc == 0; i++) {
        rl_expect *e = &c->expects[i];
        set_facts *f = &facts[e->set];
        for (size_t m = 0; m < e->nmarkers && rc == 0; m++) {
            size_t k;
            if (rl_map_get(markers, e->markers[m].name, &k) < 0)
                rc = rl_diag_set(diag, path, e->line, "marker @%s names no line (end a line with '// @%s')",
                          e->markers[m].name, e->markers[m].name);
            else
                e->markers[m].line = c->markers[k].line;
        }
        if (rc)
            break;
        const char *tool = rl_tool_name(e->tool);
        if (e->type == RL_LINE_UNSUPPORTED) {
            f->unsupported++;
            continue;
        }
        if (e->type == RL_LINE_ALLOW) {
            f->allows++;
            if (!f->allow_line)
                f->allow_line = e->line;
            continue;
        }
        f->expects++;
        if (rl_kind_is_ending(e->kind)) {
            if (f->ending_line)
                rc = rl_diag_set(diag, path, e->line, "%s has one ending; it is already given on line %d", tool,
                          f->ending_line);
            f->ending_line = e->line;
        } else if (e->kind == RL_KIND_CLEAN) {
            if (f->clean_line)
                rc = rl_diag_set(diag, path, e->line, "%s is already expected clean on line %d", tool,
                          f->clean_line);
            f->clean_line = e->line;
        } else if (!f->report_line)
            f->report_line = e->line;
    }
    for (size_t s = 0; s < c->nsets && rc == 0; s++) {
        const set_facts *f = &facts[s];
        const char *tool = rl_tool_name(c->sets[s].tool);
        const char *scope = c->sets[s].scope.text;
        char *name = rl_xasprintf("%s%s%s%s", tool, *scope ? "(" : "", scope, *scope ? ")" : "");
        if (f->unsupported && (f->expects || f->allows))
            rc = rl_diag_set(diag, path, c->sets[s].line,
                      "%s is both unsupported and expected to report: an unsupported toolchain "
                      "has no other lines",
                      name);
        else if (f->clean_line && (f->report_line || f->allow_line))
            rc = rl_diag_set(diag, path, f->clean_line, "%s is expected both clean and to report (line %d)", name,
                      f->report_line ? f->report_line : f->allow_line);
        else if (f->allows && !f->report_line)
            rc = rl_diag_set(diag, path, f->allow_line,
                             "an allow line never stands alone: give %s an expect line for a "
                             "report as well (an ending alone would let any allowed report pass "
                             "as the whole verdict)",
                             name);
        free(name);
    }
    int *unsupported = rl_xcalloc(c->nsets + 1, sizeof *unsupported);
    for (size_t s = 0; s < c->nsets; s++)
        unsupported[s] = facts[s].unsupported > 0;
    free(facts);
    if (rc) {
        free(unsupported);
        return rc;
    }

    /* Scoped sets and options of one rank must never apply together. */
    rl_scoped *v = rl_xcalloc(c->nsets + c->noptions + 1, sizeof *v);
    for (size_t s = 0; s < c->nsets; s++)
        v[s] = (rl_scoped){c->sets[s].tool, &c->sets[s].scope, c->sets[s].line};
    rc = rl_scopes_check_overlaps(v, c->nsets, "the lines", path, diag);
    for (size_t s = 0; rc == 0 && s < c->noptions; s++)
        v[s] = (rl_scoped){c->options[s].tool, &c->options[s].scope, c->options[s].line};
    if (rc == 0)
        rc = rl_scopes_check_overlaps(v, c->noptions, "the options", path, diag);
    free(v);

    /* A case is checked by some tool: it cannot opt out of every one. */
    int runs_somewhere = 0, first_unsupported = 0;
    for (size_t t = 0; rc == 0 && t < rl_tool_count(); t++)
        if (rl_case_declares(c, (rl_tool_id)t) && !rl_case_opted_out(c, unsupported, (rl_tool_id)t))
            runs_somewhere = 1;
    for (size_t i = 0; i < c->nexpects && !first_unsupported; i++)
        if (c->expects[i].type == RL_LINE_UNSUPPORTED)
            first_unsupported = c->expects[i].line;
    if (rc == 0 && !runs_somewhere)
        rc = rl_diag_set(diag, path, first_unsupported,
                         "every toolchain of every tool the case names is unsupported: a case "
                         "must be checked by some tool");
    free(unsupported);
    return rc;
}

