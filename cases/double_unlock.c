/*
 * double_unlock: enqueue() unlocks its mutex on the "queue full" error path
 * and then again at the common exit: a mutex unlocked twice, the second time
 * while it is not locked.
 *
 * The bug. Unlocking a mutex the calling thread does not hold is undefined
 * for a default mutex (POSIX); glibc's default mutex does not check, so the
 * second unlock "succeeds" in silence. In a multithreaded program that second
 * unlock can release the mutex while another thread holds it, letting a third
 * thread into the critical section. An error-checking mutex
 * (PTHREAD_MUTEX_ERRORCHECK) would return EPERM instead.
 *
 * The fix: one unlock per lock on every path; here, let the error path fall
 * through to the common unlock (single_unlock.c).
 *
 * The run is the same every time: one thread; the first call succeeds, the
 * second finds the queue full and takes the error path.
 *
 * What the tools see, all at the second unlock (@unlock), with where they
 * first saw the mutex (its first lock, @lock) as context:
 * - TSan: "unlock of an unlocked mutex (or by a wrong thread)";
 * - Helgrind: "Thread #1 unlocked a not-locked lock at 0x...";
 * - DRD: "Mutex not locked by calling thread: mutex 0x..., recursion count
 *   0, owner 1." (DRD remembers the last owner, main itself).
 * A mutex never locked at all would look different to Helgrind and DRD: they
 * only know a PTHREAD_MUTEX_INITIALIZER mutex once it has been locked, and
 * call an unlock of an unknown one an invalid lock.
 */
// twin: single_unlock
// bug: unlock-unlocked
// expect tsan: unlock-unlocked @access:unlock
// expect helgrind: unlock-unlocked @access:unlock
// expect drd: unlock-unlocked @access:unlock
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static int queue_length;

/* Adds an item unless the queue is full; returns 0 on success. */
static int enqueue(int limit)
{
    int rc = 0;
    pthread_mutex_lock(&queue_lock); // @lock
    if (queue_length >= limit) {
        pthread_mutex_unlock(&queue_lock); // @early_unlock
        rc = -1;
        goto out;
    }
    queue_length++;
out:
    pthread_mutex_unlock(&queue_lock); // @unlock
    return rc;
}

int main(void)
{
    int first = enqueue(1);
    int second = enqueue(1); /* the queue is full: the error path */
    printf("enqueue: %d then %d, length %d\n", first, second, queue_length);
    return 0;
}
