/* main.c: the racelab command, a thin front over the library. */
#define _GNU_SOURCE
#include "racelab.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <limits.h>

/* Where the catalogue and the work directory are when no option says: a
 * racelab in its build tree takes the checkout's cases/ and BUILD/work; an
 * installed one PREFIX/share/racelab/cases (found from where the program
 * is) and ./racelab-work. */
static char default_cases[PATH_MAX + 64] = "cases";
static char default_work[PATH_MAX + 64] = "racelab-work";

static void find_defaults(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return;
    *slash = '\0';
#ifdef RACELAB_BUILD_DIR
    char *build = realpath(RACELAB_BUILD_DIR, NULL);
    int in_build_tree = build && strcmp(build, exe) == 0;
    free(build);
    if (in_build_tree) {
        snprintf(default_cases, sizeof default_cases, "%s", RACELAB_BUILD_CASES);
        snprintf(default_work, sizeof default_work, "%s/work", exe);
        return;
    }
#endif
#ifdef RACELAB_INSTALLED_CASES
    snprintf(default_cases, sizeof default_cases, "%s/%s", exe, RACELAB_INSTALLED_CASES);
    char *real = realpath(default_cases, NULL);
    if (real) {
        snprintf(default_cases, sizeof default_cases, "%s", real);
        free(real);
    }
#endif
}

enum { EXIT_PASSED = 0, EXIT_FAILED = 1, EXIT_INPUT = 2, EXIT_INTERRUPTED = 130 };

static void print_usage(FILE *f)
{
    fprintf(f,
            "usage: racelab list [CASE...] [--cases DIR]... [--table]\n"
            "       racelab run [CASE...] [--tool TOOL[:PROGRAM]]... [--cases DIR]...\n"
            "                   [--jobs N] [--json FILE] [--work DIR]\n"
            "       racelab record [CASE...] --tool TOOL[:PROGRAM]... --out DIR [--cases DIR]...\n"
            "                   [--work DIR]\n"
            "       racelab --version | --help\n"
            "\n"
            "  CASE       a case name from the cases directories, or a path to a .c file\n"
            "  --tool     %s;\n"
            "             repeatable. Default: tsan and helgrind, and the others for the\n"
            "             cases that declare them\n"
            "  --cases    directory of case files, repeatable (default: %s)\n"
            "  --jobs, -j (case, tool) jobs run at once (default: one per CPU)\n"
            "  --json     also write the results as JSON to FILE\n"
            "  --work     where builds and logs go (default: %s)\n"
            "  --out      record: where the recorded logs go (DIR/CASE/TOOL-TOOLCHAIN/)\n"
            "  --table    list: a markdown table of what each tool is expected to report\n"
            "\n"
            "Exit status: 0 all passed, 1 something failed or could not run (or nothing\n"
            "was verified), 2 bad usage or bad input (the rest still runs), 130 interrupted.\n",
            rl_tool_usage(), default_cases, default_work);
}

typedef struct options {
    const char *command;
    const char **names;
    size_t nnames;
    const char **dirs;
    size_t ndirs;
    rl_tool *tools;
    size_t ntools;
    int jobs;
    const char *json;
    const char *work;
    const char *out;
    int table;
} options;

typedef struct inputs {
    rl_case **cases;
    size_t ncases;
    rl_diag *errors;
    size_t nerrors;
} inputs;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    __atomic_store_n(&interrupted, 1, __ATOMIC_RELAXED); /* worker threads read it */
}

static void *grow(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        abort();
    return p;
}

static void input_error(inputs *in, const rl_diag *d)
{
    char buf[2200];
    fprintf(stderr, "racelab: %s\n", rl_diag_format(d, buf, sizeof buf));
    in->errors = grow(in->errors, (in->nerrors + 1) * sizeof *in->errors);
    in->errors[in->nerrors++] = *d;
}

static void add_case(inputs *in, rl_case *c)
{
    for (size_t i = 0; i < in->ncases; i++) {
        if (strcmp(in->cases[i]->name, c->name) == 0) {
            rl_diag d;
            rl_diag_set(&d, c->path, 0, "a case named '%s' is also at %s", c->name,
                        in->cases[i]->path);
            input_error(in, &d);
            rl_case_free(c);
            return;
        }
    }
    in->cases = grow(in->cases, (in->ncases + 1) * sizeof *in->cases);
    in->cases[in->ncases++] = c;
}

static void load_case(inputs *in, const char *path)
{
    rl_case *c;
    rl_diag d;
    if (rl_case_load(path, &c, &d) < 0)
        input_error(in, &d);
    else
        add_case(in, c);
}

static int is_path(const char *arg)
{
    size_t n = strlen(arg);
    return strchr(arg, '/') || (n > 2 && strcmp(arg + n - 2, ".c") == 0);
}

/* The cases asked for: all of the directories', or the named ones. */
static void load_inputs(const options *o, inputs *in)
{
    for (size_t i = 0; i < o->nnames; i++)
        if (is_path(o->names[i]))
            load_case(in, o->names[i]);
    int named = 0;
    for (size_t i = 0; i < o->nnames; i++)
        named |= !is_path(o->names[i]);
    if (o->nnames && !named)
        return;
    int *found = calloc(o->nnames + 1, sizeof *found);
    if (!found)
        abort();
    for (size_t i = 0; i < o->ndirs; i++) {
        char **paths;
        rl_diag d;
        if (rl_case_dir_scan(o->dirs[i], &paths, &d) < 0) {
            input_error(in, &d);
            continue;
        }
        for (char **p = paths; *p; p++) {
            const char *base = strrchr(*p, '/') + 1;
            int wanted = !named;
            for (size_t k = 0; k < o->nnames; k++) {
                size_t n = strlen(o->names[k]);
                if (!is_path(o->names[k]) && strncmp(base, o->names[k], n) == 0 &&
                    strcmp(base + n, ".c") == 0) {
                    wanted = 1;
                    found[k] = 1;
                }
            }
            if (wanted)
                load_case(in, *p);
        }
        rl_strv_free(paths);
    }
    for (size_t k = 0; k < o->nnames; k++) {
        if (!is_path(o->names[k]) && !found[k]) {
            rl_diag d;
            rl_diag_set(&d, NULL, 0, "no case named '%s' in the cases directories", o->names[k]);
            input_error(in, &d);
        }
    }
    free(found);
}

static void free_inputs(inputs *in)
{
    for (size_t i = 0; i < in->ncases; i++)
        rl_case_free(in->cases[i]);
    free(in->cases);
    free(in->errors);
}

static int parse_options(int argc, char **argv, options *o)
{
    /* Every list is at most argc long. */
    rl_tool *tools = o->tools = calloc((size_t)argc, sizeof *tools);
    const char **names = o->names = calloc((size_t)argc, sizeof *names);
    const char **dirs = o->dirs = calloc((size_t)argc + 1, sizeof *dirs);
    if (!tools || !names || !dirs)
        abort();
    if (argc < 2) {
        print_usage(stderr);
        return -1;
    }
    o->command = argv[1];
    int only_names = 0;
    for (int i = 2; i < argc; i++) {
        /* "--key value", "--key=value", or "-j4"; after "--", case names. */
        const char *arg = argv[i], *value = NULL, *inline_value = NULL;
        if (only_names || arg[0] != '-' || arg[1] == '\0') {
            names[o->nnames++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_names = 1;
            continue;
        }
        char key[64];
        const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
        if (eq) {
            snprintf(key, sizeof key, "%.*s", (int)(eq - arg), arg);
            inline_value = eq + 1;
        } else if (strncmp(arg, "-j", 2) == 0 && arg[2]) {
            snprintf(key, sizeof key, "-j");
            inline_value = arg + 2;
        } else
            snprintf(key, sizeof key, "%s", arg);
        int takes_value = strcmp(key, "--tool") == 0 || strcmp(key, "--cases") == 0 ||
                          strcmp(key, "--jobs") == 0 || strcmp(key, "-j") == 0 ||
                          strcmp(key, "--json") == 0 || strcmp(key, "--work") == 0 ||
                          strcmp(key, "--out") == 0;
        if (takes_value) {
            value = inline_value ? inline_value : i + 1 < argc ? argv[++i] : NULL;
            /* "--work --json=x" is a forgotten value, not a directory named
             * "--json=x": a separate value may not look like an option. */
            if (!value || (!inline_value && value[0] == '-' && value[1] != '\0')) {
                fprintf(stderr, "racelab: %s needs a value%s\n", key,
                        value ? " (to give one that starts with '-', write KEY=VALUE)" : "");
                return -1;
            }
            if (!*value) {
                fprintf(stderr, "racelab: %s needs a value, not an empty one\n", key);
                return -1;
            }
        } else if (inline_value && strcmp(key, "--help") != 0) {
            fprintf(stderr, "racelab: %s takes no value\n", key);
            return -1;
        }
        if (strcmp(key, "--tool") == 0) {
            rl_diag d;
            if (rl_tool_parse(value, &tools[o->ntools], &d) < 0) {
                fprintf(stderr, "racelab: --tool %s: %s\n", value, d.message);
                return -1;
            }
            for (size_t t = 0; t < o->ntools; t++) {
                if (strcmp(tools[t].spec, tools[o->ntools].spec) == 0) {
                    fprintf(stderr, "racelab: --tool %s is given twice\n", value);
                    return -1;
                }
            }
            o->ntools++;
        } else if (strcmp(key, "--cases") == 0)
            dirs[o->ndirs++] = value;
        else if (strcmp(key, "--jobs") == 0 || strcmp(key, "-j") == 0) {
            char *end;
            long n = strtol(value, &end, 10);
            if (*end || n < 1 || n > 256) {
                fprintf(stderr, "racelab: --jobs wants a number from 1 to 256\n");
                return -1;
            }
            o->jobs = (int)n;
        } else if (strcmp(key, "--json") == 0)
            o->json = value;
        else if (strcmp(key, "--work") == 0)
            o->work = value;
        else if (strcmp(key, "--out") == 0)
            o->out = value;
        else if (strcmp(key, "--table") == 0)
            o->table = 1;
        else if (strcmp(key, "-h") == 0 || strcmp(key, "--help") == 0) {
            print_usage(stdout);
            exit(EXIT_PASSED);
        } else {
            fprintf(stderr, "racelab: unknown option %s\n", arg);
            print_usage(stderr);
            return -1;
        }
    }
    if (o->ndirs == 0)
        dirs[o->ndirs++] = default_cases;
    if (!o->work)
        o->work = default_work;
    return 0;
}

typedef struct progress {
    int width;
    int stdout_gone; /* a closed pipe: keep running, stop printing */
} progress;

/* Printing never stops a run: with stdout gone (racelab | head -1), the
 * results are still written to the JSON files. */
static void say(progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(progress *p, const char *fmt, ...)
{
    if (p->stdout_gone)
        return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (fflush(stdout) == EOF || ferror(stdout)) {
        p->stdout_gone = 1;
        clearerr(stdout);
    }
}

static void print_result(const rl_result *r, void *ctx)
{
    progress *p = ctx;
    static const char *const labels[] = {"PASS ", "FAIL ", "ERROR", "SKIP "};
    char name[600], chain[160] = "-";
    snprintf(name, sizeof name, "%s/%s", r->rcase->name, r->tool.spec);
    if (r->tool.toolchain.path[0])
        rl_toolchain_describe(&r->tool.toolchain, chain, sizeof chain);
    say(p, "%s %-*s %-16s %6.2fs\n", labels[r->verdict], p->width, name, chain, r->seconds);
    if (r->verdict != RL_PASS && r->message)
        say(p, "  case: %s\n%s%s\n", r->rcase->path, r->message[0] == ' ' ? "" : "  ", r->message);
    for (char **n = r->notes; n && *n; n++)
        say(p, "  note: %s\n", *n);
}

static int cmd_list(const options *o)
{
    inputs in = {0};
    load_inputs(o, &in);
    progress p = {0};
    if (o->table) {
        char *table = rl_cases_table(in.cases, in.ncases);
        say(&p, "%s", table);
        free(table);
    }
    for (size_t i = 0; i < in.ncases && !o->table; i++) {
        const rl_case *c = in.cases[i];
        char tools[128] = "";
        for (size_t t = 0; t < rl_tool_count(); t++)
            if (rl_case_declares(c, (rl_tool_id)t))
                snprintf(tools + strlen(tools), sizeof tools - strlen(tools), "%s%s",
                         tools[0] ? "," : "", rl_tool_name((rl_tool_id)t));
        say(&p, "%-24s %-26s %s\n", c->name, tools, c->summary);
    }
    int rc = in.nerrors ? EXIT_INPUT : EXIT_PASSED;
    free_inputs(&in);
    return rc;
}

/* The jobs of the cases asked for, each under the tools asked for. */
static rl_job *make_jobs(const options *o, inputs *in, size_t *njobs, int *width)
{
    rl_job *jobs = NULL;
    *njobs = 0;
    size_t ntools = rl_tool_count();
    rl_tool *defaults = calloc(ntools + 1, sizeof *defaults);
    if (!defaults)
        abort();
    for (size_t i = 0; i < in->ncases; i++) {
        const rl_tool *tools = o->ntools ? o->tools : defaults;
        size_t n = o->ntools ? o->ntools : rl_default_tools(in->cases[i], defaults);
        jobs = grow(jobs, (*njobs + n) * sizeof *jobs);
        for (size_t t = 0; t < n; t++) {
            if (!rl_case_declares(in->cases[i], tools[t].id)) {
                rl_diag d;
                rl_diag_set(&d, in->cases[i]->path, 1, "no expect line for tool %s",
                            rl_tool_name(tools[t].id));
                input_error(in, &d);
            }
            jobs[*njobs].rcase = in->cases[i];
            jobs[(*njobs)++].tool = tools[t];
            int w = (int)(strlen(in->cases[i]->name) + 1 + strlen(tools[t].spec));
            *width = w > *width ? w : *width;
        }
    }
    free(defaults);
    return jobs;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART; /* a second Ctrl-C must not break writing the results */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* A closed stdout is an EPIPE to notice, not a death. */
    signal(SIGPIPE, SIG_IGN);
    /* Children must stay ours to wait for, whatever we inherited. */
    signal(SIGCHLD, SIG_DFL);
}

static int cmd_run(const options *o)
{
    catch_signals();
    /* The previous run's results must never pass for this one's: they go
     * before anything runs, so a run that cannot write leaves none. */
    char *latest = NULL;
    if (asprintf(&latest, "%s/results.json", o->work) < 0)
        abort();
    if (unlink(latest) < 0 && errno != ENOENT)
        fprintf(stderr, "racelab: cannot remove the previous %s: %s\n", latest, strerror(errno));

    inputs in = {0};
    load_inputs(o, &in);
    size_t njobs;
    int width = 10;
    rl_job *jobs = make_jobs(o, &in, &njobs, &width);

    rl_config cfg = {.work_dir = o->work, .jobs = o->jobs, .cancel = &interrupted};
    rl_result *results = calloc(njobs + 1, sizeof *results);
    if (!results)
        abort();
    progress p = {.width = width};
    rl_run_jobs(&cfg, jobs, njobs, results, print_result, &p);

    size_t counts[RL_SKIP + 1] = {0};
    for (size_t i = 0; i < njobs; i++)
        counts[results[i].verdict]++;
    /* Which toolchain each tool was: the matrix a run covered. */
    int named = 0;
    for (size_t i = 0; i < njobs; i++) {
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(results[k].tool.spec, results[i].tool.spec) == 0;
        if (seen || !results[i].tool.toolchain.path[0])
            continue;
        char chain[160];
        rl_toolchain_describe(&results[i].tool.toolchain, chain, sizeof chain);
        say(&p, "%s %s = %s", named++ ? "," : "toolchains:", results[i].tool.spec, chain);
    }
    if (named)
        say(&p, "\n");
    say(&p, "%zu passed, %zu failed", counts[RL_PASS], counts[RL_FAIL]);
    if (counts[RL_ERROR])
        say(&p, ", %zu errors", counts[RL_ERROR]);
    if (counts[RL_SKIP])
        say(&p, ", %zu skipped", counts[RL_SKIP]);
    say(&p, "\n");

    int is_interrupted = __atomic_load_n(&interrupted, __ATOMIC_RELAXED);
    int rc = is_interrupted                        ? EXIT_INTERRUPTED
             : in.nerrors                          ? EXIT_INPUT
             : counts[RL_FAIL] || counts[RL_ERROR] ? EXIT_FAILED
             : counts[RL_PASS] == 0                ? EXIT_FAILED
                                                   : EXIT_PASSED;
    if (njobs == 0 && !in.nerrors)
        fprintf(stderr, "racelab: no cases to run\n");
    else if (rc == EXIT_FAILED && counts[RL_PASS] == 0 && !counts[RL_FAIL] && !counts[RL_ERROR])
        fprintf(stderr, "racelab: nothing was verified: every job was skipped\n");

    /* The results of whatever ran are kept, whatever else went wrong. */
    const char *outputs[] = {latest, o->json};
    for (size_t i = 0; i < 2; i++) {
        rl_diag d;
        if (!outputs[i])
            continue;
        if (rl_results_write_json(outputs[i], results, njobs, in.errors, in.nerrors,
                                  is_interrupted, &d) < 0) {
            char buf[2200];
            fprintf(stderr, "racelab: %s\n", rl_diag_format(&d, buf, sizeof buf));
            if (rc != EXIT_INTERRUPTED)
                rc = EXIT_INPUT;
        }
    }
    free(latest);

    for (size_t i = 0; i < njobs; i++)
        rl_result_clear(&results[i]);
    free(results);
    free(jobs);
    free_inputs(&in);
    return rc;
}

/* racelab record: run jobs one by one and keep their logs as fixtures. */
static int cmd_record(const options *o)
{
    if (!o->out || !o->ntools) {
        fprintf(stderr, "racelab: record needs --out DIR and at least one --tool\n");
        return EXIT_INPUT;
    }
    catch_signals();
    inputs in = {0};
    load_inputs(o, &in);
    size_t njobs;
    int width = 10;
    rl_job *jobs = make_jobs(o, &in, &njobs, &width);
    rl_config cfg = {.work_dir = o->work, .jobs = 1, .cancel = &interrupted};
    int rc = in.nerrors ? EXIT_INPUT : EXIT_PASSED;
    progress p = {.width = width};
    for (size_t i = 0; i < njobs && !__atomic_load_n(&interrupted, __ATOMIC_RELAXED); i++) {
        rl_tool tool = jobs[i].tool;
        rl_tool_resolve(&tool);
        char *dest = NULL;
        if (asprintf(&dest, "%s/%s/%s-%s-%s", o->out, jobs[i].rcase->name, rl_tool_name(tool.id),
                     tool.toolchain.family[0] ? tool.toolchain.family : "unknown",
                     tool.toolchain.version[0] ? tool.toolchain.version : "unknown") < 0)
            abort();
        rl_result r;
        rl_diag d;
        if (rl_record_job(&cfg, jobs[i].rcase, &tool, dest, &r, &d) < 0) {
            char buf[2200];
            fprintf(stderr, "racelab: %s\n", rl_diag_format(&d, buf, sizeof buf));
            rc = EXIT_FAILED;
        } else
            say(&p, "%s %s -> %s\n", rl_verdict_name(r.verdict), jobs[i].rcase->name, dest);
        rl_result_clear(&r);
        free(dest);
    }
    free(jobs);
    free_inputs(&in);
    return __atomic_load_n(&interrupted, __ATOMIC_RELAXED) ? EXIT_INTERRUPTED : rc;
}

int main(int argc, char **argv)
{
    options o = {0};
    find_defaults();
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("racelab %s\n", RL_VERSION);
        return EXIT_PASSED;
    }
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        print_usage(stdout);
        return EXIT_PASSED;
    }
    int rc = EXIT_INPUT;
    if (parse_options(argc, argv, &o) < 0)
        ;
    else if (strcmp(o.command, "list") == 0)
        rc = cmd_list(&o);
    else if (strcmp(o.command, "run") == 0)
        rc = cmd_run(&o);
    else if (strcmp(o.command, "record") == 0)
        rc = cmd_record(&o);
    else {
        fprintf(stderr, "racelab: unknown command '%s'\n", o.command);
        print_usage(stderr);
    }
    free(o.tools);
    free(o.names);
    free(o.dirs);
    return rc;
}
