/* line_directive.c: finding #line in C text as the compiler would.
 *
 * A #line directive (or a GNU line marker, "# 30") moves the lines reports
 * name, and so what markers meet: refused in a case and in every file its
 * build reads. It is found the way translation phases 1 to 3 see the text:
 * trigraphs replaced (??= is #, ??/ a backslash; GCC honours them under
 * -std=c99), lines spliced at a backslash-newline, comments taken as
 * white space (a block comment can hide the newline before a directive),
 * strings and character constants skipped; then a directive is a # (or
 * the digraph %:) that is the first token of its logical line. */
#include "line_directive.h"

#include <stdlib.h>
#include <string.h>

/* The text after phases 1 and 2, with the physical line each character
 * came from. */
typedef struct logical {
    char *text;
    int *line;
    size_t len;
} logical;

static char trigraph(char c)
{
    static const char from[] = "=/'()!<>-", to[] = "#\\^[]|{}~";
    const char *at = c ? strchr(from, c) : NULL;
    return at ? to[at - from] : 0;
}

static void make_logical(const char *text, size_t len, logical *l)
{
    l->text = malloc(len + 1);
    l->line = malloc((len + 1) * sizeof *l->line);
    l->len = 0;
    if (!l->text || !l->line)
        abort();
    int line = 1;
    for (size_t i = 0; i < len;) {
        char c = text[i];
        size_t used = 1;
        if (c == '?' && i + 2 < len && text[i + 1] == '?' && trigraph(text[i + 2])) {
            c = trigraph(text[i + 2]);
            used = 3;
        }
        /* A backslash (or ??/) before a newline (CR LF too) joins the lines. */
        size_t after = i + used;
        if (c == '\\' && after < len &&
            (text[after] == '\n' || (text[after] == '\r' && after + 1 < len && text[after + 1] == '\n'))) {
            i = after + (text[after] == '\r' ? 2 : 1);
            line++;
            continue;
        }
        l->text[l->len] = c;
        l->line[l->len++] = line;
        if (c == '\n')
            line++;
        i += used;
    }
    l->text[l->len] = '\0';
}

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Past white space other than a newline, and comments (a block comment may
 * span lines and still counts as one space). */
static size_t skip_blank(const logical *l, size_t i)
{
    for (;;) {
        if (i < l->len && (l->text[i] == ' ' || l->text[i] == '\t' || l->text[i] == '\f' ||
                           l->text[i] == '\v' || l->text[i] == '\r'))
            i++;
        else if (i + 1 < l->len && l->text[i] == '/' && l->text[i + 1] == '*') {
            /* Not strstr: the text may hold NUL bytes. */
            for (i += 2; i < l->len && !(l->text[i] == '*' && i + 1 < l->len && l->text[i + 1] == '/');)
                i++;
            i = i < l->len ? i + 2 : l->len;
        } else
            return i;
    }
}

int rl_line_directive_at(const char *text, size_t len)
{
    logical l;
    make_logical(text, len, &l);
    int found = 0;
    size_t i = 0;
    while (!found && i < l.len) {
        /* The start of a logical line: is its first token # or %:? */
        size_t s = skip_blank(&l, i);
        int hash = s < l.len && l.text[s] == '#';
        int digraph = s + 1 < l.len && l.text[s] == '%' && l.text[s + 1] == ':';
        if (hash || digraph) {
            size_t d = skip_blank(&l, s + (hash ? 1 : 2));
            if ((d + 4 <= l.len && strncmp(l.text + d, "line", 4) == 0 &&
                 !ident_char(l.text[d + 4])) ||
                (d < l.len && l.text[d] >= '0' && l.text[d] <= '9'))
                found = l.line[s];
        }
        /* To the next logical line: past comments, strings and character
         * constants, which may hold anything. */
        for (i = s; !found && i < l.len && l.text[i] != '\n';) {
            char c = l.text[i];
            if (c == '/' && i + 1 < l.len && l.text[i + 1] == '*')
                i = skip_blank(&l, i);
            else if (c == '/' && i + 1 < l.len && l.text[i + 1] == '/') {
                while (i < l.len && l.text[i] != '\n')
                    i++;
            } else if (c == '"' || c == '\'') {
                for (i++; i < l.len && l.text[i] != c && l.text[i] != '\n'; i++)
                    if (l.text[i] == '\\' && i + 1 < l.len && l.text[i + 1] != '\n')
                        i++;
                if (i < l.len && l.text[i] == c)
                    i++;
            } else
                i++;
        }
        if (i < l.len)
            i++; /* the newline */
    }
    free(l.text);
    free(l.line);
    return found;
}
