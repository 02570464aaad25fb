/* main.c: the racelab command: its arguments, and which command runs.
 * The commands are list.c (list, matrix), run.c (run, record) and learn.c
 * (show, explain, demo); common.c is what they share. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where the catalogue and the work directory are when no option says: a
 * racelab in its build tree takes the checkout's cases/ and BUILD/work; an
 * installed one PREFIX/share/racelab/cases (found from where the program
 * is) and ./racelab-work. */
char default_cases[PATH_MAX + 64] = "cases";
char default_work[PATH_MAX + 64] = "racelab-work";

void find_defaults(void)
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

void print_usage(FILE *f)
{
    fprintf(f,
            "usage: racelab list [CASE...] [--cases DIR]... [--table | --catalogue |\n"
            "                   --coverage | --kinds | --options]\n"
            "       racelab run [CASE...] [--tool TOOL[:PROGRAM]]... [--cases DIR]...\n"
            "                   [--jobs N] [--work DIR] [--rebuild] [--quiet] [--shard I/N]\n"
            "                   [--json FILE] [--junit FILE] [--sarif FILE] [--matrix FILE]\n"
            "                   [--baseline FILE] [--require TOOL]... [--verbose]\n"
            "       racelab show CASE [TOOL[:PROGRAM]...]   each tool's own report, labelled\n"
            "       racelab explain CASE [--tool TOOL]...  the lesson: text, source, reports, twin\n"
            "       racelab demo CASE [--runs N] [--tool TOOL]...  how often the bug shows\n"
            "       racelab matrix RESULTS.json... [--markdown FILE] [--html FILE]\n"
            "                   [--json FILE] [--baseline FILE]\n"
            "       racelab record [CASE...] --tool TOOL[:PROGRAM]... --out DIR [--cases DIR]...\n"
            "                   [--work DIR]\n"
            "       racelab --version | --help\n"
            "\n"
            "  CASE       a case name from the cases directories, or a path to a .c file\n"
            "  --tool     %s;\n"
            "             repeatable; tsan:all and native:all are every clang and gcc on PATH.\n"
            "             Default: tsan (clang), tsan:gcc, helgrind, drd and native, each\n"
            "             that is installed (one that is not is a skip)\n"
            "  --require  with the default tools: TOOL must be installed (else an error)\n"
            "  --cases    directory of case files, repeatable (default: %s)\n"
            "  --jobs, -j (case, tool) jobs run at once (default: one per CPU)\n"
            "  --work     where builds and logs go (default: %s)\n"
            "  --rebuild  build every case afresh rather than reuse an earlier build\n"
            "  --quiet    print only the jobs that did not pass, and the summary\n"
            "  --verbose  also what each passing job found, and the native output\n"
            "  --runs     demo: how many plain runs of the native build (default 20)\n"
            "  --shard    run only shard I of N: the jobs sorted by tool and case, every\n"
            "             N-th from the I-th (N machines split a run; matrix merges them)\n"
            "  --json     also write the results as JSON to FILE (--save-baseline: the same)\n"
            "  --junit    also write the results as JUnit XML to FILE\n"
            "  --sarif    also write the findings as SARIF 2.1.0 to FILE\n"
            "  --matrix   also write the capability matrix to FILE (.html, .json, else\n"
            "             markdown)\n"
            "  --baseline compare with an earlier results FILE: regressions come first\n"
            "  --out      record: where the recorded logs go (DIR/CASE/TOOL-TOOLCHAIN/)\n"
            "  --table    list: a markdown table of what each tool is expected to report\n"
            "  --kinds    list: the kinds and each tool's names for them, as markdown\n"
            "  --catalogue list: one entry per case (bug, twin, expectations, lesson),\n"
            "             as markdown (docs/catalogue.md)\n"
            "  --coverage list: which cases expect each kind of each tool, or why the tool\n"
            "             never reports it, as markdown\n"
            "  --options  list: the options a case may give each tool, as markdown\n"
            "  matrix     the capability matrix of one or more results files (the shards\n"
            "             of a run merge): markdown on stdout, or to the files named\n"
            "\n"
            "Exit status: 0 every job passed, 1 something failed or could not run (or\n"
            "nothing was verified), 2 bad usage or bad input (the rest still runs), 3 what\n"
            "ran passed but jobs were skipped (not verified), 4 a regression against the\n"
            "baseline, 130 interrupted.\n",
            rl_tool_usage(), default_cases, default_work);
}

int parse_options(int argc, char **argv, options *o)
{
    /* Every list is at most argc long. */
    o->names = calloc((size_t)argc, sizeof *o->names);
    o->dirs = calloc((size_t)argc + 1, sizeof *o->dirs);
    o->required = calloc((size_t)argc, sizeof *o->required);
    o->specs = calloc((size_t)argc + 1, sizeof *o->specs);
    if (!o->names || !o->dirs || !o->required || !o->specs)
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
        static const char *const valued[] = {
            "--tool", "--cases", "--jobs",   "-j",     "--json",     "--save-baseline",
            "--work", "--out",   "--junit", "--sarif", "--matrix", "--baseline",
            "--shard", "--html", "--markdown", "--require", "--runs", NULL};
        int takes_value = 0;
        for (const char *const *v = valued; *v && !takes_value; v++)
            takes_value = strcmp(key, *v) == 0;
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
            rl_tool *more;
            size_t nmore;
            if (rl_tools_expand(value, &more, &nmore, &d) < 0) {
                fprintf(stderr, "racelab: --tool %s: %s\n", value, rl_diag_message(&d));
                rl_diag_clear(&d);
                return -1;
            }
            for (size_t m = 0; m < nmore; m++) {
                for (size_t k = 0; k < o->ntools; k++) {
                    if (strcmp(o->tools[k].spec, more[m].spec) == 0) {
                        fprintf(stderr, "racelab: --tool %s is given twice\n", more[m].spec);
                        rl_tools_free(more, nmore);
                        return -1;
                    }
                }
                if (o->ntools == o->tools_cap) {
                    o->tools_cap = o->tools_cap ? o->tools_cap * 2 : 8;
                    o->tools = realloc(o->tools, o->tools_cap * sizeof *o->tools);
                    if (!o->tools)
                        abort();
                }
                o->tools[o->ntools++] = more[m]; /* moved: its strings are ours now */
            }
            free(more);
            o->specs[o->nspecs++] = value;
        } else if (strcmp(key, "--require") == 0) {
            rl_tool_id id;
            if (rl_tool_from_name(value, strlen(value), &id) < 0) {
                fprintf(stderr, "racelab: --require %s: unknown tool (tools: %s)\n", value,
                        rl_tool_names());
                return -1;
            }
            o->required[o->nrequired++] = value;
        } else if (strcmp(key, "--shard") == 0) {
            unsigned i, n;
            char end;
            if (sscanf(value, "%u/%u%c", &i, &n, &end) != 2 || n < 1 || i < 1 || i > n ||
                n > 1000) {
                fprintf(stderr, "racelab: --shard wants I/N with 1 <= I <= N (N up to 1000)\n");
                return -1;
            }
            o->shard = i, o->shards = n;
        } else if (strcmp(key, "--junit") == 0)
            o->junit = value;
        else if (strcmp(key, "--sarif") == 0)
            o->sarif = value;
        else if (strcmp(key, "--matrix") == 0)
            o->matrix = value;
        else if (strcmp(key, "--baseline") == 0)
            o->baseline = value;
        else if (strcmp(key, "--html") == 0)
            o->html = value;
        else if (strcmp(key, "--markdown") == 0)
            o->markdown = value;
        else if (strcmp(key, "--quiet") == 0 || strcmp(key, "-q") == 0)
            o->quiet = 1;
        else if (strcmp(key, "--verbose") == 0 || strcmp(key, "-v") == 0)
            o->verbose = 1;
        else if (strcmp(key, "--runs") == 0) {
            char *end;
            long n = strtol(value, &end, 10);
            if (*end || n < 1 || n > 100000) {
                fprintf(stderr, "racelab: --runs wants a number from 1 to 100000\n");
                return -1;
            }
            o->runs = n;
        }
        else if (strcmp(key, "--cases") == 0)
            o->dirs[o->ndirs++] = value;
        else if (strcmp(key, "--jobs") == 0 || strcmp(key, "-j") == 0) {
            char *end;
            long n = strtol(value, &end, 10);
            if (*end || n < 1 || n > 256) {
                fprintf(stderr, "racelab: --jobs wants a number from 1 to 256\n");
                return -1;
            }
            o->jobs = (int)n;
        } else if (strcmp(key, "--json") == 0 || strcmp(key, "--save-baseline") == 0)
            o->json = value;
        else if (strcmp(key, "--work") == 0)
            o->work = value;
        else if (strcmp(key, "--out") == 0)
            o->out = value;
        else if (strcmp(key, "--table") == 0)
            o->table = 1;
        else if (strcmp(key, "--kinds") == 0)
            o->kinds = 1;
        else if (strcmp(key, "--coverage") == 0)
            o->coverage = 1;
        else if (strcmp(key, "--catalogue") == 0)
            o->catalogue = 1;
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

void free_options(options *o)
{
    rl_tools_free(o->tools, o->ntools);
    free(o->names);
    free(o->dirs);
    free(o->required);
    free(o->specs);
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
    else if (strcmp(o.command, "matrix") == 0)
        rc = cmd_matrix(&o);
    else if (strcmp(o.command, "show") == 0)
        rc = cmd_show(&o);
    else if (strcmp(o.command, "explain") == 0)
        rc = cmd_explain(&o);
    else if (strcmp(o.command, "demo") == 0)
        rc = cmd_demo(&o);
    else {
        fprintf(stderr, "racelab: unknown command '%s'\n", o.command);
        print_usage(stderr);
    }
    free_options(&o);
    return rc;
}
