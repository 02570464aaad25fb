/* run.c: racelab run (the catalogue under the tools, its results in every
 * form asked for) and racelab record (runs kept as fixtures). */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


/* The jobs of the cases under the tools; new input errors are told too. */
static rl_job *make_jobs(options *o, rl_catalogue *cat, size_t *njobs, int *width)
{
    size_t before = cat->nerrors;
    rl_job *jobs = rl_jobs_make(cat, o->tools, o->ntools, njobs);
    for (size_t i = before; i < cat->nerrors; i++)
        print_diag(&cat->errors[i]);
    if (o->shards)
        *njobs = rl_jobs_shard(jobs, *njobs, o->shard, o->shards);
    for (size_t i = 0; i < *njobs; i++) {
        int w = (int)(strlen(jobs[i].rcase->name) + 1 + strlen(jobs[i].tool->spec));
        *width = w > *width ? w : *width;
    }
    return jobs;
}

/* How jobs are shown as they end. On a terminal: at once, under a line of
 * progress. Elsewhere (a CI log): in the order of the jobs, each as soon as
 * those before it have ended, so that two runs' logs compare line by line.
 * --quiet: only the jobs that did not pass. */
typedef struct progress {
    const rl_result *results;
    size_t njobs, ended, next;
    char *done;
    int width, tty, quiet, verbose;
    double start;
} progress;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void show(const progress *p, const rl_result *r)
{
    if (p->quiet && r->verdict == RL_PASS)
        return;
    char *line = rl_render_result_line(r, p->width);
    char *details = rl_render_result_details(r);
    char *found = p->verbose && r->verdict == RL_PASS ? rl_render_result_found(r) : NULL;
    say("%s\n%s%s", line, found ? found : "", details);
    free(line);
    free(details);
    free(found);
}

static void progress_line(const progress *p)
{
    double elapsed = now() - p->start;
    say("\r\033[K[%zu/%zu] %02d:%02d elapsed", p->ended, p->njobs, (int)elapsed / 60,
        (int)elapsed % 60);
    if (p->ended && p->ended < p->njobs) {
        double left = elapsed / (double)p->ended * (double)(p->njobs - p->ended);
        say(", about %02d:%02d left", (int)left / 60, (int)left % 60);
    }
}

static void on_result(const rl_result *r, void *ctx)
{
    progress *p = ctx;
    p->ended++;
    if (p->tty) {
        say("\r\033[K");
        show(p, r);
        progress_line(p);
        return;
    }
    p->done[r - p->results] = 1;
    while (p->next < p->njobs && p->done[p->next])
        show(p, &p->results[p->next++]);
}

/* The results in every form asked for; the previous results.json went when
 * the run started. Returns -1 when one could not be written (told). */
static int write_outputs(const options *o, const char *latest, const rl_result *results,
                         size_t n, const rl_catalogue *cat, const rl_run_info *info)
{
    int rc = 0;
    rl_diag d = RL_DIAG_INIT;
    const char *jsons[] = {latest, o->json};
    for (size_t i = 0; i < 2; i++)
        if (jsons[i] && rl_results_write_json(jsons[i], results, n, cat->errors, cat->nerrors,
                                              info, &d) < 0) {
            print_diag(&d);
            rc = -1;
        }
    if (o->junit &&
        rl_results_write_junit(o->junit, results, n, cat->errors, cat->nerrors, &d) < 0) {
        print_diag(&d);
        rc = -1;
    }
    if (o->sarif &&
        rl_results_write_sarif(o->sarif, results, n, cat->errors, cat->nerrors, &d) < 0) {
        print_diag(&d);
        rc = -1;
    }
    rl_diag_clear(&d);
    return rc;
}

/* Regressions against the baseline, told first of the summary; -1 when the
 * baseline cannot be read, else how many. */
static long compare_baseline(const char *baseline, const rl_matrix *now_m)
{
    rl_matrix before = RL_MATRIX_INIT;
    rl_diag d = RL_DIAG_INIT;
    long regressions = -1;
    if (rl_matrix_add_file(&before, baseline, &d) < 0)
        print_diag(&d);
    else {
        rl_comparison cmp;
        rl_matrix_compare(&before, now_m, &cmp);
        char *text = rl_render_comparison(&cmp);
        say("%s", text);
        free(text);
        regressions = (long)cmp.nregressions;
        rl_comparison_clear(&cmp);
    }
    rl_diag_clear(&d);
    rl_matrix_clear(&before);
    return regressions;
}

int cmd_run(options *o)
{
    catch_signals();
    /* The previous run's results must never pass for this one's: they go
     * before anything runs, so a run that cannot write leaves none. */
    char *latest = NULL;
    if (asprintf(&latest, "%s/results.json", o->work) < 0)
        abort();
    if (unlink(latest) < 0 && errno != ENOENT)
        fprintf(stderr, "racelab: cannot remove the previous %s: %s\n", latest, strerror(errno));
    if (choose_tools(o) < 0) {
        free(latest);
        return EXIT_INPUT;
    }

    rl_catalogue cat = RL_CATALOGUE_INIT;
    load_catalogue(o, &cat);
    size_t njobs;
    int width = 10;
    rl_job *jobs = make_jobs(o, &cat, &njobs, &width);

    rl_config cfg = RL_CONFIG_INIT;
    cfg.work_dir = o->work;
    cfg.jobs = o->jobs;
    cfg.cancel = &interrupted;
    cfg.rebuild = o->rebuild;
    rl_result *results = calloc(njobs + 1, sizeof *results);
    progress p = {.results = results, .njobs = njobs, .done = calloc(njobs + 1, 1),
                  .width = width, .tty = isatty(STDOUT_FILENO), .quiet = o->quiet, .verbose = o->verbose,
                  .start = now()};
    if (!results || !p.done)
        abort();
    rl_diag d = RL_DIAG_INIT;
    if (rl_run_jobs(&cfg, jobs, njobs, results, on_result, &p, &d) < 0) {
        print_diag(&d); /* a config this racelab cannot take: its own bug */
        abort();
    }
    if (p.tty)
        say("\r\033[K");
    for (; p.next < njobs; p.next++) /* what an interruption left unshown */
        if (!p.tty && !p.done[p.next])
            show(&p, &results[p.next]);

    int is_interrupted = __atomic_load_n(&interrupted, __ATOMIC_RELAXED);
    /* What the run was asked to cover: the cases of its shard, the tools
     * as named. */
    const char **asked = calloc(cat.ncases + 1, sizeof *asked);
    if (!asked)
        abort();
    for (size_t i = 0, k = 0; i < cat.ncases; i++)
        if (!o->shards || rl_case_shard(cat.cases[i]->name, o->shards) == o->shard)
            asked[k++] = cat.cases[i]->name;
    rl_run_info info = RL_RUN_INFO_INIT;
    info.interrupted = is_interrupted;
    info.shard = o->shard;
    info.shards = o->shards;
    info.cases = asked;
    info.specs = o->specs;
    rl_matrix m = RL_MATRIX_INIT;
    rl_matrix_add_results(&m, results, njobs, &info);
    long regressions = o->baseline ? compare_baseline(o->baseline, &m) : 0;
    char *summary = rl_render_summary(results, njobs);
    say("%s", summary);
    free(summary);

    rl_summary s;
    rl_summarize(results, njobs, &s);
    int rc = is_interrupted                          ? EXIT_INTERRUPTED
             : cat.nerrors || regressions < 0        ? EXIT_INPUT
             : regressions > 0                       ? EXIT_REGRESSED
             : s.count[RL_FAIL] || s.count[RL_ERROR] ? EXIT_FAILED
             : s.count[RL_PASS] == 0                 ? EXIT_FAILED
             : s.count[RL_SKIP]                      ? EXIT_SKIPPED
                                                     : EXIT_PASSED;
    if (njobs == 0 && !cat.nerrors)
        fprintf(stderr, "racelab: no cases to run\n");
    else if (rc == EXIT_FAILED && s.count[RL_PASS] == 0 && !s.count[RL_FAIL] &&
             !s.count[RL_ERROR])
        fprintf(stderr, "racelab: nothing was verified: every job was skipped\n");

    /* The results of whatever ran are kept, whatever else went wrong. */
    if (write_outputs(o, latest, results, njobs, &cat, &info) < 0 ||
        (o->matrix && write_matrix(&m, o->matrix) < 0))
        if (rc != EXIT_INTERRUPTED)
            rc = EXIT_INPUT;
    rl_matrix_clear(&m);
    rl_diag_clear(&d);
    free(asked);
    free(latest);
    for (size_t i = 0; i < njobs; i++)
        rl_result_clear(&results[i]);
    free(results);
    free(p.done);
    free(jobs);
    rl_catalogue_clear(&cat);
    return rc;
}

/* racelab record: run jobs one by one and keep their logs as fixtures. */
int cmd_record(options *o)
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
            say("%s %s -> %s\n", rl_verdict_name(r.verdict), jobs[i].rcase->name, dest);
        rl_diag_clear(&d);
        rl_result_clear(&r);
        free(dest);
    }
    free(jobs);
    rl_catalogue_clear(&cat);
    return __atomic_load_n(&interrupted, __ATOMIC_RELAXED) ? EXIT_INTERRUPTED : rc;
}
