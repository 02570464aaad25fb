/*
 * cond_wait_unheld: poll_result() waits on a condition variable without
 * holding the mutex that goes with it: its caller was supposed to lock it,
 * and did not.
 *
 * The bug. pthread_cond_wait and pthread_cond_timedwait must be called with
 * the mutex locked by the calling thread (POSIX: undefined otherwise). The
 * wait releases the mutex and starts waiting as one atomic step; that is what
 * keeps a signaller from changing the predicate and signalling between the
 * caller's check of the predicate and its wait (a lost wake-up). Without the
 * mutex there is no such step, the predicate "result" is read with no lock (a
 * data race as soon as another thread writes it), and glibc "unlocks" a
 * mutex nobody holds and returns with it locked, so the caller now holds a
 * lock it does not know about.
 *
 * The fix: lock the mutex around the predicate loop (cond_wait_held.c).
 *
 * The run is the same every time: there is only main, and the deadline has
 * already passed, so the timed wait returns ETIMEDOUT at once (after glibc
 * has unlocked and relocked the mutex) and the program prints "result 0".
 * The mutex has been locked and unlocked once before, so that Helgrind and
 * DRD know it as a mutex.
 *
 * What the tools see: each tool a different thing, all at the wait (@wait).
 * - TSan: "unlock of an unlocked mutex (or by a wrong thread)"; its
 *   interceptor unlocks the mutex on the way into the wait, like glibc.
 * - Helgrind: "pthread_cond_{timed}wait called with un-held mutex".
 * - DRD: "Mutex not locked by calling thread: mutex 0x..., recursion count
 *   0, owner 1.", which racelab's kinds read as unlock-unlocked (the mutex
 *   was released before, by main itself).
 */
// twin: cond_wait_held
// bug: cond-misuse
// expect tsan: unlock-unlocked @access:wait
// expect helgrind: cond-misuse @access:wait
// expect drd: unlock-unlocked @access:wait
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
    while (!result) {
        int rc = pthread_cond_timedwait(&result_ready, &lock, deadline); // @wait
        if (rc == ETIMEDOUT)
            break;
    }
    got = result;
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
