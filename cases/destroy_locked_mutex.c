/*
 * destroy_locked_mutex: main destroys the cache mutex while a worker still
 * holds it (CERT CON31-C: "Do not destroy a mutex while it is locked").
 *
 * The bug. Destroying a locked mutex is undefined behaviour (POSIX). Here
 * main tears down the cache before the worker has finished with it; glibc
 * happens to notice and returns EBUSY, leaving the mutex alone, so the
 * program goes on ("destroy returned 16"); other implementations free the
 * mutex's resources under the holder. If the destroy had succeeded, the
 * worker's unlock would be a use of a destroyed mutex.
 *
 * The fix: destroy a mutex only when no thread holds it or can still reach
 * it: after joining every thread that uses it (destroy_unlocked_mutex.c).
 *
 * The run is the same every time: semaphores make the worker hold the mutex
 * during the destroy and unlock it only afterwards; they are real
 * synchronisation for every tool, which hides nothing here.
 *
 * What the tools see: each reports the destroy, and then each takes the
 * mutex for gone (whatever glibc said) and reports the worker's unlock too.
 * - TSan: "destroy of a locked mutex" at @destroy, with where it was locked
 *   (@lock); then "unlock of an unlocked mutex" at @unlock.
 * - Helgrind: "pthread_mutex_destroy of a locked mutex" and "Thread #1's
 *   call to pthread_mutex_destroy failed" (EBUSY) at @destroy; then
 *   "Thread #2 unlocked an invalid lock" at @unlock.
 * - DRD: "Destroying locked mutex: mutex 0x..., recursion count 1, owner 2."
 *   at @destroy; then "The object at address 0x... is not a mutex." at
 *   @unlock.
 */
// twin: destroy_unlocked_mutex
// bug: destroy-locked
// expect tsan: destroy-locked @access:destroy @lock
// expect tsan: unlock-unlocked @access:unlock
// expect helgrind: destroy-locked @access:destroy
// expect helgrind: api-misuse @access:destroy
// expect helgrind: invalid-mutex @access:unlock
// expect drd: destroy-locked @access:destroy
// expect drd: invalid-mutex @access:unlock
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
    int rc = pthread_mutex_destroy(&cache_lock); // @destroy
    sem_post(&may_finish);
    pthread_join(t, NULL);
    printf("destroy returned %d, %d entries\n", rc, cache_entries);
    return 0;
}
