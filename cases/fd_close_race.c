/*
 * fd_close_race: main closes a file descriptor that a thread it started is
 * still using (ThreadSanitizer's list of popular data races: "race on a file
 * descriptor").
 *
 * The bug. close() ends the descriptor for the whole process, and the number
 * is free at once for the next open(), socket() or pipe() of any thread. A
 * thread that writes to "its" descriptor after (or while) another thread
 * closes it writes to nothing (EBADF) or, worse, to whatever file got the
 * number next: log lines in a database file, a response on another client's
 * socket. Here main closes the log descriptor without waiting for the writer.
 *
 * The fix: close a descriptor only when no other thread can use it any more:
 * join (or otherwise hear from) every user first (fd_close_after_join.c).
 *
 * The run is the same every time: main closes after the writer's write (in
 * the dangerous order, the write would come after the close; the race is the
 * same either way, since nothing orders the two).
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
 * What the tools see. ThreadSanitizer keeps a shadow word for each file
 * descriptor: read, write and the like read it, close writes it. It reports a
 * data race ("Write of size 8 ... by main thread", "Location is file
 * descriptor N created by main thread at" the open) between the close at
 * @close and the write at @write. Helgrind and DRD have no model of file
 * descriptors and report nothing: for them this is a clean program.
 */
// twin: fd_close_after_join
// bug: data-race
// expect tsan: data-race @access:close @access:write
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
    close(log_fd); // @close
    pthread_join(t, NULL);
    printf("log closed\n");
    return 0;
}
