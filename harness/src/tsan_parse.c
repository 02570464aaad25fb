/* tsan_parse.c: read ThreadSanitizer's text reports.
 *
 * TSan prints text only, and its layout moved between versions (BuildId from
 * LLVM 14, columns only with llvm-symbolizer, "<null>" for unknown files, GCC's
 * relative runtime paths), so the reader keys on the few lines every version
 * prints and takes frames as "#N function location (module+offset)". */
#define _GNU_SOURCE
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char WARNING[] = "WARNING: ThreadSanitizer: ";
static const char BANNER[] = "***** Running under ThreadSanitizer";
static const char REPORTED[] = "ThreadSanitizer: reported ";

static int starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

/* Drop a trailing "(...)" group and the space before it. */
static size_t strip_paren_group(const char *s, size_t len)
{
    if (len == 0 || s[len - 1] != ')')
        return len;
    int depth = 0;
    for (size_t i = len; i-- > 0;) {
        if (s[i] == ')')
            depth++;
        else if (s[i] == '(' && --depth == 0) {
            while (i > 0 && s[i - 1] == ' ')
                i--;
            return i;
        }
    }
    return len;
}

/* "file:line[:col]" → file and line; a bare "file" has line 0. */
static void split_location(const char *loc, size_t len, char **file, int *line)
{
    size_t end = len;
    int numbers[2] = {0, 0}, found = 0;
    while (found < 2) {
        size_t i = end;
        while (i > 0 && isdigit((unsigned char)loc[i - 1]))
            i--;
        if (i == end || i == 0 || loc[i - 1] != ':')
            break;
        numbers[found++] = atoi(loc + i);
        end = i - 1;
    }
    *file = rl_xstrndup(loc, end);
    /* With two numbers the last was the column. */
    *line = found == 2 ? numbers[1] : found == 1 ? numbers[0] : 0;
}

static void parse_frame(rl_report *r, const char *s, size_t len)
{
    len = strip_paren_group(s, len); /* (BuildId: ...) or (module+0x..) */
    if (len >= 2 && s[len - 1] == ')')
        len = strip_paren_group(s, len); /* the module, when a BuildId came after it */
    while (len > 0 && s[len - 1] == ' ')
        len--;
    if (len == 0)
        return;

    /* The location is "<null>", an absolute path (which may hold spaces), or
     * the last word. */
    size_t split;
    const char *abs = memmem(s, len, " /", 2);
    if (len >= 7 && memcmp(s + len - 7, " <null>", 7) == 0)
        split = len - 7;
    else if (abs)
        split = (size_t)(abs - s);
    else {
        split = len;
        while (split > 0 && s[split - 1] != ' ')
            split--;
        split = split > 0 ? split - 1 : len;
    }

    char *function = rl_xstrndup(s, split);
    if (strcmp(function, "<null>") == 0) {
        free(function);
        function = NULL;
    }
    char *file = NULL;
    int line = 0;
    if (split < len) {
        const char *loc = s + split + 1;
        size_t loclen = len - split - 1;
        if (!(loclen == 6 && memcmp(loc, "<null>", 6) == 0))
            split_location(loc, loclen, &file, &line);
    }
    rl_report_add_frame(r, function, file, line);
    free(function);
    free(file);
}

void rl_tsan_parse(const char *text, size_t len, rl_tsan_log *out)
{
    memset(out, 0, sizeof *out);
    out->warnings = -1;
    rl_report *current = NULL;
    const char *end = text + len;
    for (const char *p = text; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *line = p;
        p += n + (nl ? 1 : 0);
        if (n > 0 && line[n - 1] == '\r')
            n--;

        const char *banner = memmem(line, n, BANNER, sizeof BANNER - 1);
        if (banner) {
            const char *pid = memmem(line, n, "(pid ", 5);
            if (pid && !out->started_pid)
                out->started_pid = atoi(pid + 5);
            if (!out->started_pid)
                out->started_pid = -1; /* started, pid unknown */
            continue;
        }
        if (starts_with(line, n, WARNING)) {
            const char *h = line + sizeof WARNING - 1;
            size_t hn = n - (sizeof WARNING - 1);
            const char *pid = memmem(h, hn, " (pid=", 6);
            if (pid)
                hn = (size_t)(pid - h);
            char *headline = rl_xstrndup(h, hn);
            current = rl_report_list_add(&out->reports);
            rl_report_init(current, rl_kind_for_tsan(headline), headline, headline);
            free(headline);
            continue;
        }
        if (starts_with(line, n, "SUMMARY: ThreadSanitizer")) {
            current = NULL;
            continue;
        }
        if (starts_with(line, n, REPORTED)) {
            out->warnings = atoi(line + sizeof REPORTED - 1);
            current = NULL;
            continue;
        }
        if (!out->fatal && (memmem(line, n, "FATAL: ThreadSanitizer", 22) ||
                            memmem(line, n, "ThreadSanitizer: CHECK failed", 29))) {
            out->fatal = rl_xstrndup(line, n);
            continue;
        }
        if (!current)
            continue;
        size_t i = 0;
        while (i < n && line[i] == ' ')
            i++;
        if (i < n && line[i] != '#' && current->nframes == 0 && !strchr(current->headline, ':')) {
            /* The first line of the body says what happened ("Write of size
             * 4 at ... by thread T1:"); the headline alone is only the type. */
            size_t m = n;
            while (m > i && (line[m - 1] == ':' || line[m - 1] == ' '))
                m--;
            char *h = rl_xasprintf("%s: %.*s", current->headline, (int)(m - i), line + i);
            free(current->headline);
            current->headline = h;
            continue;
        }
        if (i < n && line[i] == '#') {
            i++;
            while (i < n && isdigit((unsigned char)line[i]))
                i++;
            if (i < n && line[i] == ' ')
                parse_frame(current, line + i + 1, n - i - 1);
        }
    }
}

void rl_tsan_log_clear(rl_tsan_log *log)
{
    rl_report_list_clear(&log->reports);
    free(log->fatal);
    memset(log, 0, sizeof *log);
    log->warnings = -1;
}
