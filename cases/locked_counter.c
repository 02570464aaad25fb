/*
 * locked_counter: the fix for racy_counter. Two threads each add 1 to a shared
 * counter 100000 times, and a mutex makes each read-modify-write indivisible.
 *
 * Why it is correct. Only one thread at a time can hold the mutex, so no thread
 * can read the counter between another thread's read and write: no update is
 * lost and the total is always 200000. Unlocking a mutex "happens before" the
 * next lock of it, so the detectors see every access to the counter ordered by
 * the lock and report nothing.
 *
 * The cost: the threads now take turns, so this is slower than the racy
 * version. Keep the critical section short (the spin here is inside it only
 * to match racy_counter line for line); for a plain counter an atomic
 * fetch-and-add is cheaper still.
 *
 * The second thread starts once the first has added once, as in the twin
 * (there it fixes which race a detector catches first; here it changes
 * nothing): through unseen_done() and unseen_wait(), under ThreadSanitizer
 * compiler-rt's test-only barrier, elsewhere a pipe, neither of them
 * synchronisation to the tool that runs it.
 *
 * Twin of racy_counter.c: the only difference is the lock.
 */
// twin: racy_counter
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

#define ROUNDS 100000

static volatile long counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

static void *add_many(void *arg)
{
    int second = arg != NULL;
    if (second)
        unseen_wait(); /* the first thread has added once by now */
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&counter_lock);
        long seen = counter;
        for (volatile int spin = 0; spin < 100; spin++)
            ;
        counter = seen + 1;
        pthread_mutex_unlock(&counter_lock);
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
    return counter == 2 * ROUNDS ? 0 : 1;
}
