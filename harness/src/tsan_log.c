/* tsan_log.c: read ThreadSanitizer's text output.
 *
 * TSan prints text only, and its layout moved between versions (BuildId from
 * LLVM 14, columns only with llvm-symbolizer, "<null>" for unknown files, GCC's
 * relative runtime paths), so the reader keys on the few lines every version
 * prints and takes frames as "#N function location (module+offset)".
 *
 * Besides the reports it notes everything that says the runtime did not see
 * the run through: a FATAL or CHECK failure, an ERROR block (a deadly signal
 * it caught, an allocation it refused), a line saying it kills the process,
 * and any other unindented line naming ThreadSanitizer that it cannot place.
 * Its end-of-run statistics (printed at verbosity=1) say the run got to the
 * end with the log still open. */
#define _GNU_SOURCE
#include "tsan_log.h"

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char WARNING[] = "WARNING: ThreadSanitizer: ";
static const char BANNER[] = "***** Running under ThreadSanitizer";
static const char REPORTED[] = "ThreadSanitizer: reported ";
static const char STATS_END[] = "Stats: LargeMmapAllocator";

static int starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

static int contains(const char *s, size_t len, const char *needle)
{
    return memmem(s, len, needle, strlen(needle)) != NULL;
}

/* The number at s, reading at most n bytes (the input need not end in a NUL). */
static int parse_int(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n && i < 9 && isdigit((unsigned char)s[i]); i++)
        v = v * 10 + (s[i] - '0');
    return v;
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
        size_t i = end, digits = 0;
        while (i > 0 && isdigit((unsigned char)loc[i - 1]) && digits < 9) {
            i--;
            digits++;
        }
        if (i == end || i == 0 || loc[i - 1] != ':' || isdigit((unsigned char)loc[i - 1]))
            break;
        numbers[found++] = parse_int(loc + i, end - i);
        end = i - 1;
    }
    *file = rl_xstrndup(loc, end);
    /* With two numbers the last was the column. */
    *line = found == 2 ? numbers[1] : found == 1 ? numbers[0] : 0;
}

static void parse_frame(rl_stack *st, const char *s, size_t len)
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
    rl_stack_add_frame(st, function, file, line);
    free(function);
    free(file);
}

/* The signal of a deadly-signal ERROR headline ("SEGV on unknown address"). */
static int deadly_signal(const char *h)
{
    static const struct {
        const char *prefix;
        int signo;
    } map[] = {
        {"SEGV", SIGSEGV}, {"BUS", SIGBUS},   {"FPE", SIGFPE},         {"ILL", SIGILL},
        {"ABRT", SIGABRT}, {"TRAP", SIGTRAP}, {"stack-overflow", SIGSEGV},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        size_t n = strlen(map[i].prefix);
        if (strncmp(h, map[i].prefix, n) == 0 && (h[n] == ' ' || h[n] == '\0'))
            return map[i].signo;
    }
    return 0;
}

/* Whether an intro line of a report body starts a context stack. */
static int context_stack(const rl_report *r, const char *s, size_t n)
{
    if (starts_with(s, n, "Location is") || starts_with(s, n, "As if synchronized"))
        return 1;
    if (starts_with(s, n, "Mutex ") && contains(s, n, " created at"))
        return 1;
    /* Where a thread was created is context, unless the thread itself is
     * what is reported. */
    if (starts_with(s, n, "Thread T") && contains(s, n, "created by"))
        return r->kind != RL_KIND_THREAD_LEAK;
    return 0;
}

/* Skip "==PID==" at the start of a sanitizer_common line. */
static size_t skip_pid_prefix(const char *s, size_t n)
{
    if (n < 3 || s[0] != '=' || s[1] != '=')
        return 0;
    size_t i = 2;
    while (i < n && isdigit((unsigned char)s[i]))
        i++;
    return i + 1 < n && s[i] == '=' && s[i + 1] == '=' ? i + 2 : 0;
}

void rl_tsan_parse(const char *text, size_t len, const rl_kind_rule *kinds, rl_tsan_log *out)
{
    memset(out, 0, sizeof *out);
    out->warnings = -1;
    rl_report *current = NULL; /* the open report or ERROR block */
    rl_stack *stack = NULL;
    int in_error = 0;
    const char *end = text + len;
    for (const char *p = text; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *line = p;
        p += n + (nl ? 1 : 0);
        if (n > 0 && line[n - 1] == '\r')
            n--;

        if (contains(line, n, BANNER)) {
            const char *pid = memmem(line, n, "(pid ", 5);
            out->starts++;
            if (pid && out->started_pid <= 0)
                out->started_pid = parse_int(pid + 5, (size_t)(line + n - pid - 5));
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
            rl_report_init(current, rl_kind_lookup(kinds, headline, NULL), headline, headline);
            free(headline);
            stack = NULL;
            in_error = 0;
            continue;
        }
        size_t after_pid = skip_pid_prefix(line, n);
        const char *rest = line + after_pid;
        size_t rn = n - after_pid;
        if (starts_with(rest, rn, "ERROR: ")) {
            /* "==PID==ERROR: ThreadSanitizer: SEGV on unknown address ..." */
            const char *h = rest + 7;
            size_t hn = rn - 7;
            if (starts_with(h, hn, "ThreadSanitizer: "))
                h += 17, hn -= 17;
            char *headline = rl_xstrndup(h, hn);
            current = rl_report_list_add(&out->errors);
            rl_report_init(current, RL_KIND_UNKNOWN, headline, headline);
            if (!out->error)
                out->error = rl_xstrdup(headline);
            int sig = deadly_signal(headline);
            if (sig && !out->error_signal)
                out->error_signal = sig;
            free(headline);
            stack = NULL;
            in_error = 1;
            continue;
        }
        if (starts_with(line, n, "SUMMARY: ")) {
            if (in_error && current && contains(line, n, "ThreadSanitizer: ")) {
                /* "SUMMARY: ThreadSanitizer: allocation-size-too-big ..." names the error */
                const char *t = (const char *)memmem(line, n, "ThreadSanitizer: ", 17) + 17;
                size_t tn = 0;
                while (t + tn < line + n && t[tn] != ' ')
                    tn++;
                free(current->tool_kind);
                current->tool_kind = rl_xstrndup(t, tn);
            }
            current = NULL;
            stack = NULL;
            continue;
        }
        if (starts_with(line, n, REPORTED)) {
            out->warnings = parse_int(line + sizeof REPORTED - 1, n - (sizeof REPORTED - 1));
            current = NULL;
            continue;
        }
        if (starts_with(line, n, STATS_END)) {
            out->finished = 1;
            current = NULL;
            continue;
        }
        if (contains(line, n, "FATAL: ThreadSanitizer") ||
            contains(line, n, "ThreadSanitizer: CHECK failed") ||
            contains(line, n, "ThreadSanitizer CHECK failed")) {
            if (!out->fatal)
                out->fatal = rl_xstrndup(line, n);
            continue;
        }
        int aborting = after_pid && starts_with(rest, rn, "ABORTING");
        if (aborting || (contains(line, n, "ThreadSanitizer") &&
                         (contains(line, n, "Dying") || contains(line, n, "aborting")))) {
            /* "==PID==ABORTING" closes an ERROR block; alone, or as "...
             * multi-threaded fork is not supported. Dying", the runtime
             * kills the process. */
            if (!out->dying && !(in_error && aborting))
                out->dying = rl_xstrndup(line, n);
            if (in_error && aborting)
                out->error_complete = 1;
            if (in_error)
                current = NULL;
            continue;
        }
        if (n > 0 && line[0] != ' ') {
            /* Out of any report: what names the runtime must be known. */
            /* Lines the runtime prints at verbosity=1 that say nothing
             * went wrong. Anything else naming it is an error until
             * someone who knows what it means adds it here. */
            int known = starts_with(line, n, "==================") ||
                        starts_with(line, n, "ThreadSanitizer:DEADLYSIGNAL") ||
                        starts_with(line, n, "ThreadSanitizer: forked new process with pid ") ||
                        starts_with(line, n, "Stats: ");
            int runtime = contains(line, n, "Sanitizer") || starts_with(rest, rn, "WARNING:") ||
                          starts_with(rest, rn, "ERROR:");
            if (!known && runtime && !out->unrecognised && !current)
                out->unrecognised = rl_xstrndup(line, n);
            if (!current)
                continue;
        }
        if (!current)
            continue;
        size_t i = 0;
        while (i < n && line[i] == ' ')
            i++;
        if (i == n) {
            stack = NULL; /* a blank line ends a stack */
            continue;
        }
        if (line[i] == '#') {
            size_t j = i + 1;
            while (j < n && isdigit((unsigned char)line[j]))
                j++;
            if (j < n && line[j] == ' ') {
                if (!stack) /* frames right after the headline: the report's own */
                    stack = rl_report_add_stack(current, "", 1);
                parse_frame(stack, line + j + 1, n - j - 1);
            }
            continue;
        }
        if (in_error)
            continue;
        size_t m = n;
        while (m > i && line[m - 1] == ' ')
            m--;
        if (current->nstacks == 0 && !stack && !strchr(current->headline, ':')) {
            /* The first line of the body says what happened ("Write of size
             * 4 at ... by thread T1:"); the headline alone is only the type. */
            size_t k = m;
            while (k > i && (line[k - 1] == ':' || line[k - 1] == ' '))
                k--;
            char *h = rl_xasprintf("%s: %.*s", current->headline, (int)(k - i), line + i);
            free(current->headline);
            current->headline = h;
        }
        if (m > i && line[m - 1] == ':') {
            /* "  Previous write of size 4 at ... by main thread:", "  and:" */
            char *title = rl_xstrndup(line + i, m - i - 1);
            int access = !context_stack(current, line + i, m - i);
            stack = rl_report_add_stack(current, strcmp(title, "and") == 0 ? "" : title, access);
            free(title);
        }
    }
}

void rl_tsan_log_clear(rl_tsan_log *log)
{
    rl_report_list_clear(&log->reports);
    rl_report_list_clear(&log->errors);
    free(log->fatal);
    free(log->error);
    free(log->dying);
    free(log->unrecognised);
    memset(log, 0, sizeof *log);
    log->warnings = -1;
}
