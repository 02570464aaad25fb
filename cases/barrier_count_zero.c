/*
 * barrier_count_zero: a barrier is sized by the number of worker threads from
 * the settings, forgetting main, which waits at it too; with zero workers
 * (this run's argument) the count is 0.
 *
 * The bug. pthread_barrier_init needs the number of threads that will call
 * pthread_barrier_wait, every one of them, and a count of 0 is invalid
 * (EINVAL). Here the program checks the result, says so and exits with status
 * 1; a program that did not check would then wait on an uninitialised
 * barrier. With one or more workers the same off-by-one gives a barrier one
 * short: it opens before main arrives, and main reads the workers' slots with
 * nothing ordering their writes before its reads (a data race).
 *
 * The fix: count every thread that waits, main included: workers + 1
 * (barrier_count_plus_main.c).
 *
 * What the tools see.
 * - Helgrind: two reports at the init (@init): "pthread_barrier_init:
 *   'count' argument is zero" and "Thread #1's call to pthread_barrier_init
 *   failed" with EINVAL.
 * - DRD: "pthread_barrier_init: 'count' argument is zero: barrier 0x...".
 * - TSan has no barrier checks and reports nothing; the program's own check
 *   is all there is.
 * Every tool, and the native run, ends with the program's status 1.
 */
// twin: barrier_count_plus_main
// bug: barrier-misuse
// args: 0
// expect tsan: exit 1
// expect helgrind: barrier-misuse x2 @access:init
// expect helgrind: exit 1
// expect drd: barrier-misuse @access:init
// expect drd: exit 1
// expect native: exit 1

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_WORKERS 4

static pthread_barrier_t filled;
static int slots[MAX_WORKERS];

static void *fill(void *arg)
{
    int i = (int)(long)arg;
    slots[i] = i + 1;
    pthread_barrier_wait(&filled);
    return NULL;
}

int main(int argc, char **argv)
{
    /* How many workers to start: a setting, here 0 (main does the work). */
    int workers = argc > 1 ? atoi(argv[1]) : 1;
    if (workers < 0 || workers > MAX_WORKERS)
        return 2;
    unsigned parties = (unsigned)workers; // @count
    int rc = pthread_barrier_init(&filled, NULL, parties); // @init
    if (rc != 0) {
        fprintf(stderr, "pthread_barrier_init: error %d\n", rc);
        return 1;
    }
    pthread_t t[MAX_WORKERS];
    for (int i = 0; i < workers; i++)
        pthread_create(&t[i], NULL, fill, (void *)(long)i);
    pthread_barrier_wait(&filled); /* main waits at the barrier too */
    int sum = 0;
    for (int i = 0; i < workers; i++)
        sum += slots[i];
    for (int i = 0; i < workers; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&filled);
    printf("sum %d\n", sum);
    return 0;
}
