/* pool.c: many jobs at once: each distinct tool resolved once, all at the
 * same time, then the jobs run by a pool of threads, slowest first. */
#define _GNU_SOURCE
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct pool {
    const rl_config *cfg;
    const rl_job *jobs;
    int *case_cannot_run; /* per job: no job of its case can run */
    rl_result *results;
    size_t *order, njobs, next;
    pthread_mutex_t mutex;
    rl_build_locks locks;
    rl_progress_fn progress;
    void *ctx;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mutex);
        size_t i = p->next < p->njobs ? p->order[p->next++] : (size_t)-1;
        pthread_mutex_unlock(&p->mutex);
        if (i == (size_t)-1)
            return NULL;
        rl_run_job_locked(p->cfg, p->jobs[i].rcase, p->jobs[i].tool, &p->results[i], &p->locks,
                          NULL, p->case_cannot_run[i]);
        if (p->progress) {
            pthread_mutex_lock(&p->mutex);
            p->progress(&p->results[i], p->ctx);
            pthread_mutex_unlock(&p->mutex);
        }
    }
}

/* Longest first: a slow tool started last would leave the other cores idle
 * at the end. The time limit is the best guess of cost racelab has. */
static int slower_first(const void *a, const void *b, void *jobs_arg)
{
    const rl_job *jobs = jobs_arg;
    const rl_job *x = &jobs[*(const size_t *)a], *y = &jobs[*(const size_t *)b];
    double cx = rl_time_limit(x->rcase, rl_adapter_for(x->tool->id));
    double cy = rl_time_limit(y->rcase, rl_adapter_for(y->tool->id));
    if (cx != cy)
        return cx > cy ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void *resolve_one(void *arg)
{
    rl_tool_resolve(arg);
    return NULL;
}

/* Each distinct tool of the jobs, resolved once, all at the same time. */
static void resolve_tools(const rl_job *jobs, size_t njobs)
{
    rl_tool **distinct = rl_xcalloc(njobs + 1, sizeof *distinct);
    size_t n = 0;
    for (size_t i = 0; i < njobs; i++) {
        size_t k = 0;
        while (k < n && distinct[k] != jobs[i].tool)
            k++;
        if (k == n && !jobs[i].tool->resolved)
            distinct[n++] = jobs[i].tool;
    }
    pthread_t *threads = rl_xcalloc(n + 1, sizeof *threads);
    int *started = rl_xcalloc(n + 1, sizeof *started);
    for (size_t k = 0; k < n; k++)
        started[k] = pthread_create(&threads[k], NULL, resolve_one, distinct[k]) == 0;
    for (size_t k = 0; k < n; k++) {
        if (started[k])
            pthread_join(threads[k], NULL);
        else
            rl_tool_resolve(distinct[k]);
    }
    free(threads);
    free(started);
    free(distinct);
}

int rl_run_jobs(const rl_config *cfg, const rl_job *jobs, size_t njobs, rl_result *results,
                rl_progress_fn progress, void *ctx, rl_diag *diag)
{
    if (!cfg || cfg->version != RL_CONFIG_VERSION)
        return rl_diag_set(diag, NULL, 0,
                           "rl_config version %u, but this racelab knows version %d: start "
                           "from RL_CONFIG_INIT",
                           cfg ? cfg->version : 0, RL_CONFIG_VERSION);
    if (!cfg->work_dir || !*cfg->work_dir)
        return rl_diag_set(diag, NULL, 0, "rl_config has no work directory");
    resolve_tools(jobs, njobs);

    pool p = {.cfg = cfg, .jobs = jobs, .results = results, .njobs = njobs,
              .progress = progress, .ctx = ctx};
    /* A case all of whose jobs are unsupported toolchains is checked by
     * nothing: its jobs are errors, not skips. */
    p.case_cannot_run = rl_xcalloc(njobs + 1, sizeof *p.case_cannot_run);
    rl_map can_run = {0}; /* case -> 1 when one of its jobs can run */
    char key[32];
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < njobs; i++) {
            snprintf(key, sizeof key, "%p", (const void *)jobs[i].rcase);
            size_t runs = 0;
            if (pass == 0 && (jobs[i].tool->error.message ||
                              !rl_job_unsupported(jobs[i].rcase, jobs[i].tool)))
                rl_map_put(&can_run, key, 1);
            else if (pass == 1)
                p.case_cannot_run[i] = rl_map_get(&can_run, key, &runs) < 0;
        }
    rl_map_clear(&can_run);
    p.order = rl_xcalloc(njobs + 1, sizeof *p.order);
    for (size_t i = 0; i < njobs; i++)
        p.order[i] = i;
    qsort_r(p.order, njobs, sizeof *p.order, slower_first, (void *)jobs);
    pthread_mutex_init(&p.mutex, NULL);
    for (int i = 0; i < RL_BUILD_STRIPES; i++)
        pthread_mutex_init(&p.locks.stripe[i], NULL);
    pthread_mutex_init(&p.locks.memo.mutex, NULL);

    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nthreads = cfg->jobs > 0 ? (size_t)cfg->jobs : cpus > 0 ? (size_t)cpus : 1;
    if (nthreads > njobs)
        nthreads = njobs ? njobs : 1;
    pthread_t *threads = rl_xcalloc(nthreads, sizeof *threads);
    size_t started = 0;
    for (; started < nthreads; started++)
        if (pthread_create(&threads[started], NULL, worker, &p) != 0)
            break;
    if (started == 0)
        worker(&p); /* no threads to be had: run them here, one by one */
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);

    for (int i = 0; i < RL_BUILD_STRIPES; i++)
        pthread_mutex_destroy(&p.locks.stripe[i]);
    pthread_mutex_destroy(&p.locks.memo.mutex);
    rl_map_clear(&p.locks.memo.built);
    pthread_mutex_destroy(&p.mutex);
    free(threads);
    free(p.order);
    free(p.case_cannot_run);
    return 0;
}
