/*
 * exit_race: main exits while a detached logger thread is still alive, and an
 * exit handler reads the statistics the logger writes (ThreadSanitizer's list
 * of popular data races: "race at exit"; in C++ the same race hides in the
 * destructors of globals).
 *
 * The bug. exit() runs the atexit handlers (and flushes stdio, and in C++
 * destroys globals) while every other thread keeps running: exit does not
 * stop, wait for or synchronise with them. Here the handler prints
 * "events_logged" while the logger, which nobody stops or joins, may be in the
 * middle of updating it; with a handler that frees or closes what the logger
 * uses, the logger crashes during shutdown, now and then. A data race (CERT
 * CON43-C) between a thread and process teardown.
 *
 * The fix: before exiting, tell the worker to stop and join it
 * (exit_after_join.c); only then run the handlers that touch its data.
 *
 * The run is the same every time: the logger logs one event and then waits
 * for more work that never comes; main exits only after that event.
 *
 * How the order is made certain without synchronisation: the second step
 * waits for the first through unseen_done() and unseen_wait(). Under
 * ThreadSanitizer they are compiler-rt's test-only barrier
 * (__tsan_testonly_barrier_init/_wait, as in its own tests), which the
 * runtime does not take as synchronisation. Under Helgrind and DRD (where that
 * barrier does not exist) and natively they are a one-byte pipe: Valgrind's
 * tools do not take a pipe as synchronisation (TSan would, so it gets the
 * barrier instead). Each tool sees the same unordered accesses in the same
 * order in every run.
 *
 * Reading the reports: all three tools report the handler's read at @at_exit
 * against the logger's write at @log; TSan and Helgrind show both stacks,
 * DRD the read and the logger's segment. TSan's stack for the read differs
 * by runtime: clang 14 continues it, under a frame named
 * at_exit_callback_installed_at, with the line of main that installed the
 * handler (the atexit call); GCC 12's ends in libc, where exit ran it.
 */
// twin: exit_after_join
// bug: data-race
// expect tsan: data-race @access:at_exit @access:log
// expect helgrind: data-race @access:at_exit @access:log
// expect drd: data-race @access:at_exit
// expect native: exit 0

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

/* Ordering that no tool takes as synchronisation (see the comment above). */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif

#ifdef UNDER_TSAN
/* compiler-rt's test-only barrier: the runtime does not take it as
 * synchronisation. Both sides wait until both have arrived. */
void __tsan_testonly_barrier_init(unsigned long long *barrier, unsigned count);
void __tsan_testonly_barrier_wait(unsigned long long *barrier);
static unsigned long long unseen_barrier;
static void unseen_init(void) { __tsan_testonly_barrier_init(&unseen_barrier, 2); }
static void unseen_done(void) { __tsan_testonly_barrier_wait(&unseen_barrier); }
static void unseen_wait(void) { __tsan_testonly_barrier_wait(&unseen_barrier); }
#else
/* A pipe: Helgrind and DRD do not take one as synchronisation. */
#include <stdlib.h>
#include <unistd.h>
static int unseen_pipe[2];
static void unseen_init(void)
{
    if (pipe(unseen_pipe) != 0)
        abort();
}
static void unseen_done(void)
{
    char c = 0;
    if (write(unseen_pipe[1], &c, 1) != 1)
        abort();
}
static void unseen_wait(void)
{
    char c;
    if (read(unseen_pipe[0], &c, 1) != 1)
        abort();
}
#endif

static long events_logged;     /* the logger's statistics */
static sem_t more_work;         /* posted when there is something to log */
static int stopping;

static void print_statistics(void)
{
    printf("%ld events logged\n", events_logged); // @at_exit
}

static void *logger(void *unused)
{
    (void)unused;
    for (;;) {
        events_logged++; // @log
        unseen_done();
        sem_wait(&more_work);
        if (stopping)
            return NULL;
    }
}

int main(void)
{
    pthread_t t;
    unseen_init();
    sem_init(&more_work, 0, 0);
    atexit(print_statistics);
    pthread_create(&t, NULL, logger, NULL);
    pthread_detach(t); /* nobody waits for the logger */
    unseen_wait(); /* the logger has logged its first event by now */
    exit(0);
}
