/*
 * half_locked_race: a deposit updates an account balance under a mutex, but
 * an audit reads the balance without taking it (CERT CON43-C: "Do not allow
 * data races in multithreaded code").
 *
 * The bug. A mutex protects data only if every access to the data, reads
 * included, holds it. The audit's unlocked read races with the locked write:
 * nothing orders them, so the audit may see the old balance, the new one, or
 * (for a wider or unaligned object) a torn mix; and the compiler may keep the
 * balance in a register across the audit. The lock on one side only gives a
 * false sense of safety.
 *
 * The fix: take the same mutex for the read too (both_sides_locked.c).
 *
 * The run is the same every time: the audit reads after the deposit.
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
 * Reading the reports: TSan reports the read at @audit against the write at
 * @deposit, and says which mutexes each side held (the write "(mutexes:
 * write M0)"). Helgrind reports the same pair with "Locks held: none" for the
 * read and "Locks held: 1" for the write: the signature of a half-locked
 * variable. DRD reports the read.
 */
// twin: both_sides_locked
// bug: data-race
// expect tsan: data-race @access:audit @access:deposit
// expect helgrind: data-race @access:audit @access:deposit
// expect drd: data-race @access:audit
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

static pthread_mutex_t account_lock = PTHREAD_MUTEX_INITIALIZER;
static long balance = 100;

static void *deposit(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&account_lock);
    balance += 50; // @deposit
    pthread_mutex_unlock(&account_lock);
    unseen_done();
    return NULL;
}

static void *audit(void *unused)
{
    (void)unused;
    unseen_wait(); /* the deposit is done by now */
    long seen = balance; // @audit
    return (void *)seen;
}

int main(void)
{
    pthread_t d, a;
    void *seen;
    unseen_init();
    pthread_create(&d, NULL, deposit, NULL);
    pthread_create(&a, NULL, audit, NULL);
    pthread_join(d, NULL);
    pthread_join(a, &seen);
    printf("audit saw %ld\n", (long)seen);
    return 0;
}
