/*
 * rwlock_unlock_by_owner: the fix for rwlock_unlock_foreign. The updater that
 * write-locked the reader-writer lock unlocks it itself, after the helper has
 * signalled (with a semaphore) that its part of the update is done.
 *
 * Why it is correct. Every unlock is by the thread holding the lock, as POSIX
 * requires. The helper's write to the configuration happens before its
 * sem_post, which happens before the updater's sem_wait returns: the helper
 * works inside the updater's critical section without owning the lock. All
 * tools report nothing.
 *
 * Twin of rwlock_unlock_foreign.c: the only difference is which thread
 * unlocks.
 */
// twin: rwlock_unlock_foreign
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;
static sem_t locked, finished;
static int config_version;

/* Starts an update: takes the write lock and lets a helper do the rest. */
static void *updater(void *unused)
{
    (void)unused;
    pthread_rwlock_wrlock(&config_lock); // @wrlock
    config_version++;
    sem_post(&locked);
    sem_wait(&finished); /* the helper has finished the update */
    pthread_rwlock_unlock(&config_lock); // @unlock
    return NULL;
}

static void *helper(void *unused)
{
    (void)unused;
    sem_wait(&locked);
    config_version++;
    sem_post(&finished);
    return NULL;
}

int main(void)
{
    pthread_t u, h;
    sem_init(&locked, 0, 0);
    sem_init(&finished, 0, 0);
    pthread_create(&u, NULL, updater, NULL);
    pthread_create(&h, NULL, helper, NULL);
    pthread_join(u, NULL);
    pthread_join(h, NULL);
    printf("config version %d\n", config_version);
    return 0;
}
