/*
 * notification_flag_race: main stops a worker by setting a plain int flag
 * that the worker polls (ThreadSanitizer's list of popular data races:
 * "notification").
 *
 * The bug. The flag is written by one thread and read by another with no
 * synchronisation: a data race (CERT CON43-C). Without "volatile" the
 * compiler may read the flag once and loop forever; with it, the loop
 * re-reads, but volatile is not atomic and orders nothing else: anything the
 * main thread wrote before the flag (a reason to stop, a new setting) is not
 * guaranteed to be visible to the worker after it sees the flag.
 *
 * The fix: an atomic flag (notification_flag_atomic.c), stored with release
 * and loaded with acquire order (relaxed is enough if the flag carries no
 * other data).
 *
 * The run is the same every time: the worker reads the flag as 0 at least
 * once before main sets it.
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
 * Reading the reports. TSan reports main's write at @notify against the
 * worker's earlier read at @poll, once (the worker's later read of 1 is not
 * reported again). Helgrind reports that write and, separately, the worker's
 * read that sees it. DRD reports the same two accesses, one error each.
 */
// twin: notification_flag_atomic
// bug: data-race
// expect tsan: data-race @access:notify @access:poll
// expect helgrind: data-race x2 @access:notify @access:poll
// expect drd: data-race @access:notify
// expect drd: data-race @access:poll
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

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

static volatile int stop; /* volatile only so the loop re-reads it */

static void *worker(void *unused)
{
    (void)unused;
    long rounds = 0;
    while (!stop) { // @poll
        if (rounds++ == 0)
            unseen_done();
    }
    return (void *)rounds;
}

int main(void)
{
    pthread_t t;
    unseen_init();
    pthread_create(&t, NULL, worker, NULL);
    unseen_wait(); /* the worker has polled the flag once by now */
    stop = 1; // @notify
    pthread_join(t, NULL);
    printf("worker stopped\n");
    return 0;
}
