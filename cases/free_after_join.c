/*
 * free_after_join: the fix for use_after_free_race. Main hands a session
 * object to a reporting thread and frees it only after joining the thread.
 *
 * Why it is correct. Everything a thread does happens before pthread_join on
 * it returns, so the thread's last read of the session happens before the
 * free. No tool reports anything, with --free-is-write=yes for Helgrind and
 * DRD as in the twin (a free that is ordered after every use is no race).
 * When several threads share an object and none of them knows which finishes
 * last, a reference count does the same job (refcount_atomic.c).
 *
 * Main also signals the thread before joining it; that step is here only so
 * that the twins differ in nothing but the fix (in the twin it makes the
 * thread read after the free).
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
 * Twin of use_after_free_race.c: the only difference is that the free comes
 * after the join.
 */
// twin: use_after_free_race
// bug: none
// options helgrind: --free-is-write=yes
// options drd: --free-is-write=yes
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

struct session {
    long id;
    long pad[3];
    long bytes_sent; /* past the first 16 bytes, which malloc reuses when freed */
};

static void *report(void *arg)
{
    struct session *s = arg;
    unseen_wait(); /* main has reached its join by now */
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
    unseen_done();
    pthread_join(t, NULL);
    free(s); // @free
    return 0;
}
