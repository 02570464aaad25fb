/* proc.c: run a child with a time limit and leave nothing behind.
 *
 * racelab forks a supervisor for every run; the supervisor forks the
 * program. The supervisor is the program's subreaper, so every process the
 * program starts is its descendant even after a double fork or setsid();
 * when the program ends (or its time is up, or the run is cancelled) the
 * supervisor kills the program's group and every descendant left, reaps
 * them and reports to racelab through a pipe. If racelab dies, its end of
 * the control pipe closes and the supervisor kills everything too. The
 * supervisor also reads the program's stdout and stderr, keeping a bounded
 * amount of each.
 *
 * The supervisor is forked from a multi-threaded process, so it may only
 * make system calls: no malloc, no stdio. Everything it needs is prepared
 * before the fork. */
#define _GNU_SOURCE
#include "adapter.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* What the supervisor tells racelab; one write, smaller than PIPE_BUF. */
typedef struct report {
    int magic;
    int exec_errno; /* exec failed with this */
    int pid;
    int exited, status, signal, timed_out, cancelled;
    int strays, unkillable;
    long long nanoseconds;
    unsigned long long out_bytes, err_bytes;
} report;

#define REPORT_MAGIC 0x726c6162

/* Everything the supervisor needs, made ready before the fork. */
typedef struct sup_args {
    const char *path;
    char *const *argv, *const *envp;
    const char *cwd;
    int devnull, out_file, err_file; /* err_file == out_file: one file */
    int out_r, out_w, err_r, err_w;  /* err_r < 0: stderr goes to the stdout pipe */
    int ctl_r, rep_w;
    unsigned long long cap;
    long long timeout_ns;
} sup_args;

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void nap_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) < 0 && errno == EINTR)
        ;
}

static void write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

/* Close every descriptor from 3 up except those in keep (sorted). */
static void close_others(const int *keep, int n)
{
    unsigned from = 3;
    for (int i = 0; i < n; i++) {
        if (keep[i] < 0 || (unsigned)keep[i] < from)
            continue;
        if ((unsigned)keep[i] > from)
            syscall(SYS_close_range, from, (unsigned)keep[i] - 1, 0);
        from = (unsigned)keep[i] + 1;
    }
    if (syscall(SYS_close_range, from, ~0U, 0) < 0)
        for (int fd = (int)from; fd < 4096; fd++)
            close(fd);
}

static void sort_ints(int *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            int t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

/* The parent pid from a /proc/PID/stat text: the field after ") S ";
 * -1 for an unreadable text. *ended is set for a process that has ended (a
 * zombie): it still links its children to the tree (the scan is not
 * atomic: a child may be read before its parent ended), but is not counted. */
static int stat_ppid(const char *text, ssize_t n, int *ended)
{
    ssize_t i = n;
    while (i > 0 && text[i - 1] != ')')
        i--; /* the command name may hold anything but ends at the last ')' */
    if (i == 0 || i + 3 >= n)
        return -1;
    *ended = text[i + 1] == 'Z' || text[i + 1] == 'X';
    i += 3; /* ") S " */
    int v = 0;
    while (i < n && text[i] >= '0' && text[i] <= '9')
        v = v * 10 + (text[i++] - '0');
    return v;
}

/* The pids of self's descendants other than skip, by walking /proc. Fills
 * pids (up to max) and returns how many exist. */
static int descendants(int self, int skip, int *pids, int max)
{
    enum { MAXP = 8192 };
    static int all_pid[MAXP], all_ppid[MAXP], all_ended[MAXP]; /* single-threaded */
    int n = 0;
    int dir = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return 0;
    char buf[8192];
    for (;;) {
        long got = syscall(SYS_getdents64, dir, buf, sizeof buf);
        if (got <= 0)
            break;
        for (long off = 0; off < got;) {
            struct {
                unsigned long long ino;
                long long off;
                unsigned short reclen;
                unsigned char type;
                char name[];
            } *d = (void *)(buf + off);
            off += d->reclen;
            int pid = 0, ok = d->name[0] != '\0';
            for (const char *c = d->name; *c; c++) {
                if (*c < '0' || *c > '9') {
                    ok = 0;
                    break;
                }
                pid = pid * 10 + (*c - '0');
            }
            if (!ok || n >= MAXP)
                continue;
            char path[64] = "/proc/";
            size_t len = 6;
            for (const char *c = d->name; *c && len < 50; c++)
                path[len++] = *c;
            memcpy(path + len, "/stat", 6);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                continue;
            char text[1024];
            ssize_t r = read(fd, text, sizeof text);
            close(fd);
            if (r <= 0)
                continue;
            all_pid[n] = pid;
            all_ended[n] = 0;
            all_ppid[n] = stat_ppid(text, r, &all_ended[n]);
            n++;
        }
    }
    close(dir);
    /* Descendants: repeatedly take processes whose parent is self or taken. */
    static int taken[MAXP];
    int found = 0, counted = 0;
    for (int changed = 1; changed;) {
        changed = 0;
        for (int i = 0; i < n; i++) {
            if (all_pid[i] <= 0 || all_pid[i] == skip)
                continue;
            int parent = all_ppid[i] == self;
            for (int k = 0; k < found && !parent; k++)
                parent = taken[k] == all_ppid[i];
            if (!parent)
                continue;
            if (!all_ended[i] && counted < max)
                pids[counted] = all_pid[i];
            counted += !all_ended[i];
            taken[found++] = all_pid[i];
            all_pid[i] = 0;
            changed = 1;
        }
    }
    return counted;
}

/* Kill the program's group and every descendant of the supervisor, and
 * reap them. Returns how many would not die. */
static int kill_everything(int self, int pgid)
{
    kill(-pgid, SIGKILL);
    long long give_up = now_ns() + 5000000000LL;
    for (;;) {
        int pids[512];
        int n = descendants(self, -1, pids, 512);
        for (int i = 0; i < n && i < 512; i++)
            kill(pids[i], SIGKILL);
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        if (n == 0 && waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
            return 0;
        if (now_ns() > give_up)
            return n;
        nap_ms(1);
    }
}

/* Keep up to cap bytes of what comes on from, in to; count it all. */
static int pump(int from, int to, unsigned long long *total, unsigned long long cap)
{
    char buf[65536];
    ssize_t n = read(from, buf, sizeof buf);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 1 : 0;
    if (n == 0)
        return 0;
    if (*total < cap) {
        unsigned long long room = cap - *total;
        write_all(to, buf, (unsigned long long)n < room ? (size_t)n : (size_t)room);
    }
    *total += (unsigned long long)n;
    return 1;
}

static void __attribute__((noreturn)) run_program(const sup_args *a, int exec_w)
{
    setpgid(0, 0);
    /* Dies with its supervisor, whatever kills that. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(a->devnull, 0);
    dup2(a->out_w, 1);
    dup2(a->err_r < 0 ? a->out_w : a->err_w, 2);
    int err = 0;
    if (a->cwd && chdir(a->cwd) < 0)
        err = errno;
    struct rlimit fsize = {RL_FILE_LIMIT, RL_FILE_LIMIT}, core = {0, 0};
    setrlimit(RLIMIT_FSIZE, &fsize);
    setrlimit(RLIMIT_CORE, &core);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++)
        sigaction(sig, &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* Nothing of racelab's is passed on: every other descriptor closes at
     * exec, exec_w with them, which tells the supervisor exec worked. */
    if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        for (int fd = 3; fd < 4096; fd++)
            fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (!err) {
        execve(a->path, a->argv, a->envp);
        err = errno;
    }
    write_all(exec_w, &err, sizeof err);
    _exit(127);
}

static void __attribute__((noreturn)) supervise(const sup_args *a)
{
    report r;
    memset(&r, 0, sizeof r);
    r.magic = REPORT_MAGIC;
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    /* Signals meant for racelab (Ctrl-C, a CI runner's TERM to the group)
     * must not kill the supervisor before it has cleaned up: racelab
     * cancels or dies, and the control pipe says so. */
    int ignored[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTOU, SIGTTIN};
    for (size_t i = 0; i < sizeof ignored / sizeof *ignored; i++)
        sigaction(ignored[i], &ign, NULL);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &dfl, NULL); /* children must be waitable */
    setpgid(0, 0);
    prctl(PR_SET_CHILD_SUBREAPER, 1);

    int keep[] = {a->devnull, a->out_file, a->err_file, a->out_r, a->out_w,
                  a->err_r, a->err_w, a->ctl_r, a->rep_w};
    int nkeep = (int)(sizeof keep / sizeof *keep);
    sort_ints(keep, nkeep);
    close_others(keep, nkeep);

    int self = (int)getpid();
    int exec_pipe[2];
    if (pipe2(exec_pipe, O_CLOEXEC) < 0) {
        r.exec_errno = errno;
        write_all(a->rep_w, &r, sizeof r);
        _exit(0);
    }
    long long start = now_ns();
    pid_t pid = fork();
    if (pid == 0)
        run_program(a, exec_pipe[1]);
    close(exec_pipe[1]);
    if (pid < 0) {
        r.exec_errno = errno;
        write_all(a->rep_w, &r, sizeof r);
        _exit(0);
    }
    r.pid = (int)pid;
    int err;
    ssize_t got;
    while ((got = read(exec_pipe[0], &err, sizeof err)) < 0 && errno == EINTR)
        ;
    close(exec_pipe[0]);
    close(a->out_w);
    if (a->err_w >= 0)
        close(a->err_w);
    close(a->devnull);
    if (got == (ssize_t)sizeof err) {
        r.exec_errno = err;
        waitpid(pid, NULL, 0);
        write_all(a->rep_w, &r, sizeof r);
        _exit(0);
    }

    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    int out_open = 1, err_open = a->err_r >= 0;
    siginfo_t info;
    memset(&info, 0, sizeof info);
    long long deadline = start + a->timeout_ns;
    for (;;) {
        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == pid)
            break;
        long long left = deadline - now_ns();
        if (left <= 0) {
            r.timed_out = 1;
            break;
        }
        struct pollfd fds[4];
        int n = 0;
        fds[n++] = (struct pollfd){.fd = a->ctl_r, .events = POLLIN};
        int out_at = out_open ? n : -1;
        if (out_open)
            fds[n++] = (struct pollfd){.fd = a->out_r, .events = POLLIN};
        int err_at = err_open ? n : -1;
        if (err_open)
            fds[n++] = (struct pollfd){.fd = a->err_r, .events = POLLIN};
        if (pidfd >= 0)
            fds[n++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
        long long wait_ms = left / 1000000 + 1;
        int cap_ms = pidfd >= 0 ? 1000 : 5;
        if (poll(fds, (nfds_t)n, wait_ms < cap_ms ? (int)wait_ms : cap_ms) < 0 && errno != EINTR)
            nap_ms(1);
        if (fds[0].revents) {
            char c = 0;
            ssize_t k = read(a->ctl_r, &c, 1);
            if (k == 0 || (k < 0 && errno != EINTR && errno != EAGAIN) || c == 'c') {
                r.cancelled = 1; /* asked to stop, or racelab is gone */
                break;
            }
        }
        if (out_at >= 0 && fds[out_at].revents)
            out_open = pump(a->out_r, a->out_file, &r.out_bytes, a->cap);
        if (err_at >= 0 && fds[err_at].revents)
            err_open = pump(a->err_r, a->err_file, &r.err_bytes, a->cap);
    }
    r.nanoseconds = now_ns() - start;
    if (!r.timed_out && !r.cancelled) {
        if (info.si_code == CLD_EXITED) {
            r.exited = 1;
            r.status = info.si_status;
        } else
            r.signal = info.si_status;
        /* The program is a zombie still, so its group id is not reused.
         * What it started and left running is counted, after a moment to
         * end by itself (TSan's symbolizer ends when the program does). */
        long long grace = now_ns() + 200000000LL;
        int quiet = 0; /* nothing found twice running: the scan raced nothing */
        for (;;) {
            int left = descendants(self, (int)pid, NULL, 0);
            quiet = left ? 0 : quiet + 1;
            if (left)
                r.strays = left;
            if (quiet == 2 || now_ns() >= grace)
                break;
            nap_ms(2);
        }
        if (quiet)
            r.strays = 0;
    }
    r.unkillable = kill_everything(self, (int)pid);
    /* Every writer is gone: what is left in the pipes is the last output. */
    long long drain_until = now_ns() + 2000000000LL;
    while ((out_open || err_open) && now_ns() < drain_until) {
        struct pollfd fds[2];
        int n = 0;
        if (out_open)
            fds[n++] = (struct pollfd){.fd = a->out_r, .events = POLLIN};
        if (err_open)
            fds[n++] = (struct pollfd){.fd = a->err_r, .events = POLLIN};
        if (poll(fds, (nfds_t)n, 100) <= 0)
            continue;
        n = 0;
        if (out_open && fds[n++].revents)
            out_open = pump(a->out_r, a->out_file, &r.out_bytes, a->cap);
        if (err_open && fds[n].revents)
            err_open = pump(a->err_r, a->err_file, &r.err_bytes, a->cap);
    }
    write_all(a->rep_w, &r, sizeof r);
    _exit(0);
}

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
 * what it left: racelab is itself a subreaper, so the orphans of a dead
 * supervisor become racelab's children, told apart from its supervisors by
 * the registry below and from anything older by their start time. */

static pthread_mutex_t live_mutex = PTHREAD_MUTEX_INITIALIZER;
static pid_t live[256];
static size_t nlive;
static pthread_once_t subreaper_once = PTHREAD_ONCE_INIT;

static void become_subreaper(void)
{
    prctl(PR_SET_CHILD_SUBREAPER, 1);
}

static void set_live(pid_t pid, int on)
{
    pthread_mutex_lock(&live_mutex);
    for (size_t i = 0; i < nlive; i++)
        if (live[i] == pid) {
            live[i] = live[--nlive];
            break;
        }
    if (on && nlive < sizeof live / sizeof *live)
        live[nlive++] = pid;
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
    char *text = rl_read_file_max(path, 4096, NULL);
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

int rl_spawn_wait(const rl_spawn *s, rl_outcome *o)
{
    memset(o, 0, sizeof *o);
    o->out_cap = s->out_cap ? s->out_cap : RL_OUTPUT_CAP;
    char *found = rl_which(s->argv[0]);
    if (!found) {
        errno = ENOENT;
        return -1;
    }
    /* Absolute: the program starts in another working directory. */
    char *here = found[0] == '/' ? NULL : getcwd(NULL, 0);
    char *path = here ? rl_xasprintf("%s/%s", here, found) : rl_xstrdup(found);
    free(here);
    free(found);
    sup_args a = {.path = path, .argv = s->argv, .envp = s->envp ? s->envp : environ,
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
    pthread_once(&subreaper_once, become_subreaper);
    pid_t sup = err ? -1 : fork();
    if (sup == 0)
        supervise(&a);
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
        errno = err;
        return -1;
    }

    report r;
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
            write_all(ctl[1], "c", 1);
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
    if (have != sizeof r || r.magic != REPORT_MAGIC) {
        o->lost = 1;
        sweep_orphans(sup_start);
        return 0;
    }
    if (r.exec_errno) {
        errno = r.exec_errno;
        return -1;
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

void rl_env_set(rl_env *e, const char *name, const char *value)
{
    rl_strv_pushf(&e->set, "%s=%s", name, value);
}

void rl_env_unset(rl_env *e, const char *name)
{
    rl_strv_push(&e->unset, name);
}

static int env_named(const char *entry, char *const *names, size_t n, int with_value)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = with_value ? strcspn(names[i], "=") : strlen(names[i]);
        if (strncmp(entry, names[i], k) == 0 && entry[k] == '=')
            return 1;
    }
    return 0;
}

char **rl_env_build(const rl_env *e)
{
    rl_strv v = {0};
    for (char **p = environ; p && *p; p++)
        if (!env_named(*p, e->unset.v, e->unset.n, 0) && !env_named(*p, e->set.v, e->set.n, 1))
            rl_strv_push(&v, *p);
    for (size_t i = 0; i < e->set.n; i++)
        rl_strv_push(&v, e->set.v[i]);
    return rl_strv_steal(&v);
}

void rl_env_clear(rl_env *e)
{
    rl_strv_clear(&e->set);
    rl_strv_clear(&e->unset);
}

int rl_run_capture(char *const *argv, double timeout, int *status, char **output, rl_buf *why)
{
    *output = NULL;
    *status = -1;
    const char *tmp = getenv("TMPDIR");
    char *dir = rl_xasprintf("%s/racelab.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        rl_buf_printf(why, "cannot create a directory in %s: %s", tmp && *tmp ? tmp : "/tmp",
                      strerror(errno));
        free(dir);
        return -1;
    }
    char *file = rl_xasprintf("%s/output", dir);
    /* In "/": a compiler's -v -### names its working directory. */
    rl_spawn s = {.argv = argv, .cwd = "/", .stdout_path = file, .stderr_path = file,
                  .out_cap = 1 << 20, .timeout = timeout};
    rl_outcome o;
    int rc = -1;
    if (rl_spawn_wait(&s, &o) < 0)
        rl_buf_printf(why, "cannot run %s: %s", argv[0], strerror(errno));
    else if (o.lost || o.timed_out)
        rl_buf_printf(why, "%s did not finish in %.0f s", argv[0], timeout);
    else {
        *output = rl_read_file(file, NULL);
        *status = o.exited ? o.status : 128 + o.signal;
        rc = *output ? 0 : -1;
        if (rc < 0)
            rl_buf_printf(why, "cannot read the output of %s", argv[0]);
    }
    rl_outcome_clear(&o);
    rl_empty_dir(dir);
    rmdir(dir);
    free(file);
    free(dir);
    return rc;
}
