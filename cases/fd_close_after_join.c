/*
 * fd_close_after_join: the fix for fd_close_race. Main joins the writer
 * thread before it closes the descriptor the writer uses.
 *
 * Why it is correct. The writer's write happens before it returns, which
 * happens before pthread_join returns; the close comes after that, and no
 * other thread can touch the descriptor any more. ThreadSanitizer, which
 * checks descriptors, reports nothing; Helgrind and DRD, which do not, report
 * nothing either (for them the twin is clean too).
 *
 * Main also waits for the writer's signal before the join; that step is here
 * only so that the twins differ in nothing but the fix.
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
 * Twin of fd_close_race.c: the only difference is that close comes after the
 * join.
 */
// twin: fd_close_race
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

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

static int log_fd;

static void *writer(void *unused)
{
    (void)unused;
    if (write(log_fd, "started\n", 8) != 8) // @write
        return (void *)1L;
    unseen_done();
    return NULL;
}

int main(void)
{
    pthread_t t;
    unseen_init();
    log_fd = open("/dev/null", O_WRONLY); // @open
    if (log_fd < 0)
        return 1;
    pthread_create(&t, NULL, writer, NULL);
    unseen_wait(); /* the writer has written by now */
    pthread_join(t, NULL);
    close(log_fd); // @close
    printf("log closed\n");
    return 0;
}
