/*
 * lazy_init_race: a table is built on first use by whichever thread asks for
 * it first, with a hand-rolled "if (!table) build_table();" (ThreadSanitizer's
 * list of popular data races: "racy lazy initialization").
 *
 * The bug. Two threads can both see table == NULL and both build it (one
 * table leaks, and the callers get different tables); and a thread that sees
 * the pointer set may still read the table's contents before the builder's
 * writes reach it, since nothing orders the writes of build_table before
 * another thread's reads. Both the pointer and the contents are data races
 * (CERT CON43-C), even in a run like this one, where the second thread asks
 * only after the first has finished building.
 *
 * The fix: pthread_once (lazy_init_once.c), which runs the builder exactly
 * once and makes everything it wrote visible to every caller that returns
 * from pthread_once; or build the table before starting the threads.
 *
 * The run is the same every time: the second user calls get_table() after the
 * first user has built the table.
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
 * Reading the reports. TSan and Helgrind report two races: the second user's
 * read of the pointer at @check against the builder's store at @publish, and
 * its read of table->size at @use against the builder's writes of the new
 * block. For that second race TSan shows the other side at the malloc call
 * (@alloc), not at the store of "size": it records a new block as written by
 * the thread that allocated it, and that thread's own later stores (with no
 * synchronisation in between) do not replace the record. Helgrind shows no
 * stack for the other side, only where the block was allocated and by which
 * thread. DRD reports each conflicting load on its own: the pointer at @check
 * and again at @return, and the size at @use.
 */
// twin: lazy_init_once
// bug: data-race
// expect tsan: data-race @access:check @access:publish
// expect tsan: data-race @access:use @access:alloc
// expect helgrind: data-race @access:check @access:publish
// expect helgrind: data-race @access:use @alloc
// expect drd: data-race @access:check
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

struct table {
    int size;
    int squares[16];
};

static struct table *table;

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
    if (!table) // @check
        build_table();
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
