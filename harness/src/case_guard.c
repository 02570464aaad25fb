/* case_guard.c: what a case file may not hide. A line that reads as a
 * directive once look-alike and invisible characters are taken for what
 * they look like is refused, and so is an expectation written where racelab
 * would not read it: a misspelt or disguised expectation must never be
 * skipped silently. (#line is found in line_directive.c.) */
#define _GNU_SOURCE
#include "case_parse.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static const char *const tool_directives[] = {"expect", "allow", "unsupported", "options"};

static int is_word_char(char ch)
{
    return islower((unsigned char)ch) || isdigit((unsigned char)ch) || ch == '-';
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
                                        "cflags", "args",  "timeout",     "note", "twin", "bug"};
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
int rl_guard_look_alikes(const char *line, rl_diag *diag)
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
        rc = rl_diag_set(diag, NULL, 0,
                  "U+%04X looks like plain text here, and makes this line a directive racelab "
                  "would not read as written: write directives in ASCII",
                  (unsigned)first);
    rl_buf_free(&skeleton);
    return rc;
}

int rl_guard_hidden_expectation(const char *line)
{
    return !is_tool_directive_line(skip_spaces(line)) && looks_like_expect(line);
}
