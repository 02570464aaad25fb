/*
 * lazy_init_once: the fix for lazy_init_race. The table is built on first use
 * through pthread_once.
 *
 * Why it is correct. pthread_once runs the builder exactly once, however many
 * threads call it at the same time, and every call returns only after the
 * builder has finished; POSIX makes the builder's writes visible to every
 * thread that returns from pthread_once. ThreadSanitizer intercepts
 * pthread_once and models that, and reports nothing.
 *
 * A finding: Helgrind reports two races on this correct program, the same two
 * as in the twin (the pointer read at @return against the store at @publish,
 * the size read at @use in a block allocated at @alloc). Helgrind
 * 3.19 has no model of pthread_once: glibc implements it with an atomic load
 * of the once-control word and a futex, which Helgrind does not take as
 * synchronisation. DRD reports nothing: it intercepts pthread_once
 * (drd_pthread_intercepts.c). A false positive of one tool, then; code that
 * must be Helgrind-clean can initialise before starting threads.
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
 * Twin of lazy_init_race.c: the only difference is pthread_once in
 * get_table() instead of the NULL check.
 */
// twin: lazy_init_race
// bug: none
// expect tsan: clean
// expect helgrind: data-race @access:return @access:publish
// expect helgrind: data-race @access:use @alloc
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

struct table {
    int size;
    int squares[16];
};

static struct table *table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void build_table(void)
{
    struct table *t = malloc(sizeof *t); // @alloc
    t->size = 16;
    for (int i = 0; i < 16; i++)
        t->squares[i] = i * i;
    table = t; // @publish
}

static struct table *get_table(void)
{
    pthread_once(&table_once, build_table); // @check
    return table; // @return
}

static void *first_user(void *unused)
{
    (void)unused;
    int n = get_table()->size;
    unseen_done();
    return (void *)(long)n;
}

static void *second_user(void *unused)
{
    (void)unused;
    unseen_wait(); /* the first user has built the table by now */
    int n = get_table()->size; // @use
    return (void *)(long)n;
}

int main(void)
{
    pthread_t a, b;
    unseen_init();
    pthread_create(&a, NULL, first_user, NULL);
    pthread_create(&b, NULL, second_user, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("table of %d squares\n", table->size);
    free(table);
    return 0;
}
