/*
 * cond_predicate_loop: the fix for cond_lost_wakeup (CERT CON36-C). The taker
 * waits only while there is no job: "while (jobs == 0) pthread_cond_wait".
 *
 * Why it is correct. The predicate is shared state, read and written under
 * the mutex, so it remembers what a signal cannot: if the job was posted
 * before the taker came, the taker sees jobs == 1 and does not wait at all; if
 * it comes later, the signal wakes the waiting taker. The loop also absorbs
 * spurious wake-ups and wake-ups taken by another waiter: after every return
 * the taker checks again. With several waiters waiting for different
 * conditions on one condition variable, use pthread_cond_broadcast (CERT
 * CON38-C).
 *
 * Run in the same order as the twin: the job is posted before the taker
 * starts; here the taker finds it and the program ends. All tools report
 * nothing.
 *
 * Twin of cond_lost_wakeup.c: the only difference is the predicate loop
 * around the wait.
 */
// twin: cond_lost_wakeup
// bug: none
// timeout: 0.5
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

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
    while (jobs == 0)
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
