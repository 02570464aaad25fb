/*
 * thread_exit_holding_lock: a consumer thread locks the queue, finds it empty,
 * and returns early, still holding the lock.
 *
 * The bug. A default mutex is not released when its owner ends: it stays
 * locked forever, and the next thread that needs the queue hangs (here no
 * one else takes it, so the program ends, and the bug waits for the next
 * change). An early return, a break or an error path that skips the unlock
 * is the usual cause. (Robust mutexes, PTHREAD_MUTEX_ROBUST, let the next
 * locker know the owner died, but that is for crashes, not for forgotten
 * unlocks.)
 *
 * The fix: unlock on every path out of the critical section
 * (thread_exit_releasing_lock.c), or use one exit path with the unlock.
 *
 * The run is the same every time: one worker, joined.
 *
 * What the tools see.
 * - Helgrind: "Thread #2: Exiting thread still holds 1 lock". Its stack is
 *   the thread's exit in libc, with no frame in this file, so the line names
 *   no marker.
 * - DRD: "Mutex still locked at thread exit: mutex 0x..., recursion count
 *   1, owner 2.", with main's join as the stack (@join).
 * - TSan has no such check and reports nothing.
 * abort_holding_lock.c shows the same mistake on the crash path.
 */
// twin: thread_exit_releasing_lock
// bug: held-lock-at-exit
// expect tsan: clean
// expect helgrind: held-lock-at-exit
// expect drd: held-lock-at-exit @join
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static int queue_length;

static void *consumer(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&queue_lock); // @lock
    if (queue_length == 0)
        return (void *)-1L; /* nothing to do: leaves with the lock held */ // @early_return
    queue_length--;
    pthread_mutex_unlock(&queue_lock);
    return NULL;
}

int main(void)
{
    pthread_t t;
    void *rc;
    pthread_create(&t, NULL, consumer, NULL);
    pthread_join(t, &rc); // @join
    printf("consumer returned %ld\n", (long)rc);
    return 0;
}
