/*
 * refcount_race: a buffer shared by two threads carries a reference count;
 * each thread drops its reference with a plain "--refs" and frees the buffer
 * when the count reaches 0 (ThreadSanitizer's list of popular data races:
 * "racy reference counting").
 *
 * The bug. "--b->refs == 0" is a read, a decrement and a write. Two threads
 * dropping their references at the same time can both read 2 and both write
 * 1: the buffer is never freed (a leak), or, with the opposite interleaving
 * and more references, freed while still in use. And even without a lost
 * update, nothing orders the first thread's last use of the buffer before the
 * second thread's free. A data race (CERT CON43-C).
 *
 * The fix: an atomic decrement with acquire-release order
 * (refcount_atomic.c): the updates cannot be lost, and the thread that takes
 * the count to 0 acquires everything the others did before their decrement,
 * so the free comes after every use.
 *
 * The run is the same every time: the second thread drops its reference after
 * the first has dropped its own, and so frees the buffer.
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
 * Reading the reports: all at @put. TSan reports one race: the second
 * thread's decrement against the first one's (clang 14 names the write, GCC
 * 12 the read). It reports nothing more, not even the free, which conflicts
 * with the first thread's accesses too; most likely because the count and the
 * length share the block's first 8 bytes, the free's conflict is at the same
 * address, and neither runtime reports a word again (clang 14 clears the
 * word's shadow after a report, GCC 12's runtime suppresses a second report
 * at an address). Helgrind reports the second thread's read and write of the
 * count; DRD reports its load, its store and the load of the comparison.
 * Neither Valgrind tool counts the free as a write by default.
 */
// twin: refcount_atomic
// bug: data-race
// expect tsan: data-race @access:put
// expect helgrind: data-race x2 @access:put
// expect drd: data-race x3 @access:put
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

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

struct buffer {
    int refs;
    int length;
    char data[48];
};

static void buffer_put(struct buffer *b)
{
    if (--b->refs == 0) // @put
        free(b); // @free
}

static void *first_user(void *arg)
{
    struct buffer *b = arg;
    int n = b->length; // @use
    buffer_put(b);
    unseen_done();
    return (void *)(long)n;
}

static void *second_user(void *arg)
{
    struct buffer *b = arg;
    unseen_wait(); /* the first user has dropped its reference by now */
    int n = b->length;
    buffer_put(b);
    return (void *)(long)n;
}

int main(void)
{
    pthread_t a, c;
    unseen_init();
    struct buffer *b = malloc(sizeof *b);
    b->refs = 2; /* one reference for each user */
    b->length = 5;
    pthread_create(&a, NULL, first_user, b);
    pthread_create(&c, NULL, second_user, b);
    pthread_join(a, NULL);
    pthread_join(c, NULL);
    printf("both users done\n");
    return 0;
}
