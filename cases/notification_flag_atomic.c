/*
 * notification_flag_atomic: the fix for notification_flag_race. Main stops
 * the worker with an atomic store (release order) to the flag, and the worker
 * polls it with atomic loads (acquire order).
 *
 * Why it is correct. Atomic accesses are never a data race, and the release
 * store synchronises with the acquire load that reads 1, so whatever main
 * wrote before it is visible to the worker afterwards. ThreadSanitizer
 * reports nothing.
 *
 * A finding: Helgrind and DRD report exactly what they report for the racy
 * twin (Helgrind the store and the load that sees it, DRD the same two
 * accesses). On x86 a release store and an acquire load are plain mov
 * instructions, and the Valgrind tools take happens-before only from the
 * pthread calls they intercept, not from C11 atomics: false positives.
 *
 * Run in the same order as the twin.
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
 * Twin of notification_flag_race.c: the only difference is the flag's
 * accesses (atomic release/acquire instead of volatile).
 */
// twin: notification_flag_race
// bug: none
// expect tsan: clean
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

static int stop; /* accessed only with __atomic builtins */

static void *worker(void *unused)
{
    (void)unused;
    long rounds = 0;
    while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) { // @poll
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
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE); // @notify
    pthread_join(t, NULL);
    printf("worker stopped\n");
    return 0;
}
