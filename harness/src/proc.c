/* proc.c: run a child with a time limit and leave nothing behind.
 *
 * The child leads its own process group, so one kill reaches everything it
 * started. The group is killed while the leader is still an unreaped zombie,
 * so its pid (the group id) cannot have been reused by then. */
#define _GNU_SOURCE
#include "adapter.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void pause_for(double seconds)
{
    struct timespec t = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&t, &t) < 0 && errno == EINTR)
        ;
}

int rl_spawn_wait(const rl_spawn *s, rl_outcome *o)
{
    memset(o, 0, sizeof *o);
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, s->stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (strcmp(s->stdout_path, s->stderr_path) == 0)
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
    else
        posix_spawn_file_actions_addopen(&fa, 2, s->stderr_path, O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
    if (s->cwd)
        posix_spawn_file_actions_addchdir_np(&fa, s->cwd);

    /* A fresh group, no blocked signals, default dispositions. */
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);

    double start = rl_now();
    pid_t pid;
    int err = posix_spawnp(&pid, s->argv[0], &fa, &attr, s->argv, s->envp ? s->envp : environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (err) {
        errno = err;
        return -1;
    }
    o->pid = pid;

    double deadline = start + s->timeout, nap = 0.001;
    for (;;) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0 && errno != EINTR) {
            /* Reaped by someone else (SIGCHLD ignored): its status is gone
             * and its group id may already be another's, so no kill. */
            o->lost = 1;
            o->seconds = rl_now() - start;
            return 0;
        }
        if (info.si_pid == pid)
            break;
        if (rl_cancelled(s->cancel)) {
            o->cancelled = 1;
            break;
        }
        if (rl_now() >= deadline) {
            o->timed_out = 1;
            break;
        }
        pause_for(nap);
        if (nap < 0.01)
            nap *= 1.5;
    }
    o->seconds = rl_now() - start;
    kill(-pid, SIGKILL);
    int status = 0, rc;
    while ((rc = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    if (rc < 0)
        o->lost = 1;
    else if (!o->timed_out && !o->cancelled) {
        if (WIFEXITED(status)) {
            o->exited = 1;
            o->status = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status))
            o->signal = WTERMSIG(status);
    }
    return 0;
}
