/* tool_tsan.c: ThreadSanitizer, with any compiler that has it.
 *
 * The run proves itself, and anything short of proof is an error:
 * - the toolchain instruments memory accesses (a canary compiled once per
 *   run must call __tsan_write4), the case's own object was instrumented
 *   (it calls into the runtime) and the binary holds the runtime;
 * - the runtime started: verbosity=1 makes it print a banner with its pid;
 * - its log is the run's: an absolute log_path unique to the run's log
 *   directory, opened once (a second open means a new image of the same
 *   process truncated it) and never deleted while the run went on;
 * - the runtime saw the run through: after a normal exit its end-of-run
 *   statistics are in the log (a program that closed its descriptors cuts
 *   them off), its "reported N warnings" agrees with the reports read, and
 *   an exit status of 66, TSan's own, comes with something reported;
 * - nothing in the log or on stderr says the runtime failed, stopped the
 *   process (an ERROR block, a deadly signal, "Dying"), or printed
 *   something racelab cannot place.
 * TSAN_OPTIONS are racelab's: the user's and the case's are taken only from
 * a short list of options that cannot hide a report. */
#define _GNU_SOURCE
#include "adapter.h"
#include "elf.h"
#include "fs.h"
#include "tsan_log.h"
#include "tsan_runtime.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* -U_FORTIFY_SOURCE: a toolchain that fortifies by default (as some
 * distributions' do) would turn memcpy and the like into glibc's checked
 * versions, which the runtime does not intercept. */
/* TSan runs with GCC too by default: the two runtimes differ. */
static const char *const tsan_more_programs[] = {"gcc", NULL};

static const char *const tsan_flags[] = {"-fsanitize=thread", "-g", "-O1", "-U_FORTIFY_SOURCE",
                                         NULL};

/* TSan's exit status after it reported something (its default exitcode). */
#define TSAN_EXITCODE 66

/* TSan: the headline of "WARNING: ThreadSanitizer: <headline> (pid=N)";
 * prefixes, so that "data race on vptr (...)" is still a data race. */
static const rl_kind_rule tsan_kinds[] = {
    {"data race", 1, NULL, NULL, RL_KIND_DATA_RACE, NULL},
    {"race on external object", 1, NULL, NULL, RL_KIND_DATA_RACE, NULL},
    {"heap-use-after-free", 1, NULL, NULL, RL_KIND_USE_AFTER_FREE, NULL},
    {"lock-order-inversion", 1, NULL, NULL, RL_KIND_LOCK_ORDER, NULL},
    {"unlock of an unlocked mutex", 1, NULL, NULL, RL_KIND_UNLOCK_UNLOCKED,
     "one headline for both cases, \"(or by a wrong thread)\": TSan does not say which"},
    {"double lock of a mutex", 1, NULL, NULL, RL_KIND_DOUBLE_LOCK, NULL},
    {"destroy of a locked mutex", 1, NULL, NULL, RL_KIND_DESTROY_LOCKED, NULL},
    {"use of an invalid mutex", 1, NULL, NULL, RL_KIND_INVALID_MUTEX, NULL},
    {"read lock of a write locked mutex", 1, NULL, NULL, RL_KIND_RWLOCK_MISUSE, NULL},
    {"read unlock of a write locked mutex", 1, NULL, NULL, RL_KIND_RWLOCK_MISUSE, NULL},
    {"thread leak", 1, NULL, NULL, RL_KIND_THREAD_LEAK, NULL},
    {"signal-unsafe call inside of a signal", 1, NULL, NULL, RL_KIND_SIGNAL_UNSAFE, NULL},
    {"signal handler spoils errno", 1, NULL, NULL, RL_KIND_ERRNO_SPOILED, NULL},
    {"mutex held in the wrong context", 1, NULL, NULL, RL_KIND_API_MISUSE,
     "LLVM 18 and later, annotations only"},
    {NULL, 0, NULL, NULL, RL_KIND_UNKNOWN, NULL},
};

/* Runtime options, from TSAN_OPTIONS or a case's "// options tsan:". */
#define BOOL "0|1|false|true|no|yes"
#define ON "1|true|yes"
#define OFF "0|false|no"
static const rl_option_rule tsan_rules[] = {
    {"history_size", "0|1|2|3|4|5|6|7", NULL},
    {"second_deadlock_stack", BOOL, NULL},
    {"print_full_thread_history", BOOL, NULL},
    {"allocator_may_return_null", BOOL, NULL},
    {"die_after_fork", BOOL, NULL},
    /* Whether TSan catches a deadly signal and reports it: off, a crash is
     * an error (its reports are unproven), never a pass. */
    {"handle_abort", BOOL, NULL},
    {"handle_segv", BOOL, NULL},
    {"handle_sigbus", BOOL, NULL},
    {"handle_sigill", BOOL, NULL},
    {"handle_sigfpe", BOOL, NULL},
    {"color", "always|never|auto", NULL},
    /* Switches that may be set, only on. */
    {"report_bugs", ON, NULL},
    {"report_thread_leaks", ON, NULL},
    {"report_destroy_locked", ON, NULL},
    {"report_mutex_bugs", ON, NULL},
    {"report_signal_unsafe", ON, NULL},
    {"report_atomic_races", ON, NULL},
    {"detect_deadlocks", ON, NULL},
    {"halt_on_error", OFF, NULL},
    {"ignore_interceptors_accesses", OFF, NULL},
    {"ignore_noninstrumented_modules", OFF, NULL},
    /* What racelab sets, and what can hide a report. */
    {"log_path", NULL, "racelab chooses where the log goes"},
    {"log_exe_name", NULL, "racelab chooses where the log goes"},
    {"log_suffix", NULL, "racelab chooses where the log goes"},
    {"verbosity", NULL, "racelab needs verbosity=1 to prove the runtime ran"},
    {"exitcode", NULL, "racelab reads TSan's own exit status, 66"},
    {"suppressions", NULL, "suppressions hide reports"},
    {"include", NULL, "an included file may hold any option"},
    {"include_if_exists", NULL, "an included file may hold any option"},
    {"external_symbolizer_path", NULL, "a symbolizer decides the frames markers are matched on"},
    {"strip_path_prefix", NULL, "it changes the frames markers are matched on"},
    {"force_seq_cst_atomics", NULL, "it adds synchronisation, which can hide a race"},
    {"flush_memory_ms", NULL, "flushing the shadow memory forgets accesses, which can hide a race"},
    {"memory_limit_mb", NULL, "flushing the shadow memory forgets accesses, which can hide a race"},
    {"io_sync", NULL, "it changes what TSan takes as synchronisation"},
    {"abort_on_error", NULL, "racelab needs TSan to exit normally after a report"},
    {"atexit_sleep_ms", NULL,
     "a shorter wait at exit loses the races of threads still running then (racelab keeps TSan's "
     "1000 ms, which it waits only while threads run)"},
    {NULL, NULL, NULL},
};

/* Split TSAN_OPTIONS exactly as the runtime does (sanitizer_flag_parser):
 * separators are space, comma, colon, tab, CR and LF; a value in quotes
 * ends at the closing quote, with no separator needed after it. Each flag
 * is pushed as "name=value". -1 and why when the runtime would refuse it. */
static int split_runtime_options(const char *s, rl_strv *out, rl_diag *diag)
{
    const char *sep = " ,:\t\r\n";
    size_t i = 0, n = strlen(s);
    while (i < n) {
        while (i < n && strchr(sep, s[i]))
            i++;
        if (i >= n)
            break;
        size_t name = i;
        while (i < n && s[i] != '=' && !strchr(sep, s[i]))
            i++;
        if (i >= n || s[i] != '=') {
            return rl_diag_set(diag, NULL, 0, "TSAN_OPTIONS: expected '=' after '%.*s'",
                               (int)(i - name), s + name);
        }
        size_t name_len = i - name, value;
        i++;
        size_t vlen;
        if (i < n && (s[i] == '\'' || s[i] == '"')) {
            char quote = s[i++];
            value = i;
            while (i < n && s[i] != quote)
                i++;
            if (i >= n) {
                return rl_diag_set(diag, NULL, 0, "TSAN_OPTIONS: unterminated quote after '%.*s='",
                                   (int)name_len, s + name);
            }
            vlen = i - value;
            i++;
        } else {
            value = i;
            while (i < n && !strchr(sep, s[i]))
                i++;
            vlen = i - value;
        }
        rl_strv_pushf(out, "%.*s=%.*s", (int)name_len, s + name, (int)vlen, s + value);
    }
    return 0;
}

static int tsan_check_environment(const rl_adapter *a, const rl_tool *tool, rl_diag *diag)
{
    (void)tool;
    const char *options = getenv("TSAN_OPTIONS");
    if (!options)
        return 0;
    rl_strv words = {0};
    int rc = split_runtime_options(options, &words, diag);
    if (rc == 0)
        rc = rl_check_option_words(words.v, words.n, a->options, "TSAN_OPTIONS option", diag);
    rl_strv_clear(&words);
    if (rc < 0)
        rl_diag_append(diag, "\n  (racelab refuses TSAN_OPTIONS it cannot prove harmless: a clean "
                         "verdict under them would prove nothing)");
    return rc;
}

static int tsan_check_options(const rl_adapter *a, char *const *words, size_t n, rl_diag *diag)
{
    for (size_t i = 0; i < n; i++)
        if (strpbrk(words[i], ":,\"'"))
            return rl_diag_set(diag, NULL, 0,
                               "tsan option '%s': one NAME=VALUE a word, without ':' ',' or quotes",
                               words[i]);
    return rl_check_option_words(words, n, a->options, "tsan option", diag);
}

static const char *tsan_compiler(const rl_adapter *a, const rl_tool *tool)
{
    (void)a;
    return tool->program;
}

/* The canary: one store to a global, which an instrumenting compiler turns
 * into a call to __tsan_write4. A compiler told to instrument nothing but
 * function entries (-mllvm -tsan-instrument-memory-accesses=0 in a wrapper)
 * fails here. */
static int tsan_check_toolchain(const rl_adapter *a, const rl_tool *tool, rl_diag *diag)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = rl_xasprintf("%s/racelab-canary.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        rl_diag_set(diag, NULL, 0, "cannot create a directory for the canary build: %s",
                    strerror(errno));
        free(dir);
        return -1;
    }
    char *src = rl_xasprintf("%s/canary.c", dir), *obj = rl_xasprintf("%s/canary.o", dir);
    char *log = rl_xasprintf("%s/build.log", dir);
    static const char canary[] = "int racelab_canary_shared;\n"
                                 "void racelab_canary(int v) { racelab_canary_shared = v; }\n";
    int fd = open(src, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int rc = -1;
    if (fd < 0 || write(fd, canary, sizeof canary - 1) != (ssize_t)(sizeof canary - 1)) {
        rl_diag_set(diag, NULL, 0, "cannot write %s: %s", src, strerror(errno));
    } else {
        rl_strv argv = {0};
        rl_strv_push(&argv, tool->compiler.path);
        for (size_t i = 0; a->build_flags[i]; i++)
            rl_strv_push(&argv, a->build_flags[i]);
        const char *rest[] = {"-pthread", "-c", "-o", obj, src};
        for (size_t i = 0; i < 5; i++)
            rl_strv_push(&argv, rest[i]);
        char **envp = rl_compiler_env(NULL);
        rl_spawn s = {.argv = argv.v, .envp = envp, .cwd = dir, .stdout_path = log, .stderr_path = log,
                      .timeout = 120};
        rl_outcome o;
        int found = 0;
        rl_diag problem = RL_DIAG_INIT;
        if (rl_spawn_wait(&s, &o, &problem) < 0 || !o.exited || o.status != 0) {
            rl_diag_set(diag, NULL, 0, "'%s' cannot compile a ThreadSanitizer canary%s",
                        tool->program, problem.message ? ": " : "");
            rl_diag_append_raw(diag, rl_diag_message(&problem));
            rl_diag_add_excerpt(diag, "compiler output", log);
        } else if (rl_object_calls_one_of(obj, (const char *const[]){"__tsan_write4", NULL}, &found,
                                          diag) == 0) {
            if (found)
                rc = 0;
            else
                rl_diag_set(diag, NULL, 0,
                            "'%s' -fsanitize=thread compiled a store without a call to "
                            "__tsan_write4: it does not instrument memory accesses",
                            tool->program);
        }
        rl_diag_clear(&problem);
        rl_outcome_clear(&o);
        rl_strv_free(envp);
        rl_strv_clear(&argv);
    }
    if (fd >= 0)
        close(fd);
    rl_empty_dir(dir, NULL);
    rmdir(dir);
    free(src);
    free(obj);
    free(log);
    free(dir);
    return rc;
}

/* An instrumented object calls into the runtime (its module constructor
 * calls __tsan_init, its functions __tsan_func_entry). Of the runtime's
 * names it takes only interceptors, instrumentation entry points and the
 * test-only barrier, and it defines none of them (tsan_runtime.c says why
 * and learns them from the toolchain). */
static int tsan_check_object(const rl_adapter *a, const rl_tool *tool, const char *object,
                             rl_diag *diag)
{
    const rl_tsan_runtime *rt = rl_tsan_runtime_for(tool, a->build_flags, diag);
    if (!rt)
        return -1;
    rl_elf_symbols syms;
    if (rl_elf_read_symbols(object, &syms, diag) < 0)
        return -1;
    int instrumented = 0;
    const char *defined = NULL, *refused = NULL, *checked = NULL;
    for (size_t i = 0; i < syms.count; i++) {
        const rl_elf_symbol *s = &syms.items[i];
        if (!s->defined) {
            instrumented |= strcmp(s->name, "__tsan_init") == 0 ||
                            strcmp(s->name, "__tsan_func_entry") == 0;
            if (!refused && !rl_tsan_runtime_allows(rt, s->name))
                refused = s->name;
            size_t n = strlen(s->name);
            if (!checked && n > 6 && strncmp(s->name, "__", 2) == 0 &&
                strcmp(s->name + n - 4, "_chk") == 0 && !rl_tsan_runtime_intercepts(rt, s->name))
                checked = s->name;
        } else if (s->global && !defined && rl_tsan_runtime_defines(rt, s->name))
            defined = s->name;
    }
    int rc = -1;
    if (!instrumented)
        rl_diag_set(diag, NULL, 0,
                    "the object %s calls nothing of ThreadSanitizer's: '%s' did not compile the "
                    "case with -fsanitize=thread",
                    object, tool->program);
    else if (defined)
        rl_diag_set(diag, NULL, 0,
                    "the case defines %s, a name of ThreadSanitizer's runtime (%s): it would "
                    "replace the runtime's own (its options, suppressions, report hooks, an "
                    "interceptor)",
                    defined, rt->path);
    else if (checked)
        rl_diag_set(diag, NULL, 0,
                    "the case calls %s, glibc's checked version of a function (_FORTIFY_SOURCE), "
                    "which ThreadSanitizer's runtime (%s) does not intercept: the memory it "
                    "touches would go unchecked (leave _FORTIFY_SOURCE undefined)",
                    checked, rt->path);
    else if (refused)
        rl_diag_set(diag, NULL, 0,
                    "the case calls %s, which ThreadSanitizer's runtime (%s) offers but the "
                    "compiler's instrumentation never calls and no libc function is: an "
                    "annotation, an ignore or a hook, which could tell the tool to look away",
                    refused, rt->path);
    else
        rc = 0;
    rl_elf_symbols_clear(&syms);
    return rc;
}

static int tsan_check_build(const rl_adapter *a, const rl_tool *tool, char *const *compile_argv,
                            const char *object, rl_diag *diag)
{
    (void)a;
    return rl_tsan_audit(tool, compile_argv, object, diag);
}

static int tsan_check_binary(const rl_adapter *a, const rl_tool *tool, const char *binary,
                             rl_diag *diag)
{
    size_t len;
    char *bytes = rl_read_file(binary, &len, NULL);
    (void)a;
    int found = bytes && memmem(bytes, len, "__tsan_init", 11);
    free(bytes);
    if (found)
        return 0;
    return rl_diag_set(diag, NULL, 0,
                       "the binary has no ThreadSanitizer runtime (no __tsan_init): '%s' did not "
                       "link it with -fsanitize=thread",
                       tool->program);
}

static void tsan_command(const rl_adapter *a, const rl_tool *tool, const rl_case *c,
                         const rl_options *options, const char *binary, const char *log_dir,
                         rl_strv *argv, rl_env *env)
{
    (void)a, (void)tool;
    rl_strv_push(argv, binary);
    for (size_t i = 0; i < c->nargs; i++)
        rl_strv_push(argv, c->args[i]);
    /* The user's, the case's, and last what racelab depends on. The log
     * path is absolute, so a program that changes directory still logs
     * here. */
    rl_buf o = {0};
    const char *user = getenv("TSAN_OPTIONS");
    if (user && *user)
        rl_buf_puts(&o, user);
    for (size_t i = 0; options && i < options->nwords; i++)
        rl_buf_printf(&o, "%s%s", o.len ? ":" : "", options->words[i]);
    /* Last, and so over anything the user, the case or the program's own
     * __tsan_default_options said: where the log goes, the banner and
     * statistics that prove the run, TSan's exit status, every switch that
     * could hide a report at its checking value, and no colour (escape
     * codes would hide the lines racelab reads). print_suppressions makes a
     * suppression the program compiled in say that it matched. */
    rl_buf_printf(&o, "%slog_path=\"%s/tsan\":log_exe_name=0:log_suffix=:verbosity=1:exitcode=%d",
                  o.len ? ":" : "", log_dir, TSAN_EXITCODE);
    rl_buf_puts(&o, ":atexit_sleep_ms=1000:report_bugs=1:report_thread_leaks=1:report_destroy_locked=1"
                    ":report_mutex_bugs=1:report_signal_unsafe=1:report_atomic_races=1"
                    ":detect_deadlocks=1:halt_on_error=0:abort_on_error=0"
                    ":ignore_interceptors_accesses=0:ignore_noninstrumented_modules=0"
                    ":force_seq_cst_atomics=0:flush_memory_ms=0:memory_limit_mb=0:io_sync=1"
                    ":suppressions=:print_suppressions=1:strip_path_prefix=:color=never");
    rl_env_set(env, "TSAN_OPTIONS", o.data);
    rl_buf_free(&o);
}

/* One log file's facts, kept while all are read. */
typedef struct log_facts {
    char *path, *name;
    rl_tsan_log log;
} log_facts;

static int tsan_collect(const rl_adapter *a, const rl_tool *tool, char *const *argv,
                        const char *log_dir, const rl_outcome *o, rl_report_list *reports,
                        rl_ending *ending, char **log_path, rl_diag *diag)
{
    (void)tool, (void)argv;
    int rc = 0;
    log_facts *logs = NULL;
    size_t nlogs = 0;
    DIR *d = opendir(log_dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, "tsan.", 5) != 0)
            continue;
        char *path = rl_xasprintf("%s/%s", log_dir, e->d_name);
        size_t len;
        rl_diag problem = RL_DIAG_INIT;
        char *text = rl_read_file(path, &len, &problem);
        if (!text) {
            if (!diag->message) {
                rc = rl_diag_set(diag, NULL, 0, "cannot read ThreadSanitizer's log %s: ", path);
                rl_diag_append_raw(diag, rl_diag_message(&problem));
            }
            rl_diag_clear(&problem);
            free(path);
            continue;
        }
        logs = rl_xrealloc(logs, (nlogs + 1) * sizeof *logs);
        log_facts *f = &logs[nlogs++];
        f->path = path;
        f->name = rl_xstrdup(e->d_name);
        rl_tsan_parse(text, len, a->kinds, &f->log);
        free(text);
    }
    if (d)
        closedir(d);
    char *stderr_path = rl_xasprintf("%s/stderr.txt", log_dir);
    size_t elen = 0;
    char *err_text = rl_read_file(stderr_path, &elen, NULL);
    rl_tsan_log err;
    rl_tsan_parse(err_text ? err_text : "", err_text ? elen : 0, a->kinds, &err);
    free(err_text);

    /* The program's log is tsan.PID. A log of another name with a start
     * banner is not the runtime's: forked children print none. */
    char main_name[32];
    snprintf(main_name, sizeof main_name, "tsan.%d", o->pid);
    log_facts *main_log = NULL;
    for (size_t i = 0; i < nlogs; i++) {
        const char *digits = logs[i].name + 5;
        int numbered = *digits && strspn(digits, "0123456789") == strlen(digits);
        if (strcmp(logs[i].name, main_name) == 0 && logs[i].log.started_pid == o->pid)
            main_log = &logs[i];
        else if (!numbered)
            rc = rl_diag_set_first(diag, "%s is no log ThreadSanitizer writes here (it names them tsan.PID)",
                      logs[i].path);
        else if (logs[i].log.starts)
            rc = rl_diag_set_first(diag, "%s holds a start banner, which only the program's own log "
                                "(%s) may: it is not the runtime's",
                      logs[i].path, main_name);
    }
    if (main_log)
        *log_path = rl_xstrdup(main_log->path);
    else if (nlogs)
        *log_path = rl_xstrdup(logs[0].path);

    /* Failures of the runtime itself, in the logs or on stderr. */
    for (size_t i = 0; i < nlogs; i++)
        if (logs[i].log.fatal)
            rc = rl_diag_set_first(diag, "ThreadSanitizer failed: %s", logs[i].log.fatal);
    if (err.fatal)
        rc = rl_diag_set_first(diag, "ThreadSanitizer failed: %s", err.fatal);
    if (rc < 0 && strstr(rl_diag_message(diag), "unexpected memory mapping"))
        rl_diag_append(diag, "\n  (TSan before LLVM 18 cannot run with the kernel's high ASLR "
                         "entropy; the known remedy: sysctl vm.mmap_rnd_bits=28)");
    /* The runtime writes its ERROR blocks to the log; one on stderr is
     * either the runtime failing before it had a log, or not the runtime. */
    if (err.error)
        rc = rl_diag_set_first(diag, "ThreadSanitizer stopped with an error (on stderr): %s", err.error);

    /* The logs are the run's own, and whole. */
    if (!o->watched)
        rc = rl_diag_set_first(diag, "racelab could not watch %s during the run (inotify unavailable or "
                            "overwhelmed), so it cannot tell whether ThreadSanitizer's logs are "
                            "whole", log_dir);
    for (size_t i = 0; i < o->nfiles; i++) {
        const rl_file_events *f = &o->files[i];
        if (strncmp(f->name, "tsan.", 5) == 0 && f->deleted)
            rc = rl_diag_set_first(diag, "the log %s/%s was deleted or moved during the run: its reports "
                                "are lost", log_dir, f->name);
    }
    const rl_file_events *main_events = rl_outcome_file(o, main_name);
    if (main_events && main_events->opened > 1)
        rc = rl_diag_set_first(diag, "the log %s/%s was opened %d times: a new image of the process (exec) "
                  "truncated what the first had written",
                  log_dir, main_name, main_events->opened);
    if (!main_log && !o->timed_out) {
        if (main_events && main_events->created)
            rc = rl_diag_set_first(diag, "ThreadSanitizer's log %s/%s was written, then lost", log_dir,
                      main_name);
        const char *sig = o->signal ? rl_signal_name(o->signal) : NULL;
        if (o->signal)
            rc = rl_diag_set_first(diag,
                                   "ThreadSanitizer did not start: no runtime banner for pid %d in "
                                   "%s; the program was killed by signal %d (%s) before the runtime "
                                   "wrote anything",
                                   o->pid, log_dir, o->signal, sig ? sig : "?");
        else
            rc = rl_diag_set_first(diag,
                                   "ThreadSanitizer did not start: no runtime banner for pid %d in "
                                   "%s (the program exited with %d)",
                                   o->pid, log_dir, o->status);
        rl_diag_add_excerpt(diag, "program stderr", stderr_path);
    } else if (!main_log)
        rc = rl_diag_set_first(diag, "ThreadSanitizer had not started when the time limit was reached");
    int error_signal = 0; /* only from a log: stderr is the program's too */
    size_t nreports = 0;
    for (size_t i = 0; i < nlogs; i++) {
        const rl_tsan_log *l = &logs[i].log;
        nreports += l->reports.count;
        if (l->error_signal && !error_signal)
            error_signal = l->error_signal;
        if (l->unrecognised) {
            rc = rl_diag_set_first(diag, "ThreadSanitizer printed what racelab cannot place, in %s: %s",
                      logs[i].path, l->unrecognised);
            if (strstr(l->unrecognised, "symbolizer"))
                rl_diag_append(diag, "\n  (without a symbolizer no frame has a file and line: "
                                 "install the llvm package of the compiler's version, which "
                                 "has llvm-symbolizer)");
        }
        /* A forked child starts with its parent's count: its own reports
         * plus at most those the other processes made. */
        size_t others = 0;
        for (size_t k = 0; k < nlogs && &logs[i] != main_log; k++)
            others += k == i ? 0 : logs[k].log.reports.count;
        size_t counted = l->warnings >= 0 ? (size_t)l->warnings : 0;
        if (!o->timed_out && l->warnings >= 0 &&
            (counted < l->reports.count || counted > l->reports.count + others))
            rc = rl_diag_set_first(diag, "ThreadSanitizer says it reported %d warnings but racelab read %zu from "
                      "%s: a report format it does not know?",
                      l->warnings, l->reports.count, logs[i].path);
    }
    if (o->strays)
        rc = rl_diag_set_first(diag, "%d process%s the program started %s still running when it ended, and "
                  "%s killed: what %s would still have done is unchecked",
                  o->strays, o->strays == 1 ? "" : "es", o->strays == 1 ? "was" : "were",
                  o->strays == 1 ? "was" : "were", o->strays == 1 ? "it" : "they");
    /* A verdict resting on what was not reported needs proof that the
     * runtime finished writing: its end-of-run statistics, or its own
     * report of the deadly signal it caught, written whole. */
    if (!o->timed_out && o->signal && !(main_log && main_log->log.finished)) {
        const char *name = rl_signal_name(o->signal);
        rc = rl_diag_set_first(diag,
                               "the program was killed by signal %d (%s), which ThreadSanitizer "
                               "did not catch: it had no chance to finish writing its reports, "
                               "so their absence proves nothing (declare a crash ThreadSanitizer "
                               "catches, docs/case-format.md)",
                               o->signal, name ? name : "?");
    }
    if (error_signal) {
        int whole = 0;
        for (size_t i = 0; i < nlogs && !whole; i++)
            whole = logs[i].log.error_signal && logs[i].log.error_complete;
        if (!whole)
            rc = rl_diag_set_first(diag,
                                   "ThreadSanitizer's report of the deadly signal it caught is cut "
                                   "off (no \"ABORTING\" after it): what it was still writing is "
                                   "lost");
    }
    /* A forked child's log proves its run the same way: a child killed
     * (or gone by exec or _exit) before the runtime finished may have had
     * a report on its way. */
    for (size_t i = 0; i < nlogs; i++) {
        const log_facts *l = &logs[i];
        if (l != main_log && !l->log.finished && !l->log.dying && !l->log.error &&
            !l->log.error_signal && !l->log.fatal)
            rc = rl_diag_set_first(diag,
                                   "the log %s of a forked child has no end-of-run statistics "
                                   "from ThreadSanitizer: the child was killed, or left by exec "
                                   "or _exit, before the runtime finished, so its reports may "
                                   "be lost",
                                   l->path);
    }
    if (main_log && main_log->log.starts > 1)
        rc = rl_diag_set_first(diag, "ThreadSanitizer started %d times in one log (%s)",
                  main_log->log.starts, main_log->path);
    if (main_log && o->exited && !main_log->log.finished && !error_signal &&
        !main_log->log.dying && !main_log->log.error)
        rc = rl_diag_set_first(diag, "the log %s has no end-of-run statistics from ThreadSanitizer, though the "
                  "program exited: it was cut off (did the program close its file descriptors, "
                  "or end with _exit?), so reports may be lost",
                  main_log->path);
    size_t nerrors = 0;
    for (size_t i = 0; i < nlogs; i++)
        nerrors += logs[i].log.errors.count + (logs[i].log.dying ? 1 : 0);
    if (o->exited && o->status == TSAN_EXITCODE && nreports == 0 && nerrors == 0 && !error_signal)
        rc = rl_diag_set_first(diag, "the program exited with %d, ThreadSanitizer's status after a report, but no "
                  "report was read (a program may not use exit status %d under tsan)",
                  TSAN_EXITCODE, TSAN_EXITCODE);

    /* The ending. */
    if (error_signal) {
        const char *name = rl_signal_name(error_signal);
        const char *what = NULL;
        for (size_t i = 0; i < nlogs && !what; i++)
            if (logs[i].log.error_signal)
                what = logs[i].log.error;
        rl_ending_set(ending, RL_KIND_SIGNAL, error_signal, 1,
                      "signal %d (%s), caught by ThreadSanitizer: %s", error_signal,
                      name ? name : "?", what ? what : "");
    } else if (o->exited && o->status == TSAN_EXITCODE && (nreports || nerrors))
        rl_ending_set(ending, RL_KIND_EXIT, o->status, 1,
                      "exit %d, ThreadSanitizer's status after it reported (the program's own "
                      "status is not known)",
                      o->status);
    else
        rl_ending_from_outcome(o, ending);

    /* Reports: every WARNING block of every process; an ERROR block that
     * is not a deadly signal, and a line of the runtime killing a process,
     * are reports too, which no expectation can meet. */
    for (size_t i = 0; i < nlogs; i++) {
        rl_tsan_log *l = &logs[i].log;
        rl_report_list_move(reports, &l->reports);
        for (size_t k = 0; k < l->errors.count; k++) {
            rl_report *r = &l->errors.items[k];
            if (l->error_signal && l->error && strcmp(r->headline, l->error) == 0)
                continue;
            *rl_report_list_add(reports) = *r;
            memset(r, 0, sizeof *r);
        }
        if (l->dying) {
            rl_report *r = rl_report_list_add(reports);
            rl_report_init(r, RL_KIND_UNKNOWN, "runtime stopped the process", l->dying);
        }
    }
    if (err.dying) {
        rl_report *r = rl_report_list_add(reports);
        rl_report_init(r, RL_KIND_UNKNOWN, "runtime stopped the process", err.dying);
    }

    for (size_t i = 0; i < nlogs; i++) {
        free(logs[i].path);
        free(logs[i].name);
        rl_tsan_log_clear(&logs[i].log);
    }
    free(logs);
    rl_tsan_log_clear(&err);
    free(stderr_path);
    return rc;
}

/* Variables the runtime reads beside TSAN_OPTIONS: clang's reads
 * UBSAN_OPTIONS after it, with the flags they share (detect_deadlocks=0,
 * intercept_strlen=0 would hide reports), and a symbolizer named here could
 * put frames on any line. Every run loses them. */
static const char *const tsan_env_unset[] = {"UBSAN_OPTIONS", "UBSAN_SYMBOLIZER_PATH",
                                              "TSAN_SYMBOLIZER_PATH", "SANCOV_OPTIONS",
                                              "ASAN_OPTIONS", "LSAN_OPTIONS", NULL};

/* What TSan has no check for, or cannot tell (measured in the cases named). */
static const rl_blind_spot tsan_blind[] = {
    {RL_KIND_UNLOCK_FOREIGN, "one headline for both, \"unlock of an unlocked mutex (or by a wrong "
                             "thread)\", read as unlock-unlocked (mutex_unlock_foreign)"},
    {RL_KIND_DOUBLE_LOCK, "it records a lock only when the call succeeds: a relock fails with "
                          "EDEADLK or hangs, never granted (relock_errorcheck: clean)"},
    {RL_KIND_RWLOCK_MISUSE, "the same: a read lock a writer holds is refused, never granted "
                            "(rwlock_read_under_write: clean)"},
    {RL_KIND_COND_MISUSE, "no condition-variable checks (cond_signal_unlocked: clean)"},
    {RL_KIND_BARRIER_MISUSE, "no barrier checks (barrier_count_zero: clean)"},
    {RL_KIND_SEMAPHORE_MISUSE, "no semaphore checks (sem_reinit: clean)"},
    {RL_KIND_HELD_LOCK_AT_EXIT, "no check of locks held at a thread's end "
                                "(thread_exit_holding_lock: clean)"},
    {RL_KIND_LOCK_CONTENTION, "no hold-time check (lock_held_too_long: clean)"},
    {RL_KIND_API_MISUSE, "no check of pthread calls' errors; its one report of that kind, "
                         "\"mutex held in the wrong context\" (LLVM 18 and later), needs an "
                         "annotation (join_twice: clean with GCC)"},
    {RL_KIND_ATOMICITY, "each step is atomic, so there is no race to see (atomic_toggle_race: "
                        "clean)"},
    {RL_KIND_UNKNOWN, NULL},
};

const rl_adapter rl_tsan_adapter = {
    .name = "tsan",
    .role = RL_ROLE_COMPILER,
    .default_program = "clang",
    .more_default_programs = tsan_more_programs,
    .kinds = tsan_kinds,
    .blind = tsan_blind,
    .env_unset = tsan_env_unset,
    .kinds_doc = "A report's name is the headline of `WARNING: ThreadSanitizer: HEADLINE "
                 "(pid=N)`, which a rule's name begins (`...`).",
    .options = tsan_rules,
    .build_name = "tsan",
    .build_flags = tsan_flags,
    .timeout_factor = 4,
    .startup_seconds = 0.5,
    .compiler = tsan_compiler,
    .check_environment = tsan_check_environment,
    .check_options = tsan_check_options,
    .check_toolchain = tsan_check_toolchain,
    .check_build = tsan_check_build,
    .check_object = tsan_check_object,
    .check_binary = tsan_check_binary,
    .command = tsan_command,
    .collect = tsan_collect,
};
