/*
 * barrier_count_plus_main: the fix for barrier_count_zero. The barrier counts
 * every thread that waits at it: the workers from the settings, plus main.
 *
 * Why it is correct. With workers + 1 parties, the barrier opens only when
 * every worker has filled its slot and main has arrived, and
 * pthread_barrier_wait orders everything each thread did before it before
 * everything any thread does after it: main's reads of the slots come after
 * the workers' writes. With zero workers (this run's argument) the count is
 * 1, and main passes its own barrier at once. All tools report nothing, and
 * the program exits 0.
 *
 * Twin of barrier_count_zero.c: the only difference is the "+ 1".
 */
// twin: barrier_count_zero
// bug: none
// args: 0
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

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
    unsigned parties = (unsigned)workers + 1; // @count
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
