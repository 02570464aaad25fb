/*
 * rwlock_write_under_write: the fix for rwlock_write_under_read. A lookup
 * that updates the shared statistic takes the reader-writer lock for writing.
 *
 * Why it is correct. A write lock is exclusive, and unlocking it happens
 * before the next lock of any kind, so every update of "lookups" is ordered
 * after the previous one: ThreadSanitizer, Helgrind and DRD report nothing.
 * The cost: lookups no longer run in parallel. When most of the work is
 * reading, keep the read lock for the table and move the statistic out of it
 * (an atomic counter, or a per-thread count summed at the end).
 *
 * The two lookups run one after the other, ordered the same way as in the
 * twin (there it hides nothing: that order is not synchronisation).
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
 * Twin of rwlock_write_under_read.c: the only difference is
 * pthread_rwlock_wrlock for pthread_rwlock_rdlock.
 */
// twin: rwlock_write_under_read
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
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

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static long lookups; /* a statistic, updated on every lookup */
static const int table[4] = {10, 20, 30, 40};

static int lookup(int key)
{
    pthread_rwlock_wrlock(&table_lock); // @lock
    lookups = lookups + 1; // @count
    int value = table[key & 3];
    pthread_rwlock_unlock(&table_lock);
    return value;
}

static void *first_reader(void *unused)
{
    (void)unused;
    int v = lookup(1);
    unseen_done();
    return (void *)(long)v;
}

static void *second_reader(void *unused)
{
    (void)unused;
    unseen_wait(); /* the first lookup is over by now */
    return (void *)(long)lookup(2);
}

int main(void)
{
    pthread_t a, b;
    unseen_init();
    pthread_create(&a, NULL, first_reader, NULL);
    pthread_create(&b, NULL, second_reader, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("lookups %ld\n", lookups);
    return 0;
}
