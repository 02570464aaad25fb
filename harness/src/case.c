/* case.c: read a case file: its expectations, markers and settings.
 *
 * Directives are "//" comment lines. A lowercase "word:" (or "word word:")
 * after "//" is always taken as a directive, and an unknown one is an error:
 * a misspelt expectation must never be skipped silently, or a check could
 * pass without checking anything. For the same reason a line that reads as a
 * directive once look-alike and invisible characters are taken for what they
 * look like is an error too. docs/case-format.md is the contract.
 *
 * Parsing is linear in the size of the file: markers and sets are found
 * through hash maps, never by scanning what came before. */
#define _GNU_SOURCE
#include "adapter.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest case file racelab reads: a case is a small program. */
#define CASE_SIZE_LIMIT ((size_t)4 << 20)

typedef struct parser {
    const char *path;
    rl_case *c;
    rl_diag *diag;
    int line;
    size_t expects_cap, sets_cap, markers_cap, options_cap;
    rl_map markers; /* name -> index into c->markers */
    rl_map sets;    /* "tool|scope" -> index into c->sets */
    rl_map optsets; /* "tool|scope" -> index into c->options */
} parser;

static int fail(parser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(parser *p, int line, const char *fmt, ...)
{
    if (p->diag) {
        snprintf(p->diag->file, sizeof p->diag->file, "%s", p->path);
        p->diag->line = line;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->diag->message, sizeof p->diag->message, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int is_word_char(char ch)
{
    return islower((unsigned char)ch) || isdigit((unsigned char)ch) || ch == '-';
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static int valid_marker_name(const char *s, size_t n)
{
    if (n == 0 || !(isalpha((unsigned char)*s) || *s == '_'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
            return 0;
    return 1;
}

/* ---- Scopes ------------------------------------------------------------- */

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
static int parse_scope(parser *p, rl_tool_id tool, const char *s, size_t n, rl_scope *out)
{
    memset(out, 0, sizeof *out);
    const rl_adapter *a = rl_adapter_for(tool);
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t f = i;
    while (i < n && islower((unsigned char)s[i]))
        i++;
    if (i > f) {
        int known = 0;
        for (const char *const *fam = a->families; *fam && !known; fam++)
            known = strlen(*fam) == i - f && strncmp(*fam, s + f, i - f) == 0;
        if (!known) {
            rl_buf names = {0};
            for (const char *const *fam = a->families; *fam; fam++)
                rl_buf_printf(&names, "%s%s", fam == a->families ? "" : ", ", *fam);
            int rc = fail(p, p->line, "unknown toolchain '%.*s' for %s (it runs with: %s)",
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
            return fail(p, p->line,
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
        return fail(p, p->line, "empty toolchain scope '()': leave the parentheses out");
    if (out->rank == 2 && !out->family[0]) {
        if (!a->families[0] || a->families[1])
            return fail(p, p->line,
                        "the scope '(%.*s)' names versions but not whose: write e.g. (%s%.*s)",
                        (int)n, s, a->families[0] ? a->families[0] : "", (int)n, s);
        snprintf(out->family, sizeof out->family, "%s", a->families[0]);
    }
    if (out->has_lo && out->has_hi && compare_versions(out->lo, out->hi) >= 0)
        return fail(p, p->line, "the toolchain scope '(%.*s)' contains no version", (int)n, s);
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

/* ---- Sets --------------------------------------------------------------- */

static size_t set_for(parser *p, rl_tool_id tool, const rl_scope *scope)
{
    char key[160];
    snprintf(key, sizeof key, "%d|%s", tool, scope->text);
    size_t i;
    if (rl_map_get(&p->sets, key, &i) == 0)
        return i;
    rl_case *c = p->c;
    c->sets = rl_xgrow(c->sets, &p->sets_cap, c->nsets + 1, sizeof *c->sets);
    i = c->nsets++;
    c->sets[i] = (rl_line_set){.tool = tool, .scope = *scope, .line = p->line};
    rl_map_put(&p->sets, key, i);
    return i;
}

/* Two scopes of one tool and rank that can both apply to one toolchain. */
typedef struct scoped {
    rl_tool_id tool;
    const rl_scope *scope;
    int line;
} scoped;

static int compare_scoped(const void *x, const void *y)
{
    const scoped *a = x, *b = y;
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
static int check_overlaps(parser *p, scoped *v, size_t n, const char *what)
{
    if (n > 1)
        qsort(v, n, sizeof *v, compare_scoped);
    for (size_t i = 0; i + 1 < n; i++) {
        const scoped *a = &v[i], *b = &v[i + 1];
        if (a->tool != b->tool || a->scope->rank != 2 || b->scope->rank != 2 ||
            strcmp(a->scope->family, b->scope->family) != 0)
            continue;
        if (!a->scope->has_hi || !b->scope->has_lo ||
            compare_versions(b->scope->lo, a->scope->hi) < 0)
            return fail(p, b->line,
                        "%s for %s(%s) and %s(%s) (line %d) can both apply to one toolchain: "
                        "make the version ranges apart",
                        what, rl_tool_name(b->tool), b->scope->text, rl_tool_name(a->tool),
                        a->scope->text, a->line);
    }
    return 0;
}

/* ---- Lines -------------------------------------------------------------- */

static rl_expect *add_expect(parser *p)
{
    rl_case *c = p->c;
    c->expects = rl_xgrow(c->expects, &p->expects_cap, c->nexpects + 1, sizeof *c->expects);
    rl_expect *e = &c->expects[c->nexpects++];
    memset(e, 0, sizeof *e);
    e->line = p->line;
    return e;
}

static int parse_markers(parser *p, rl_expect *e, rl_strv *words, size_t from, const char *kind)
{
    for (size_t i = from; i < words->n; i++) {
        const char *w = words->v[i];
        int access = strncmp(w, "@access:", 8) == 0;
        const char *name = w + (access ? 8 : 1);
        if (w[0] != '@' || !valid_marker_name(name, strlen(name)))
            return fail(p, p->line,
                        "unexpected '%s' after the kind: only xN and @MARKER names may follow", w);
        if (rl_kind_is_ending(e->kind) || e->kind == RL_KIND_CLEAN)
            return fail(p, p->line, "'%s' has no stack for a marker to point into", kind);
        e->markers = rl_xrealloc(e->markers, (e->nmarkers + 1) * sizeof *e->markers);
        e->markers[e->nmarkers++] = (rl_marker_ref){.name = rl_xstrdup(name), .access = access};
    }
    return 0;
}

/* After "expect TOOL[(SCOPE)]:" or "allow ...:": KIND [N|NAME] [xN] [@M...]. */
static int parse_body(parser *p, rl_expect *e, const char *body)
{
    rl_strv words = {0};
    rl_strv_split(&words, body);
    int rc = -1;
    const char *tool = rl_tool_name(e->tool);
    int native = strcmp(tool, "native") == 0;
    size_t next = 1;
    if (words.n == 0) {
        fail(p, p->line, "the line for %s names no kind", tool);
        goto out;
    }
    const char *k = words.v[0];
    if (rl_kind_from_name(k, strlen(k), &e->kind) < 0) {
        fail(p, p->line, "unknown kind '%s' (see docs/kinds.md)", k);
        goto out;
    }
    if (native && !rl_kind_is_ending(e->kind)) {
        fail(p, p->line, "native expects an ending: 'exit N', 'signal NAME' or 'hang', not '%s'", k);
        goto out;
    }
    if (e->type == RL_LINE_ALLOW && (rl_kind_is_ending(e->kind) || e->kind == RL_KIND_CLEAN)) {
        fail(p, p->line, "'allow' takes a report kind, not '%s'", k);
        goto out;
    }
    if (e->kind == RL_KIND_EXIT) {
        char *end;
        long code = words.n > 1 ? strtol(words.v[1], &end, 10) : -1;
        if (words.n < 2 || *end || code < 0 || code > 255) {
            fail(p, p->line, "'exit' needs an exit status from 0 to 255");
            goto out;
        }
        e->code = (int)code;
        next = 2;
    } else if (e->kind == RL_KIND_SIGNAL) {
        int sig = words.n > 1 ? rl_signal_from_name(words.v[1], strlen(words.v[1])) : -1;
        if (sig < 0) {
            fail(p, p->line, "'signal' needs a signal name such as SIGABRT or SIGSEGV");
            goto out;
        }
        e->code = sig;
        next = 2;
    }
    e->count = e->type == RL_LINE_ALLOW ? 0 : 1;
    if (next < words.n && words.v[next][0] == 'x' && isdigit((unsigned char)words.v[next][1])) {
        char *end;
        errno = 0;
        long n = strtol(words.v[next] + 1, &end, 10);
        if (*end || errno || n < 1 || n > 100000) {
            fail(p, p->line, "a count is x1 to x100000, not '%s'", words.v[next]);
            goto out;
        }
        if (rl_kind_is_ending(e->kind) || e->kind == RL_KIND_CLEAN) {
            fail(p, p->line, "'%s' cannot be counted", k);
            goto out;
        }
        e->count = (int)n;
        next++;
    }
    rc = parse_markers(p, e, &words, next, k);
out:
    rl_strv_clear(&words);
    return rc;
}

static const char *const tool_directives[] = {"expect", "allow", "unsupported", "options"};

/* "DIRECTIVE TOOL[(SCOPE)]: rest" with s after the directive word. */
static int parse_tool_directive(parser *p, const char *directive, const char *s)
{
    const char *usage = strcmp(directive, "options") == 0 ? "'// options TOOL: OPTION...'"
                        : strcmp(directive, "unsupported") == 0
                            ? "'// unsupported TOOL(SCOPE): REASON'"
                            : "'// expect TOOL: KIND [@MARKER ...]'";
    if (*s != ' ' && *s != '\t')
        return fail(p, p->line, "malformed %s line: write %s", directive, usage);
    s = skip_spaces(s);
    const char *t = s;
    while (is_word_char(*t))
        t++;
    rl_tool_id tool;
    if (t == s || (*t != ':' && *t != '('))
        return fail(p, p->line, "malformed %s line: write %s", directive, usage);
    if (rl_tool_from_name(s, (size_t)(t - s), &tool) < 0)
        return fail(p, p->line, "unknown tool '%.*s' (tools: %s)", (int)(t - s), s,
                    rl_tool_names());
    rl_scope scope = {0};
    if (*t == '(') {
        const char *close = strchr(t, ')');
        if (!close || close[1] != ':')
            return fail(p, p->line, "malformed %s line: a scope is '%s(SCOPE):'", directive,
                        rl_tool_name(tool));
        if (close - t - 1 >= 60)
            return fail(p, p->line, "the toolchain scope is too long");
        if (parse_scope(p, tool, t + 1, (size_t)(close - t - 1), &scope) < 0)
            return -1;
        t = close + 1;
    }
    const char *rest = t + 1;

    if (strcmp(directive, "options") == 0) {
        rl_case *c = p->c;
        char key[160];
        snprintf(key, sizeof key, "%d|%s", tool, scope.text);
        size_t i;
        if (rl_map_get(&p->optsets, key, &i) < 0) {
            c->options = rl_xgrow(c->options, &p->options_cap, c->noptions + 1,
                                  sizeof *c->options);
            i = c->noptions++;
            c->options[i] = (rl_options){.tool = tool, .scope = scope, .line = p->line};
            rl_map_put(&p->optsets, key, i);
        }
        rl_strv words = {0};
        rl_strv_split(&words, rest);
        if (words.n == 0) {
            rl_strv_clear(&words);
            return fail(p, p->line, "an options line names no option");
        }
        const rl_adapter *a = rl_adapter_for(tool);
        rl_buf why = {0};
        if (!a->check_options) {
            rl_buf_printf(&why, "%s takes no options", a->name);
        } else if (a->check_options(words.v, words.n, &why) == 0) {
            rl_options *o = &c->options[i];
            o->words = rl_xrealloc(o->words, (o->nwords + words.n + 1) * sizeof *o->words);
            for (size_t w = 0; w < words.n; w++)
                o->words[o->nwords++] = rl_xstrdup(words.v[w]);
            o->words[o->nwords] = NULL;
        }
        rl_strv_clear(&words);
        int rc = why.len ? fail(p, p->line, "%s", why.data) : 0;
        rl_buf_free(&why);
        return rc;
    }

    rl_expect *e = add_expect(p);
    e->tool = tool;
    e->set = set_for(p, tool, &scope);
    if (strcmp(directive, "unsupported") == 0) {
        e->type = RL_LINE_UNSUPPORTED;
        if (scope.rank == 0)
            return fail(p, p->line,
                        "'unsupported' names the toolchains that cannot run the case: write "
                        "'// unsupported %s(SCOPE): REASON' (a case cannot opt out of a tool)",
                        rl_tool_name(tool));
        rest = skip_spaces(rest);
        size_t n = strlen(rest);
        while (n > 0 && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
            n--;
        if (n == 0)
            return fail(p, p->line, "say why the toolchain cannot run the case: %s", usage);
        e->reason = rl_xstrndup(rest, n);
        return 0;
    }
    e->type = strcmp(directive, "allow") == 0 ? RL_LINE_ALLOW : RL_LINE_EXPECT;
    return parse_body(p, e, rest);
}

static int parse_words_key(parser *p, char ***list, size_t *count, const char *value, int flags)
{
    rl_strv words = {0};
    rl_strv_split(&words, value);
    for (size_t i = 0; flags && i < words.n; i++) {
        rl_buf why = {0};
        if (rl_check_cflag(words.v[i], &why) < 0) {
            int rc = fail(p, p->line, "%s", why.data);
            rl_buf_free(&why);
            rl_strv_clear(&words);
            return rc;
        }
    }
    *list = rl_xrealloc(*list, (*count + words.n + 1) * sizeof **list);
    for (size_t i = 0; i < words.n; i++)
        (*list)[(*count)++] = rl_xstrdup(words.v[i]);
    (*list)[*count] = NULL;
    rl_strv_clear(&words);
    return 0;
}

static int parse_key(parser *p, const char *key, size_t keylen, const char *value)
{
    value = skip_spaces(value);
    if (keylen == 6 && memcmp(key, "cflags", 6) == 0)
        return parse_words_key(p, &p->c->cflags, &p->c->ncflags, value, 1);
    if (keylen == 4 && memcmp(key, "args", 4) == 0)
        return parse_words_key(p, &p->c->args, &p->c->nargs, value, 0);
    if (keylen == 7 && memcmp(key, "timeout", 7) == 0) {
        /* Plain decimals only: "1e-9" or "0x1p-30" would read as numbers. */
        size_t n = strlen(value);
        while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
            n--;
        int dots = 0, digits = 0, plain = n > 0;
        for (size_t i = 0; i < n; i++) {
            dots += value[i] == '.';
            digits += isdigit((unsigned char)value[i]) != 0;
            plain &= isdigit((unsigned char)value[i]) || value[i] == '.';
        }
        double t = plain && dots <= 1 && digits ? strtod(value, NULL) : 0;
        if (!(t >= 0.1 && t <= 3600))
            return fail(p, p->line, "timeout must be a plain number of seconds from 0.1 to 3600");
        p->c->timeout = t;
        return 0;
    }
    if (keylen == 4 && memcmp(key, "note", 4) == 0)
        return 0; /* free text for readers */
    if (keylen == 4 && memcmp(key, "twin", 4) == 0) {
        size_t n = strlen(value);
        while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
            n--;
        int ok = n > 0;
        for (size_t i = 0; i < n && ok; i++)
            ok = isalnum((unsigned char)value[i]) || value[i] == '_' || value[i] == '-';
        if (!ok)
            return fail(p, p->line, "'twin:' names one case, the file name without .c");
        if (p->c->twin)
            return fail(p, p->line, "the case already names its twin");
        p->c->twin = rl_xstrndup(value, n);
        return 0;
    }
    for (size_t i = 0; i < sizeof tool_directives / sizeof *tool_directives; i++)
        if (strlen(tool_directives[i]) == keylen && memcmp(key, tool_directives[i], keylen) == 0)
            return fail(p, p->line, "malformed %s line: it names no tool ('// %s TOOL: ...')",
                        tool_directives[i], tool_directives[i]);
    return fail(p, p->line,
                "unknown directive '%.*s' (known: expect, allow, unsupported, options, cflags, "
                "args, timeout, twin, note)",
                (int)keylen, key);
}

/* A "//" line: a directive or prose. s is what follows "//". */
static int parse_comment_line(parser *p, const char *s)
{
    s = skip_spaces(s);
    if (!islower((unsigned char)*s))
        return 0;
    const char *e = s;
    while (is_word_char(*e))
        e++;
    size_t wlen = (size_t)(e - s);
    for (size_t i = 0; i < sizeof tool_directives / sizeof *tool_directives; i++) {
        if (strlen(tool_directives[i]) == wlen && memcmp(s, tool_directives[i], wlen) == 0 &&
            *e != ':')
            return parse_tool_directive(p, tool_directives[i], e);
    }
    if (*e == ':') {
        if (e[1] == '/' && e[2] == '/')
            return 0; /* a URL, "https://...": prose */
        return parse_key(p, s, wlen, e + 1);
    }
    /* "word word:" in lowercase is a directive too: a misspelt one. */
    if (*e == ' ' && islower((unsigned char)e[1])) {
        const char *f = e + 1;
        while (is_word_char(*f) || *f == '(' || *f == ')' || *f == '<' || *f == '>' ||
               *f == '=' || *f == '.' || *f == ',')
            f++;
        if (*f == ':' && !(f[1] == '/' && f[2] == '/'))
            return fail(p, p->line,
                        "unknown directive '%.*s' (known: expect, allow, unsupported, options, "
                        "cflags, args, timeout, note)",
                        (int)(f - s), s);
    }
    return 0;
}

/* "expect TOOL:" anywhere on a line, in any case and with any ending on
 * "expect": an expectation written so that racelab would not read it, say
 * "// Expect ...", "/// expect ..." or inside a block comment. */
static int looks_like_expect(const char *line)
{
    for (const char *s = line; (s = strcasestr(s, "expect")); s++) {
        const char *t = s + 6;
        while (isalpha((unsigned char)*t))
            t++;
        if (*t != ' ' && *t != '\t')
            continue;
        t = skip_spaces(t);
        for (size_t id = 0; id < rl_tool_count(); id++) {
            const char *name = rl_tool_name((rl_tool_id)id);
            size_t n = strlen(name);
            if (strncasecmp(t, name, n) == 0 && (*skip_spaces(t + n) == ':' || t[n] == '('))
                return 1;
        }
    }
    return 0;
}

static int is_directive_line(const char *s)
{
    s = skip_spaces(s);
    if (strncmp(s, "//", 2) != 0)
        return 0;
    s = skip_spaces(s + 2);
    const char *e = s;
    while (is_word_char(*e))
        e++;
    size_t n = (size_t)(e - s);
    static const char *const words[] = {"expect", "allow", "unsupported", "options",
                                        "cflags", "args",  "timeout",     "note", "twin"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i]) == n && strncmp(s, words[i], n) == 0)
            return 1;
    return 0;
}

static int is_tool_directive_line(const char *s)
{
    s = skip_spaces(s);
    if (strncmp(s, "//", 2) != 0)
        return 0;
    s = skip_spaces(s + 2);
    for (size_t i = 0; i < sizeof tool_directives / sizeof *tool_directives; i++) {
        size_t n = strlen(tool_directives[i]);
        if (strncmp(s, tool_directives[i], n) == 0 && (s[n] == ' ' || s[n] == '\t'))
            return 1;
    }
    return 0;
}

/* ---- Look-alikes -------------------------------------------------------- */

/* What a non-ASCII character looks like, when it looks like ASCII: 0 for an
 * invisible one, the ASCII character, or -1 for neither. */
static int look_alike(uint32_t c)
{
    static const struct {
        uint32_t from;
        char to;
    } map[] = {
        /* Cyrillic */
        {0x0430, 'a'}, {0x0435, 'e'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'}, {0x0443, 'y'},
        {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x0501, 'd'}, {0x04BB, 'h'},
        {0x051B, 'q'}, {0x051D, 'w'}, {0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'}, {0x041A, 'K'},
        {0x041C, 'M'}, {0x041D, 'H'}, {0x041E, 'O'}, {0x0420, 'P'}, {0x0421, 'C'}, {0x0422, 'T'},
        {0x0425, 'X'}, {0x0405, 'S'}, {0x0406, 'I'}, {0x0408, 'J'},
        /* Greek */
        {0x03B1, 'a'}, {0x03BF, 'o'}, {0x03BD, 'v'}, {0x03C1, 'p'}, {0x03B9, 'i'}, {0x03BA, 'k'},
        {0x03C4, 't'}, {0x03B5, 'e'}, {0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'}, {0x0397, 'H'},
        {0x0399, 'I'}, {0x039A, 'K'}, {0x039C, 'M'}, {0x039D, 'N'}, {0x039F, 'O'}, {0x03A1, 'P'},
        {0x03A4, 'T'}, {0x03A7, 'X'}, {0x03A5, 'Y'}, {0x0396, 'Z'},
        /* Latin look-alikes */
        {0x0261, 'g'}, {0x0131, 'i'}, {0x0251, 'a'}, {0x1D00, 'a'}, {0x217C, 'l'}, {0x2170, 'i'},
        /* punctuation */
        {0x2236, ':'}, {0xA789, ':'}, {0x02D0, ':'}, {0x0589, ':'}, {0x05C3, ':'}, {0xFE55, ':'},
        {0xFE13, ':'}, {0x2010, '-'}, {0x2011, '-'}, {0x2012, '-'}, {0x2013, '-'}, {0x2212, '-'},
        {0xFE6B, '@'}, {0x2044, '/'}, {0x2215, '/'}, {0x29F8, '/'},
        /* spaces */
        {0x00A0, ' '}, {0x1680, ' '}, {0x202F, ' '}, {0x205F, ' '}, {0x3000, ' '},
    };
    if ((c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF ||
        c == 0x00AD || c == 0x034F || c == 0x180E || c == 0x061C || (c >= 0x202A && c <= 0x202E) ||
        (c >= 0x2066 && c <= 0x2069))
        return 0;
    if (c >= 0x2000 && c <= 0x200A)
        return ' ';
    if (c >= 0xFF01 && c <= 0xFF5E) /* full-width forms */
        return (int)(c - 0xFF01 + 0x21);
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (map[i].from == c)
            return map[i].to;
    return -1;
}

/* A line with look-alike or invisible characters that reads as a directive
 * once they are taken for what they look like is refused, naming the first. */
static int check_look_alikes(parser *p, const char *line)
{
    int non_ascii = 0;
    for (const unsigned char *s = (const unsigned char *)line; *s && !non_ascii; s++)
        non_ascii = *s >= 0x80;
    if (!non_ascii)
        return 0;
    rl_buf skeleton = {0};
    uint32_t first = 0;
    for (const unsigned char *s = (const unsigned char *)line; *s;) {
        size_t n = rl_utf8_sequence(s);
        if (n <= 1) {
            rl_buf_add(&skeleton, (const char *)s, 1);
            s++;
            continue;
        }
        uint32_t c = rl_utf8_decode(s, n);
        int to = look_alike(c);
        if (to >= 0 && !first)
            first = c;
        if (to > 0) {
            char ch = (char)to;
            rl_buf_add(&skeleton, &ch, 1);
        } else if (to < 0)
            rl_buf_add(&skeleton, (const char *)s, n);
        s += n;
    }
    int rc = 0;
    const char *sk = skeleton.data ? skeleton.data : "";
    if (first && strcmp(sk, line) != 0 && (is_directive_line(sk) || looks_like_expect(sk)))
        rc = fail(p, p->line,
                  "U+%04X looks like plain text here, and makes this line a directive racelab "
                  "would not read as written: write directives in ASCII",
                  (unsigned)first);
    rl_buf_free(&skeleton);
    return rc;
}

/* ---- What a case's code may not say ------------------------------------- */

/* Names a program can use to switch a tool's checking off from inside (the
 * runtime's hooks and options, sanitizer attributes, annotations and client
 * requests that tell a tool to look away). Refused wherever they appear in
 * code, strings included (_Pragma takes a string); comments may name them. */
static const char *const forbidden_in_code[] = {
    "no_sanitize", "disable_sanitizer_instrumentation", "__tsan_", "__sanitizer_",
    "_ZN6__tsan", "_ZN11__sanitizer", "Annotate", "ANNOTATE_", "VALGRIND_", "DRD_",
    "valgrind/", NULL,
};

/* Check the code of one line (comments removed, *in_comment carried from
 * line to line). */
static int check_code(parser *p, const char *line, int *in_comment)
{
    rl_buf code = {0};
    char quote = 0;
    for (const char *c = line; *c; c++) {
        if (*in_comment) {
            if (c[0] == '*' && c[1] == '/') {
                *in_comment = 0;
                c++;
            }
            continue;
        }
        if (quote) {
            rl_buf_add(&code, c, 1);
            if (*c == '\\' && c[1])
                rl_buf_add(&code, ++c, 1);
            else if (*c == quote)
                quote = 0;
            continue;
        }
        if (c[0] == '/' && c[1] == '*') {
            *in_comment = 1;
            c++;
            continue;
        }
        if (c[0] == '/' && c[1] == '/')
            break;
        if (*c == '"' || *c == '\'')
            quote = *c;
        rl_buf_add(&code, c, 1);
    }
    int rc = 0;
    for (const char *const *f = forbidden_in_code; *f && rc == 0 && code.len; f++)
        if (strstr(code.data, *f))
            rc = fail(p, p->line,
                      "'%s' can switch a tool's checking off or tell it to look away from inside "
                      "the program: a case may not use it",
                      *f);
    rl_buf_free(&code);
    return rc;
}

/* ---- Markers, summary --------------------------------------------------- */

/* A line ending in the comment "// @NAME" marks itself. */
static int parse_marker(parser *p, const char *line, size_t len)
{
    const char *slashes = NULL;
    for (const char *q = memmem(line, len, "//", 2); q;
         q = memmem(q + 2, len - (size_t)(q + 2 - line), "//", 2))
        slashes = q;
    if (!slashes)
        return 0;
    const char *s = skip_spaces(slashes + 2);
    if (*s != '@')
        return 0;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!valid_marker_name(s + 1, n - 1))
        return 0; /* not a marker: say, an e-mail address in prose */
    char *name = rl_xstrndup(s + 1, n - 1);
    rl_case *c = p->c;
    size_t at;
    if (rl_map_get(&p->markers, name, &at) == 0) {
        int first = c->markers[at].line;
        int rc = fail(p, p->line, "marker @%s is already on line %d", name, first);
        free(name);
        return rc;
    }
    c->markers = rl_xgrow(c->markers, &p->markers_cap, c->nmarkers + 1, sizeof *c->markers);
    c->markers[c->nmarkers] = (rl_marker){.name = name, .line = p->line};
    rl_map_put(&p->markers, name, c->nmarkers);
    c->nmarkers++;
    return 0;
}

/* The text of one line of the leading comment, without comment marks. */
static char *comment_text(const char *line)
{
    const char *s = skip_spaces(line);
    while (*s == '/' || *s == '*')
        s++;
    s = skip_spaces(s);
    size_t n = strlen(s);
    const char *close = strstr(s, "*/");
    if (close)
        n = (size_t)(close - s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return rl_xstrndup(s, n);
}

/* The summary is the first sentence of the first paragraph of the leading
 * comment, without a "name:" prefix. */
static void finish_summary(rl_case *c, rl_buf *text)
{
    const char *s = text->data ? text->data : "";
    size_t nlen = strlen(c->name);
    if (strncmp(s, c->name, nlen) == 0 && s[nlen] == ':')
        s = skip_spaces(s + nlen + 1);
    const char *end = s;
    while (*end && !(end[0] == '.' && (end[1] == ' ' || end[1] == '\0')))
        end++;
    c->summary = rl_xstrndup(s, (size_t)(end - s) + (*end == '.'));
}

/* ---- The whole file ----------------------------------------------------- */

typedef struct set_facts {
    int expects, allows, unsupported, clean, reports;
    int ending_line, clean_line, report_line, allow_line;
} set_facts;

static int check_expectations(parser *p)
{
    rl_case *c = p->c;
    if (c->nexpects == 0)
        return fail(p, 1, "no '// expect TOOL: KIND' line: a case must say what each tool reports");
    set_facts *facts = rl_xcalloc(c->nsets + 1, sizeof *facts);
    int rc = 0;
    for (size_t i = 0; i < c->nexpects && rc == 0; i++) {
        rl_expect *e = &c->expects[i];
        set_facts *f = &facts[e->set];
        for (size_t m = 0; m < e->nmarkers && rc == 0; m++) {
            size_t k;
            if (rl_map_get(&p->markers, e->markers[m].name, &k) < 0)
                rc = fail(p, e->line, "marker @%s names no line (end a line with '// @%s')",
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
                rc = fail(p, e->line, "%s has one ending; it is already given on line %d", tool,
                          f->ending_line);
            f->ending_line = e->line;
        } else if (e->kind == RL_KIND_CLEAN) {
            if (f->clean_line)
                rc = fail(p, e->line, "%s is already expected clean on line %d", tool,
                          f->clean_line);
            f->clean_line = e->line;
        } else if (!f->report_line)
            f->report_line = e->line;
    }
    for (size_t s = 0; s < c->nsets && rc == 0; s++) {
        const set_facts *f = &facts[s];
        const char *tool = rl_tool_name(c->sets[s].tool);
        const char *scope = c->sets[s].scope.text;
        char name[128];
        snprintf(name, sizeof name, "%s%s%s%s", tool, *scope ? "(" : "", scope, *scope ? ")" : "");
        if (f->unsupported && (f->expects || f->allows))
            rc = fail(p, c->sets[s].line,
                      "%s is both unsupported and expected to report: an unsupported toolchain "
                      "has no other lines",
                      name);
        else if (f->clean_line && (f->report_line || f->allow_line))
            rc = fail(p, f->clean_line, "%s is expected both clean and to report (line %d)", name,
                      f->report_line ? f->report_line : f->allow_line);
        else if (f->allows && !f->expects)
            rc = fail(p, f->allow_line,
                      "an allow line never stands alone: give %s an expect line as well", name);
    }
    free(facts);
    if (rc)
        return rc;

    /* Scoped sets and options of one rank must never apply together. */
    scoped *v = rl_xcalloc(c->nsets + c->noptions + 1, sizeof *v);
    for (size_t s = 0; s < c->nsets; s++)
        v[s] = (scoped){c->sets[s].tool, &c->sets[s].scope, c->sets[s].line};
    rc = check_overlaps(p, v, c->nsets, "the lines");
    for (size_t s = 0; rc == 0 && s < c->noptions; s++)
        v[s] = (scoped){c->options[s].tool, &c->options[s].scope, c->options[s].line};
    if (rc == 0)
        rc = check_overlaps(p, v, c->noptions, "the options");
    free(v);
    return rc;
}

int rl_case_parse(const char *path, const char *text, size_t len, rl_case **out, rl_diag *diag)
{
    *out = NULL;
    rl_case *c = rl_xcalloc(1, sizeof *c);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t blen = strlen(base);
    if (blen > 2 && strcmp(base + blen - 2, ".c") == 0)
        blen -= 2;
    c->name = rl_xstrndup(base, blen);
    char *real = realpath(path, NULL);
    c->path = real ? real : rl_xstrdup(path);
    c->timeout = RL_DEFAULT_TIMEOUT;
    c->cflags = rl_xcalloc(1, sizeof *c->cflags);
    c->args = rl_xcalloc(1, sizeof *c->args);

    parser p = {.path = path, .c = c, .diag = diag};
    int rc = 0;
    if (memchr(text, '\0', len))
        rc = fail(&p, 0, "not a text file (it contains a NUL byte)");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3; /* a UTF-8 byte order mark */
        len -= 3;
    }
    /* Leading comment: 0 not yet seen, 1 inside it, 2 done. */
    int leading = 0, in_comment = 0;
    rl_buf summary = {0};
    const char *end = text + len;
    for (const char *q = text; q < end && rc == 0;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        const char *next = nl ? nl + 1 : end;
        size_t n = nl ? (size_t)(nl - q) : (size_t)(end - q);
        if (n > 0 && q[n - 1] == '\r')
            n--;
        char *line = rl_xstrndup(q, n);
        q = next; /* past the whole line, CR and all */
        p.line++;

        const char *s = skip_spaces(line);
        rc = check_look_alikes(&p, line);
        if (rc == 0 && !is_tool_directive_line(s) && looks_like_expect(line))
            rc = fail(&p, p.line,
                      "this looks like an expectation racelab would not read: write it on a "
                      "line of its own as '// expect TOOL: KIND'");
        const char *after_open = s;
        if (leading == 0 && strncmp(s, "/*", 2) == 0) {
            leading = 1;
            after_open = s + 2;
        } else if (leading == 0 && *s && strncmp(s, "//", 2) != 0)
            leading = 2; /* code came first: no summary */
        if (rc == 0 && leading == 1) {
            char *t = comment_text(s);
            if (*t) {
                if (summary.len)
                    rl_buf_puts(&summary, " ");
                rl_buf_puts(&summary, t);
            }
            if (strstr(after_open, "*/") || (!*t && summary.len))
                leading = 2; /* end of the comment or of its first paragraph */
            free(t);
        }
        if (rc == 0 && strncmp(s, "//", 2) == 0)
            rc = parse_comment_line(&p, s + 2);
        if (rc == 0)
            rc = parse_marker(&p, line, n);
        if (rc == 0)
            rc = check_code(&p, line, &in_comment);
        free(line);
    }
    if (rc == 0) {
        finish_summary(c, &summary);
        rc = check_expectations(&p);
    }
    rl_buf_free(&summary);
    rl_map_clear(&p.markers);
    rl_map_clear(&p.sets);
    rl_map_clear(&p.optsets);
    if (rc < 0) {
        rl_case_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

int rl_case_load(const char *path, rl_case **out, rl_diag *diag)
{
    size_t len;
    *out = NULL;
    char *text = rl_read_file_max(path, CASE_SIZE_LIMIT, &len);
    if (!text) {
        int e = errno;
        rl_diag_set(diag, path, 0, "cannot read: %s",
                    e == EFBIG ? "larger than 4 MiB, too large for a case" : rl_read_error(e));
        return -1;
    }
    int rc = rl_case_parse(path, text, len, out, diag);
    free(text);
    return rc;
}

void rl_case_free(rl_case *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nexpects; i++) {
        for (size_t m = 0; m < c->expects[i].nmarkers; m++)
            free(c->expects[i].markers[m].name);
        free(c->expects[i].markers);
        free(c->expects[i].reason);
    }
    free(c->expects);
    free(c->sets);
    for (size_t i = 0; i < c->noptions; i++)
        rl_strv_free(c->options[i].words);
    free(c->options);
    for (size_t i = 0; i < c->nmarkers; i++)
        free(c->markers[i].name);
    free(c->markers);
    rl_strv_free(c->cflags);
    rl_strv_free(c->args);
    free(c->name);
    free(c->path);
    free(c->summary);
    free(c->twin);
    free(c);
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

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int rl_case_dir_scan(const char *dir, char ***paths, rl_diag *diag)
{
    *paths = NULL;
    DIR *d = opendir(dir);
    if (!d) {
        rl_diag_set(diag, dir, 0, "cannot read the cases directory: %s", strerror(errno));
        return -1;
    }
    rl_strv v = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 2 && strcmp(e->d_name + n - 2, ".c") == 0 && e->d_name[0] != '.')
            rl_strv_pushf(&v, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (v.n)
        qsort(v.v, v.n, sizeof *v.v, compare_strings);
    *paths = rl_strv_steal(&v);
    return 0;
}

char *rl_set_describe(const rl_case *c, long set)
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

char *rl_cases_table(rl_case *const *cases, size_t n)
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
        rl_buf_printf(&b, "| %s | %s |", c->name, c->summary);
        for (size_t t = 0; t < rl_tool_count(); t++) {
            rl_buf cell = {0};
            for (int rank = 0; rank <= 2; rank++) {
                for (size_t s = 0; s < c->nsets; s++) {
                    if (c->sets[s].tool != (rl_tool_id)t || c->sets[s].scope.rank != rank)
                        continue;
                    char *d = rl_set_describe(c, (long)s);
                    if (rank == 0)
                        rl_buf_puts(&cell, d);
                    else
                        rl_buf_printf(&cell, "%s%s: %s", cell.len ? "; " : "",
                                      c->sets[s].scope.text, d);
                    free(d);
                }
            }
            rl_buf_printf(&b, " %s |", cell.len ? cell.data : "-");
            rl_buf_free(&cell);
        }
        rl_buf_puts(&b, "\n");
    }
    return rl_buf_steal(&b);
}
