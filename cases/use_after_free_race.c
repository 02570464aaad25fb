/*
 * use_after_free_race: main frees a session object while a thread it started
 * still uses it (a heap object freed while another thread uses it).
 *
 * The bug. free() ends the object's lifetime for every thread. Here main hands
 * the session to a reporting thread and frees it at once, without waiting for
 * the thread to finish; the thread then reads a field of freed memory. The
 * allocator may already have reused that memory for something else, so the
 * read sees garbage (or, for a write, corrupts another object). Nothing orders
 * the free after the last use.
 *
 * The fix: free only after the last user is done: join the thread first
 * (free_after_join.c), or give the object a reference count that the last
 * user drops (refcount_atomic.c).
 *
 * The run is the same every time: the thread reads only after main has freed
 * the session. The field read lies past the first 16 bytes, which glibc's
 * allocator overwrites when it frees a block, so natively the read is of
 * stale but harmless memory and the program always exits 0.
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
 * What the tools see. ThreadSanitizer reports "heap-use-after-free": the read
 * (@use) and the free before it (@free), with the thread's creation. Helgrind
 * and DRD do not check use after free at all by default; they are run here
 * with --free-is-write=yes, which makes free() count as a write to the block
 * so that a later unordered access races with it. Even so, only DRD reports
 * it, as a plain data race ("Conflicting load") at the read; Helgrind 3.19
 * reports nothing, with or without the option (measured both ways: without
 * it DRD reports nothing too). Memcheck would see the read of freed memory,
 * but it is not a thread tool and racelab does not run it.
 */
// twin: free_after_join
// bug: use-after-free
// options helgrind: --free-is-write=yes
// options drd: --free-is-write=yes
// expect tsan: use-after-free @access:use @access:free
// expect helgrind: clean
// expect drd: data-race @access:use
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

struct session {
    long id;
    long pad[3];
    long bytes_sent; /* past the first 16 bytes, which malloc reuses when freed */
};

static void *report(void *arg)
{
    struct session *s = arg;
    unseen_wait(); /* main has freed the session by now */
    long sent = s->bytes_sent; // @use
    printf("session sent %ld bytes\n", sent);
    return NULL;
}

int main(void)
{
    pthread_t t;
    unseen_init();
    struct session *s = malloc(sizeof *s); // @alloc
    s->id = 7;
    s->bytes_sent = 1500;
    pthread_create(&t, NULL, report, s);
    free(s); // @free
    unseen_done();
    pthread_join(t, NULL);
    return 0;
}
