/*
 * atomic_toggle_race: two threads toggle an atomic flag with
 * "light = !light", which refers to the atomic variable twice in one
 * expression (CERT CON40-C: "Do not refer to an atomic variable twice in an
 * expression").
 *
 * The bug. Each access to an _Atomic object is atomic, but the expression is
 * two of them: an atomic load, then an atomic store of the negation. Another
 * thread's toggle can come in between, and then both threads store the same
 * value: two toggles, and the light has not changed. The same holds for
 * CERT's other example, "n * (n + 1) / 2" with an atomic n, which may read
 * two different values of n.
 *
 * The fix: one atomic read-modify-write, atomic_fetch_xor(&light, 1)
 * (atomic_toggle_rmw.c), or a compare-and-exchange loop for anything more
 * complex; or a mutex.
 *
 * What the tools see: nothing, and that is the finding. This is not a data
 * race: every access is atomic, so by C11 no two of them race, and
 * ThreadSanitizer is right to stay silent; what is broken is atomicity (an
 * atomicity violation, not a data race), which none of these detectors
 * checks. Helgrind and DRD report nothing either: GCC compiles the
 * sequentially consistent store to an xchg, a locked instruction that they
 * take as a read, so the two toggles look like reads to them. No tool here
 * can find a CON40-C bug; only review (or a model checker) can.
 *
 * In this run the two toggles do not overlap (the second starts after the
 * first), so the lost update cannot happen and the light ends "off" every
 * time: the program is deterministic, and the bug stays in the code.
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
 */
// twin: atomic_toggle_rmw
// bug: atomicity-violation
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdatomic.h>
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

static atomic_int light;

static void toggle(void)
{
    light = !light; // @toggle
}

static void *first_switch(void *unused)
{
    (void)unused;
    toggle();
    unseen_done();
    return NULL;
}

static void *second_switch(void *unused)
{
    (void)unused;
    unseen_wait(); /* the first switch has toggled by now */
    toggle();
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    unseen_init();
    pthread_create(&a, NULL, first_switch, NULL);
    pthread_create(&b, NULL, second_switch, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("light is %s\n", atomic_load(&light) ? "on" : "off");
    return 0;
}
