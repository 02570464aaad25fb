/*
 * abort_holding_lock: a thread returns while still holding a mutex, and then
 * main calls abort() while holding another one.
 *
 * After Valgrind's own test helgrind/tests/tc22_exit_w_lock.c, made
 * deterministic: the child is joined before main takes its lock, and there
 * are no sleeps.
 *
 * The bug. A mutex locked by a thread that then ends is locked forever: no
 * other thread can ever take it (a normal mutex is not released when its owner
 * dies), so the next thread to need it hangs. Usually this is an early return
 * or an error path that forgot the unlock. The abort() with a lock held is the
 * crash path of the same mistake: a process that dies in the middle of a
 * critical section leaves any state the lock protects half-updated (which
 * matters once the state is shared with other processes, e.g. in shared
 * memory).
 *
 * The fix: unlock on every path out of the critical section (one exit path,
 * or a cleanup handler), and do not abort with locks held
 * (abort_after_unlock.c; thread_exit_holding_lock.c shows the first half
 * alone).
 *
 * What the tools see: Helgrind reports "Exiting thread still holds 1 lock"
 * for the child, and again for main when the abort kills the process; DRD
 * reports "Mutex still locked at thread exit" for the child only. TSan has no
 * such check and prints nothing; the SIGABRT kills the process under every
 * tool. Native: killed by signal 6.
 *
 * How each tool lets racelab tell, so that "nothing reported" is proven and
 * not merely unseen: natively the process dies of SIGABRT. TSan does not
 * catch SIGABRT by default, and a process it did not see to the end could
 * have died with a report unwritten; with its option handle_abort=1 it
 * catches the abort, writes its own report of it to the end ("ABORTING"),
 * and ends the run: the ending is SIGABRT, caught by TSan. Valgrind writes
 * its whole XML log (FINISHED) and then kills itself with the program's
 * signal, so it is the program's death, not the tool's. Helgrind's report
 * for the child has only start_thread frames, none in this file, so its
 * line names no marker.
 */
// twin: abort_after_unlock
// options tsan: handle_abort=1
// bug: held-lock-at-exit
// expect tsan: clean
// expect tsan: signal SIGABRT
// expect helgrind: held-lock-at-exit @abort
// expect helgrind: held-lock-at-exit
// expect helgrind: signal SIGABRT
// expect drd: held-lock-at-exit @child_lock
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
    return NULL; // @child_exit
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, leave_locked, NULL);
    pthread_join(t, NULL);
    pthread_mutex_lock(&main_lock); // @main_lock
    fflush(stdout);
    abort(); // @abort
}
