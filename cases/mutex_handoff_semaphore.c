/*
 * mutex_handoff_semaphore: the fix for mutex_unlock_foreign. The worker says
 * "job done" by posting a semaphore that main waits on.
 *
 * Why it is correct. A semaphore has no owner: any thread may post it, any
 * thread may wait. sem_post happens before the sem_wait that takes its count,
 * so the worker's write of the result happens before main's read. All tools
 * model semaphores and report nothing.
 *
 * Twin of mutex_unlock_foreign.c: the only difference is the primitive
 * (sem_init/sem_post/sem_wait where the twin locks and unlocks a mutex).
 */
// twin: mutex_unlock_foreign
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

/* Posted when the job is over: a semaphore may be posted by any thread. */
static sem_t job_done;
static int job_result;

static void *run_job(void *unused)
{
    (void)unused;
    job_result = 42; // @write_result
    sem_post(&job_done);
    return NULL;
}

int main(void)
{
    pthread_t t;
    sem_init(&job_done, 0, 0);
    pthread_create(&t, NULL, run_job, NULL);
    sem_wait(&job_done);
    printf("job result %d\n", job_result); // @read_result
    sem_destroy(&job_done);
    pthread_join(t, NULL);
    return 0;
}
