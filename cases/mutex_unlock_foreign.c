/*
 * mutex_unlock_foreign: main locks a mutex as a "job running" flag and a
 * worker thread unlocks it when the job is done: a mutex unlocked by a thread
 * that does not own it.
 *
 * The bug. A mutex has an owner: only the thread that locked it may unlock it
 * (POSIX: undefined for a default mutex, EPERM for an error-checking one).
 * glibc's default mutex does not check, so this "works": main's second lock
 * waits until the worker's unlock. But it is not synchronisation the tools (or
 * the standard) recognise: an unlock by a non-owner is not a release, so the
 * worker's write of the result is not ordered before main's read, and the
 * program has a data race on job_result as well. It is also fragile: with an
 * error-checking or robust mutex, or priority inheritance, the foreign unlock
 * fails.
 *
 * The fix: a semaphore, which has no owner and exists for exactly this
 * ("post when done, wait for it"): mutex_handoff_semaphore.c.
 *
 * The run: main locks, starts the worker, and locks again, which blocks
 * until the worker's unlock; every tool sees the same calls in the same
 * order, whichever of main's second lock and the worker's unlock comes
 * first.
 *
 * What the tools see (three views of one mistake):
 * - TSan: "unlock of an unlocked mutex (or by a wrong thread)" at the
 *   worker's unlock (@unlock), with main's lock (@mark_busy); and a data race,
 *   main's read of the result (@read_result) against the worker's write
 *   (@write_result): clang 14 says "Read of size 1" (it keeps the result, only
 *   ever 0 or 42, in one byte), GCC 12 size 4.
 * - Helgrind: "Thread #2 unlocked lock at 0x... currently held by thread #1"
 *   (unlock-foreign), the same data race, and at exit "Thread #1: Exiting
 *   thread still holds 1 lock": it never counted the foreign unlock.
 * - DRD: "Mutex not locked by calling thread: ... recursion count 1, owner
 *   1." (unlock-foreign: the owner, main, is alive and holds it), then at
 *   main's second lock "Recursive locking not allowed" (double-lock: for DRD
 *   main still holds it), and the data race at main's read.
 */
// twin: mutex_handoff_semaphore
// bug: unlock-foreign
// expect tsan: unlock-unlocked @access:unlock @mark_busy
// expect tsan: data-race @access:read_result @access:write_result
// expect helgrind: unlock-foreign @access:unlock
// expect helgrind: data-race @access:read_result @access:write_result
// expect helgrind: held-lock-at-exit
// expect drd: unlock-foreign @access:unlock
// expect drd: double-lock @access:wait_job
// expect drd: data-race @access:read_result
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

/* Locked while a job is running: a mutex used as a "busy" flag. */
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;
static int job_result;

static void *run_job(void *unused)
{
    (void)unused;
    job_result = 42; // @write_result
    pthread_mutex_unlock(&busy); // @unlock
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&busy); // @mark_busy
    pthread_create(&t, NULL, run_job, NULL);
    pthread_mutex_lock(&busy); // @wait_job
    printf("job result %d\n", job_result); // @read_result
    pthread_mutex_unlock(&busy);
    pthread_join(t, NULL);
    return 0;
}
