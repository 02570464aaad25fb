/*
 * racy_counter: two threads each add 1 to a shared counter 100000 times,
 * without a lock.
 *
 * The bug. "counter = counter + 1" is three steps: read the counter into a
 * register (here a local copy, to make the steps visible), compute, write it
 * back. When both threads read the same value before either writes, one of the
 * two increments is lost. The little spin between the read and the write widens
 * that window, so the total printed is usually short of 200000; only now and
 * then, when the threads happen not to overlap, is it right. A test that checks
 * the total passes sometimes and fails sometimes; a race detector sees the
 * unsynchronised read and write every time.
 *
 * "volatile" keeps the compiler from merging the loads and stores of the loop;
 * it makes nothing atomic and is no fix.
 *
 * Which pair of accesses a detector catches first depends on the
 * interleaving, and clang's TSan reports only the first on a word (it clears
 * the word's shadow after a report). Left alone, the two threads start in
 * any order; under load, in about one run in twenty-five, clang 14 caught a
 * write against the other thread's write first instead of a read against a
 * write. So the second thread starts only once the first has added once,
 * without synchronisation any tool can see: through unseen_done() and
 * unseen_wait(), which under ThreadSanitizer are compiler-rt's test-only
 * barrier (__tsan_testonly_barrier_init/_wait, which the runtime does not take
 * as synchronisation) and under Helgrind, DRD and natively a one-byte pipe
 * (which Valgrind's tools do not take as synchronisation; TSan would). Its
 * first access, a read, then always meets the first thread's write.
 *
 * The fix: make the read-modify-write indivisible, with a mutex around it (see
 * locked_counter.c) or an atomic fetch-and-add. CERT CON43-C: "Do not allow
 * data races in multithreaded code".
 *
 * Reading the reports: TSan says "data race" and shows two stacks, the access
 * it caught and the "Previous write" of the other thread; both point at the
 * lines below. Helgrind says "Possible data race during read/write of size 8"
 * and "This conflicts with a previous write", with "Locks held: none". DRD says
 * "Conflicting load by thread N" and "Conflicting store by thread N".
 *
 * A finding: the tools count the same race differently, and every count is
 * exact (one report per expect line). TSan from clang 13 and 14 and GCC 11
 * and 12 reports the pair once: the read against the other thread's write.
 * TSan from clang 15, 16 and 19 reports the write against the other
 * thread's write as well (10 of 10 runs each, measured before the start was
 * ordered; this machine has only clang 14 and GCC 12, which were measured
 * again after it). Helgrind reports each access of the
 * second thread that conflicts: its read against the first thread's write,
 * and its write against the first thread's write. DRD, too, reports the load
 * and the store as two errors, each with the stack of its own access only
 * (its other stacks are segment bounds).
 */
// twin: locked_counter
// bug: data-race
// expect tsan: data-race @access:read @access:write
// expect tsan(clang>=15): data-race @access:read @access:write
// expect tsan(clang>=15): data-race @access:write
// expect helgrind: data-race @access:read @access:write
// expect helgrind: data-race @access:write
// expect drd: data-race @access:read
// expect drd: data-race @access:write
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

#define ROUNDS 100000

static volatile long counter;

static void *add_many(void *arg)
{
    int second = arg != NULL;
    if (second)
        unseen_wait(); /* the first thread has added once by now */
    for (int i = 0; i < ROUNDS; i++) {
        long seen = counter; // @read
        for (volatile int spin = 0; spin < 100; spin++)
            ;
        counter = seen + 1; // @write
        if (i == 0 && !second)
            unseen_done();
    }
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    unseen_init();
    pthread_create(&a, NULL, add_many, NULL);
    pthread_create(&b, NULL, add_many, (void *)1);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("total %ld of %d\n", counter, 2 * ROUNDS);
    return 0;
}
