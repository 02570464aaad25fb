/*
 * cond_lost_wakeup: a job is posted with pthread_cond_signal before the taker
 * starts waiting, and the taker waits with no predicate: it waits for a
 * signal that already came and went, forever.
 *
 * The bug. A condition variable has no memory: a signal with no thread
 * waiting wakes nobody and is gone. Whether the signal comes before or after
 * the wait is up to the scheduler, so a wait must be guarded by a predicate,
 * a condition on shared state checked under the mutex ("while (jobs == 0)
 * wait"), never be the whole protocol. CERT CON36-C ("Wrap functions that can
 * spuriously wake up in a loop") asks for that loop; it also covers the other
 * half of the bug, which no run can be forced to show: pthread_cond_wait may
 * return without any signal (a spurious wake-up), and a signal meant for one
 * waiter may be taken by another, so an "if" in place of the "while" is
 * wrong too.
 *
 * The fix: wait in a loop on the predicate (cond_predicate_loop.c).
 *
 * The run is the same every time: main joins the poster before it starts the
 * taker, so the signal always comes first, and the taker always hangs. The
 * case's timeout is half a second (natively; each tool gets a multiple).
 *
 * What the tools see: nothing. The program is free of data races and of
 * misuse they check: the signal is sent under the mutex, the wait holds it.
 * A lost wake-up is a logic error; the run just hangs, under every tool, and
 * racelab reports the ending "hang".
 */
// twin: cond_predicate_loop
// bug: cond-misuse
// timeout: 0.5
// expect tsan: hang
// expect helgrind: hang
// expect drd: hang
// expect native: hang

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t job_posted = PTHREAD_COND_INITIALIZER;
static int jobs;

static void *post_job(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock);
    jobs++;
    pthread_cond_signal(&job_posted); // @signal
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *take_job(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock);
    pthread_cond_wait(&job_posted, &lock); // @wait
    jobs--;
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    pthread_t poster, taker;
    /* The job is posted before anyone waits: the signal finds no waiter. */
    pthread_create(&poster, NULL, post_job, NULL);
    pthread_join(poster, NULL);
    pthread_create(&taker, NULL, take_job, NULL);
    pthread_join(taker, NULL);
    printf("jobs left: %d\n", jobs);
    return 0;
}
