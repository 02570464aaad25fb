/*
 * both_sides_locked: the fix for half_locked_race (CERT CON43-C). The audit
 * now takes the account mutex to read the balance, as the deposit does to
 * write it.
 *
 * Why it is correct. Every access to the balance holds the mutex, so at most
 * one happens at a time, and the deposit's unlock happens before the audit's
 * lock: the audit sees the whole deposit or none of it. All tools report
 * nothing.
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
 * Twin of half_locked_race.c: the only difference is the lock around the
 * read.
 */
// twin: half_locked_race
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
    pthread_mutex_lock(&account_lock);
    long seen = balance; // @audit
    pthread_mutex_unlock(&account_lock);
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
