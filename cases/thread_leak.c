/*
 * thread_leak: main starts a joinable worker and never joins it (nor
 * detaches it): a thread leak.
 *
 * The bug. When a joinable thread ends, its stack and descriptor are kept
 * until some thread joins it (so that its return value can be collected),
 * like a zombie process. A thread that nobody joins keeps them forever: a
 * program that starts such threads in a loop runs out of memory or hits the
 * thread limit. Usually the pthread_join was forgotten on some path, or the
 * thread should have been created detached. (CERT CON39-C's twin mistake,
 * joining twice, is join_twice.c.)
 *
 * The fix: join every joinable thread exactly once (thread_joined.c), or
 * create it detached (pthread_attr_setdetachstate) when nobody needs its
 * result.
 *
 * The run is the same every time: main waits until the worker has really
 * ended, by watching /proc/self/task/TID disappear (no join, no sleep), and
 * then returns. TSan reports a leak only for a thread that has finished, so
 * without that wait the report would depend on whether the worker had ended
 * before main's exit.
 *
 * What the tools see. TSan: "thread leak", with the stack where the thread
 * was created (@create). Helgrind and DRD have no thread-leak check and report
 * nothing.
 */
// twin: thread_joined
// bug: thread-leak
// expect tsan: thread-leak @create
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static sem_t started;
static pid_t worker_tid;

static void *worker(void *unused)
{
    (void)unused;
    worker_tid = gettid();
    sem_post(&started);
    return NULL;
}

/* Waits until the kernel no longer lists the thread: it has ended, and
 * nobody joined it. */
static void wait_until_gone(pid_t tid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d", (int)tid);
    while (access(path, F_OK) == 0)
        sched_yield();
}

int main(void)
{
    pthread_t t;
    sem_init(&started, 0, 0);
    pthread_create(&t, NULL, worker, NULL); // @create
    sem_wait(&started);
    wait_until_gone(worker_tid); // @finish
    printf("worker done\n");
    return 0;
}
