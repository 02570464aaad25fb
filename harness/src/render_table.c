/* render_table.c: markdown for the docs: what each case expects of each
 * tool, and the kind vocabulary with each tool's names for its reports.
 * README.md and docs/kinds.md hold these tables, and a test keeps them
 * equal to what this renders. */
#define _GNU_SOURCE
#include "adapter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *rl_render_set(const rl_case *c, long set)
{
    /* Each kind once, with the count of all its lines added up. */
    int counts[2][RL_KIND_COUNT] = {{0}}, order[2 * RL_KIND_COUNT], norder = 0;
    const char *ending = NULL;
    char ending_text[32];
    int unsupported = 0;
    for (size_t i = 0; i < c->nexpects; i++) {
        const rl_expect *e = &c->expects[i];
        if ((long)e->set != set || e->kind == RL_KIND_CLEAN)
            continue;
        if (e->type == RL_LINE_UNSUPPORTED) {
            unsupported = 1;
        } else if (rl_kind_is_ending(e->kind)) {
            const char *name = rl_signal_name(e->code);
            if (e->kind == RL_KIND_SIGNAL)
                snprintf(ending_text, sizeof ending_text, "signal %s", name ? name : "?");
            else if (e->kind == RL_KIND_EXIT)
                snprintf(ending_text, sizeof ending_text, "exit %d", e->code);
            else
                snprintf(ending_text, sizeof ending_text, "hang");
            ending = ending_text;
        } else {
            int allow = e->type == RL_LINE_ALLOW;
            if (!counts[allow][e->kind])
                order[norder++] = allow * RL_KIND_COUNT + (int)e->kind;
            counts[allow][e->kind] += e->count ? e->count : 1;
        }
    }
    rl_buf b = {0};
    if (unsupported)
        rl_buf_puts(&b, "unsupported");
    for (int i = 0; i < norder; i++) {
        int allow = order[i] / RL_KIND_COUNT, kind = order[i] % RL_KIND_COUNT;
        rl_buf_printf(&b, "%s%s%s", b.len ? ", " : "", allow ? "(maybe " : "",
                      rl_kind_name((rl_kind)kind));
        if (counts[allow][kind] > 1 && !allow)
            rl_buf_printf(&b, " x%d", counts[allow][kind]);
        if (allow)
            rl_buf_puts(&b, ")");
    }
    if (!b.len && !ending)
        rl_buf_puts(&b, "nothing");
    if (ending)
        rl_buf_printf(&b, "%s%s", b.len ? ", " : "", ending);
    return rl_buf_steal(&b);
}

/* What a case expects of one tool: the generic set, then each scoped one. */
static void tool_cell(rl_buf *cell, const rl_case *c, rl_tool_id t)
{
    for (int rank = 0; rank <= 2; rank++) {
        for (size_t s = 0; s < c->nsets; s++) {
            if (c->sets[s].tool != t || c->sets[s].scope.rank != rank)
                continue;
            char *d = rl_render_set(c, (long)s);
            if (rank == 0)
                rl_buf_puts(cell, d);
            else
                rl_buf_printf(cell, "%s%s: %s", cell->len ? "; " : "", c->sets[s].scope.text, d);
            free(d);
        }
    }
}

char *rl_render_cases_table(rl_case *const *cases, size_t n)
{
    rl_buf b = {0};
    rl_buf_puts(&b, "| case | what it shows |");
    for (size_t t = 0; t < rl_tool_count(); t++)
        rl_buf_printf(&b, " %s |", rl_tool_name((rl_tool_id)t));
    rl_buf_puts(&b, "\n|---|---|");
    for (size_t t = 0; t < rl_tool_count(); t++)
        rl_buf_puts(&b, "---|");
    rl_buf_puts(&b, "\n");
    for (size_t i = 0; i < n; i++) {
        const rl_case *c = cases[i];
        rl_buf_printf_escaped(&b, "| %s | %s |", c->name, c->summary);
        for (size_t t = 0; t < rl_tool_count(); t++) {
            rl_buf cell = {0};
            tool_cell(&cell, c, (rl_tool_id)t);
            rl_buf_printf(&b, " %s |", cell.len ? cell.data : "-");
            rl_buf_free(&cell);
        }
        rl_buf_puts(&b, "\n");
    }
    return rl_buf_steal(&b);
}

/* One cell of words: "`a` and `b`", or "" for none. */
static void words_cell(rl_buf *b, const rl_kind_rule *r)
{
    if (r->word)
        rl_buf_printf(b, "`%s`", r->word);
    if (r->also)
        rl_buf_printf(b, " and `%s`", r->also);
}

static void options_rows(rl_buf *b, const char *tool, const rl_option_rule *rules)
{
    for (const rl_option_rule *r = rules; r && r->name; r++) {
        rl_buf_printf(b, "| %s | `%s` | ", tool, r->name);
        if (r->why)
            rl_buf_printf(b, "refused: %s |\n", r->why);
        else if (!r->values)
            rl_buf_puts(b, "any value |\n");
        else if (strcmp(r->values, "int") == 0)
            rl_buf_puts(b, "a whole number |\n");
        else {
            rl_buf_puts(b, "only ");
            for (const char *p = r->values; *p;) {
                size_t n = strcspn(p, "|");
                rl_buf_printf(b, "%s`%.*s`", p == r->values ? "" : ", ", (int)n, p);
                p += n + (p[n] == '|');
            }
            rl_buf_puts(b, " |\n");
        }
    }
}

char *rl_render_options(void)
{
    rl_buf b = {0};
    rl_buf_puts(&b, "| tool | option | value |\n|---|---|---|\n");
    const rl_option_rule *shared = NULL;
    rl_buf sharers = {0};
    for (size_t t = 0; t < rl_tool_count(); t++) {
        const rl_adapter *a = rl_adapter_for((rl_tool_id)t);
        if (!a->options) {
            rl_buf_printf(&b, "| %s | (none: it takes no options) | |\n", a->name);
            continue;
        }
        options_rows(&b, a->name, a->options);
        if (a->shared_options) {
            shared = a->shared_options;
            rl_buf_printf(&sharers, "%s%s", sharers.len ? ", " : "", a->name);
        }
    }
    if (shared)
        options_rows(&b, sharers.data, shared);
    rl_buf_free(&sharers);
    /* What racelab gives after the case's options, where the tool's own
     * default would forget accesses. */
    for (size_t t = 0; t < rl_tool_count(); t++) {
        const rl_adapter *a = rl_adapter_for((rl_tool_id)t);
        for (size_t i = 0; a->forced_options && a->forced_options[i]; i++)
            rl_buf_printf(&b, "%s`%s`", i ? ", " : "\nracelab always gives ",
                          a->forced_options[i]);
        if (a->forced_options && a->forced_options[0])
            rl_buf_printf(&b, " to %s, after the case's options.\n", a->name);
    }
    return rl_buf_steal(&b);
}

char *rl_render_kinds(void)
{
    rl_buf b = {0};
    rl_buf_puts(&b, "| kind | meaning |\n|---|---|\n");
    for (int k = 0; k < RL_KIND_COUNT; k++)
        if (k != RL_KIND_UNKNOWN && !rl_kind_is_ending((rl_kind)k))
            rl_buf_printf(&b, "| `%s` | %s |\n", rl_kind_name((rl_kind)k),
                          rl_kind_meaning((rl_kind)k));
    rl_buf_puts(&b, "\nEndings say how the program ended, under any tool:\n\n"
                    "| ending | meaning |\n|---|---|\n");
    static const char *const forms[] = {"exit N", "signal NAME", "hang"};
    static const rl_kind endings[] = {RL_KIND_EXIT, RL_KIND_SIGNAL, RL_KIND_HANG};
    for (size_t i = 0; i < 3; i++)
        rl_buf_printf(&b, "| `%s` | %s |\n", forms[i], rl_kind_meaning(endings[i]));
    rl_buf_printf(&b, "\n`unknown` is %s.\n", rl_kind_meaning(RL_KIND_UNKNOWN));
    for (size_t t = 0; t < rl_tool_count(); t++) {
        const rl_adapter *a = rl_adapter_for((rl_tool_id)t);
        rl_buf_printf(&b, "\n### %s\n\n", a->name);
        if (!a->kinds) {
            rl_buf_puts(&b, "It reports nothing: its lines say how the program ended.\n");
            continue;
        }
        rl_buf_printf(&b, "%s The first row that fits wins.\n\n", a->kinds_doc);
        rl_buf_puts(&b, "| name | text contains | kind | note |\n|---|---|---|---|\n");
        for (const rl_kind_rule *r = a->kinds; r->name; r++) {
            rl_buf_printf(&b, "| `%s`%s | ", r->name, r->prefix ? "..." : "");
            words_cell(&b, r);
            rl_buf_printf(&b, " | `%s` | %s |\n", rl_kind_name(r->kind), r->note ? r->note : "");
        }
    }
    return rl_buf_steal(&b);
}

const char *rl_tool_blind_spot(rl_tool_id tool, rl_kind kind)
{
    const rl_adapter *a = rl_adapter_for(tool);
    for (const rl_blind_spot *s = a->blind; s && s->why; s++)
        if (s->kind == kind)
            return s->why;
    return NULL;
}

char *rl_render_coverage(rl_case *const *cases, size_t n)
{
    rl_buf b = {0};
    rl_buf_puts(&b, "| kind |");
    for (size_t t = 0; t < rl_tool_count(); t++)
        if (rl_adapter_for((rl_tool_id)t)->kinds)
            rl_buf_printf(&b, " %s |", rl_tool_name((rl_tool_id)t));
    rl_buf_puts(&b, "\n|---|");
    for (size_t t = 0; t < rl_tool_count(); t++)
        if (rl_adapter_for((rl_tool_id)t)->kinds)
            rl_buf_puts(&b, "---|");
    rl_buf_puts(&b, "\n");
    for (int k = 0; k < RL_KIND_COUNT; k++) {
        if (k == RL_KIND_UNKNOWN || k == RL_KIND_CLEAN || rl_kind_is_ending((rl_kind)k))
            continue;
        rl_buf_printf(&b, "| `%s` |", rl_kind_name((rl_kind)k));
        for (size_t t = 0; t < rl_tool_count(); t++) {
            if (!rl_adapter_for((rl_tool_id)t)->kinds)
                continue;
            size_t count = 0;
            rl_buf names = {0};
            for (size_t i = 0; i < n; i++) {
                const rl_case *c = cases[i];
                int expects = 0;
                for (size_t e = 0; e < c->nexpects && !expects; e++)
                    expects = c->expects[e].tool == (rl_tool_id)t &&
                              c->expects[e].type == RL_LINE_EXPECT && c->expects[e].kind == (rl_kind)k;
                if (!expects)
                    continue;
                if (count < 3)
                    rl_buf_printf(&names, "%s%s", count ? ", " : "", c->name);
                count++;
            }
            const char *why = rl_tool_blind_spot((rl_tool_id)t, (rl_kind)k);
            if (count)
                rl_buf_printf(&b, " %zu: %s%s%s |", count, names.data, count > 3 ? ", ..." : "",
                              why ? " (**but listed as never reported**)" : "");
            else
                rl_buf_printf(&b, " %s |", why ? why : "**no case**");
            rl_buf_free(&names);
        }
        rl_buf_puts(&b, "\n");
    }
    return rl_buf_steal(&b);
}

/* A case's anchor in docs/catalogue.md: its name (names are [A-Za-z0-9_-]). */
char *rl_render_catalogue(rl_case *const *cases, size_t n)
{
    rl_buf b = {0};
    rl_buf_puts(&b, "| bug | its fix | what is wrong |\n|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        const rl_case *c = cases[i];
        if (!c->bug_known || !c->nbugs)
            continue;
        rl_buf_printf_escaped(&b, "| [%s](#%s) | ", c->name, c->name);
        if (c->twin)
            rl_buf_printf_escaped(&b, "[%s](#%s)", c->twin, c->twin);
        rl_buf_puts(&b, " |");
        for (size_t k = 0; k < c->nbugs; k++)
            rl_buf_printf(&b, "%s`%s`", k ? ", " : " ", rl_kind_name(c->bugs[k]));
        rl_buf_puts(&b, " |\n");
    }
    for (size_t i = 0; i < n; i++) {
        const rl_case *c = cases[i];
        rl_buf_printf_escaped(&b, "\n## %s\n\n", c->name);
        rl_buf_puts(&b, "**Bug:** ");
        if (!c->bug_known)
            rl_buf_puts(&b, "not said");
        else if (!c->nbugs)
            rl_buf_puts(&b, "none (a correct program)");
        for (size_t k = 0; k < c->nbugs; k++)
            rl_buf_printf(&b, "%s`%s`", k ? ", " : "", rl_kind_name(c->bugs[k]));
        if (c->twin)
            rl_buf_printf_escaped(&b, ". **Twin:** [%s](#%s)", c->twin, c->twin);
        rl_buf_printf_escaped(&b, ". **File:** [cases/%s.c](../cases/%s.c)\n\n", c->name, c->name);
        rl_buf_puts(&b, "| tool | expected |\n|---|---|\n");
        for (size_t t = 0; t < rl_tool_count(); t++) {
            rl_buf cell = {0};
            tool_cell(&cell, c, (rl_tool_id)t);
            if (cell.len)
                rl_buf_printf(&b, "| %s | %s |\n", rl_tool_name((rl_tool_id)t), cell.data);
            rl_buf_free(&cell);
        }
        char *lesson = rl_case_lesson(c);
        if (*lesson)
            rl_buf_printf(&b, "\n```text\n%s```\n", lesson);
        free(lesson);
    }
    return rl_buf_steal(&b);
}
