/*
 * cond_signal_unlocked: main changes the predicate under the mutex, unlocks,
 * and only then signals the condition variable a thread is waiting on.
 *
 * Is it a bug? POSIX allows pthread_cond_signal without the mutex, and this
 * program is correct: "done" is written under the mutex, and the waiter
 * re-checks it in a loop. But it is fragile, and the tools flag it for a
 * reason: once the signal is outside the critical section, a small change
 * (setting the predicate outside the lock too, or a waiter that checks the
 * predicate and then waits without holding the mutex in between) loses the
 * wake-up, and POSIX says that "if predictable scheduling behavior is
 * required", the mutex should be held while signalling. Signal under the
 * mutex unless you have measured a reason not to.
 *
 * The fix: move the signal before the unlock (cond_signal_locked.c).
 *
 * The run is the same every time: the waiter sets "waiting" and signals main
 * (under the mutex), and releases the mutex only inside pthread_cond_wait, so
 * when main gets the mutex the waiter is already waiting.
 *
 * What the tools see.
 * - Helgrind: "pthread_cond_{signal,broadcast}: dubious: associated lock is
 *   not held by any thread" at the signal (@signal). (Valgrind 3.21 and later
 *   give it the kind Dubious; 3.25 and later report it only with
 *   --check-cond-signal-mutex=yes.)
 * - DRD: "Probably a race condition: condition variable 0x... has been
 *   signaled but the associated mutex 0x... is not locked by the signalling
 *   thread" (--report-signal-unlocked=yes is its default).
 * - TSan has no condition-variable checks: clean.
 */
// twin: cond_signal_locked
// bug: none
// expect tsan: clean
// expect helgrind: cond-misuse @access:signal
// expect drd: cond-misuse @access:signal
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
    pthread_mutex_unlock(&lock);
    pthread_cond_signal(&changed); // @signal
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
