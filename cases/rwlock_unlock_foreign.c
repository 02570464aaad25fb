/*
 * rwlock_unlock_foreign: an updater write-locks a reader-writer lock and
 * leaves the unlock to a helper thread that finishes the update: an rwlock
 * unlocked by a thread that does not hold it.
 *
 * The bug. A reader-writer lock belongs to the thread that locked it: POSIX
 * leaves pthread_rwlock_unlock by any other thread undefined. glibc happens to
 * release it (it does not check the owner of a write lock it is asked to
 * unlock), so the program seems to work; another implementation, or a
 * debugging build, may refuse, abort or corrupt the lock. And the tools' model
 * of who holds what goes wrong from there.
 *
 * The fix: the thread that locks unlocks; the helper reports back with a
 * semaphore (rwlock_unlock_by_owner.c). To hand "the right to unlock" from
 * one thread to another, use a semaphore instead of a lock.
 *
 * The run is the same every time: semaphores order every step (the helper
 * unlocks while the updater still runs, waiting for it), and they are real
 * synchronisation for every tool, which hides nothing here.
 *
 * What the tools see.
 * - TSan: "unlock of an unlocked mutex (or by a wrong thread)" at the
 *   helper's unlock (@unlock), with where the lock was taken (@wrlock).
 * - Helgrind: "Thread #3 unlocked lock at 0x... currently held by thread #2"
 *   (unlock-foreign); it does not count the lock as released, so when the
 *   updater ends it also reports "Exiting thread still holds 1 lock" (no
 *   stack in this file).
 * - DRD: "Reader-writer lock not locked by calling thread", which racelab's
 *   kinds read as unlock-unlocked (DRD's rwlock message does not say another
 *   thread holds it), and, like Helgrind, "Reader-writer lock still locked at
 *   thread exit" for the updater (reported with the stack of main's join).
 */
// twin: rwlock_unlock_by_owner
// bug: unlock-foreign
// expect tsan: unlock-unlocked @access:unlock @wrlock
// expect helgrind: unlock-foreign @access:unlock
// expect helgrind: held-lock-at-exit
// expect drd: unlock-unlocked @access:unlock
// expect drd: held-lock-at-exit @wrlock
// expect native: exit 0

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;
static sem_t locked, finished;
static int config_version;

/* Starts an update: takes the write lock and leaves the rest to a helper. */
static void *updater(void *unused)
{
    (void)unused;
    pthread_rwlock_wrlock(&config_lock); // @wrlock
    config_version++;
    sem_post(&locked);
    sem_wait(&finished); /* the helper has finished the update */
    return NULL;
}

static void *helper(void *unused)
{
    (void)unused;
    sem_wait(&locked);
    config_version++;
    pthread_rwlock_unlock(&config_lock); // @unlock
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
