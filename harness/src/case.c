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
#include "build.h"
#include "case_parse.h"
#include "line_directive.h"
#include "fs.h"

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
            return rl_diag_set(p->diag, p->path, p->line,
                        "unexpected '%s' after the kind: only xN and @MARKER names may follow", w);
        if (rl_kind_is_ending(e->kind) || e->kind == RL_KIND_CLEAN)
            return rl_diag_set(p->diag, p->path, p->line, "'%s' has no stack for a marker to point into", kind);
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
    int endings_only = !rl_adapter_for(e->tool)->kinds; /* a tool that reports nothing */
    size_t next = 1;
    if (words.n == 0) {
        rl_diag_set(p->diag, p->path, p->line, "the line for %s names no kind", tool);
        goto out;
    }
    const char *k = words.v[0];
    if (rl_kind_from_name(k, strlen(k), &e->kind) < 0) {
        rl_diag_set(p->diag, p->path, p->line, "unknown kind '%s' (see docs/kinds.md)", k);
        goto out;
    }
    if (endings_only && !rl_kind_is_ending(e->kind)) {
        rl_diag_set(p->diag, p->path, p->line,
                    "%s expects an ending ('exit N', 'signal NAME' or 'hang'), not '%s': it "
                    "reports nothing",
                    tool, k);
        goto out;
    }
    if (e->type == RL_LINE_ALLOW && (rl_kind_is_ending(e->kind) || e->kind == RL_KIND_CLEAN)) {
        rl_diag_set(p->diag, p->path, p->line, "'allow' takes a report kind, not '%s'", k);
        goto out;
    }
    if (e->kind == RL_KIND_EXIT) {
        char *end;
        long code = words.n > 1 ? strtol(words.v[1], &end, 10) : -1;
        if (words.n < 2 || *end || code < 0 || code > 255) {
            rl_diag_set(p->diag, p->path, p->line, "'exit' needs an exit status from 0 to 255");
            goto out;
        }
        e->code = (int)code;
        next = 2;
    } else if (e->kind == RL_KIND_SIGNAL) {
        int sig = words.n > 1 ? rl_signal_from_name(words.v[1], strlen(words.v[1])) : -1;
        if (sig < 0) {
            rl_diag_set(p->diag, p->path, p->line, "'signal' needs a signal name such as SIGABRT or SIGSEGV");
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
            rl_diag_set(p->diag, p->path, p->line, "a count is x1 to x100000, not '%s'", words.v[next]);
            goto out;
        }
        if (rl_kind_is_ending(e->kind) || e->kind == RL_KIND_CLEAN) {
            rl_diag_set(p->diag, p->path, p->line, "'%s' cannot be counted", k);
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
        return rl_diag_set(p->diag, p->path, p->line, "malformed %s line: write %s", directive, usage);
    s = skip_spaces(s);
    const char *t = s;
    while (is_word_char(*t))
        t++;
    rl_tool_id tool;
    if (t == s || (*t != ':' && *t != '('))
        return rl_diag_set(p->diag, p->path, p->line, "malformed %s line: write %s", directive, usage);
    if (rl_tool_from_name(s, (size_t)(t - s), &tool) < 0)
        return rl_diag_set(p->diag, p->path, p->line, "unknown tool '%.*s' (tools: %s)", (int)(t - s), s,
                    rl_tool_names());
    rl_scope scope = {0};
    if (*t == '(') {
        const char *close = strchr(t, ')');
        if (!close || close[1] != ':')
            return rl_diag_set(p->diag, p->path, p->line, "malformed %s line: a scope is '%s(SCOPE):'", directive,
                        rl_tool_name(tool));
        if (close - t - 1 >= 60)
            return rl_diag_set(p->diag, p->path, p->line, "the toolchain scope is too long");
        if (rl_scope_parse(rl_adapter_for(tool), t + 1, (size_t)(close - t - 1), &scope,
                           p->diag) < 0) {
            rl_diag_locate(p->diag, p->path, p->line);
            return -1;
        }
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
            return rl_diag_set(p->diag, p->path, p->line, "an options line names no option");
        }
        const rl_adapter *a = rl_adapter_for(tool);
        int rc = 0;
        if (!a->options || !a->check_options)
            rc = rl_diag_set(p->diag, p->path, p->line, "%s takes no options", a->name);
        else if ((rc = a->check_options(a, words.v, words.n, p->diag)) < 0)
            rl_diag_locate(p->diag, p->path, p->line);
        else {
            rl_options *o = &c->options[i];
            o->words = rl_xrealloc(o->words, (o->nwords + words.n + 1) * sizeof *o->words);
            for (size_t w = 0; w < words.n; w++)
                o->words[o->nwords++] = rl_xstrdup(words.v[w]);
            o->words[o->nwords] = NULL;
        }
        rl_strv_clear(&words);
        return rc;
    }

    rl_expect *e = add_expect(p);
    e->tool = tool;
    e->set = set_for(p, tool, &scope);
    if (strcmp(directive, "unsupported") == 0) {
        e->type = RL_LINE_UNSUPPORTED;
        if (scope.rank == 0)
            return rl_diag_set(p->diag, p->path, p->line,
                        "'unsupported' names the toolchains that cannot run the case: write "
                        "'// unsupported %s(SCOPE): REASON' (a case cannot opt out of a tool)",
                        rl_tool_name(tool));
        rest = skip_spaces(rest);
        size_t n = strlen(rest);
        while (n > 0 && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
            n--;
        if (n == 0)
            return rl_diag_set(p->diag, p->path, p->line, "say why the toolchain cannot run the case: %s", usage);
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
        if (rl_check_cflag(words.v[i], p->diag) < 0) {
            int rc = -1;
            rl_diag_locate(p->diag, p->path, p->line);
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

/* "// bug: KIND[, KIND]..." or "// bug: none". */
static int parse_bug(parser *p, const char *value)
{
    if (p->c->bug_known)
        return rl_diag_set(p->diag, p->path, p->line, "the case already says what its bug is");
    rl_strv words = {0};
    rl_buf spaced = {0};
    for (const char *v = value; *v; v++)
        rl_buf_add(&spaced, *v == ',' ? " " : v, 1);
    rl_strv_split(&words, spaced.data ? spaced.data : "");
    rl_buf_free(&spaced);
    int rc = words.n ? 0
                     : rl_diag_set(p->diag, p->path, p->line,
                                   "'bug:' names the kinds of the program's bug, or none");
    int none = words.n == 1 && strcmp(words.v[0], "none") == 0;
    for (size_t i = 0; rc == 0 && !none && i < words.n; i++) {
        rl_kind k;
        if (rl_kind_from_name(words.v[i], strlen(words.v[i]), &k) < 0 || k == RL_KIND_CLEAN ||
            k == RL_KIND_UNKNOWN || rl_kind_is_ending(k))
            rc = rl_diag_set(p->diag, p->path, p->line,
                             "'%s' is no kind of bug (a report kind of docs/kinds.md, or 'none' "
                             "alone)",
                             words.v[i]);
        else {
            p->c->bugs = rl_xrealloc(p->c->bugs, (p->c->nbugs + 1) * sizeof *p->c->bugs);
            p->c->bugs[p->c->nbugs++] = k;
        }
    }
    rl_strv_clear(&words);
    if (rc == 0)
        p->c->bug_known = 1;
    return rc;
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
            return rl_diag_set(p->diag, p->path, p->line, "timeout must be a plain number of seconds from 0.1 to 3600");
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
            return rl_diag_set(p->diag, p->path, p->line, "'twin:' names one case, the file name without .c");
        if (p->c->twin)
            return rl_diag_set(p->diag, p->path, p->line, "the case already names its twin");
        p->c->twin = rl_xstrndup(value, n);
        p->c->twin_line = p->line;
        return 0;
    }
    if (keylen == 3 && memcmp(key, "bug", 3) == 0)
        return parse_bug(p, value);
    for (size_t i = 0; i < sizeof tool_directives / sizeof *tool_directives; i++)
        if (strlen(tool_directives[i]) == keylen && memcmp(key, tool_directives[i], keylen) == 0)
            return rl_diag_set(p->diag, p->path, p->line, "malformed %s line: it names no tool ('// %s TOOL: ...')",
                        tool_directives[i], tool_directives[i]);
    return rl_diag_set(p->diag, p->path, p->line,
                "unknown directive '%.*s' (known: expect, allow, unsupported, options, cflags, "
                "args, timeout, twin, bug, note)",
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
            return rl_diag_set(p->diag, p->path, p->line,
                        "unknown directive '%.*s' (known: expect, allow, unsupported, options, "
                        "cflags, args, timeout, note)",
                        (int)(f - s), s);
    }
    return 0;
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
        int rc = rl_diag_set(p->diag, p->path, p->line, "marker @%s is already on line %d", name, first);
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
    /* The name goes into log paths, TSan's quoted log_path and every line
     * racelab prints: it may hold no control character and no quote. */
    for (const unsigned char *n = (const unsigned char *)c->name; *n && rc == 0; n++)
        if (*n < 0x20 || *n == 0x7f || *n == '"')
            rc = rl_diag_set(diag, path, 0,
                             "the case's name '%s' holds a control character or a double quote, "
                             "which no log path or line of output can carry: rename the file",
                             c->name);
    if (rc == 0 && memchr(text, '\0', len))
        rc = rl_diag_set(p.diag, p.path, 0, "not a text file (it contains a NUL byte)");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3; /* a UTF-8 byte order mark */
        len -= 3;
    }
    /* Leading comment: 0 not yet seen, 1 inside it, 2 done. */
    int leading = 0;
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
        rc = rl_guard_look_alikes(line, diag);
        if (rc == 0 && rl_guard_hidden_expectation(line))
            rc = rl_diag_set(p.diag, p.path, p.line,
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
        if (rc < 0)
            rl_diag_locate(diag, path, p.line);
        free(line);
    }
    int moved = rc == 0 ? rl_line_directive_at(text, len) : 0;
    if (moved)
        rc = rl_diag_set(diag, path, moved,
                         "a #line directive moves the lines reports name, which markers are "
                         "matched on: a case may not use it");
    if (rc == 0) {
        finish_summary(c, &summary);
        rc = rl_case_check(p.c, p.path, &p.markers, p.diag);
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
    char *text = rl_read_file_max(path, CASE_SIZE_LIMIT, &len, diag);
    if (!text) {
        if (errno == EFBIG)
            rl_diag_append(diag, ", too large for a case");
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
    free(c->bugs);
    free(c);
}

