/*
 * sem_handoff_race: a producer hands one value to a consumer through a
 * semaphore, but posts the semaphore before it fills the slot.
 *
 * The bug. A semaphore hand-off is correct only in this order: write the
 * data, then sem_post; sem_wait, then read the data. sem_post releases
 * everything written before it to the thread whose sem_wait takes the count;
 * a write after the post is not covered. Here the post comes first, so the
 * consumer may wake and read the slot before (or while) the producer writes
 * it: a data race (CERT CON43-C) and a stale value. In this run the consumer
 * always reads first and prints 0.
 *
 * The fix: fill, then post (sem_handoff.c).
 *
 * The run is the same every time: the producer writes only after the
 * consumer has read.
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
 * Reading the reports: TSan and Helgrind report the producer's write against
 * the consumer's earlier read; DRD reports the producer's store, with the
 * consumer's segment as the other side. All three see sem_post/sem_wait as
 * synchronisation; it is the order of the two lines that is wrong. clang 14
 * says "Write of size 1": at -O1 it stores the constant 42 as one byte, since
 * the slot is only ever 0 or 42 (GCC 12 says size 4).
 */
// twin: sem_handoff
// bug: data-race
// expect tsan: data-race @access:fill @access:take
// expect helgrind: data-race @access:fill @access:take
// expect drd: data-race @access:fill
// expect native: exit 0

#include <pthread.h>
#include <semaphore.h>
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

static sem_t filled;
static int slot;

static void *producer(void *unused)
{
    (void)unused;
    sem_post(&filled); // @post
    unseen_wait(); /* the consumer has taken the slot by now */
    slot = 42; // @fill
    return NULL;
}

static void *consumer(void *unused)
{
    (void)unused;
    sem_wait(&filled);
    int seen = slot; // @take
    unseen_done();
    printf("took %d\n", seen);
    return NULL;
}

int main(void)
{
    pthread_t p, c;
    unseen_init();
    sem_init(&filled, 0, 0);
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    sem_destroy(&filled);
    return 0;
}
