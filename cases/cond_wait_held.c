/*
 * cond_wait_held: the fix for cond_wait_unheld. poll_result() locks the
 * mutex, checks the predicate and waits in a loop, and unlocks.
 *
 * Why it is correct. The mutex is held for the check and released only inside
 * the wait, atomically with starting to wait, so no signal can slip in
 * between; the predicate is read under the mutex; and the wait returns with
 * the mutex held again, which the function then releases. The loop re-checks
 * the predicate after every return (spurious wake-ups, CERT CON36-C) and
 * stops at the deadline. All tools report nothing.
 *
 * As in the twin, only main runs and the deadline has passed: the wait
 * returns ETIMEDOUT at once and the program prints "result 0".
 *
 * Twin of cond_wait_unheld.c: the only difference is the lock and unlock
 * around the loop.
 */
// twin: cond_wait_unheld
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t result_ready = PTHREAD_COND_INITIALIZER;
static int result;

/* Waits for a result until the deadline; returns 0 if none came. */
static int poll_result(const struct timespec *deadline)
{
    int got = 0;
    pthread_mutex_lock(&lock);
    while (!result) {
        int rc = pthread_cond_timedwait(&result_ready, &lock, deadline); // @wait
        if (rc == ETIMEDOUT)
            break;
    }
    got = result;
    pthread_mutex_unlock(&lock);
    return got;
}

int main(void)
{
    struct timespec already_past = {0, 0}; /* just look, do not block */
    pthread_mutex_lock(&lock);
    result = 0;
    pthread_mutex_unlock(&lock);
    int got = poll_result(&already_past);
    printf("result %d\n", got);
    return 0;
}
