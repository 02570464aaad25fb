/*
 * thread_exit_releasing_lock: the fix for thread_exit_holding_lock. The
 * consumer unlocks the queue before its early return too.
 *
 * Why it is correct. Every path out of the critical section unlocks, so the
 * lock is free when the thread ends and the next thread can take it. All
 * tools report nothing.
 *
 * Twin of thread_exit_holding_lock.c: the only difference is the unlock on
 * the early-return path.
 */
// twin: thread_exit_holding_lock
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static int queue_length;

static void *consumer(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&queue_lock); // @lock
    if (queue_length == 0) {
        pthread_mutex_unlock(&queue_lock);
        return (void *)-1L; /* nothing to do */ // @early_return
    }
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
