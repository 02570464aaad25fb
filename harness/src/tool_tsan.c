/* tool_tsan.c: ThreadSanitizer, with any compiler that has it.
 *
 * The runtime writes to log_path, apart from the program's own output. The
 * run proves itself: verbosity=1 makes the runtime print a banner with its
 * pid as it starts, and its closing "reported N warnings" must agree with
 * the reports read. No banner means no TSan, whatever the exit status. */
#define _GNU_SOURCE
#include "adapter.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tsan_flags[] = {"-fsanitize=thread", "-g", "-O1", NULL};

static const char *tsan_compiler(const rl_tool *tool)
{
    return tool->program;
}

static int tsan_check_binary(const rl_tool *tool, const char *binary, rl_buf *why)
{
    size_t len;
    char *bytes = rl_read_file(binary, &len);
    int found = bytes && memmem(bytes, len, "__tsan_init", 11);
    free(bytes);
    if (found)
        return 0;
    rl_buf_printf(why,
                  "the binary has no ThreadSanitizer runtime (no __tsan_init): '%s' did not "
                  "build it with -fsanitize=thread",
                  tool->program);
    return -1;
}

/* TSAN_OPTIONS that switch reports off: under them "clean" would mean
 * nothing, so racelab refuses to run rather than pass. */
static const char *const silencing_flags[] = {
    "report_bugs",        "report_thread_leaks", "report_destroy_locked", "report_mutex_bugs",
    "report_signal_unsafe", "report_atomic_races", "detect_deadlocks",
};

static int tsan_check_environment(const rl_tool *tool, rl_buf *why)
{
    (void)tool;
    const char *options = getenv("TSAN_OPTIONS");
    if (!options)
        return 0;
    /* The runtime splits on these, and takes the last of repeated flags;
     * refusing any "off" is stricter, and simpler to explain. */
    const char *separators = ": ,\t\n\r";
    for (const char *p = options; *p;) {
        size_t n = strcspn(p, separators);
        const char *eq = memchr(p, '=', n);
        if (eq) {
            size_t klen = (size_t)(eq - p), vlen = n - klen - 1;
            const char *v = eq + 1;
            if (vlen >= 2 && (v[0] == '"' || v[0] == '\'') && v[vlen - 1] == v[0]) {
                v++;
                vlen -= 2;
            }
            int off = (vlen == 1 && v[0] == '0') || (vlen == 5 && !strncmp(v, "false", 5)) ||
                      (vlen == 2 && !strncmp(v, "no", 2));
            int silencing = klen == 12 && !strncmp(p, "suppressions", 12) && vlen > 0;
            for (size_t i = 0; i < sizeof silencing_flags / sizeof *silencing_flags; i++)
                silencing |= off && strlen(silencing_flags[i]) == klen &&
                             !strncmp(p, silencing_flags[i], klen);
            if (silencing) {
                rl_buf_printf(why,
                              "TSAN_OPTIONS has %.*s, which keeps ThreadSanitizer from reporting: "
                              "racelab cannot check a tool told not to report",
                              (int)n, p);
                return -1;
            }
        }
        p += n;
        p += strspn(p, separators);
    }
    return 0;
}

static void tsan_command(const rl_tool *tool, const char *binary, const char *log_dir,
                         rl_strv *argv, rl_strv *env)
{
    (void)tool, (void)log_dir;
    rl_strv_push(argv, binary);
    /* Ours first as defaults the user may override (no 1 s sleep at exit),
     * the user's next, then what racelab depends on. The run's working
     * directory is its log directory, so the relative log_path needs no
     * quoting whatever the path holds. */
    const char *user = getenv("TSAN_OPTIONS");
    char *options = rl_xasprintf("atexit_sleep_ms=0%s%s:log_path=tsan:verbosity=1",
                                 user && *user ? ":" : "", user ? user : "");
    rl_env_with(env, "TSAN_OPTIONS", options);
    free(options);
}

static int tsan_collect(const rl_tool *tool, const char *log_dir, const rl_outcome *o,
                        rl_report_list *reports, char **log_path, rl_buf *why)
{
    (void)tool;
    int main_found = 0, rc = 0;
    char *fatal = NULL;
    DIR *d = opendir(log_dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, "tsan.", 5) != 0)
            continue;
        char *path = rl_xasprintf("%s/%s", log_dir, e->d_name);
        size_t len;
        char *text = rl_read_file(path, &len);
        rl_tsan_log log;
        rl_tsan_parse(text ? text : "", text ? len : 0, &log);
        free(text);
        if (log.fatal && !fatal)
            fatal = rl_xstrdup(log.fatal);
        int is_main = log.started_pid == o->pid;
        if (is_main) {
            main_found = 1;
            free(*log_path);
            *log_path = rl_xstrdup(path);
            if (!o->timed_out && log.warnings >= 0 && (size_t)log.warnings != log.reports.count) {
                rl_buf_printf(why,
                              "ThreadSanitizer says it reported %d warnings but racelab read %zu "
                              "from %s: a report format it does not know?",
                              log.warnings, log.reports.count, path);
                rc = -1;
            }
        } else if (!*log_path)
            *log_path = rl_xstrdup(path);
        /* Reports of forked children count too. */
        for (size_t i = 0; i < log.reports.count; i++) {
            *rl_report_list_add(reports) = log.reports.items[i];
        }
        free(log.reports.items);
        log.reports.items = NULL;
        log.reports.count = 0;
        rl_tsan_log_clear(&log);
        free(path);
    }
    if (d)
        closedir(d);

    char *stderr_path = rl_xasprintf("%s/stderr.txt", log_dir);
    char *err_text = rl_read_file(stderr_path, NULL);
    if (!fatal && err_text) {
        char *line = strstr(err_text, "FATAL: ThreadSanitizer");
        if (line)
            fatal = rl_xstrndup(line, strcspn(line, "\n"));
    }
    if (rc == 0 && fatal) {
        rl_buf_printf(why, "ThreadSanitizer failed: %s", fatal);
        if (strstr(fatal, "unexpected memory mapping"))
            rl_buf_puts(why, "\n  (TSan before LLVM 18 cannot run with the kernel's high ASLR "
                             "entropy; the known remedy: sysctl vm.mmap_rnd_bits=28)");
        rc = -1;
    } else if (rc == 0 && !main_found) {
        rl_buf_printf(why, "ThreadSanitizer did not start: no runtime banner for pid %d in %s",
                      o->pid, log_dir);
        rl_buf_add_excerpt(why, "program stderr", stderr_path);
        rc = -1;
    } else if (rc == 0 && o->signal) {
        rl_buf_printf(why, "the program was killed by signal %d (%s) under ThreadSanitizer",
                      o->signal, strsignal(o->signal));
        rc = -1;
    }
    if (rc == 0)
        rl_add_hang_report(o, reports);
    free(err_text);
    free(stderr_path);
    free(fatal);
    return rc;
}

const rl_adapter rl_tsan_adapter = {
    .id = RL_TOOL_TSAN,
    .default_program = "clang",
    .build_name = "tsan",
    .build_flags = tsan_flags,
    .timeout_factor = 4,
    .startup_seconds = 0.5,
    .check_environment = tsan_check_environment,
    .compiler = tsan_compiler,
    .check_binary = tsan_check_binary,
    .command = tsan_command,
    .collect = tsan_collect,
};
