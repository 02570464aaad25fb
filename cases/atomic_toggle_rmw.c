/*
 * atomic_toggle_rmw: the fix for atomic_toggle_race (CERT CON40-C). Each
 * thread toggles the atomic flag with one atomic read-modify-write,
 * atomic_fetch_xor(&light, 1).
 *
 * Why it is correct. fetch_xor reads, flips and writes the flag as one
 * indivisible operation (a lock xor on x86), so no other toggle can come in
 * between and no toggle is lost. The variable is referred to once.
 *
 * All tools report nothing, as for the twin: neither program has a data
 * race, and none of the tools checks atomicity, so they cannot tell the
 * broken toggle from this one.
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
 * Twin of atomic_toggle_race.c: the only difference is the toggle itself.
 */
// twin: atomic_toggle_race
// bug: none
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
    atomic_fetch_xor(&light, 1); // @toggle
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
