/*
 * atomic_counter_race: four statistics counters are updated atomically by one
 * thread, but another thread reads or resets them with plain loads and stores.
 *
 * The bug. An atomic operation is atomic only with respect to other atomic
 * operations on the same object. A plain read or write of the same counter
 * from another thread, with no happens-before between them, is a data race
 * (undefined behaviour in C11; CERT CON43-C): the plain store can be lost or
 * tear, the plain load can be hoisted or torn, and nothing orders it with the
 * atomic side. Here each of the four counters gets exactly one atomic access
 * from the updater and one plain access from the reporter, in four
 * combinations: atomic add vs plain store, atomic add vs plain load, atomic
 * load vs plain store, atomic store vs plain load.
 *
 * The fix: use atomics on both sides (atomic_counter_all_atomic.c), or one
 * mutex on both sides.
 *
 * Deterministic by construction: each counter is accessed exactly twice, once
 * per thread, and the atomic access always comes first; each counter has its
 * own 64-byte line, because clang's TSan (LLVM 14+) wipes the shadow of a
 * whole 8-byte word after a report.
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
 * (Until this case was reworked, a 100 ms sleep gave that order.)
 *
 * A finding: TSan reports all four pairs (4 reports); Helgrind and DRD only the
 * two plain stores (at @plain_reset_requests and @plain_store_bytes): they treat
 * a locked read-modify-write (lock add, xchg) as a read, so a plain load after
 * the atomic add or the seq_cst store (an xchg) is no conflict; the atomic load
 * is a plain mov, and the plain store after it conflicts with it. The twin
 * shows the other side of the same blindness: with atomics on both sides
 * Helgrind and DRD still report the two stores.
 */
// twin: atomic_counter_all_atomic
// bug: data-race
// expect tsan: data-race @plain_reset_requests @atomic_add_requests
// expect tsan: data-race @plain_read_errors @atomic_add_errors
// expect tsan: data-race @plain_store_bytes @atomic_load_bytes
// expect tsan: data-race @plain_read_peak @atomic_store_peak
// expect helgrind: data-race @plain_reset_requests @atomic_add_requests
// expect helgrind: data-race @plain_store_bytes @atomic_load_bytes
// expect drd: data-race @access:plain_reset_requests
// expect drd: data-race @access:plain_store_bytes
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
    requests.value = 0; // @plain_reset_requests
    long e = errors.value; // @plain_read_errors
    bytes.value = 4096; // @plain_store_bytes
    long p = peak.value; // @plain_read_peak
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
