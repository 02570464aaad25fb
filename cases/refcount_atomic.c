/*
 * refcount_atomic: the fix for refcount_race. Each thread drops its reference
 * with an atomic decrement (__atomic_sub_fetch, acquire-release order) and
 * the thread that takes the count to 0 frees the buffer.
 *
 * Why it is correct. An atomic read-modify-write cannot lose an update, so
 * exactly one thread sees 0. The release half of each decrement publishes that
 * thread's earlier uses of the buffer; the acquire half of the last decrement
 * takes them in, so the free happens after every use. ThreadSanitizer models
 * this and reports nothing.
 *
 * Helgrind and DRD report nothing either, though they do not model atomics as
 * synchronisation: they take the locked decrement (lock sub) as a read, so two
 * of them do not conflict, and by default they do not count free() as a write.
 * They would not notice the free being misordered here; TSan would.
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
 * Twin of refcount_race.c: the only difference is the atomic decrement.
 */
// twin: refcount_race
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
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
    int refs; /* changed only with __atomic builtins */
    int length;
    char data[48];
};

static void buffer_put(struct buffer *b)
{
    if (__atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0) // @put
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
