/*
 * neighbour_fields: two threads each set their own field of one struct; the
 * fields are plain unsigned char members, side by side in one word. No race.
 *
 * Why it is correct. Each non-bit-field member is a memory location of its
 * own (C11 3.14), and C11 forbids a compiler to write one memory location by
 * reading and writing back a neighbour. On every CPU a compiler targets, a
 * byte can be stored alone. So the two threads never access the same memory,
 * however close the fields are, and there is nothing to synchronise. All
 * tools track memory at byte granularity and report nothing.
 *
 * (The fields do share a cache line; when threads write neighbouring fields
 * often, that "false sharing" costs speed, never correctness.)
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
 * Twin of neighbour_bitfields.c (CERT CON32-C): the only difference is that
 * the flags are whole bytes instead of one-bit fields.
 */
// twin: neighbour_bitfields
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

struct flags {
    unsigned char dirty; /* set by the writer thread */
    unsigned char seen;  /* set by the reader thread */
};

static struct flags state;

static void *writer(void *unused)
{
    (void)unused;
    state.dirty = 1; // @set_dirty
    unseen_done();
    return NULL;
}

static void *reader(void *unused)
{
    (void)unused;
    unseen_wait(); /* the writer has set its flag by now */
    state.seen = 1; // @set_seen
    return NULL;
}

int main(void)
{
    pthread_t w, r;
    unseen_init();
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("dirty %d seen %d\n", state.dirty, state.seen);
    return state.dirty && state.seen ? 0 : 1;
}
