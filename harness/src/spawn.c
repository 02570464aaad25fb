/* spawn.c: racelab's side of a supervised run (supervisor.c is the other):
 * start the supervisor, watch the log directory, wait for its report with a
 * deadline, and sweep what a lost supervisor left; and running a program
 * to capture its output. */
#define _GNU_SOURCE
#include "fs.h"
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void note_events(int fd, rl_outcome *o)
{
    if (fd < 0)
        return;
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            return;
        for (ssize_t off = 0; off < n;) {
            const struct inotify_event *e = (const void *)(buf + off);
            off += (ssize_t)sizeof *e + e->len;
            if (e->mask & IN_Q_OVERFLOW) {
                o->watched = 0; /* events were lost: nothing can be said */
                continue;
            }
            if (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
                o->watched = 0;
                continue;
            }
            if (!e->len)
                continue;
            rl_file_events *f = (rl_file_events *)rl_outcome_file(o, e->name);
            if (!f) {
                o->files = rl_xrealloc(o->files, (o->nfiles + 1) * sizeof *o->files);
                f = &o->files[o->nfiles++];
                memset(f, 0, sizeof *f);
                f->name = rl_xstrdup(e->name);
            }
            if (e->mask & (IN_CREATE | IN_MOVED_TO))
                f->created++;
            if (e->mask & IN_OPEN)
                f->opened++;
            if (e->mask & (IN_DELETE | IN_MOVED_FROM))
                f->deleted++;
        }
    }
}

const rl_file_events *rl_outcome_file(const rl_outcome *o, const char *name)
{
    for (size_t i = 0; i < o->nfiles; i++)
        if (strcmp(o->files[i].name, name) == 0)
            return &o->files[i];
    return NULL;
}

void rl_outcome_clear(rl_outcome *o)
{
    for (size_t i = 0; i < o->nfiles; i++)
        free(o->files[i].name);
    free(o->files);
    memset(o, 0, sizeof *o);
}

/* ---- Supervisors lost --------------------------------------------------- *
 *
 * A program can kill or stop its supervisor (it runs as the same user).
 * racelab then gives the supervisor a deadline, and, once it is gone, kills
 * what it left, when the process has adopted orphans (rl_adopt_orphans):
 * the orphans of a dead supervisor then become its children, told apart
 * from its supervisors by the registry below and from anything older by
 * their start time. */

static pthread_mutex_t live_mutex = PTHREAD_MUTEX_INITIALIZER;
static pid_t *live;
static size_t nlive, live_cap;
static int adopted;

int rl_adopt_orphans(void)
{
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
        return -1;
    __atomic_store_n(&adopted, 1, __ATOMIC_RELAXED);
    return 0;
}

static void set_live(pid_t pid, int on)
{
    pthread_mutex_lock(&live_mutex);
    for (size_t i = 0; i < nlive; i++)
        if (live[i] == pid) {
            live[i] = live[--nlive];
            break;
        }
    if (on) {
        live = rl_xgrow(live, &live_cap, nlive + 1, sizeof *live);
        live[nlive++] = pid;
    }
    pthread_mutex_unlock(&live_mutex);
}

static int is_live(pid_t pid)
{
    pthread_mutex_lock(&live_mutex);
    int found = 0;
    for (size_t i = 0; i < nlive && !found; i++)
        found = live[i] == pid;
    pthread_mutex_unlock(&live_mutex);
    return found;
}

/* A process's parent and start time (clock ticks since boot) from
 * /proc/PID/stat; -1 when it cannot be read. */
static int proc_stat(pid_t pid, pid_t *ppid, unsigned long long *start)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *text = rl_read_file_max(path, 4096, NULL, NULL);
    if (!text)
        return -1;
    char *close = strrchr(text, ')');
    int rc = -1;
    if (close) {
        /* after ") ": state ppid pgrp session tty tpgid flags minflt cminflt
         * majflt cmajflt utime stime cutime cstime priority nice threads
         * itrealvalue starttime */
        char state;
        int pp;
        unsigned long long st;
        if (sscanf(close + 2, "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
                              "%*d %*d %llu",
                   &state, &pp, &st) == 3) {
            *ppid = pp;
            *start = st;
            rc = 0;
        }
    }
    free(text);
    return rc;
}

/* Kill and reap racelab's children that are no supervisor of a running job
 * and started no earlier than since: what a lost supervisor left. */
static void sweep_orphans(unsigned long long since)
{
    pid_t self = getpid();
    double give_up = rl_now() + 5;
    for (int found = 1; found && rl_now() < give_up;) {
        found = 0;
        DIR *d = opendir("/proc");
        struct dirent *e;
        while (d && (e = readdir(d))) {
            pid_t pid = atoi(e->d_name);
            pid_t ppid;
            unsigned long long start;
            if (pid <= 0 || proc_stat(pid, &ppid, &start) < 0 || ppid != self || start < since ||
                is_live(pid))
                continue;
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            found = 1;
        }
        if (d)
            closedir(d);
    }
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

int rl_spawn_wait(const rl_spawn *s, rl_outcome *o, rl_diag *diag)
{
    memset(o, 0, sizeof *o);
    o->out_cap = s->out_cap ? s->out_cap : RL_OUTPUT_CAP;
    char *found = rl_which(s->argv[0]);
    if (!found) {
        return rl_diag_set(diag, NULL, 0, "cannot run %s: %s", s->argv[0], strerror(ENOENT));
    }
    /* Absolute: the program starts in another working directory. */
    char *here = found[0] == '/' ? NULL : getcwd(NULL, 0);
    char *path = here ? rl_xasprintf("%s/%s", here, found) : rl_xstrdup(found);
    free(here);
    free(found);
    rl_sup_args a = {.path = path, .argv = s->argv, .envp = s->envp ? s->envp : environ,
                  .cwd = s->cwd, .cap = o->out_cap,
                  .timeout_ns = (long long)(s->timeout * 1e9)};
    int fds[10], nfds = 0, err = 0;
    int ctl[2] = {-1, -1}, rep[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1};
    a.devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    a.out_file = open(s->stdout_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int same = strcmp(s->stdout_path, s->stderr_path) == 0;
    a.err_file = same ? a.out_file
                      : open(s->stderr_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (a.devnull < 0 || a.out_file < 0 || a.err_file < 0 || pipe2(ctl, O_CLOEXEC) < 0 ||
        pipe2(rep, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
        (!same && pipe2(errp, O_CLOEXEC) < 0))
        err = errno;
    a.out_r = out[0], a.out_w = out[1], a.err_r = errp[0], a.err_w = errp[1];
    a.ctl_r = ctl[0], a.rep_w = rep[1];
    int watch = -1;
    if (!err && s->watch_dir) {
        watch = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (watch >= 0 &&
            inotify_add_watch(watch, s->watch_dir,
                              IN_CREATE | IN_OPEN | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                  IN_DELETE_SELF | IN_MOVE_SELF) >= 0)
            o->watched = 1;
    }
    pid_t sup = err ? -1 : fork();
    if (sup == 0)
        rl_supervise(&a);
    if (sup < 0 && !err)
        err = errno;
    unsigned long long sup_start = 0;
    pid_t unused;
    if (sup > 0) {
        set_live(sup, 1);
        proc_stat(sup, &unused, &sup_start);
    }
    fds[nfds++] = a.devnull, fds[nfds++] = a.out_file, fds[nfds++] = same ? -1 : a.err_file;
    fds[nfds++] = out[0], fds[nfds++] = out[1], fds[nfds++] = errp[0], fds[nfds++] = errp[1];
    fds[nfds++] = ctl[0], fds[nfds++] = rep[1];
    for (int i = 0; i < nfds; i++)
        close_fd(&fds[i]);
    free(path);
    if (err) {
        close_fd(&ctl[1]);
        close_fd(&rep[0]);
        close_fd(&watch);
        return rl_diag_set(diag, NULL, 0, "cannot run %s: %s", s->argv[0], strerror(err));
    }

    rl_sup_report r;
    memset(&r, 0, sizeof r);
    size_t have = 0;
    int asked = 0;
    /* The supervisor answers within its time limit and a few seconds to
     * kill and drain. Past that it was stopped (SIGSTOP from the program):
     * it is woken; much past that, killed. */
    double started = rl_now(), wake_at = started + s->timeout + 5,
           kill_at = started + s->timeout + 15;
    for (;;) {
        struct pollfd p = {.fd = rep[0], .events = POLLIN};
        int ready = poll(&p, 1, 20);
        note_events(watch, o);
        if (!asked && rl_cancelled(s->cancel)) {
            while (write(ctl[1], "c", 1) < 0 && errno == EINTR)
                ;
            kill(sup, SIGCONT);
            asked = 1;
            kill_at = rl_now() + 15;
        }
        double now = rl_now();
        if (now >= wake_at) {
            kill(sup, SIGCONT);
            wake_at = now + 1;
        }
        if (now >= kill_at) {
            kill(sup, SIGKILL);
            kill_at = now + 3600;
        }
        if (ready <= 0)
            continue;
        ssize_t n = read(rep[0], (char *)&r + have, sizeof r - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        have += (size_t)n;
        if (have == sizeof r)
            break;
    }
    close_fd(&ctl[1]);
    close_fd(&rep[0]);
    while (waitpid(sup, NULL, 0) < 0 && errno == EINTR)
        ;
    set_live(sup, 0);
    note_events(watch, o);
    close_fd(&watch);
    if (have != sizeof r || r.magic != RL_SUP_MAGIC) {
        o->lost = 1;
        if (__atomic_load_n(&adopted, __ATOMIC_RELAXED))
            sweep_orphans(sup_start);
        return 0;
    }
    if (r.exec_errno) {
        return rl_diag_set(diag, NULL, 0, "cannot run %s: %s", s->argv[0],
                           strerror(r.exec_errno));
    }
    o->pid = r.pid;
    o->exited = r.exited;
    o->status = r.status;
    o->signal = r.signal;
    o->timed_out = r.timed_out;
    o->cancelled = r.cancelled;
    o->strays = r.strays;
    o->unkillable = r.unkillable;
    o->seconds = (double)r.nanoseconds / 1e9;
    o->out_bytes = r.out_bytes;
    o->err_bytes = r.err_bytes;
    return 0;
}

int rl_run_capture(char *const *argv, char *const *envp, double timeout, int *status,
                   char **output, rl_diag *diag)
{
    *output = NULL;
    *status = -1;
    const char *tmp = getenv("TMPDIR");
    char *dir = rl_xasprintf("%s/racelab.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        rl_diag_set(diag, NULL, 0, "cannot create a directory in %s: %s",
                    tmp && *tmp ? tmp : "/tmp", strerror(errno));
        free(dir);
        return -1;
    }
    char *file = rl_xasprintf("%s/output", dir);
    /* In "/": a compiler's -v -### names its working directory. */
    rl_spawn s = {.argv = argv, .envp = envp, .cwd = "/", .stdout_path = file, .stderr_path = file,
                  .out_cap = 1 << 20, .timeout = timeout};
    rl_outcome o;
    int rc = -1;
    if (rl_spawn_wait(&s, &o, diag) < 0)
        ;
    else if (o.lost || o.timed_out)
        rl_diag_set(diag, NULL, 0, "%s did not finish in %.0f s", argv[0], timeout);
    else {
        *output = rl_read_file(file, NULL, diag);
        *status = o.exited ? o.status : 128 + o.signal;
        rc = *output ? 0 : -1;
        if (rc < 0)
            rl_diag_set(diag, NULL, 0, "cannot read the output of %s", argv[0]);
    }
    rl_outcome_clear(&o);
    rl_empty_dir(dir, NULL);
    rmdir(dir);
    free(file);
    free(dir);
    return rc;
}
