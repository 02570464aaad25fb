/*
 * thread_local_seed: the fix for shared_seed_race. The generator's state is
 * declared _Thread_local, so every thread has its own copy.
 *
 * Why it is correct. A _Thread_local object is a different object in each
 * thread (each starts from the initialiser), so the two threads never access
 * the same memory and there is nothing to synchronise. All tools report
 * nothing. Each thread now draws its own sequence, so both draw the same
 * first number here; seed each thread differently if that matters.
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
 * Twin of shared_seed_race.c: the only difference is _Thread_local on the
 * state.
 */
// twin: shared_seed_race
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

/* The state of a small random number generator, one per thread. */
static _Thread_local unsigned long seed = 1;

static unsigned next_random(void)
{
    seed = seed * 6364136223846793005UL + 1442695040888963407UL; // @step
    return (unsigned)(seed >> 33); // @shift
}

static void *first_worker(void *unused)
{
    (void)unused;
    unsigned r = next_random();
    unseen_done();
    return (void *)(unsigned long)r;
}

static void *second_worker(void *unused)
{
    (void)unused;
    unseen_wait(); /* the first worker has drawn its number by now */
    return (void *)(unsigned long)next_random();
}

int main(void)
{
    pthread_t a, b;
    void *ra, *rb;
    unseen_init();
    pthread_create(&a, NULL, first_worker, NULL);
    pthread_create(&b, NULL, second_worker, NULL);
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    printf("drew %lu and %lu\n", (unsigned long)ra, (unsigned long)rb);
    return 0;
}
