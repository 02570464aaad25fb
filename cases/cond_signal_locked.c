/*
 * cond_signal_locked: the fix for cond_signal_unlocked. Main sets the
 * predicate and signals the condition variable while it holds the mutex, then
 * unlocks.
 *
 * Why it is better. With the signal inside the critical section, no waiter
 * can be between its check of the predicate and its wait when the signal
 * comes: the waiter holds the mutex for the check, and releases it only inside
 * pthread_cond_wait, atomically with starting to wait. The wake-up cannot be
 * lost however the predicate and the waiters change later. (The woken waiter
 * then waits briefly for the mutex; glibc's condition variables make that
 * cheap.) All tools report nothing.
 *
 * The run is ordered as in the twin: when main gets the mutex, the waiter is
 * already waiting.
 *
 * Twin of cond_signal_unlocked.c: the only difference is that the signal
 * comes before the unlock.
 */
// twin: cond_signal_unlocked
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int waiting, done;

static void *waiter(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock);
    waiting = 1;
    pthread_cond_signal(&changed); /* tell main we are about to wait */
    while (!done)
        pthread_cond_wait(&changed, &lock); // @wait
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    pthread_mutex_lock(&lock);
    while (!waiting) /* the waiter releases the lock only inside its wait */
        pthread_cond_wait(&changed, &lock);
    done = 1;
    pthread_cond_signal(&changed); // @signal
    pthread_mutex_unlock(&lock);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
