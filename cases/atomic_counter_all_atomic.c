/*
 * atomic_counter_all_atomic: the fix for atomic_counter_race. Four statistics
 * counters are updated atomically by one thread, and the other thread now
 * reads and resets them with atomic loads and stores too.
 *
 * Why it is correct. Concurrent atomic accesses to one object are never a
 * data race in C11, whatever their memory order; relaxed order is enough here
 * because the counters publish nothing else. ThreadSanitizer models C11
 * atomics and reports nothing.
 *
 * A finding: Helgrind and DRD still report two races, at the same two lines
 * as in the twin: the relaxed store that resets "requests" against the
 * updater's atomic add, and the relaxed store of "bytes" against the
 * updater's atomic load. On x86 a relaxed atomic store is a plain mov, so for
 * them it is the same store as the twin's plain one; they take a locked
 * read-modify-write (lock add) as a read and an atomic load as a plain read,
 * and a later plain-looking store conflicts with either. The two loads of the
 * reporter conflict with nothing (the updater's side of "errors" is a lock
 * add, of "peak" an xchg: reads to them). These are false positives of tools
 * that do not understand atomics.
 *
 * Each counter is accessed exactly twice, once per thread, atomic update
 * first, on its own 64-byte line, as in the twin.
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
 * Twin of atomic_counter_race.c: the only difference is the reporter's four
 * accesses (atomic instead of plain).
 */
// twin: atomic_counter_race
// bug: none
// expect tsan: clean
// expect helgrind: data-race @atomic_reset_requests @atomic_add_requests
// expect helgrind: data-race @atomic_store_bytes @atomic_load_bytes
// expect drd: data-race @access:atomic_reset_requests
// expect drd: data-race @access:atomic_store_bytes
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

struct counter {
    _Alignas(64) long value;
};

static struct counter requests, errors, bytes, peak;

static void *updater(void *unused)
{
    (void)unused;
    __atomic_fetch_add(&requests.value, 1, __ATOMIC_RELAXED); // @atomic_add_requests
    __atomic_fetch_add(&errors.value, 1, __ATOMIC_RELAXED); // @atomic_add_errors
    long seen = __atomic_load_n(&bytes.value, __ATOMIC_SEQ_CST); // @atomic_load_bytes
    __atomic_store_n(&peak.value, seen + 1, __ATOMIC_SEQ_CST); // @atomic_store_peak
    unseen_done();
    return NULL;
}

static void *reporter(void *unused)
{
    (void)unused;
    unseen_wait(); /* the updater is done by now; no synchronisation */
    __atomic_store_n(&requests.value, 0, __ATOMIC_RELAXED); // @atomic_reset_requests
    long e = __atomic_load_n(&errors.value, __ATOMIC_RELAXED); // @atomic_read_errors
    __atomic_store_n(&bytes.value, 4096, __ATOMIC_RELAXED); // @atomic_store_bytes
    long p = __atomic_load_n(&peak.value, __ATOMIC_RELAXED); // @atomic_read_peak
    printf("errors %ld peak %ld\n", e, p);
    return NULL;
}

int main(void)
{
    pthread_t u, r;
    unseen_init();
    pthread_create(&u, NULL, updater, NULL);
    pthread_create(&r, NULL, reporter, NULL);
    pthread_join(u, NULL);
    pthread_join(r, NULL);
    return 0;
}
