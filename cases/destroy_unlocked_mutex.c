/*
 * destroy_unlocked_mutex: the fix for destroy_locked_mutex (CERT CON31-C).
 * Main destroys the cache mutex only after joining the worker that used it.
 *
 * Why it is correct. After pthread_join no other thread can hold or reach the
 * mutex: its last unlock happened before the join returned. The destroy
 * succeeds (returns 0) and all tools report nothing.
 *
 * The worker is still held in its critical section by the same semaphores as
 * in the twin; here main releases it before destroying.
 *
 * Twin of destroy_locked_mutex.c: the only difference is that the destroy
 * comes after the join.
 */
// twin: destroy_locked_mutex
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_mutex_t cache_lock;
static sem_t holding, may_finish;
static int cache_entries;

static void *worker(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&cache_lock); // @lock
    cache_entries++;
    sem_post(&holding);
    sem_wait(&may_finish);
    pthread_mutex_unlock(&cache_lock); // @unlock
    return NULL;
}

int main(void)
{
    pthread_t t;
    sem_init(&holding, 0, 0);
    sem_init(&may_finish, 0, 0);
    pthread_mutex_init(&cache_lock, NULL);
    pthread_create(&t, NULL, worker, NULL);
    sem_wait(&holding); /* the worker holds cache_lock now */
    sem_post(&may_finish);
    pthread_join(t, NULL);
    int rc = pthread_mutex_destroy(&cache_lock); // @destroy
    printf("destroy returned %d, %d entries\n", rc, cache_entries);
    return 0;
}
