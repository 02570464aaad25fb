/*
 * abort_after_unlock: the fix for abort_holding_lock. The thread unlocks its
 * mutex before it returns, and main unlocks its own before it calls abort().
 *
 * Why it is better. No thread ends holding a lock, so no mutex is left
 * locked forever by a dead owner; and the process dies outside every
 * critical section, so the state the locks protect is whole when it dies
 * (which matters once that state outlives the process, in shared memory or a
 * file). Whether to abort at all is another question: here the abort stays,
 * because it is what the twin is about. Helgrind and DRD no longer report a
 * thread exiting with a lock held; TSan reports nothing as before; the
 * SIGABRT kills the process under every tool, and that is the ending each
 * expects.
 *
 * Twin of abort_holding_lock.c: the only difference is the two unlocks.
 */
// twin: abort_holding_lock
// options tsan: handle_abort=1
// bug: none
// expect tsan: signal SIGABRT
// expect helgrind: signal SIGABRT
// expect drd: signal SIGABRT
// expect native: signal SIGABRT

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t child_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t main_lock = PTHREAD_MUTEX_INITIALIZER;

static void *leave_locked(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&child_lock); // @child_lock
    pthread_mutex_unlock(&child_lock);
    return NULL; // @child_exit
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, leave_locked, NULL);
    pthread_join(t, NULL);
    pthread_mutex_lock(&main_lock); // @main_lock
    pthread_mutex_unlock(&main_lock);
    fflush(stdout);
    abort(); // @abort
}
