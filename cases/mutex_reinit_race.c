/*
 * mutex_reinit_race: two parts of a program each "set up" a shared log by
 * calling pthread_mutex_init on its mutex, so the second call re-initialises
 * a mutex another thread has already used (ThreadSanitizer's list of popular
 * data races: "race on a mutex").
 *
 * The bug. Initialising a mutex that is already initialised is undefined
 * behaviour (POSIX): if another thread holds it or is waiting for it at that
 * moment, its state is wiped under it, two threads can end up in the critical
 * section at once, and a waiter can sleep forever. pthread_mutex_init is a
 * plain write of the mutex's memory, and here nothing orders it after the
 * worker's use: a data race on the mutex itself.
 *
 * The fix: initialise once, before any thread can use the mutex: statically
 * (PTHREAD_MUTEX_INITIALIZER), before the threads start, or through
 * pthread_once (mutex_init_once.c).
 *
 * The run is the same every time: main sets the log up again after the
 * worker has set it up and logged a line.
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
 * What the tools see.
 * - TSan: a data race, "Write of size 1" at main's pthread_mutex_init
 *   (@setup, called at @main_setup) against the worker's earlier
 *   pthread_mutex_init of the same mutex (@worker_setup). TSan treats init as a write of the
 *   mutex's memory and lock and unlock as atomic reads of it.
 * - DRD: "Mutex reinitialization: mutex 0x..., recursion count 0, owner 2"
 *   at @setup, which racelab's kinds map to destroy-locked although the
 *   mutex is not locked (recursion count 0): DRD reports any second init.
 * - Helgrind 3.19 reports nothing: it takes a second init of a known mutex
 *   in silence.
 */
// twin: mutex_init_once
// bug: data-race, destroy-locked
// expect tsan: data-race @access:main_setup @access:worker_setup
// expect helgrind: clean
// expect drd: destroy-locked @access:main_setup
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

/* Each part of the program sets the log up before its first use. */
static void log_setup(void)
{
    pthread_mutex_init(&log_lock, NULL); // @setup
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
