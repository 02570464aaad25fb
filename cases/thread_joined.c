/*
 * thread_joined: the fix for thread_leak. Main joins the worker it started.
 *
 * Why it is correct. pthread_join waits for the thread to end and then frees
 * what the system kept for it (its stack, its descriptor); every joinable
 * thread joined once leaks nothing. All tools report nothing.
 *
 * Twin of thread_leak.c: the only difference is pthread_join where the twin
 * waits for the thread to vanish.
 */
// twin: thread_leak
// bug: none
// expect tsan: clean
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
    pthread_join(t, NULL); // @finish
    printf("worker done\n");
    return 0;
}
