/*
 * double_checked_atomic: the fix for double_checked_locking. The pointer is
 * read with an acquire load in the unlocked check and on return, and stored
 * with a release store once the configuration is built.
 *
 * Why it is correct. The release store publishes the builder's writes of the
 * structure; an acquire load that sees the pointer takes them in. The pointer
 * itself is atomic, so the unlocked check is no data race. The lock still
 * keeps two first callers from both building. ThreadSanitizer reports
 * nothing.
 *
 * A finding: Helgrind and DRD report this correct program exactly as they
 * report the racy twin (the same two races for Helgrind, the same three loads
 * for DRD). An acquire load and a release store are plain mov instructions on
 * x86, and the Valgrind tools take happens-before from the pthread calls they
 * intercept only: false positives. With Valgrind, prefer pthread_once
 * (lazy_init_once.c shows that DRD understands it; Helgrind does not).
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
 * Twin of double_checked_locking.c: the only difference is the atomic
 * accesses to the pointer.
 */
// twin: double_checked_locking
// bug: none
// expect tsan: clean
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

static struct config *config; /* read and set with __atomic builtins */
static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;

static struct config *get_config(void)
{
    if (!__atomic_load_n(&config, __ATOMIC_ACQUIRE)) { // @first_check
        pthread_mutex_lock(&config_lock);
        if (!config) {
            struct config *c = malloc(sizeof *c); // @alloc
            c->verbose = 0;
            c->retries = 3;
            __atomic_store_n(&config, c, __ATOMIC_RELEASE); // @publish
        }
        pthread_mutex_unlock(&config_lock);
    }
    return __atomic_load_n(&config, __ATOMIC_ACQUIRE); // @return
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
