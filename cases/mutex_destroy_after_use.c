/*
 * mutex_destroy_after_use: the fix for mutex_use_after_destroy. Main destroys
 * the statistics mutex only after joining the late request thread too.
 *
 * Why it is correct. Every use of the mutex happens before its thread is
 * joined, and the destroy comes after the last join, so no thread can use
 * the mutex after it is destroyed. Both requests lock it successfully ("lock
 * returned 0 then 0"), and all tools report nothing.
 *
 * Twin of mutex_use_after_destroy.c: the only difference is where the
 * destroy is.
 */
// twin: mutex_use_after_destroy
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t stats_lock;
static long requests;

static void *handle_request(void *unused)
{
    (void)unused;
    int rc = pthread_mutex_lock(&stats_lock); // @lock
    requests++;
    pthread_mutex_unlock(&stats_lock); // @unlock
    return (void *)(long)rc;
}

int main(void)
{
    pthread_t t;
    void *rc1, *rc2;
    pthread_mutex_init(&stats_lock, NULL);
    pthread_create(&t, NULL, handle_request, NULL);
    pthread_join(t, &rc1);
    pthread_create(&t, NULL, handle_request, NULL); /* a late request */
    pthread_join(t, &rc2);
    pthread_mutex_destroy(&stats_lock); // @destroy
    printf("lock returned %ld then %ld; %ld requests\n", (long)rc1, (long)rc2, requests);
    return 0;
}
