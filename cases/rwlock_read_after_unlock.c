/*
 * rwlock_read_after_unlock: the fix for rwlock_read_under_write. The thread
 * releases its write lock first and then calls report(), which takes the
 * lock for reading.
 *
 * Why it is correct. The read lock is requested by a thread that holds no
 * lock on the rwlock, so it is granted ("report returned 0") and the
 * settings are read under it. Another writer may slip in between the unlock
 * and the read lock; if the report must show exactly this thread's change,
 * print it while still holding the write lock, without taking the lock again.
 * All tools report nothing.
 *
 * Twin of rwlock_read_under_write.c: the only difference is the order of the
 * unlock and the call.
 */
// twin: rwlock_read_under_write
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
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
    pthread_rwlock_unlock(&settings_lock);
    int rc = report(); /* after letting go of the write lock */
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
