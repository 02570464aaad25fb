/*
 * neighbour_bitfields: two threads each set their own one-bit field of one
 * struct; the two bit-fields share a byte (CERT CON32-C).
 *
 * The bug. A bit-field is not a memory location of its own: adjacent
 * bit-fields make up one memory location (C11 3.14), and no CPU can store a
 * single bit. "state.seen = 1" compiles to a read of the byte (or word)
 * holding both bits, an OR, and a write of the whole byte. If the other thread
 * sets "dirty" between that read and that write, its bit is written back as
 * 0: an update lost although each thread only ever touched its own field. It
 * is a data race on the shared byte, though no line of the source names the
 * other thread's field.
 *
 * The fix: give each thread's flag its own memory location (plain char or int
 * fields, neighbour_fields.c), or protect all the bit-fields of a unit with
 * one mutex. CERT CON32-C: "Prevent data races when accessing bit-fields from
 * multiple threads".
 *
 * The run is the same every time: the second write comes after the first.
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
 * Reading the reports: every tool reports an access of size 1 by the reader,
 * at @set_seen, though the source writes only "seen". TSan reports the
 * reader's byte write against the writer's (clang and GCC alike: one report).
 * Helgrind reports the reader's read of the byte and its write, each against
 * the writer's write at @set_dirty; DRD reports the same read and write as
 * two "Conflicting" errors.
 */
// twin: neighbour_fields
// bug: data-race
// expect tsan: data-race @access:set_seen @access:set_dirty
// expect helgrind: data-race x2 @access:set_seen @access:set_dirty
// expect drd: data-race x2 @access:set_seen
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
    unsigned int dirty : 1; /* set by the writer thread */
    unsigned int seen : 1;  /* set by the reader thread */
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
    printf("dirty %u seen %u\n", state.dirty, state.seen);
    return state.dirty && state.seen ? 0 : 1;
}
