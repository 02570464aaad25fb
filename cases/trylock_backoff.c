/*
 * trylock_backoff: the lock orders of lock_order_deadlock (one thread A then
 * B, the other B then A), but the second thread takes its second lock with
 * pthread_mutex_trylock, and when that fails it gives back the lock it holds
 * and starts over.
 *
 * One of the recovery family of lock_order_deadlock, with
 * timedlock_recovery.c: a fix in itself (it never deadlocks), so it has no
 * twin. The fix that removes the cause is one lock order
 * (lock_order_consistent.c). Here the thread that would wait in the cycle
 * never blocks on its second lock; when trylock says EBUSY it releases B,
 * which lets the other thread (holding A, wanting B) go on, yields and tries
 * again. The cost is wasted work and, without care, a livelock: two threads
 * backing off and retrying in step forever.
 *
 * The run is the same every time: the first thread holds A before the second
 * starts, and takes B only after the second has backed off once, so the
 * trylock fails at least once (the program checks it) and then succeeds
 * after the first thread is done; semaphores give that order, and everything
 * they order is also really ordered, so there is nothing to hide. How many
 * times the second thread retries varies, but each retry's trylock fails, and
 * a failed acquisition is seen by no tool.
 *
 * A finding: the tools disagree, each by its own rule.
 * - TSan adds no lock-order edge for a try lock (it can never be the waiting
 *   end of a deadlock), so the order "B then A" is never recorded and there
 *   is no cycle: clean.
 * - Helgrind checks every successful acquisition, try locks included: the
 *   successful trylock of A while holding B breaks the order "A before B" the
 *   first thread set, and it reports "lock order violated", once, at the
 *   trylock (@b_then_try_a), with the first thread's two acquisitions
 *   (@a_then_b) as the order that was established.
 * - DRD has no lock-order check: clean.
 */
// bug: none
// expect tsan: clean
// expect helgrind: lock-order @b_then_try_a @a_then_b
// expect drd: clean
// expect native: exit 0

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static sem_t a_is_held, b_was_released;
static int shared_work;
static long backoffs;

static void *take_a_then_b(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock_a);
    sem_post(&a_is_held);
    sem_wait(&b_was_released); /* the other thread has backed off once */
    pthread_mutex_lock(&lock_b); // @a_then_b
    shared_work++;
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
    return NULL;
}

/* Take B, then try A; if A is busy, give B back and start over. */
static void *take_b_then_try_a(void *unused)
{
    (void)unused;
    sem_wait(&a_is_held);
    for (;;) {
        pthread_mutex_lock(&lock_b);
        int rc = pthread_mutex_trylock(&lock_a); // @b_then_try_a
        if (rc == 0)
            break;
        if (rc != EBUSY)
            abort();
        pthread_mutex_unlock(&lock_b);
        if (backoffs++ == 0)
            sem_post(&b_was_released);
        sched_yield(); /* back off before the next try */
    }
    shared_work++;
    pthread_mutex_unlock(&lock_a);
    pthread_mutex_unlock(&lock_b);
    return NULL;
}

int main(void)
{
    pthread_t t1, t2;
    sem_init(&a_is_held, 0, 0);
    sem_init(&b_was_released, 0, 0);
    pthread_create(&t1, NULL, take_a_then_b, NULL);
    pthread_create(&t2, NULL, take_b_then_try_a, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("work done: %d, after backing off at least once (%s)\n", shared_work,
           backoffs > 0 ? "yes" : "no");
    return backoffs > 0 ? 0 : 1;
}
