/*
 * rwlock_write_under_read: lookups take a reader-writer lock for reading, and
 * then also update a shared statistic, writing under a read lock.
 *
 * The bug. A read lock admits any number of readers at once: it protects data
 * that readers only read. Here every lookup also does "lookups = lookups + 1"
 * while holding only the read lock, so two lookups can run that
 * read-modify-write at the same time and lose an update: a data race (CERT
 * CON43-C) that the lock seems to cover but does not.
 *
 * The fix: take the lock for writing wherever anything is written
 * (rwlock_write_under_write.c), or make the statistic an atomic counter, or
 * give it its own mutex.
 *
 * To make every run the same, the two lookups do not overlap: the second
 * starts after the first has unlocked. They could overlap (both hold the read
 * lock at once), and that is the point: a read unlock does not happen before
 * the next read lock, so even one after the other nothing orders the two
 * updates. ThreadSanitizer, Helgrind and DRD all model that: unlocking a read
 * lock releases only to a later writer.
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
 * Reading the reports. TSan shows "(mutexes: read M0)" for both accesses: the
 * lock is held, in read mode. Helgrind reports the second lookup's write
 * against the first one's ("Locks held: 1" on both sides); DRD reports the
 * second lookup's load and its store as two "Conflicting" errors.
 * A finding: the TSan builds name different accesses. GCC 12 reports the
 * second lookup's read against the first one's write; clang 14 reports the
 * write, because its instrumentation pass checks only the write when a read
 * of the same location is followed by a write in one basic block. One report
 * each, at the same line.
 */
// twin: rwlock_write_under_write
// bug: data-race
// expect tsan: data-race @access:count
// expect helgrind: data-race @access:count
// expect drd: data-race x2 @access:count
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
    pthread_rwlock_rdlock(&table_lock); // @lock
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
