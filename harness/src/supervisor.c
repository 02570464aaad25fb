/* supervisor.c: the supervisor of one run, in the process racelab forks.
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
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

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

/* Every process of the machine, as the last scan of /proc found it: in
 * memory mapped (no malloc here), grown as the machine needs. */
typedef struct proc_entry {
    int pid, ppid, ended, taken;
} proc_entry;

static proc_entry *table;
static size_t table_cap;

static int table_room(size_t need)
{
    if (need <= table_cap)
        return 0;
    size_t cap = table_cap ? table_cap * 2 : 4096;
    while (cap < need)
        cap *= 2;
    void *p = mmap(NULL, cap * sizeof *table, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    if (table) {
        memcpy(p, table, table_cap * sizeof *table);
        munmap(table, table_cap * sizeof *table);
    }
    table = p;
    table_cap = cap;
    return 0;
}

/* The pids of self's descendants other than skip, by walking /proc. Fills
 * pids (up to max) and returns how many exist. */
static int descendants(int self, int skip, int *pids, int max)
{
    size_t n = 0;
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
            if (!ok || table_room(n + 1) < 0)
                continue;
            char path[64] = "/proc/";
            size_t len = 6;
            for (const char *c = d->name; *c && len < 50; c++)
                path[len++] = *c;
            memcpy(path + len, "/stat", 6);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                continue;
            char text[4096];
            ssize_t r = read(fd, text, sizeof text);
            close(fd);
            if (r <= 0)
                continue;
            proc_entry *e = &table[n++];
            e->pid = pid;
            e->ended = 0;
            e->taken = 0;
            e->ppid = stat_ppid(text, r, &e->ended);
        }
    }
    close(dir);
    /* Descendants: repeatedly take processes whose parent is self or taken
     * (a child may be listed before its parent). */
    int counted = 0;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < n; i++) {
            proc_entry *e = &table[i];
            if (e->taken || e->pid <= 0 || e->pid == skip)
                continue;
            int parent = e->ppid == self;
            for (size_t k = 0; k < n && !parent; k++)
                parent = table[k].taken && table[k].pid == e->ppid;
            if (!parent)
                continue;
            if (!e->ended && counted < max)
                pids[counted] = e->pid;
            counted += !e->ended;
            e->taken = 1;
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
        int pids[512]; /* a batch: the loop goes on until none is left */
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

static void __attribute__((noreturn)) run_program(const rl_sup_args *a, int exec_w)
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

void rl_supervise(const rl_sup_args *a)
{
    rl_sup_report r;
    memset(&r, 0, sizeof r);
    r.magic = RL_SUP_MAGIC;
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
         * end by itself: TSan's symbolizer ends when the program does, and
         * on a loaded machine it took longer than 200 ms (a thread_leak
         * run, once in 430 jobs, with both cores busy twice over). */
        long long grace = now_ns() + 2000000000LL;
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

