/* run.c: the job policy, and one (case, tool) job from build to verdict.
 *
 * The policy (which tool runs which case, which set of lines a toolchain
 * is held to, when a job is skipped) is decided here and nowhere else;
 * pool.c runs jobs in parallel and record.c keeps and replays their logs. */
#define _GNU_SOURCE
#include "build.h"
#include "fs.h"
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* What every run loses from racelab's environment, whatever its tool:
 * nothing may be slipped under the program, nor its runtime swapped. */
static const char *const env_unset_always[] = {"LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH", NULL};

void rl_result_clear(rl_result *r)
{
    rl_diag_clear(&r->problem);
    free(r->log_path);
    free(r->log_dir);
    free(r->binary);
    rl_command_clear(&r->preprocess);
    rl_command_clear(&r->compile);
    rl_command_clear(&r->link);
    rl_command_clear(&r->run);
    rl_report_list_clear(&r->reports);
    rl_ending_clear(&r->ending);
    rl_match_clear(&r->match);
    rl_strv_free(r->notes);
    if (r->owned_tool) {
        rl_tool_clear(r->owned_tool);
        free(r->owned_tool);
    }
    memset(r, 0, sizeof *r);
    r->match.set = -1;
    r->match.ending_line = -1;
}

void rl_result_start(rl_result *r, const rl_case *c, const rl_tool *tool)
{
    memset(r, 0, sizeof *r);
    r->rcase = c;
    r->tool = tool;
    r->verdict = RL_ERROR;
    r->match.set = -1;
    r->match.ending_line = -1;
}

/* ---- The policy ---------------------------------------------------------- */

rl_job *rl_jobs_make(rl_catalogue *cat, rl_tool *tools, size_t ntools, size_t *njobs)
{
    rl_job *jobs = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < cat->ncases; i++) {
        const rl_case *c = cat->cases[i];
        for (size_t t = 0; t < ntools; t++) {
            /* Once a tool, however many of its toolchains run. */
            int told = 0;
            for (size_t u = 0; u < t; u++)
                told |= tools[u].id == tools[t].id;
            if (!told && !rl_case_declares(c, tools[t].id)) {
                rl_diag d = RL_DIAG_INIT;
                rl_diag_set(&d, c->path, 1, "no expect line for tool %s",
                            rl_tool_name(tools[t].id));
                rl_catalogue_error(cat, &d);
                rl_diag_clear(&d);
            }
            jobs = rl_xgrow(jobs, &cap, n + 1, sizeof *jobs);
            jobs[n++] = (rl_job){c, &tools[t]};
        }
    }
    *njobs = n;
    return jobs;
}

double rl_time_limit(const rl_case *c, const rl_adapter *a)
{
    return c->timeout * a->timeout_factor + a->startup_seconds;
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

/* The set of lines the job is held to, or why it cannot run: an error (no
 * lines, an unknown toolchain) or a skip (an unsupported toolchain). */
static long choose_set(const rl_case *c, const rl_tool *tool, rl_result *out)
{
    char desc[RL_PATH_SIZE + 64];
    rl_toolchain_describe(&tool->toolchain, desc, sizeof desc);
    if (!rl_case_declares(c, tool->id)) {
        rl_diag_set(&out->problem, c->path, 1, "no expect line for tool %s",
                    rl_tool_name(tool->id));
        return -1;
    }
    if (tool->error.message) {
        /* A default tool that is not installed is skipped, visibly, unless
         * the run requires it. */
        int skip = tool->by_default && tool->missing && !tool->required;
        rl_diag_set(&out->problem, NULL, 0, "%s %s: ",
                    skip ? "not installed, so not run:" : "cannot use", tool->spec);
        rl_diag_append_raw(&out->problem, rl_diag_message(&tool->error));
        if (skip)
            out->verdict = RL_SKIP;
        return -1;
    }
    long set = rl_case_select_set(c, tool->id, &tool->toolchain);
    if (set < 0) {
        char *sets = sets_of(c, tool->id);
        rl_diag_set(&out->problem, c->path, 0, "no line for %s applies to %s (the case has: %s)",
                    rl_tool_name(tool->id), desc, sets);
        free(sets);
        return -1;
    }
    for (size_t i = 0; i < c->nexpects; i++) {
        const rl_expect *e = &c->expects[i];
        if (e->set == (size_t)set && e->type == RL_LINE_UNSUPPORTED) {
            rl_diag_set(&out->problem, NULL, 0, "unsupported on %s: %s (line %d)", desc,
                        e->reason, e->line);
            out->verdict = RL_SKIP;
            return -1;
        }
    }
    return set;
}

/* ---- One job -------------------------------------------------------------- */

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
static int lock_log_dir(const char *log_dir, rl_diag *diag)
{
    char *path = rl_xasprintf("%s.lock", log_dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        rl_diag_set(diag, NULL, 0, "cannot create %s: %s", path, strerror(errno));
    else if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        rl_diag_set(diag, NULL, 0, "another run is using %s (%s)", log_dir,
                    errno == EWOULDBLOCK ? "locked" : strerror(errno));
        close(fd);
        fd = -1;
    }
    free(path);
    return fd;
}

static void fill_run_command(rl_command *cmd, const rl_strv *argv, const rl_env *env,
                             const char *cwd)
{
    cmd->argv = rl_strv_dup(argv->v);
    cmd->env_set = rl_strv_dup(env->set.v);
    cmd->env_unset = rl_strv_dup(env->unset.v);
    cmd->cwd = rl_xstrdup(cwd);
}

void rl_judge(const rl_adapter *a, const rl_tool *tool, const rl_case *c, long set,
              char *const *argv, const char *log_dir, const rl_outcome *o, rl_result *out,
              const char *recorded_path)
{
    rl_strv notes = {0};
    out->verdict = RL_ERROR;
    if (o->out_bytes > o->out_cap)
        rl_strv_pushf(&notes, "the program wrote %llu bytes to stdout; the first %zu were kept",
                      o->out_bytes, o->out_cap);
    if (o->err_bytes > o->out_cap)
        rl_strv_pushf(&notes, "the program wrote %llu bytes to stderr; the first %zu were kept",
                      o->err_bytes, o->out_cap);
    if (o->strays)
        rl_strv_pushf(&notes,
                      "%d process%s the program started %s still running when it ended; "
                      "racelab killed them",
                      o->strays, o->strays == 1 ? "" : "es", o->strays == 1 ? "was" : "were");
    rl_diag *why = &out->problem;
    if (o->cancelled) {
        rl_diag_set(why, NULL, 0, "interrupted");
        out->verdict = RL_SKIP;
    } else if (o->lost)
        rl_diag_set(why, NULL, 0, "lost track of %s: its supervisor ended without a word",
                    argv[0]);
    else if (o->unkillable)
        rl_diag_set(why, NULL, 0, "%d process%s of the run would not die", o->unkillable,
                    o->unkillable == 1 ? "" : "es");
    else if (o->signal == SIGXFSZ)
        rl_diag_set(why, NULL, 0,
                    "the run wrote a file larger than racelab's limit of %llu MiB (it was "
                    "killed by SIGXFSZ)",
                    RL_FILE_LIMIT >> 20);
    else if (a->collect(a, tool, argv, log_dir, o, &out->reports, &out->ending, &out->log_path,
                        why) == 0) {
        if (recorded_path)
            rl_move_frames(&out->reports, recorded_path, c->path);
        rl_match_run(c, set, &out->reports, &out->ending, &out->match);
        out->verdict = out->match.ok ? RL_PASS : RL_FAIL;
    }
    out->seconds = o->seconds;
    out->notes = rl_strv_steal(&notes);
}

/* The run's directories, absolute (the run's working directory is its log
 * directory), made and locked for this run. -1 and why. */
static int prepare_dirs(const rl_config *cfg, const rl_case *c, const rl_tool *tool,
                        rl_result *out, char **bin_dir, int *lock_fd)
{
    char *cwd = cfg->work_dir[0] == '/' ? NULL : getcwd(NULL, 0);
    char *work = cwd ? rl_xasprintf("%s/%s", cwd, cfg->work_dir) : rl_xstrdup(cfg->work_dir);
    char *spec_dir = spec_dir_name(tool->spec);
    char *logs = rl_xasprintf("logs/%s/%s", c->name, spec_dir);
    out->log_dir = rl_xasprintf("%s/%s", work, logs);
    *bin_dir = rl_xasprintf("%s/bin", work);
    free(spec_dir);
    free(cwd);
    /* TSan's log_path is given in double quotes, and reports quote frames
     * one to a line. */
    int rc = 0;
    if (strpbrk(out->log_dir, "\"\n"))
        rc = rl_diag_set(&out->problem, NULL, 0,
                         "the work directory's path holds a double quote or a new line, which "
                         "the tools cannot be given: choose another --work (%s)",
                         work);
    /* Every directory below the work directory is racelab's own: a link
     * planted there is replaced, never followed. */
    else if (rl_mkdirs_below(work, logs, &out->problem) < 0 ||
             rl_mkdirs_below(work, "bin", &out->problem) < 0)
        rc = -1;
    free(logs);
    free(work);
    if (rc < 0)
        return -1;
    *lock_fd = lock_log_dir(out->log_dir, &out->problem);
    if (*lock_fd < 0)
        return -1;
    if (rl_empty_dir(out->log_dir, &out->problem) < 0)
        return -1;
    return 0;
}

/* The toolchain's proof, kept beside the builds it vouches for. */
static int prove_toolchain(const rl_adapter *a, const rl_tool *tool, const char *bin_dir,
                           rl_diag *diag)
{
    if (!a->check_toolchain)
        return 0;
    char *proof = rl_xasprintf("%s/%s-%s.proven", bin_dir, a->name, tool->compiler.identity);
    int rc = 0;
    if (access(proof, F_OK) != 0) {
        rl_diag problem = RL_DIAG_INIT;
        if (a->check_toolchain(a, tool, &problem) < 0) {
            rc = rl_diag_set(diag, NULL, 0, "cannot use %s: ", tool->spec);
            rl_diag_append_raw(diag, rl_diag_message(&problem));
        } else {
            int fd = open(proof, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            if (fd >= 0)
                close(fd);
        }
        rl_diag_clear(&problem);
    }
    free(proof);
    return rc;
}

int rl_job_unsupported(const rl_case *c, const rl_tool *tool)
{
    long set = rl_case_select_set(c, tool->id, &tool->toolchain);
    for (size_t i = 0; set >= 0 && i < c->nexpects; i++)
        if (c->expects[i].set == (size_t)set && c->expects[i].type == RL_LINE_UNSUPPORTED)
            return 1;
    return 0;
}

void rl_run_job_locked(const rl_config *cfg, const rl_case *c, const rl_tool *tool,
                       rl_result *out, rl_build_locks *locks, rl_outcome *kept,
                       int case_cannot_run)
{
    rl_result_start(out, c, tool);
    const rl_adapter *a = rl_adapter_for(tool->id);
    long set = choose_set(c, tool, out);
    if (set < 0 && out->verdict == RL_SKIP && case_cannot_run) {
        /* Skipped, this case would be verified by nothing in the run. */
        char *why = rl_xstrdup(rl_diag_message(&out->problem));
        rl_diag_set(&out->problem, c->path, 0,
                    "none of this case's jobs can run: every toolchain it was given is "
                    "unsupported (here: ");
        rl_diag_append_raw(&out->problem, why);
        rl_diag_append_raw(&out->problem, "), and a case no tool checks is not verified");
        free(why);
        out->verdict = RL_ERROR;
    }
    if (set < 0)
        return;
    if (rl_cancelled(cfg->cancel)) {
        rl_diag_set(&out->problem, NULL, 0, "not run: interrupted");
        out->verdict = RL_SKIP;
        return;
    }
    if (a->check_environment && a->check_environment(a, tool, &out->problem) < 0)
        return;

    char *bin_dir = NULL;
    int lock_fd = -1;
    if (prepare_dirs(cfg, c, tool, out, &bin_dir, &lock_fd) < 0 ||
        prove_toolchain(a, tool, bin_dir, &out->problem) < 0) {
        free(bin_dir);
        if (lock_fd >= 0)
            close(lock_fd);
        return;
    }

    char *build_log = rl_xasprintf("%s/build.log", out->log_dir);
    pthread_mutex_t *lock = NULL;
    if (locks) {
        uint64_t h = rl_hash_str(rl_hash_str(RL_HASH_INIT, tool->compiler.identity), c->path);
        lock = &locks->stripe[h % RL_BUILD_STRIPES];
        pthread_mutex_lock(lock);
    }
    rl_build_request req = {.adapter = a, .tool = tool, .compiler = &tool->compiler, .rcase = c,
                            .bin_dir = bin_dir, .log_path = build_log, .cancel = cfg->cancel,
                            .rebuild = cfg->rebuild, .memo = locks ? &locks->memo : NULL};
    int built = rl_build(&req, &out->binary, &out->build_seconds, &out->preprocess, &out->compile, &out->link,
                         &out->problem);
    if (lock)
        pthread_mutex_unlock(lock);
    free(build_log);
    free(bin_dir);
    if (built < 0 ||
        (a->check_binary && a->check_binary(a, tool, out->binary, &out->problem) < 0)) {
        if (built < 0 && rl_cancelled(cfg->cancel))
            out->verdict = RL_SKIP;
        close(lock_fd);
        return;
    }

    const rl_options *options = rl_case_select_options(c, tool->id, &tool->toolchain);
    rl_strv argv = {0};
    rl_env env = {0};
    for (const char *const *n = env_unset_always; *n; n++)
        rl_env_unset(&env, *n);
    for (const char *const *n = a->env_unset; n && *n; n++)
        rl_env_unset(&env, *n);
    a->command(a, tool, c, options, out->binary, out->log_dir, &argv, &env);
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
                  .timeout = rl_time_limit(c, a),
                  .cancel = cfg->cancel};
    rl_outcome o;
    if (rl_spawn_wait(&s, &o, &out->problem) == 0)
        rl_judge(a, tool, c, set, argv.v, out->log_dir, &o, out, NULL);
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
}

void rl_run_job(const rl_config *cfg, const rl_case *c, rl_tool *tool, rl_result *out)
{
    rl_tool_resolve(tool);
    rl_run_job_locked(cfg, c, tool, out, NULL, NULL, 0);
}

unsigned rl_case_shard(const char *case_name, unsigned count)
{
    /* FNV-1a: the same on every machine and build. */
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)case_name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return count ? 1 + h % count : 1;
}

size_t rl_jobs_shard(rl_job *jobs, size_t njobs, unsigned index, unsigned count)
{
    /* A case's jobs stay together: a run with a baseline then knows which
     * of the baseline's jobs were its own to run. */
    size_t kept = 0;
    for (size_t i = 0; i < njobs; i++)
        if (rl_case_shard(jobs[i].rcase->name, count) == index)
            jobs[kept++] = jobs[i];
    return kept;
}
