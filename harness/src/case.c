/* case.c: read a case file: its expectations, markers and settings.
 *
 * Directives are "//" comment lines. A lowercase "word:" (or "word word:")
 * after "//" is always taken as a directive, and an unknown one is an error:
 * a misspelt expectation must never be skipped silently, or a check could
 * pass without checking anything. docs/case-format.md is the contract. */
#define _GNU_SOURCE
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const char *path;
    rl_case *c;
    rl_diag *diag;
    int line;
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

/* Split s on blanks into owned words. */
static void split_words(const char *s, rl_strv *out)
{
    for (;;) {
        s = skip_spaces(s);
        if (!*s)
            return;
        const char *e = s;
        while (*e && *e != ' ' && *e != '\t')
            e++;
        char *w = rl_xstrndup(s, (size_t)(e - s));
        rl_strv_push(out, w);
        free(w);
        s = e;
    }
}

static int valid_marker_name(const char *s)
{
    if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int parse_expect(parser *p, const char *s)
{
    /* s is just after "expect" */
    if (*s != ' ' && *s != '\t')
        return fail(p, p->line, "malformed expectation: write '// expect TOOL: KIND [@MARKER ...]'");
    s = skip_spaces(s);
    const char *tool_end = s;
    while (*tool_end && *tool_end != ':' && *tool_end != ' ' && *tool_end != '\t')
        tool_end++;
    rl_tool_id tool;
    if (tool_end == s || *tool_end != ':')
        return fail(p, p->line, "malformed expectation: write '// expect TOOL: KIND [@MARKER ...]'");
    if (rl_tool_from_name(s, (size_t)(tool_end - s), &tool) < 0)
        return fail(p, p->line, "unknown tool '%.*s' (tools: tsan, helgrind, drd, native)",
                    (int)(tool_end - s), s);

    rl_strv words = {0};
    split_words(tool_end + 1, &words);
    int rc = -1;
    rl_expect e = {.tool = tool, .line = p->line};
    size_t next = 1;
    if (words.n == 0) {
        fail(p, p->line, "expectation for %s names no kind", rl_tool_name(tool));
        goto out;
    }
    if (rl_kind_from_name(words.v[0], strlen(words.v[0]), &e.kind) < 0) {
        fail(p, p->line, "unknown kind '%s' (see docs/kinds.md)", words.v[0]);
        goto out;
    }
    if (tool == RL_TOOL_NATIVE) {
        if (e.kind != RL_KIND_EXIT && e.kind != RL_KIND_HANG) {
            fail(p, p->line, "native expects 'exit N' or 'hang', not '%s'", words.v[0]);
            goto out;
        }
        if (e.kind == RL_KIND_EXIT) {
            char *end;
            long code = words.n > 1 ? strtol(words.v[1], &end, 10) : -1;
            if (words.n < 2 || *end || code < 0 || code > 255) {
                fail(p, p->line, "'exit' needs an exit status from 0 to 255");
                goto out;
            }
            e.code = (int)code;
            next = 2;
        }
    } else if (e.kind == RL_KIND_EXIT) {
        fail(p, p->line, "'exit N' is for native; %s expects report kinds", rl_tool_name(tool));
        goto out;
    }
    for (size_t i = next; i < words.n; i++) {
        if (words.v[i][0] != '@' || !valid_marker_name(words.v[i] + 1)) {
            fail(p, p->line, "unexpected '%s' after the kind: only @MARKER names may follow",
                 words.v[i]);
            goto out;
        }
        if (e.kind == RL_KIND_CLEAN || e.kind == RL_KIND_HANG || tool == RL_TOOL_NATIVE) {
            fail(p, p->line, "'%s' has no stack for a marker to point into", words.v[0]);
            goto out;
        }
    }
    e.nmarkers = words.n - next;
    e.markers = rl_xcalloc(e.nmarkers + 1, sizeof *e.markers);
    e.marker_lines = rl_xcalloc(e.nmarkers + 1, sizeof *e.marker_lines);
    for (size_t i = 0; i < e.nmarkers; i++)
        e.markers[i] = rl_xstrdup(words.v[next + i] + 1);

    rl_case *c = p->c;
    c->expects = rl_xrealloc(c->expects, (c->nexpects + 1) * sizeof *c->expects);
    c->expects[c->nexpects++] = e;
    rc = 0;
out:
    rl_strv_clear(&words);
    return rc;
}

static int parse_key(parser *p, const char *key, size_t keylen, const char *value)
{
    value = skip_spaces(value);
    if (keylen == 6 && memcmp(key, "cflags", 6) == 0) {
        rl_strv words = {0};
        split_words(value, &words);
        rl_case *c = p->c;
        c->cflags = rl_xrealloc(c->cflags, (c->ncflags + words.n + 1) * sizeof *c->cflags);
        for (size_t i = 0; i < words.n; i++)
            c->cflags[c->ncflags++] = rl_xstrdup(words.v[i]);
        c->cflags[c->ncflags] = NULL;
        rl_strv_clear(&words);
        return 0;
    }
    if (keylen == 7 && memcmp(key, "timeout", 7) == 0) {
        char *end;
        errno = 0;
        double t = strtod(value, &end);
        end = (char *)skip_spaces(end);
        if (end == value || *end || errno || !(t > 0 && t <= 3600))
            return fail(p, p->line, "timeout must be a number of seconds above 0 and up to 3600");
        p->c->timeout = t;
        return 0;
    }
    if (keylen == 4 && memcmp(key, "note", 4) == 0)
        return 0; /* free text for readers */
    return fail(p, p->line, "unknown directive '%.*s' (known: expect, cflags, timeout, note)",
                (int)keylen, key);
}

static int is_expect_line(const char *s)
{
    if (strncmp(s, "//", 2) != 0)
        return 0;
    s = skip_spaces(s + 2);
    return strncmp(s, "expect", 6) == 0 && !is_word_char(s[6]);
}

/* "expect TOOL:" anywhere on a line, in any case and with any ending on
 * "expect": an expectation written so that racelab would not read it, say
 * "// Expect ...", "/// expect ..." or inside a block comment. Refused, so
 * that it cannot be dropped in silence. */
static int looks_like_expect(const char *line)
{
    for (const char *s = line; (s = strcasestr(s, "expect")); s++) {
        const char *t = s + 6;
        while (isalpha((unsigned char)*t))
            t++;
        if (*t != ' ' && *t != '\t')
            continue;
        t = skip_spaces(t);
        for (int id = 0; id < RL_TOOL_COUNT; id++) {
            const char *name = rl_tool_name((rl_tool_id)id);
            size_t n = strlen(name);
            if (strncasecmp(t, name, n) == 0 && *skip_spaces(t + n) == ':')
                return 1;
        }
    }
    return 0;
}

/* A "//" line: an expectation, a key or prose. */
static int parse_comment_line(parser *p, const char *s)
{
    s = skip_spaces(s);
    if (strncmp(s, "expect", 6) == 0 && !is_word_char(s[6]))
        return parse_expect(p, s + 6);
    /* "word:" or "word word:" in lowercase is a directive. */
    const char *e = s;
    if (!islower((unsigned char)*e))
        return 0;
    while (is_word_char(*e))
        e++;
    const char *key_end = e;
    if (*e == ' ' && islower((unsigned char)e[1])) {
        const char *f = e + 1;
        while (is_word_char(*f) || *f == '(' || *f == ')')
            f++;
        if (*f == ':')
            return fail(p, p->line, "unknown directive '%.*s' (known: expect, cflags, timeout, note)",
                        (int)(f - s), s);
    }
    if (*key_end != ':')
        return 0;
    return parse_key(p, s, (size_t)(key_end - s), key_end + 1);
}

/* A line ending in the comment "// @NAME" marks itself. */
static int parse_marker(parser *p, const char *line)
{
    const char *slashes = NULL;
    for (const char *q = strstr(line, "//"); q; q = strstr(q + 2, "//"))
        slashes = q;
    if (!slashes)
        return 0;
    const char *s = skip_spaces(slashes + 2);
    if (*s != '@')
        return 0;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *name = rl_xstrndup(s + 1, n - 1);
    if (!valid_marker_name(name)) {
        free(name);
        return 0; /* not a marker: say, an e-mail address in prose */
    }
    rl_case *c = p->c;
    for (size_t i = 0; i < c->nmarkers; i++) {
        if (strcmp(c->markers[i].name, name) == 0) {
            int first = c->markers[i].line;
            free(name);
            return fail(p, p->line, "marker @%s is already on line %d", c->markers[i].name, first);
        }
    }
    c->markers = rl_xrealloc(c->markers, (c->nmarkers + 1) * sizeof *c->markers);
    c->markers[c->nmarkers].name = name;
    c->markers[c->nmarkers].line = p->line;
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

static int check_expectations(parser *p)
{
    rl_case *c = p->c;
    if (c->nexpects == 0)
        return fail(p, 1, "no '// expect TOOL: KIND' line: a case must say what each tool reports");
    for (size_t i = 0; i < c->nexpects; i++) {
        rl_expect *e = &c->expects[i];
        for (size_t m = 0; m < e->nmarkers; m++) {
            size_t k = 0;
            while (k < c->nmarkers && strcmp(c->markers[k].name, e->markers[m]) != 0)
                k++;
            if (k == c->nmarkers)
                return fail(p, e->line, "marker @%s names no line (end a line with '// @%s')",
                            e->markers[m], e->markers[m]);
            e->marker_lines[m] = c->markers[k].line;
        }
        for (size_t j = 0; j < c->nexpects; j++) {
            rl_expect *o = &c->expects[j];
            if (j == i || o->tool != e->tool)
                continue;
            if (e->kind == RL_KIND_CLEAN)
                return fail(p, e->line, "%s is expected both clean and to report (line %d)",
                            rl_tool_name(e->tool), o->line);
            if (e->tool == RL_TOOL_NATIVE && j < i)
                return fail(p, e->line, "native has one outcome; it is already given on line %d",
                            o->line);
        }
    }
    return 0;
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

    parser p = {.path = path, .c = c, .diag = diag};
    if (memchr(text, '\0', len)) {
        fail(&p, 0, "not a text file (it contains a NUL byte)");
        rl_case_free(c);
        return -1;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3; /* a UTF-8 byte order mark */
        len -= 3;
    }
    /* Leading comment: 0 not yet seen, 1 inside it, 2 done. */
    int leading = 0;
    rl_buf summary = {0};
    const char *end = text + len;
    for (const char *q = text; q < end;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        size_t n = nl ? (size_t)(nl - q) : (size_t)(end - q);
        if (n > 0 && q[n - 1] == '\r')
            n--;
        char *line = rl_xstrndup(q, n);
        q += (nl ? (size_t)(nl - q) + 1 : n);
        p.line++;

        const char *s = skip_spaces(line);
        int rc = 0;
        if (!is_expect_line(s) && looks_like_expect(line)) {
            fail(&p, p.line,
                 "this looks like an expectation racelab would not read: write it on a line of "
                 "its own as '// expect TOOL: KIND'");
            free(line);
            rl_buf_free(&summary);
            rl_case_free(c);
            return -1;
        }
        const char *after_open = s;
        if (leading == 0 && strncmp(s, "/*", 2) == 0) {
            leading = 1;
            after_open = s + 2;
        } else if (leading == 0 && *s && strncmp(s, "//", 2) != 0)
            leading = 2; /* code came first: no summary */
        if (leading == 1) {
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
        if (strncmp(s, "//", 2) == 0)
            rc = parse_comment_line(&p, s + 2);
        if (rc == 0)
            rc = parse_marker(&p, line);
        free(line);
        if (rc < 0) {
            rl_buf_free(&summary);
            rl_case_free(c);
            return -1;
        }
    }
    finish_summary(c, &summary);
    rl_buf_free(&summary);
    if (check_expectations(&p) < 0) {
        rl_case_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

int rl_case_load(const char *path, rl_case **out, rl_diag *diag)
{
    size_t len;
    char *text = rl_read_file(path, &len);
    if (!text) {
        *out = NULL;
        rl_diag_set(diag, path, 0, "cannot read: %s", strerror(errno));
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
            free(c->expects[i].markers[m]);
        free(c->expects[i].markers);
        free(c->expects[i].marker_lines);
    }
    free(c->expects);
    for (size_t i = 0; i < c->nmarkers; i++)
        free(c->markers[i].name);
    free(c->markers);
    for (size_t i = 0; i < c->ncflags; i++)
        free(c->cflags[i]);
    free(c->cflags);
    free(c->name);
    free(c->path);
    free(c->summary);
    free(c);
}

int rl_case_declares(const rl_case *c, rl_tool_id tool)
{
    for (size_t i = 0; i < c->nexpects; i++)
        if (c->expects[i].tool == tool)
            return 1;
    return 0;
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
    *paths = v.v ? v.v : rl_xcalloc(1, sizeof(char *));
    return 0;
}
