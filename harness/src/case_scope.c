/* case_scope.c: toolchain scopes: which toolchains a line or an options
 * line applies to, and which of a case's sets applies to a toolchain. */
#define _GNU_SOURCE
#include "case_parse.h"
#include "toolchain.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_versions(const int a[3], const int b[3])
{
    for (int i = 0; i < 3; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static void canonical_scope(rl_scope *s)
{
    char lo[40] = "", hi[40] = "";
    if (s->has_lo)
        snprintf(lo, sizeof lo, ">=%d.%d.%d", s->lo[0], s->lo[1], s->lo[2]);
    if (s->has_hi)
        snprintf(hi, sizeof hi, "%s<%d.%d.%d", s->has_lo ? "," : "", s->hi[0], s->hi[1], s->hi[2]);
    snprintf(s->text, sizeof s->text, "%s%s%s", s->family, lo, hi);
}

/* "clang<15", "gcc", ">=3.20", "clang>=15,<17" (the text between the
 * parentheses). */
int rl_scope_parse(const rl_adapter *a, const char *s, size_t n, rl_scope *out, rl_diag *diag)
{
    memset(out, 0, sizeof *out);
    const char *const *families = rl_toolchain_families(a->role);
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t f = i;
    while (i < n && islower((unsigned char)s[i]))
        i++;
    if (i > f) {
        int known = 0;
        for (const char *const *fam = families; *fam && !known; fam++)
            known = strlen(*fam) == i - f && strncmp(*fam, s + f, i - f) == 0;
        if (!known) {
            rl_buf names = {0};
            for (const char *const *fam = families; *fam; fam++)
                rl_buf_printf(&names, "%s%s", fam == families ? "" : ", ", *fam);
            int rc = rl_diag_set(diag, NULL, 0, "unknown toolchain '%.*s' for %s (it runs with: %s)",
                          (int)(i - f), s + f, a->name, names.data);
            rl_buf_free(&names);
            return rc;
        }
        snprintf(out->family, sizeof out->family, "%.*s", (int)(i - f), s + f);
        out->rank = 1;
    }
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
            i++;
        if (i == n)
            break;
        char op[3] = "";
        size_t o = 0;
        while (i < n && o < 2 && (s[i] == '<' || s[i] == '>' || s[i] == '='))
            op[o++] = s[i++];
        int v[3] = {0, 0, 0}, parts = 0;
        while (parts < 3 && i < n && isdigit((unsigned char)s[i])) {
            long x = 0;
            while (i < n && isdigit((unsigned char)s[i]) && x < 100000)
                x = x * 10 + (s[i++] - '0');
            v[parts++] = (int)x;
            if (i < n && s[i] == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1]))
                i++;
            else
                break;
        }
        int valid_op = !strcmp(op, "<") || !strcmp(op, "<=") || !strcmp(op, ">") ||
                       !strcmp(op, ">=") || !strcmp(op, "=") || !strcmp(op, "==");
        if (!valid_op || parts == 0 || (i < n && s[i] != ',' && s[i] != ' '))
            return rl_diag_set(diag, NULL, 0,
                        "malformed toolchain scope '(%.*s)': write a family and versions, "
                        "e.g. (gcc), (clang<15), (clang>=15,<17), (>=3.20)",
                        (int)n, s);
        int next[3] = {v[0], v[1], v[2]}; /* the first version after all of v */
        next[parts - 1]++;
        for (int k = parts; k < 3; k++)
            next[k] = 0;
        int lo[3], hi[3], set_lo = 0, set_hi = 0;
        if (op[0] == '=' || !strcmp(op, ">="))
            memcpy(lo, v, sizeof lo), set_lo = 1;
        if (!strcmp(op, ">"))
            memcpy(lo, next, sizeof lo), set_lo = 1;
        if (op[0] == '=' || !strcmp(op, "<="))
            memcpy(hi, next, sizeof hi), set_hi = 1;
        if (!strcmp(op, "<"))
            memcpy(hi, v, sizeof hi), set_hi = 1;
        if (set_lo && (!out->has_lo || compare_versions(lo, out->lo) > 0))
            memcpy(out->lo, lo, sizeof lo), out->has_lo = 1;
        if (set_hi && (!out->has_hi || compare_versions(hi, out->hi) < 0))
            memcpy(out->hi, hi, sizeof hi), out->has_hi = 1;
        out->rank = 2;
    }
    if (out->rank == 0)
        return rl_diag_set(diag, NULL, 0, "empty toolchain scope '()': leave the parentheses out");
    if (out->rank == 2 && !out->family[0]) {
        if (!families[0] || families[1])
            return rl_diag_set(diag, NULL, 0,
                        "the scope '(%.*s)' names versions but not whose: write e.g. (%s%.*s)",
                        (int)n, s, families[0] ? families[0] : "", (int)n, s);
        snprintf(out->family, sizeof out->family, "%s", families[0]);
    }
    if (out->has_lo && out->has_hi && compare_versions(out->lo, out->hi) >= 0)
        return rl_diag_set(diag, NULL, 0, "the toolchain scope '(%.*s)' contains no version", (int)n, s);
    canonical_scope(out);
    return 0;
}

int rl_scope_applies(const rl_scope *s, const rl_toolchain *t)
{
    if (s->rank == 0)
        return 1;
    if (strcmp(s->family, t->family) != 0)
        return 0;
    if (s->rank == 1)
        return 1;
    if (!t->version[0])
        return 0;
    if (s->has_lo && compare_versions(t->numbers, s->lo) < 0)
        return 0;
    if (s->has_hi && compare_versions(t->numbers, s->hi) >= 0)
        return 0;
    return 1;
}

/* Two scopes of one tool and rank that can both apply to one toolchain. */
static int compare_rl_scoped(const void *x, const void *y)
{
    const rl_scoped *a = x, *b = y;
    if (a->tool != b->tool)
        return a->tool < b->tool ? -1 : 1;
    if (a->scope->rank != b->scope->rank)
        return a->scope->rank < b->scope->rank ? -1 : 1;
    int f = strcmp(a->scope->family, b->scope->family);
    if (f)
        return f;
    int zero[3] = {0, 0, 0};
    int c = compare_versions(a->scope->has_lo ? a->scope->lo : zero,
                             b->scope->has_lo ? b->scope->lo : zero);
    return c ? c : a->line < b->line ? -1 : 1;
}

/* Sorted by lower bound within a (tool, rank, family), two neighbours that
 * overlap are the only way two sets can apply equally. */
int rl_scopes_check_overlaps(rl_scoped *v, size_t n, const char *what, const char *path,
                             rl_diag *diag)
{
    if (n > 1)
        qsort(v, n, sizeof *v, compare_rl_scoped);
    for (size_t i = 0; i + 1 < n; i++) {
        const rl_scoped *a = &v[i], *b = &v[i + 1];
        if (a->tool != b->tool || a->scope->rank != 2 || b->scope->rank != 2 ||
            strcmp(a->scope->family, b->scope->family) != 0)
            continue;
        if (!a->scope->has_hi || !b->scope->has_lo ||
            compare_versions(b->scope->lo, a->scope->hi) < 0)
            return rl_diag_set(diag, path, b->line,
                        "%s for %s(%s) and %s(%s) (line %d) can both apply to one toolchain: "
                        "make the version ranges apart",
                        what, rl_tool_name(b->tool), b->scope->text, rl_tool_name(a->tool),
                        a->scope->text, a->line);
    }
    return 0;
}

int rl_case_declares(const rl_case *c, rl_tool_id tool)
{
    for (size_t i = 0; i < c->nsets; i++)
        if (c->sets[i].tool == tool)
            return 1;
    return 0;
}

long rl_case_select_set(const rl_case *c, rl_tool_id tool, const rl_toolchain *t)
{
    long best = -1;
    for (size_t i = 0; i < c->nsets; i++) {
        const rl_line_set *s = &c->sets[i];
        if (s->tool != tool || !rl_scope_applies(&s->scope, t))
            continue;
        if (best < 0 || s->scope.rank > c->sets[best].scope.rank)
            best = (long)i;
    }
    return best;
}

const rl_options *rl_case_select_options(const rl_case *c, rl_tool_id tool,
                                         const rl_toolchain *t)
{
    const rl_options *best = NULL;
    for (size_t i = 0; i < c->noptions; i++) {
        const rl_options *o = &c->options[i];
        if (o->tool == tool && rl_scope_applies(&o->scope, t) &&
            (!best || o->scope.rank > best->scope.rank))
            best = o;
    }
    return best;
}


static int compare_lo(const void *x, const void *y)
{
    const rl_scope *a = *(const rl_scope *const *)x, *b = *(const rl_scope *const *)y;
    int zero[3] = {0, 0, 0};
    return compare_versions(a->has_lo ? a->lo : zero, b->has_lo ? b->lo : zero);
}

/* Whether every version of family is held to an unsupported set: the
 * versioned sets of the family, where they apply, else the family's own. */
static int family_opted_out(const rl_case *c, const int *unsupported, rl_tool_id tool,
                            const char *family)
{
    const rl_scope **ranges = rl_xcalloc(c->nsets + 1, sizeof *ranges);
    size_t n = 0;
    int out = 1, family_set = -1;
    for (size_t s = 0; s < c->nsets; s++) {
        const rl_line_set *set = &c->sets[s];
        if (set->tool != tool || strcmp(set->scope.family, family) != 0)
            continue;
        if (set->scope.rank == 1)
            family_set = unsupported[s];
        else if (set->scope.rank == 2) {
            out &= unsupported[s];
            ranges[n++] = &set->scope;
        }
    }
    if (out) {
        /* The versions no range covers fall to the family's own set. */
        qsort(ranges, n, sizeof *ranges, compare_lo);
        int zero[3] = {0, 0, 0}, reach[3] = {0, 0, 0}, gap = 0, endless = 0;
        for (size_t i = 0; i < n && !endless; i++) {
            const int *lo = ranges[i]->has_lo ? ranges[i]->lo : zero;
            if (compare_versions(lo, reach) > 0)
                gap = 1;
            if (!ranges[i]->has_hi)
                endless = 1;
            else if (compare_versions(ranges[i]->hi, reach) > 0)
                memcpy(reach, ranges[i]->hi, sizeof reach);
        }
        if (gap || !endless)
            out = family_set == 1;
    }
    free(ranges);
    return out;
}

int rl_case_opted_out(const rl_case *c, const int *unsupported, rl_tool_id tool)
{
    const char *const *families = rl_toolchain_families(rl_adapter_for(tool)->role);
    int any = 0;
    for (size_t s = 0; s < c->nsets; s++)
        any |= c->sets[s].tool == tool && unsupported[s];
    if (!any)
        return 0;
    for (const char *const *f = families; *f; f++)
        if (!family_opted_out(c, unsupported, tool, *f))
            return 0;
    return 1;
}
