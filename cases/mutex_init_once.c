/*
 * mutex_init_once: the fix for mutex_reinit_race. Both parts of the program
 * still "set up" the log, but the setup initialises the mutex through
 * pthread_once, so it is initialised exactly once.
 *
 * Why it is correct. pthread_once runs log_init once, whichever thread calls
 * first, and every later call returns only after it has finished, with its
 * writes visible; no thread can reach the mutex before it is initialised, and
 * nothing initialises it again. All tools report nothing (the mutex is not
 * written after its initialisation, so Helgrind's lack of a pthread_once
 * model, see lazy_init_once.c, does not show here). Simpler still, when the
 * mutex is static: PTHREAD_MUTEX_INITIALIZER.
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
 * Twin of mutex_reinit_race.c: the only difference is pthread_once in
 * log_setup().
 */
// twin: mutex_reinit_race
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

static pthread_mutex_t log_lock;
static long lines_logged;
static pthread_once_t log_once = PTHREAD_ONCE_INIT;

static void log_init(void)
{
    pthread_mutex_init(&log_lock, NULL);
}

/* Each part of the program sets the log up before its first use. */
static void log_setup(void)
{
    pthread_once(&log_once, log_init); // @setup
}

static void log_line(const char *who)
{
    pthread_mutex_lock(&log_lock); // @lock
    lines_logged++;
    pthread_mutex_unlock(&log_lock); // @unlock
    (void)who;
}

static void *worker(void *unused)
{
    (void)unused;
    log_setup(); // @worker_setup
    log_line("worker");
    unseen_done();
    return NULL;
}

int main(void)
{
    pthread_t t;
    unseen_init();
    pthread_create(&t, NULL, worker, NULL);
    unseen_wait(); /* the worker has logged its line by now */
    log_setup(); // @main_setup
    log_line("main");
    pthread_join(t, NULL);
    printf("%ld lines logged\n", lines_logged);
    return 0;
}
