/* run.c: one (case, tool) job from build to verdict, and many in parallel. */
#define _GNU_SOURCE
#include "adapter.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

const char *rl_verdict_name(rl_verdict v)
{
    static const char *const names[] = {"pass", "fail", "error", "skip"};
    return v <= RL_SKIP ? names[v] : "?";
}

static void command_clear(rl_command *c)
{
    rl_strv_free(c->argv);
    rl_strv_free(c->env_set);
    rl_strv_free(c->env_unset);
    free(c->cwd);
    memset(c, 0, sizeof *c);
}

void rl_result_clear(rl_result *r)
{
    free(r->message);
    free(r->log_path);
    free(r->log_dir);
    free(r->binary);
    command_clear(&r->compile);
    command_clear(&r->link);
    command_clear(&r->run);
    rl_report_list_clear(&r->reports);
    rl_ending_clear(&r->ending);
    rl_match_clear(&r->match);
    rl_strv_free(r->notes);
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

static void note(rl_strv *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(rl_strv *notes, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s;
    if (vasprintf(&s, fmt, ap) >= 0) {
        rl_strv_push(notes, s);
        free(s);
    }
    va_end(ap);
}

static void fill_run_command(rl_command *cmd, const rl_strv *argv, const rl_env *env,
                             const char *cwd)
{
    cmd->argv = rl_strv_dup(argv->v);
    cmd->env_set = rl_strv_dup(env->set.v);
    cmd->env_unset = rl_strv_dup(env->unset.v);
    cmd->cwd = rl_xstrdup(cwd);
}

/* The names of the sets a case has for a tool, for messages. */
static char *sets_of(const rl_case *c, rl_tool_id tool)
{
    rl_buf b = {0};
    for (size_t i = 0; i < c->nsets; i++) {
        if (c->sets[i].tool != tool)
            continue;
        rl_buf_printf(&b, "%s%s%s%s%s", b.len ? ", " : "", rl_tool_name(tool),
                      c->sets[i].scope.text[0] ? "(" : "", c->sets[i].scope.text,
                      c->sets[i].scope.text[0] ? ")" : "");
    }
    return rl_buf_steal(&b);
}

/* Collect, match and give the verdict of a run that happened (or was
 * recorded). */
static void move_frames(rl_report_list *reports, const char *from, const char *to);

static void judge(const rl_tool *tool, const rl_case *c, const rl_adapter *a, char *const *argv,
                  const char *log_dir, const rl_outcome *o, rl_result *out, rl_buf *why,
                  rl_verdict *v, const char *recorded_path)
{
    rl_strv notes = {0};
    *v = RL_ERROR;
    if (o->out_bytes > o->out_cap)
        note(&notes, "the program wrote %llu bytes to stdout; the first %zu were kept", o->out_bytes,
             o->out_cap);
    if (o->err_bytes > o->out_cap)
        note(&notes, "the program wrote %llu bytes to stderr; the first %zu were kept", o->err_bytes,
             o->out_cap);
    if (o->strays)
        note(&notes,
             "%d process%s the program started %s still running when it ended; racelab killed "
             "them",
             o->strays, o->strays == 1 ? "" : "es", o->strays == 1 ? "was" : "were");
    if (o->cancelled) {
        rl_buf_puts(why, "interrupted");
        *v = RL_SKIP;
    } else if (o->lost)
        rl_buf_printf(why, "lost track of %s: its supervisor ended without a word", argv[0]);
    else if (o->unkillable)
        rl_buf_printf(why, "%d process%s of the run would not die", o->unkillable,
                      o->unkillable == 1 ? "" : "es");
    else if (o->signal == SIGXFSZ)
        rl_buf_printf(why, "the run wrote a file larger than racelab's limit of %llu MiB (it was "
                           "killed by SIGXFSZ)", RL_FILE_LIMIT >> 20);
    else if (a->collect(tool, argv, log_dir, o, &out->reports, &out->ending, &out->log_path,
                        why) == 0) {
        if (recorded_path)
            move_frames(&out->reports, recorded_path, c->path);
        rl_match_run(c, tool->id, &tool->toolchain, &out->reports, &out->ending, &out->match);
        *v = out->match.ok ? RL_PASS : RL_FAIL;
        if (!out->match.ok) {
            char *explain = rl_match_explain(&out->match, c, &out->reports, &out->ending);
            rl_buf_puts(why, explain);
            free(explain);
        }
    }
    out->seconds = o->seconds;
    if (*v != RL_PASS && *v != RL_SKIP && out->log_path)
        rl_buf_printf(why, "%slog: %s", why->len && why->data[why->len - 1] != '\n' ? "\n  " : "  ",
                      out->log_path);
    out->notes = rl_strv_steal(&notes);
}

static void run_job(const rl_config *cfg, const rl_case *c, const rl_tool *tool, rl_result *out,
                    build_locks *locks, rl_outcome *kept)
{
    memset(out, 0, sizeof *out);
    out->rcase = c;
    out->tool = *tool;
    out->match.set = -1;
    out->match.ending_line = -1;
    rl_buf why = {0};
    const rl_adapter *a = rl_adapter_for(tool->id);
    char desc[160];
    rl_toolchain_describe(&tool->toolchain, desc, sizeof desc);
    if (!rl_case_declares(c, tool->id)) {
        rl_buf_printf(&why, "%s:1: no expect line for tool %s", c->path, rl_tool_name(tool->id));
        finish(out, RL_ERROR, &why);
        return;
    }
    if (tool->error[0]) {
        rl_buf_printf(&why, "cannot use %s: %s", tool->spec, tool->error);
        finish(out, RL_ERROR, &why);
        return;
    }
    long set = rl_case_select_set(c, tool->id, &tool->toolchain);
    if (set < 0) {
        char *sets = sets_of(c, tool->id);
        rl_buf_printf(&why, "%s: no line for %s applies to %s (the case has: %s)", c->path,
                      rl_tool_name(tool->id), desc, sets);
        free(sets);
        finish(out, RL_ERROR, &why);
        return;
    }
    out->match.set = set;
    for (size_t i = 0; i < c->nexpects; i++) {
        const rl_expect *e = &c->expects[i];
        if (e->set == (size_t)set && e->type == RL_LINE_UNSUPPORTED) {
            rl_buf_printf(&why, "unsupported on %s: %s (line %d)", desc, e->reason, e->line);
            finish(out, RL_SKIP, &why);
            return;
        }
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
    /* TSan's log_path is given in double quotes, and reports quote frames
     * one to a line. */
    if (strpbrk(out->log_dir, "\"\n")) {
        rl_buf_printf(&why, "the work directory's path holds a double quote or a new line, which "
                            "the tools cannot be given: choose another --work (%s)", out->log_dir);
        free(bin_dir);
        finish(out, RL_ERROR, &why);
        return;
    }
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

    /* The toolchain's proof, kept beside the builds it vouches for. */
    if (a->check_toolchain) {
        char *proof = rl_xasprintf("%s/%s-%s.proven", bin_dir, a->name, tool->compiler.identity);
        int proven = access(proof, F_OK) == 0;
        rl_buf problem = {0};
        if (!proven && a->check_toolchain(tool, &problem) < 0) {
            rl_buf_printf(&why, "cannot use %s: %s", tool->spec, problem.data);
            rl_buf_free(&problem);
            free(proof);
            free(bin_dir);
            close(lock_fd);
            finish(out, RL_ERROR, &why);
            return;
        }
        if (!proven) {
            int fd = open(proof, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            if (fd >= 0)
                close(fd);
        }
        free(proof);
    }

    char *build_log = rl_xasprintf("%s/build.log", out->log_dir);
    pthread_mutex_t *lock = NULL;
    if (locks) {
        uint64_t h = rl_hash_str(rl_hash_str(RL_HASH_INIT, tool->compiler.identity), c->path);
        lock = &locks->stripe[h % 16];
        pthread_mutex_lock(lock);
    }
    rl_build_request req = {.adapter = a, .tool = tool, .compiler = &tool->compiler, .rcase = c,
                            .bin_dir = bin_dir, .log_path = build_log, .cancel = cfg->cancel};
    int built = rl_build(&req, &out->binary, &out->build_seconds, &out->compile, &out->link, &why);
    if (lock)
        pthread_mutex_unlock(lock);
    free(build_log);
    free(bin_dir);
    if (built < 0) {
        close(lock_fd);
        finish(out, rl_cancelled(cfg->cancel) ? RL_SKIP : RL_ERROR, &why);
        return;
    }
    if (a->check_binary && a->check_binary(tool, out->binary, &why) < 0) {
        close(lock_fd);
        finish(out, RL_ERROR, &why);
        return;
    }

    const rl_options *options = rl_case_select_options(c, tool->id, &tool->toolchain);
    rl_strv argv = {0};
    rl_env env = {0};
    a->command(tool, c, options, out->binary, out->log_dir, &argv, &env);
    fill_run_command(&out->run, &argv, &env, out->log_dir);
    char **envp = rl_env_build(&env);
    char *stdout_path = rl_xasprintf("%s/stdout.txt", out->log_dir);
    char *stderr_path = rl_xasprintf("%s/stderr.txt", out->log_dir);
    rl_spawn s = {.argv = argv.v,
                  .envp = envp,
                  .cwd = out->log_dir,
                  .stdout_path = stdout_path,
                  .stderr_path = stderr_path,
                  .watch_dir = out->log_dir,
                  .timeout = time_limit(c, a),
                  .cancel = cfg->cancel};
    rl_outcome o;
    rl_verdict v = RL_ERROR;
    if (rl_spawn_wait(&s, &o) < 0)
        rl_buf_printf(&why, "cannot run %s: %s", argv.v[0], strerror(errno));
    else
        judge(tool, c, a, argv.v, out->log_dir, &o, out, &why, &v, NULL);
    if (kept)
        *kept = o;
    else
        rl_outcome_clear(&o);
    free(stdout_path);
    free(stderr_path);
    rl_strv_free(envp);
    rl_strv_clear(&argv);
    rl_env_clear(&env);
    close(lock_fd);
    finish(out, v, &why);
}

void rl_run_job(const rl_config *cfg, const rl_case *c, const rl_tool *tool, rl_result *out)
{
    rl_tool resolved = *tool;
    rl_tool_resolve(&resolved);
    run_job(cfg, c, &resolved, out, NULL, NULL);
}

typedef struct pool {
    const rl_config *cfg;
    const rl_job *jobs;
    const rl_tool *tools; /* jobs[i]'s tool, resolved */
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
        run_job(p->cfg, p->jobs[i].rcase, &p->tools[i], &p->results[i], &p->locks, NULL);
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

static void *resolve_one(void *arg)
{
    rl_tool_resolve(arg);
    return NULL;
}

void rl_run_jobs(const rl_config *cfg, const rl_job *jobs, size_t njobs, rl_result *results,
                 rl_progress_fn progress, void *ctx)
{
    /* Each distinct tool is resolved once, all at the same time. */
    rl_tool *distinct = rl_xcalloc(njobs + 1, sizeof *distinct);
    size_t ndistinct = 0;
    rl_tool *tools = rl_xcalloc(njobs + 1, sizeof *tools);
    size_t *which = rl_xcalloc(njobs + 1, sizeof *which);
    for (size_t i = 0; i < njobs; i++) {
        size_t k = 0;
        while (k < ndistinct && strcmp(distinct[k].spec, jobs[i].tool.spec) != 0)
            k++;
        if (k == ndistinct)
            distinct[ndistinct++] = jobs[i].tool;
        which[i] = k;
    }
    pthread_t *resolvers = rl_xcalloc(ndistinct + 1, sizeof *resolvers);
    int *started_resolver = rl_xcalloc(ndistinct + 1, sizeof *started_resolver);
    for (size_t k = 0; k < ndistinct; k++)
        started_resolver[k] = pthread_create(&resolvers[k], NULL, resolve_one, &distinct[k]) == 0;
    for (size_t k = 0; k < ndistinct; k++) {
        if (started_resolver[k])
            pthread_join(resolvers[k], NULL);
        else
            rl_tool_resolve(&distinct[k]);
    }
    for (size_t i = 0; i < njobs; i++)
        tools[i] = distinct[which[i]];
    free(resolvers);
    free(started_resolver);
    free(which);
    free(distinct);

    pool p = {.cfg = cfg, .jobs = jobs, .tools = tools, .results = results, .njobs = njobs,
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
    free(tools);
}

/* ---- Recording and replaying ------------------------------------------- */

#include <jansson.h>
#include <dirent.h>

int rl_record_job(const rl_config *cfg, const rl_case *c, const rl_tool *tool, const char *dest,
                  rl_result *out, rl_diag *diag)
{
    rl_tool resolved = *tool;
    rl_tool_resolve(&resolved);
    rl_outcome o;
    memset(&o, 0, sizeof o);
    run_job(cfg, c, &resolved, out, NULL, &o);
    int rc = -1;
    if (!out->run.argv || !out->log_dir) {
        rl_diag_set(diag, c->path, 0, "nothing to record: the job did not run (%s)",
                    out->message ? out->message : "?");
        rl_outcome_clear(&o);
        return -1;
    }
    if (rl_mkdirs(dest) < 0 || rl_empty_dir(dest) < 0) {
        rl_diag_set(diag, dest, 0, "cannot make an empty directory: %s", strerror(errno));
        rl_outcome_clear(&o);
        return -1;
    }
    DIR *d = opendir(out->log_dir);
    struct dirent *e;
    rc = 0;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "build.log") == 0)
            continue;
        char *from = rl_xasprintf("%s/%s", out->log_dir, e->d_name);
        char *to = rl_xasprintf("%s/%s", dest, e->d_name);
        if (rl_copy_file(from, to) < 0 && errno != EINVAL) {
            rl_diag_set(diag, to, 0, "cannot copy the log: %s", strerror(errno));
            rc = -1;
        }
        free(from);
        free(to);
    }
    if (d)
        closedir(d);
    json_t *files = json_array();
    for (size_t i = 0; i < o.nfiles; i++)
        json_array_append_new(files, json_pack("{s:o, s:i, s:i, s:i}", "name", rl_json_text(o.files[i].name),
                                               "created", o.files[i].created, "opened",
                                               o.files[i].opened, "deleted", o.files[i].deleted));
    json_t *doc = json_pack(
        "{s:i, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:i, s:b, s:i, s:i, s:b, s:f, s:b, s:o}}",
        "record", 1, "tool", rl_json_text(resolved.spec), "verdict", rl_verdict_name(out->verdict),
        "toolchain", rl_json_toolchain(&resolved.toolchain), "compiler",
        rl_json_toolchain(&resolved.compiler), "case_path", rl_json_text(c->path), "argv",
        rl_json_text_list(out->run.argv), "env", rl_json_text_list(out->run.env_set), "unset",
        rl_json_text_list(out->run.env_unset), "outcome", "pid", o.pid,
        "exited", o.exited, "status", o.status, "signal", o.signal, "timed_out", o.timed_out,
        "seconds", o.seconds, "watched", o.watched, "files", files);
    char *path = rl_xasprintf("%s/record.json", dest);
    if (!doc || json_dump_file(doc, path, JSON_INDENT(2) | JSON_SORT_KEYS) < 0) {
        rl_diag_set(diag, path, 0, "cannot write the record");
        rc = -1;
    }
    json_decref(doc);
    free(path);
    rl_outcome_clear(&o);
    return rc;
}

/* Frames in the file the case was recorded from are frames in the case. */
static void move_frames(rl_report_list *reports, const char *from, const char *to)
{
    for (size_t r = 0; r < reports->count; r++)
        for (size_t s = 0; s < reports->items[r].nstacks; s++)
            for (size_t f = 0; f < reports->items[r].stacks[s].nframes; f++) {
                rl_frame *fr = &reports->items[r].stacks[s].frames[f];
                if (fr->file && strcmp(fr->file, from) == 0) {
                    free(fr->file);
                    fr->file = rl_xstrdup(to);
                }
            }
}

int rl_replay(const rl_case *c, const char *recorded_dir, rl_result *out, rl_diag *diag)
{
    memset(out, 0, sizeof *out);
    out->rcase = c;
    out->match.set = -1;
    out->match.ending_line = -1;
    char *path = rl_xasprintf("%s/record.json", recorded_dir);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    const char *spec = NULL, *case_path = NULL;
    json_t *toolchain = NULL, *compiler = NULL, *argv = NULL, *outcome = NULL;
    if (!doc || json_unpack_ex(doc, &jerr, 0, "{s:s, s:s, s:o, s:o, s:o, s:o}", "tool", &spec,
                               "case_path", &case_path, "toolchain", &toolchain, "compiler",
                               &compiler, "argv", &argv, "outcome", &outcome) < 0) {
        rl_diag_set(diag, path, jerr.line, "not a record: %s", jerr.text);
        json_decref(doc);
        free(path);
        return -1;
    }
    if (rl_tool_parse(spec, &out->tool, diag) < 0) {
        json_decref(doc);
        free(path);
        return -1;
    }
    out->tool.resolved = 1;
    rl_json_read_toolchain(toolchain, &out->tool.toolchain);
    rl_json_read_toolchain(compiler, &out->tool.compiler);
    rl_outcome o;
    memset(&o, 0, sizeof o);
    json_t *files = NULL;
    int exited = 0, timed_out = 0, watched = 0;
    double seconds = 0;
    json_unpack(outcome, "{s:i, s:b, s:i, s:i, s:b, s?F, s:b, s:o}", "pid", &o.pid, "exited",
                &exited, "status", &o.status, "signal", &o.signal, "timed_out", &timed_out,
                "seconds", &seconds, "watched", &watched, "files", &files);
    o.exited = exited, o.timed_out = timed_out, o.watched = watched, o.seconds = seconds;
    o.out_cap = RL_OUTPUT_CAP;
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f)
    {
        o.files = rl_xrealloc(o.files, (o.nfiles + 1) * sizeof *o.files);
        rl_file_events *e = &o.files[o.nfiles++];
        const char *name = "";
        memset(e, 0, sizeof *e);
        json_unpack(f, "{s:s, s:i, s:i, s:i}", "name", &name, "created", &e->created, "opened",
                    &e->opened, "deleted", &e->deleted);
        e->name = rl_xstrdup(name);
    }
    rl_strv args = {0};
    json_t *a;
    json_array_foreach(argv, i, a) rl_strv_push(&args, json_string_value(a) ? json_string_value(a) : "");
    out->run.argv = rl_strv_dup(args.v);
    out->log_dir = rl_xstrdup(recorded_dir);
    /* Judged as a run that just happened, with the frames of the file the
     * case was recorded from taken as frames of this copy of the case. */
    rl_buf why = {0};
    rl_verdict v;
    judge(&out->tool, c, rl_adapter_for(out->tool.id), args.v, recorded_dir, &o, out, &why, &v,
          case_path);
    finish(out, v, &why);
    rl_strv_clear(&args);
    rl_outcome_clear(&o);
    json_decref(doc);
    free(path);
    return 0;
}
