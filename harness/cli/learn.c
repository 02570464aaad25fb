/* learn.c: racelab show, explain and demo: one case, for a person learning
 * to read the tools. Each runs the case under the tools (named, or the
 * defaults) as racelab run does, and prints what the library renders. */
#define _GNU_SOURCE
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One case's jobs under the tools, run; NULL (told) when the case or the
 * tools are not right. "show CASE TOOL..." names its tools after the case. */
typedef struct lesson {
    rl_catalogue cat;
    rl_job *jobs;
    size_t njobs;
    rl_result *results;
    rl_config cfg;
} lesson;

static int lesson_run(options *o, const char *command, int tools_after_case, lesson *l)
{
    memset(l, 0, sizeof *l);
    if (o->nnames == 0 || (!tools_after_case && o->nnames > 1)) {
        fprintf(stderr, "racelab: %s takes one case%s\n", command,
                tools_after_case ? " (and the tools to show it under)" : "");
        return -1;
    }
    for (size_t i = 1; i < o->nnames; i++) {
        rl_diag d = RL_DIAG_INIT;
        rl_tool *more;
        size_t nmore;
        if (rl_tools_expand(o->names[i], &more, &nmore, &d) < 0) {
            fprintf(stderr, "racelab: %s: %s\n", o->names[i], rl_diag_message(&d));
            rl_diag_clear(&d);
            return -1;
        }
        o->tools = realloc(o->tools, (o->ntools + nmore) * sizeof *o->tools);
        if (!o->tools)
            abort();
        memcpy(o->tools + o->ntools, more, nmore * sizeof *more);
        o->ntools += nmore;
        free(more);
    }
    o->nnames = 1;
    if (choose_tools(o) < 0)
        return -1;
    catch_signals();
    load_catalogue(o, &l->cat);
    if (l->cat.nerrors || l->cat.ncases != 1)
        return -1;
    /* The default tools: those the case has lines for. A tool named: the
     * case must have lines for it. */
    const rl_case *c = l->cat.cases[0];
    l->jobs = calloc(o->ntools + 1, sizeof *l->jobs);
    if (!l->jobs)
        abort();
    for (size_t t = 0; t < o->ntools; t++) {
        if (o->tools[t].by_default && !rl_case_declares(c, o->tools[t].id))
            continue;
        if (!rl_case_declares(c, o->tools[t].id)) {
            fprintf(stderr, "racelab: %s: no expect line for tool %s\n", c->path,
                    rl_tool_name(o->tools[t].id));
            return -1;
        }
        l->jobs[l->njobs++] = (rl_job){c, &o->tools[t]};
    }
    l->cfg = (rl_config)RL_CONFIG_INIT;
    l->cfg.work_dir = o->work;
    l->cfg.jobs = o->jobs;
    l->cfg.cancel = &interrupted;
    l->cfg.rebuild = o->rebuild;
    l->results = calloc(l->njobs + 1, sizeof *l->results);
    if (!l->results)
        abort();
    rl_diag d = RL_DIAG_INIT;
    if (rl_run_jobs(&l->cfg, l->jobs, l->njobs, l->results, NULL, NULL, &d) < 0) {
        print_diag(&d);
        abort(); /* a config this racelab cannot take: its own bug */
    }
    return 0;
}

/* As racelab run's: 0 all passed, 1 something did not, 3 skipped. */
static int lesson_status(const lesson *l)
{
    if (__atomic_load_n(&interrupted, __ATOMIC_RELAXED))
        return EXIT_INTERRUPTED;
    rl_summary s;
    rl_summarize(l->results, l->njobs, &s);
    return s.count[RL_FAIL] || s.count[RL_ERROR] || !s.count[RL_PASS] ? EXIT_FAILED
           : s.count[RL_SKIP]                                         ? EXIT_SKIPPED
                                                                      : EXIT_PASSED;
}

static void lesson_free(lesson *l)
{
    for (size_t i = 0; l->results && i < l->njobs; i++)
        rl_result_clear(&l->results[i]);
    free(l->results);
    free(l->jobs);
    rl_catalogue_clear(&l->cat);
}

int cmd_show(options *o)
{
    lesson l;
    if (lesson_run(o, "show", 1, &l) < 0) {
        lesson_free(&l);
        return EXIT_INPUT;
    }
    int rc = lesson_status(&l);
    for (size_t i = 0; i < l.njobs; i++) {
        rl_diag d = RL_DIAG_INIT;
        char *text = rl_render_show(&l.cfg, &l.results[i], &d);
        if (text)
            say("%s%s", i ? "\n" : "", text);
        else {
            print_diag(&d);
            rc = EXIT_FAILED;
        }
        free(text);
        rl_diag_clear(&d);
    }
    lesson_free(&l);
    return rc;
}

int cmd_explain(options *o)
{
    lesson l;
    if (lesson_run(o, "explain", 0, &l) < 0) {
        lesson_free(&l);
        return EXIT_INPUT;
    }
    int rc = lesson_status(&l);
    const rl_case *c = l.cat.cases[0];
    rl_diag d = RL_DIAG_INIT;
    char *diff = rl_case_twin_diff(c, &d);
    if (!diff && c->twin) {
        print_diag(&d);
        rc = EXIT_FAILED;
    }
    char *text = rl_render_explain(c, l.results, l.njobs, diff);
    say("%s", text);
    free(text);
    free(diff);
    rl_diag_clear(&d);
    lesson_free(&l);
    return rc;
}

/* "[12/100]" on a terminal while the runs go. */
static void demo_progress(size_t done, size_t runs, void *ctx)
{
    if (*(int *)ctx)
        say("\r\033[K[%zu/%zu] runs", done, runs);
}

/* The native result of a lesson, or NULL. */
static const rl_result *native_of(const lesson *l)
{
    rl_tool_id native;
    rl_tool_from_name("native", 6, &native);
    for (size_t i = 0; i < l->njobs; i++)
        if (l->results[i].tool->id == native && l->results[i].run.argv)
            return &l->results[i];
    return NULL;
}

int cmd_demo(options *o)
{
    size_t runs = o->runs ? (size_t)o->runs : 20;
    lesson l, twin;
    memset(&twin, 0, sizeof twin);
    int have_native = 0;
    for (size_t i = 0; i < o->ntools; i++)
        have_native |= strcmp(rl_tool_name(o->tools[i].id), "native") == 0;
    if (o->ntools && !have_native) {
        /* The plain runs need the native build, whatever the detectors. */
        rl_diag d = RL_DIAG_INIT;
        o->tools = realloc(o->tools, (o->ntools + 1) * sizeof *o->tools);
        if (!o->tools || rl_tool_parse("native", &o->tools[o->ntools], &d) < 0)
            abort();
        o->ntools++;
    }
    if (lesson_run(o, "demo", 0, &l) < 0) {
        lesson_free(&l);
        return EXIT_INPUT;
    }
    const rl_case *c = l.cat.cases[0];
    const rl_result *native = native_of(&l);
    int tty = isatty(STDOUT_FILENO), rc = EXIT_PASSED;
    rl_demo d = {0}, td = {0};
    rl_diag diag = RL_DIAG_INIT;
    rl_tool_id native_id;
    rl_tool_from_name("native", 6, &native_id);
    if (!native && !rl_case_declares(c, native_id)) {
        fprintf(stderr, "racelab: %s: demo runs the native build, and the case has no "
                        "'// expect native:' line\n",
                c->path);
        rc = EXIT_INPUT;
    } else if (!native) {
        fprintf(stderr, "racelab: %s: its native run did not start, so it cannot be run again\n",
                c->name);
        rc = EXIT_FAILED;
    } else if (rl_demo_run(&l.cfg, native, runs, &d, demo_progress, &tty, &diag) < 0) {
        print_diag(&diag);
        rc = EXIT_FAILED;
    }
    /* The twin, natively, as many times: what a run of the fix looks like. */
    if (rc == EXIT_PASSED && c->twin) {
        /* The twin beside the case, as explain's diff takes it. */
        options to = *o;
        char *twin_path = NULL;
        if (asprintf(&twin_path, "%.*s/%s.c", (int)(strrchr(c->path, '/') - c->path), c->path,
                     c->twin) < 0)
            abort();
        const char *names[] = {twin_path};
        rl_tool native_tool;
        rl_diag d2 = RL_DIAG_INIT;
        if (rl_tool_parse("native", &native_tool, &d2) < 0)
            abort();
        to.names = names;
        to.nnames = 1;
        to.tools = &native_tool;
        to.ntools = 1;
        to.nrequired = 0;
        int ran = lesson_run(&to, "demo", 0, &twin) == 0;
        const rl_case *t = ran ? twin.cat.cases[0] : NULL;
        if (t && (!t->twin || strcmp(t->twin, c->name) != 0)) {
            fprintf(stderr, "racelab: %s: the twin %s does not name %s back\n", twin_path,
                    c->twin, c->name);
            rc = EXIT_INPUT;
        } else if (!t || !native_of(&twin) ||
                   rl_demo_run(&twin.cfg, native_of(&twin), runs, &td, demo_progress, &tty, &d2) <
                       0) {
            if (d2.message)
                print_diag(&d2);
            fprintf(stderr, "racelab: the twin %s did not run natively\n", c->twin);
            rc = EXIT_FAILED;
        }
        free(twin_path);
        rl_diag_clear(&d2);
        rl_tool_clear(&native_tool);
    }
    if (tty)
        say("\r\033[K");
    /* The detectors: every result but the native one. */
    rl_result *detectors = calloc(l.njobs + 1, sizeof *detectors);
    size_t n = 0;
    if (!detectors)
        abort();
    for (size_t i = 0; i < l.njobs; i++)
        if (&l.results[i] != native)
            detectors[n++] = l.results[i]; /* a shallow copy, only read */
    if (d.done) {
        char *text = rl_render_demo(c, &d, c->twin && td.done ? &td : NULL, detectors, n);
        say("%s", text);
        free(text);
    }
    free(detectors);
    /* As show and explain: a detector that did not pass is a failure. */
    if (rc == EXIT_PASSED)
        rc = lesson_status(&l);
    if (__atomic_load_n(&interrupted, __ATOMIC_RELAXED))
        rc = EXIT_INTERRUPTED;
    rl_demo_clear(&d);
    rl_demo_clear(&td);
    rl_diag_clear(&diag);
    lesson_free(&twin);
    lesson_free(&l);
    return rc;
}
