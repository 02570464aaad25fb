/*
 * double_checked_locking: get_config() checks a plain pointer without the
 * lock, and only if it is NULL takes the lock, checks again and builds the
 * configuration (ThreadSanitizer's list of popular data races:
 * "double-checked locking").
 *
 * The bug. The first check reads "config" with no lock while another thread
 * may be writing it under the lock: a data race (CERT CON43-C). Worse, the
 * thread that sees the pointer set has nothing ordering the builder's writes
 * of the structure before its own reads: the compiler or the CPU may make the
 * pointer visible before the fields, and the reader sees an uninitialised
 * configuration. The lock protects only the threads that take it.
 *
 * The fix: make the pointer atomic, loaded with acquire order in both checks
 * and stored with release order (double_checked_atomic.c); or use
 * pthread_once (lazy_init_once.c).
 *
 * The run is the same every time: the second user calls get_config() after
 * the first has built the configuration.
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
 * Reading the reports. TSan and Helgrind report two races: the unlocked read
 * of the pointer at @first_check against the store at @publish, and the read
 * of "retries" at @use against the builder's writes of the new block. TSan
 * shows that other side at the malloc call (@alloc): it records a new block
 * as written by the allocating thread, and that thread's own later stores do
 * not replace the record. Helgrind shows only where the block was allocated,
 * and by which thread. DRD reports each conflicting load on its own: the
 * pointer at @first_check and at @return, and the field at @use.
 */
// twin: double_checked_atomic
// bug: data-race
// expect tsan: data-race @access:first_check @access:publish
// expect tsan: data-race @access:use @access:alloc
// expect helgrind: data-race @access:first_check @access:publish
// expect helgrind: data-race @access:use @alloc
// expect drd: data-race @access:first_check
// expect drd: data-race @access:return
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

struct config {
    int verbose;
    int retries;
};

static struct config *config;
static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;

static struct config *get_config(void)
{
    if (!config) { // @first_check
        pthread_mutex_lock(&config_lock);
        if (!config) {
            struct config *c = malloc(sizeof *c); // @alloc
            c->verbose = 0;
            c->retries = 3;
            config = c; // @publish
        }
        pthread_mutex_unlock(&config_lock);
    }
    return config; // @return
}

static void *first_user(void *unused)
{
    (void)unused;
    int r = get_config()->retries;
    unseen_done();
    return (void *)(long)r;
}

static void *second_user(void *unused)
{
    (void)unused;
    unseen_wait(); /* the first user has set the config up by now */
    int r = get_config()->retries; // @use
    return (void *)(long)r;
}

int main(void)
{
    pthread_t a, b;
    unseen_init();
    pthread_create(&a, NULL, first_user, NULL);
    pthread_create(&b, NULL, second_user, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("retries %d\n", config->retries);
    free(config);
    return 0;
}
