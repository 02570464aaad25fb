/*
 * sem_handoff: a producer hands one value to a consumer through a semaphore
 * that starts at 0: fill the slot, then sem_post; sem_wait, then read.
 *
 * Why it is correct. sem_post happens before the sem_wait that takes its
 * count, so the write of the slot (before the post) happens before the read
 * (after the wait). All three tools model semaphores as synchronisation and
 * report nothing; the consumer always prints 42.
 *
 * A semaphore, unlike a mutex, has no owner: any thread may post it, which is
 * what makes it the right tool for one thread to tell another "done" (compare
 * mutex_unlock_foreign.c, where a mutex is misused for that).
 *
 * The producer also waits, after its post, until the consumer has read; that
 * step is here only so that the twins differ in nothing but the fix (in the
 * twin it fixes the order of the racing accesses).
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
 * Twin of sem_handoff_race.c: the only difference is that the slot is filled
 * before the post.
 */
// twin: sem_handoff_race
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
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
    slot = 42; // @fill
    sem_post(&filled); // @post
    unseen_wait(); /* the consumer has taken the slot by now */
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
