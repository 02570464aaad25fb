/*
 * lock_held_briefly: the fix for lock_held_too_long. The worker does its slow
 * work (200 ms) before taking the mutex, and holds it only to update the
 * shared total.
 *
 * Why it is better. The critical section is the one line that touches shared
 * state; main never waits behind the worker's sleep. DRD, told as in the twin
 * to report a mutex held for more than 100 ms (--exclusive-threshold=100),
 * reports nothing; Helgrind and TSan report nothing, as for the twin (they
 * have no hold-time check).
 *
 * The barrier only lets the two threads start together; the program has no
 * race to order.
 *
 * Twin of lock_held_too_long.c: the only difference is where the lock is
 * taken.
 */
// twin: lock_held_too_long
// bug: none
// options drd: --exclusive-threshold=100
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t worker_started;
static long shared_total;

static void *slow_worker(void *unused)
{
    (void)unused;
    pthread_barrier_wait(&worker_started);
    struct timespec slow = {0, 200 * 1000 * 1000};
    nanosleep(&slow, NULL); /* 200 ms of "work", with no lock held */
    pthread_mutex_lock(&lock); // @acquire
    shared_total += 1;
    pthread_mutex_unlock(&lock); // @release
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_barrier_init(&worker_started, NULL, 2);
    pthread_create(&t, NULL, slow_worker, NULL);
    pthread_barrier_wait(&worker_started);
    pthread_mutex_lock(&lock); /* free: the worker is working, not holding it */
    shared_total += 1;
    pthread_mutex_unlock(&lock);
    pthread_join(t, NULL);
    pthread_barrier_destroy(&worker_started);
    printf("total %ld\n", shared_total);
    return 0;
}
