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

enum { EXIT_PASSED = 0, EXIT_FAILED = 1, EXIT_INPUT = 2, EXIT_SKIPPED = 3, EXIT_INTERRUPTED = 130 };

static void print_usage(FILE *f)
{
    fprintf(f,
            "usage: racelab list [CASE...] [--cases DIR]... [--table | --kinds | --options]\n"
            "       racelab run [CASE...] [--tool TOOL[:PROGRAM]]... [--cases DIR]...\n"
            "                   [--jobs N] [--json FILE] [--work DIR] [--rebuild]\n"
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
            "  --rebuild  build every case afresh rather than reuse an earlier build\n"
            "  --out      record: where the recorded logs go (DIR/CASE/TOOL-TOOLCHAIN/)\n"
            "  --table    list: a markdown table of what each tool is expected to report\n"
            "  --kinds    list: the kinds and each tool's names for them, as markdown\n"
            "  --options  list: the options a case may give each tool, as markdown\n"
            "\n"
            "Exit status: 0 every job passed, 1 something failed or could not run (or\n"
            "nothing was verified), 2 bad usage or bad input (the rest still runs), 3 what\n"
            "ran passed but jobs were skipped (not verified), 130 interrupted.\n",
            rl_tool_usage(), default_cases, default_work);
}

typedef struct options {
    const char *command;
    const char **names;
    size_t nnames;
    const char **dirs;
    size_t ndirs;
    rl_tool *tools; /* as named, or the defaults */
    size_t ntools;
    int jobs;
    const char *json;
    const char *work;
    const char *out;
    int table, kinds, options, rebuild;
} options;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    __atomic_store_n(&interrupted, 1, __ATOMIC_RELAXED); /* worker threads read it */
}

static void print_diag(const rl_diag *d)
{
    char *text = rl_diag_format(d);
    fprintf(stderr, "racelab: %s\n", text);
    free(text);
}

/* The cases asked for; their input errors are told on stderr. */
static void load_catalogue(const options *o, rl_catalogue *cat)
{
    rl_catalogue_load(cat, (char *const *)o->dirs, o->ndirs, (char *const *)o->names, o->nnames);
    for (size_t i = 0; i < cat->nerrors; i++)
        print_diag(&cat->errors[i]);
}

/* The jobs of the cases under the tools; new input errors are told too. */
static rl_job *make_jobs(options *o, rl_catalogue *cat, size_t *njobs, int *width)
{
    size_t before = cat->nerrors;
    rl_job *jobs = rl_jobs_make(cat, o->tools, o->ntools, njobs);
    for (size_t i = before; i < cat->nerrors; i++)
        print_diag(&cat->errors[i]);
    for (size_t i = 0; i < *njobs; i++) {
        int w = (int)(strlen(jobs[i].rcase->name) + 1 + strlen(jobs[i].tool->spec));
        *width = w > *width ? w : *width;
    }
    return jobs;
}

static int parse_options(int argc, char **argv, options *o)
{
    /* Every list is at most argc long. */
    o->tools = calloc((size_t)argc, sizeof *o->tools);
    o->names = calloc((size_t)argc, sizeof *o->names);
    o->dirs = calloc((size_t)argc + 1, sizeof *o->dirs);
    if (!o->tools || !o->names || !o->dirs)
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
            o->names[o->nnames++] = arg;
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
            rl_diag d = RL_DIAG_INIT;
            rl_tool *t = &o->tools[o->ntools];
            if (rl_tool_parse(value, t, &d) < 0) {
                fprintf(stderr, "racelab: --tool %s: %s\n", value, rl_diag_message(&d));
                rl_diag_clear(&d);
                return -1;
            }
            o->ntools++;
            for (size_t k = 0; k + 1 < o->ntools; k++) {
                if (strcmp(o->tools[k].spec, t->spec) == 0) {
                    fprintf(stderr, "racelab: --tool %s is given twice\n", value);
                    return -1;
                }
            }
        } else if (strcmp(key, "--cases") == 0)
            o->dirs[o->ndirs++] = value;
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
        else if (strcmp(key, "--kinds") == 0)
            o->kinds = 1;
        else if (strcmp(key, "--options") == 0)
            o->options = 1;
        else if (strcmp(key, "--rebuild") == 0)
            o->rebuild = 1;
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
        o->dirs[o->ndirs++] = default_cases;
    if (!o->work)
        o->work = default_work;
    return 0;
}

static void free_options(options *o)
{
    rl_tools_free(o->tools, o->ntools);
    free(o->names);
    free(o->dirs);
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
    char *line = rl_render_result_line(r, p->width);
    char *details = rl_render_result_details(r);
    say(p, "%s\n%s", line, details);
    free(line);
    free(details);
}

static int cmd_list(const options *o)
{
    rl_catalogue cat = RL_CATALOGUE_INIT;
    progress p = {0};
    if (o->kinds || o->options) {
        char *text = o->kinds ? rl_render_kinds() : rl_render_options();
        say(&p, "%s", text);
        free(text);
        return EXIT_PASSED;
    }
    load_catalogue(o, &cat);
    if (o->table) {
        char *table = rl_render_cases_table(cat.cases, cat.ncases);
        say(&p, "%s", table);
        free(table);
    }
    for (size_t i = 0; i < cat.ncases && !o->table; i++) {
        const rl_case *c = cat.cases[i];
        char tools[128] = "";
        for (size_t t = 0; t < rl_tool_count(); t++)
            if (rl_case_declares(c, (rl_tool_id)t))
                snprintf(tools + strlen(tools), sizeof tools - strlen(tools), "%s%s",
                         tools[0] ? "," : "", rl_tool_name((rl_tool_id)t));
        /* A file name and the case's own text: escaped like all output. */
        char *name = rl_escape(c->name), *summary = rl_escape(c->summary);
        say(&p, "%-24s %-26s %s\n", name, tools, summary);
        free(name);
        free(summary);
    }
    int rc = cat.nerrors ? EXIT_INPUT : EXIT_PASSED;
    rl_catalogue_clear(&cat);
    return rc;
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
    /* racelab has no children of its own: what a lost supervisor leaves
     * becomes its to kill. */
    rl_adopt_orphans();
}

/* The tools named, or one of each when none is. */
static void default_tools(options *o)
{
    if (o->ntools)
        return;
    free(o->tools);
    o->tools = rl_default_tools(&o->ntools);
}

static int cmd_run(options *o)
{
    catch_signals();
    /* The previous run's results must never pass for this one's: they go
     * before anything runs, so a run that cannot write leaves none. */
    char *latest = NULL;
    if (asprintf(&latest, "%s/results.json", o->work) < 0)
        abort();
    if (unlink(latest) < 0 && errno != ENOENT)
        fprintf(stderr, "racelab: cannot remove the previous %s: %s\n", latest, strerror(errno));

    rl_catalogue cat = RL_CATALOGUE_INIT;
    load_catalogue(o, &cat);
    default_tools(o);
    size_t njobs;
    int width = 10;
    rl_job *jobs = make_jobs(o, &cat, &njobs, &width);

    rl_config cfg = RL_CONFIG_INIT;
    cfg.work_dir = o->work;
    cfg.jobs = o->jobs;
    cfg.cancel = &interrupted;
    cfg.rebuild = o->rebuild;
    rl_result *results = calloc(njobs + 1, sizeof *results);
    if (!results)
        abort();
    progress p = {.width = width};
    rl_diag d = RL_DIAG_INIT;
    if (rl_run_jobs(&cfg, jobs, njobs, results, print_result, &p, &d) < 0) {
        print_diag(&d); /* a config this racelab cannot take: its own bug */
        abort();
    }
    char *summary = rl_render_summary(results, njobs);
    say(&p, "%s", summary);
    free(summary);

    rl_summary s;
    rl_summarize(results, njobs, &s);
    int is_interrupted = __atomic_load_n(&interrupted, __ATOMIC_RELAXED);
    int rc = is_interrupted                              ? EXIT_INTERRUPTED
             : cat.nerrors                               ? EXIT_INPUT
             : s.count[RL_FAIL] || s.count[RL_ERROR]     ? EXIT_FAILED
             : s.count[RL_PASS] == 0                     ? EXIT_FAILED
             : s.count[RL_SKIP]                          ? EXIT_SKIPPED
                                                         : EXIT_PASSED;
    if (njobs == 0 && !cat.nerrors)
        fprintf(stderr, "racelab: no cases to run\n");
    else if (rc == EXIT_FAILED && s.count[RL_PASS] == 0 && !s.count[RL_FAIL] &&
             !s.count[RL_ERROR])
        fprintf(stderr, "racelab: nothing was verified: every job was skipped\n");

    /* The results of whatever ran are kept, whatever else went wrong. */
    const char *outputs[] = {latest, o->json};
    for (size_t i = 0; i < 2; i++) {
        if (!outputs[i])
            continue;
        if (rl_results_write_json(outputs[i], results, njobs, cat.errors, cat.nerrors,
                                  is_interrupted, &d) < 0) {
            print_diag(&d);
            if (rc != EXIT_INTERRUPTED)
                rc = EXIT_INPUT;
        }
    }
    rl_diag_clear(&d);
    free(latest);
    for (size_t i = 0; i < njobs; i++)
        rl_result_clear(&results[i]);
    free(results);
    free(jobs);
    rl_catalogue_clear(&cat);
    return rc;
}

/* racelab record: run jobs one by one and keep their logs as fixtures. */
static int cmd_record(options *o)
{
    if (!o->out || !o->ntools) {
        fprintf(stderr, "racelab: record needs --out DIR and at least one --tool\n");
        return EXIT_INPUT;
    }
    catch_signals();
    rl_catalogue cat = RL_CATALOGUE_INIT;
    load_catalogue(o, &cat);
    size_t njobs;
    int width = 10;
    rl_job *jobs = make_jobs(o, &cat, &njobs, &width);
    rl_config cfg = RL_CONFIG_INIT;
    cfg.work_dir = o->work;
    cfg.jobs = 1;
    cfg.cancel = &interrupted;
    cfg.rebuild = o->rebuild;
    int rc = cat.nerrors ? EXIT_INPUT : EXIT_PASSED;
    progress p = {.width = width};
    for (size_t i = 0; i < njobs && !__atomic_load_n(&interrupted, __ATOMIC_RELAXED); i++) {
        rl_tool *tool = jobs[i].tool;
        rl_tool_resolve(tool);
        char *dest = NULL;
        if (asprintf(&dest, "%s/%s/%s-%s-%s", o->out, jobs[i].rcase->name, rl_tool_name(tool->id),
                     tool->toolchain.family[0] ? tool->toolchain.family : "unknown",
                     tool->toolchain.version[0] ? tool->toolchain.version : "unknown") < 0)
            abort();
        rl_result r;
        rl_diag d = RL_DIAG_INIT;
        if (rl_record_job(&cfg, jobs[i].rcase, tool, dest, &r, &d) < 0) {
            print_diag(&d);
            rc = EXIT_FAILED;
        } else
            say(&p, "%s %s -> %s\n", rl_verdict_name(r.verdict), jobs[i].rcase->name, dest);
        rl_diag_clear(&d);
        rl_result_clear(&r);
        free(dest);
    }
    free(jobs);
    rl_catalogue_clear(&cat);
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
    free_options(&o);
    return rc;
}
