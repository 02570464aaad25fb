/*
 * exit_after_join: the fix for exit_race. Before exiting, main tells the
 * logger thread to stop, wakes it and joins it; only then do the exit
 * handlers read the logger's statistics.
 *
 * Why it is correct. The logger's last write happens before it returns, and
 * its return happens before pthread_join returns in main, so the handler's
 * read comes after every write. All tools report nothing. (The "stopping"
 * flag needs no atomic: it is written before sem_post and read after the
 * sem_wait that takes that post.)
 *
 * Run in the same order as the twin: the logger logs one event before main
 * stops it.
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
 * Twin of exit_race.c: the only difference is the shutdown (stop and join
 * instead of detach).
 */
// twin: exit_race
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
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
    unseen_wait(); /* the logger has logged its first event by now */
    stopping = 1; /* tell the logger to stop, and wait until it has */
    sem_post(&more_work);
    pthread_join(t, NULL);
    exit(0);
}
