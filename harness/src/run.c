/* run.c: one (case, tool) job from build to verdict, and many in parallel. */
#define _GNU_SOURCE
#include "adapter.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *rl_verdict_name(rl_verdict v)
{
    static const char *const names[] = {"pass", "fail", "error", "skip"};
    return v <= RL_SKIP ? names[v] : "?";
}

void rl_result_clear(rl_result *r)
{
    free(r->message);
    free(r->log_path);
    free(r->log_dir);
    rl_report_list_clear(&r->reports);
    memset(r, 0, sizeof *r);
}

/* A directory name for a tool spec: "tsan" stays, "tsan:clang-16" becomes
 * "tsan_clang-16-1a2b3c4d": a hash of the spec keeps specs that read alike
 * ("tsan:/a/b", "tsan:/a_b") apart. */
static char *spec_dir_name(const char *spec)
{
    char *s = rl_xstrdup(spec);
    int changed = 0;
    unsigned h = 2166136261u;
    for (char *p = s; *p; p++) {
        h = (h ^ (unsigned char)*p) * 16777619u;
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '.')) {
            *p = '_';
            changed = 1;
        }
    }
    if (!changed)
        return s;
    char *named = rl_xasprintf("%s-%08x", s, h);
    free(s);
    return named;
}

/* One run at a time in a log directory, across processes too: another
 * run's logs must never be read as this one's. Returns the lock's fd. */
static int lock_log_dir(const char *log_dir, rl_buf *why)
{
    char *path = rl_xasprintf("%s.lock", log_dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        rl_buf_printf(why, "cannot create %s: %s", path, strerror(errno));
    else if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        rl_buf_printf(why, "another run is using %s (%s)", log_dir,
                      errno == EWOULDBLOCK ? "locked" : strerror(errno));
        close(fd);
        fd = -1;
    }
    free(path);
    return fd;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Serialises builds that share a binary within this process; other
 * processes are kept apart by build.c's rename. */
typedef struct build_locks {
    pthread_mutex_t stripe[16];
} build_locks;

static double time_limit(const rl_case *c, const rl_adapter *a)
{
    return c->timeout * a->timeout_factor + a->startup_seconds;
}

static void finish(rl_result *out, rl_verdict v, rl_buf *why)
{
    out->verdict = v;
    out->message = why->len ? rl_buf_steal(why) : NULL;
    rl_buf_free(why);
}

static void run_job(const rl_config *cfg, const rl_case *c, const rl_tool *tool, rl_result *out,
                    build_locks *locks)
{
    memset(out, 0, sizeof *out);
    out->rcase = c;
    out->tool = *tool;
    rl_buf why = {0};
    const rl_adapter *a = rl_adapter_for(tool->id);
    if (!rl_case_declares(c, tool->id)) {
        rl_buf_printf(&why, "%s:1: no expect line for tool %s", c->path, rl_tool_name(tool->id));
        finish(out, RL_ERROR, &why);
        return;
    }
    if (rl_cancelled(cfg->cancel)) {
        rl_buf_puts(&why, "not run: interrupted");
        finish(out, RL_SKIP, &why);
        return;
    }
    if (a->check_environment && a->check_environment(tool, &why) < 0) {
        finish(out, RL_ERROR, &why);
        return;
    }

    /* Absolute: the run's working directory is its log directory. */
    char *cwd = cfg->work_dir[0] == '/' ? NULL : getcwd(NULL, 0);
    char *work = cwd ? rl_xasprintf("%s/%s", cwd, cfg->work_dir) : rl_xstrdup(cfg->work_dir);
    char *spec_dir = spec_dir_name(tool->spec);
    out->log_dir = rl_xasprintf("%s/logs/%s/%s", work, c->name, spec_dir);
    char *bin_dir = rl_xasprintf("%s/bin", work);
    free(spec_dir);
    free(work);
    free(cwd);
    if (rl_mkdirs(out->log_dir) < 0 || rl_mkdirs(bin_dir) < 0) {
        rl_buf_printf(&why, "cannot create %s: %s", out->log_dir, strerror(errno));
        free(bin_dir);
        finish(out, RL_ERROR, &why);
        return;
    }
    int lock_fd = lock_log_dir(out->log_dir, &why);
    if (lock_fd < 0 || rl_empty_dir(out->log_dir) < 0) {
        if (lock_fd >= 0) {
            rl_buf_printf(&why, "cannot empty %s of an earlier run's logs: %s", out->log_dir,
                          strerror(errno));
            close(lock_fd);
        }
        free(bin_dir);
        finish(out, RL_ERROR, &why);
        return;
    }

    const char *compiler = a->compiler(tool);
    char *tag = rl_xasprintf("%s-%s", a->build_name, base_name(compiler));
    char *build_log = rl_xasprintf("%s/build.log", out->log_dir);
    char *binary = NULL;
    pthread_mutex_t *lock = NULL;
    if (locks) {
        unsigned h = 0;
        for (const char *p = tag; *p; p++)
            h = h * 31 + (unsigned char)*p;
        for (const char *p = c->name; *p; p++)
            h = h * 31 + (unsigned char)*p;
        lock = &locks->stripe[h % 16];
        pthread_mutex_lock(lock);
    }
    int built = rl_build(compiler, a->build_flags, c, bin_dir, tag, build_log, cfg->cancel, &binary,
                         &out->build_seconds, &why);
    if (lock)
        pthread_mutex_unlock(lock);
    free(tag);
    free(build_log);
    free(bin_dir);
    if (built < 0) {
        close(lock_fd);
        finish(out, rl_cancelled(cfg->cancel) ? RL_SKIP : RL_ERROR, &why);
        return;
    }
    if (a->check_binary && a->check_binary(tool, binary, &why) < 0) {
        free(binary);
        close(lock_fd);
        finish(out, RL_ERROR, &why);
        return;
    }

    rl_strv argv = {0}, env = {0};
    a->command(tool, binary, out->log_dir, &argv, &env);
    char *stdout_path = rl_xasprintf("%s/stdout.txt", out->log_dir);
    char *stderr_path = rl_xasprintf("%s/stderr.txt", out->log_dir);
    rl_spawn s = {.argv = argv.v,
                  .envp = env.v,
                  .cwd = out->log_dir,
                  .stdout_path = stdout_path,
                  .stderr_path = stderr_path,
                  .timeout = time_limit(c, a),
                  .cancel = cfg->cancel};
    rl_outcome o;
    rl_verdict v = RL_ERROR;
    if (rl_spawn_wait(&s, &o) < 0)
        rl_buf_printf(&why, "cannot run %s: %s", argv.v[0], strerror(errno));
    else if (o.cancelled)
        rl_buf_puts(&why, "interrupted"), v = RL_SKIP;
    else if (o.lost)
        rl_buf_printf(&why, "lost the exit status of %s (is SIGCHLD ignored?)", argv.v[0]);
    else if (a->collect(tool, out->log_dir, &o, &out->reports, &out->log_path, &why) == 0) {
        char *mismatch;
        v = rl_match(c, tool->id, &out->reports, &mismatch) ? RL_PASS : RL_FAIL;
        if (mismatch)
            rl_buf_puts(&why, mismatch);
        free(mismatch);
    }
    out->seconds = o.seconds;
    if (v != RL_PASS && v != RL_SKIP && out->log_path)
        rl_buf_printf(&why, "%slog: %s", why.len && why.data[why.len - 1] != '\n' ? "\n  " : "  ",
                      out->log_path);
    free(stdout_path);
    free(stderr_path);
    rl_strv_clear(&argv);
    rl_strv_clear(&env);
    free(binary);
    close(lock_fd);
    finish(out, v, &why);
}

void rl_run_job(const rl_config *cfg, const rl_case *c, const rl_tool *tool, rl_result *out)
{
    run_job(cfg, c, tool, out, NULL);
}

typedef struct pool {
    const rl_config *cfg;
    const rl_job *jobs;
    rl_result *results;
    size_t *order, njobs, next;
    pthread_mutex_t mutex;
    build_locks locks;
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
        run_job(p->cfg, p->jobs[i].rcase, &p->jobs[i].tool, &p->results[i], &p->locks);
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
    double cx = time_limit(x->rcase, rl_adapter_for(x->tool.id));
    double cy = time_limit(y->rcase, rl_adapter_for(y->tool.id));
    if (cx != cy)
        return cx > cy ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

void rl_run_jobs(const rl_config *cfg, const rl_job *jobs, size_t njobs, rl_result *results,
                 rl_progress_fn progress, void *ctx)
{
    pool p = {.cfg = cfg, .jobs = jobs, .results = results, .njobs = njobs,
              .progress = progress, .ctx = ctx};
    p.order = rl_xcalloc(njobs + 1, sizeof *p.order);
    for (size_t i = 0; i < njobs; i++)
        p.order[i] = i;
    qsort_r(p.order, njobs, sizeof *p.order, slower_first, (void *)jobs);
    pthread_mutex_init(&p.mutex, NULL);
    for (int i = 0; i < 16; i++)
        pthread_mutex_init(&p.locks.stripe[i], NULL);

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

    for (int i = 0; i < 16; i++)
        pthread_mutex_destroy(&p.locks.stripe[i]);
    pthread_mutex_destroy(&p.mutex);
    free(threads);
    free(p.order);
}
