/*
 * rwlock_read_under_write: a thread that holds a reader-writer lock for
 * writing calls report(), which takes the same lock for reading.
 *
 * The bug. A thread may not take a read lock on an rwlock it holds for
 * writing: POSIX says the call may deadlock or return EDEADLK (the thread
 * would wait for itself to release the write lock). glibc detects it and
 * returns EDEADLK; the program checks, and the report is simply skipped
 * ("report returned 35"). A program that ignored the result would read the
 * settings believing it held a lock it never got, and then unlock the write
 * lock out from under itself. Reader-writer locks cannot be upgraded or
 * downgraded by locking again.
 *
 * The fix: report after releasing the write lock (rwlock_read_after_unlock.c),
 * or call a variant of report() that expects the caller to hold the lock.
 *
 * The run is the same every time: one worker, joined.
 *
 * What the tools see, at the read lock (@rdlock):
 * - DRD: "Already locked for writing by calling thread: rwlock 0x...", with
 *   where the write lock was taken (@wrlock): rwlock-misuse.
 * - Helgrind: "Thread #2's call to pthread_rwlock_rdlock failed" with error
 *   code 35 (EDEADLK): for Helgrind a failed pthread call (api-misuse), it
 *   has no finer kind for it.
 * - TSan: nothing. It records a lock only when the call succeeds; its
 *   "read lock of a write locked mutex" report needs a read lock granted
 *   while a writer holds the lock, which real pthread calls do not produce
 *   (only annotations do).
 */
// twin: rwlock_read_after_unlock
// bug: rwlock-misuse
// expect tsan: clean
// expect helgrind: api-misuse @access:rdlock
// expect drd: rwlock-misuse @access:rdlock @wrlock
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t settings_lock = PTHREAD_RWLOCK_INITIALIZER;
static int volume = 3, balance = 0;

/* Prints the settings; takes the lock for reading. */
static int report(void)
{
    int rc = pthread_rwlock_rdlock(&settings_lock); // @rdlock
    if (rc != 0)
        return rc;
    printf("volume %d balance %d\n", volume, balance);
    pthread_rwlock_unlock(&settings_lock);
    return 0;
}

static void *change_settings(void *unused)
{
    (void)unused;
    pthread_rwlock_wrlock(&settings_lock); // @wrlock
    volume = 5;
    balance = -1;
    int rc = report(); /* while still holding the write lock */
    pthread_rwlock_unlock(&settings_lock);
    return (void *)(long)rc;
}

int main(void)
{
    pthread_t t;
    void *rc;
    pthread_create(&t, NULL, change_settings, NULL);
    pthread_join(t, &rc);
    printf("report returned %ld\n", (long)rc);
    return 0;
}
