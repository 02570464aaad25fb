/*
 * sem_value_in_range: the counterpart of sem_value_too_big. The connection
 * semaphore starts at 10000, the largest initial value Helgrind models
 * exactly.
 *
 * The program is as correct as its twin (both are, by POSIX); the difference
 * is only that every tool can now follow the semaphore: Helgrind keeps the
 * whole count, and each sem_post happens before the sem_wait that takes it.
 * The two clients' updates of "served" are under a mutex anyway. All tools
 * report nothing.
 *
 * Twin of sem_value_too_big.c: the only difference is the initial value.
 */
// twin: sem_value_too_big
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define CONNECTIONS 10000 /* how many connections may be open at once */

static sem_t free_connections;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static long served;

static void *client(void *unused)
{
    (void)unused;
    for (int i = 0; i < 3; i++) {
        sem_wait(&free_connections); /* open a connection */
        pthread_mutex_lock(&stats_lock);
        served++;
        pthread_mutex_unlock(&stats_lock);
        sem_post(&free_connections); /* close it */
    }
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    sem_init(&free_connections, 0, CONNECTIONS); // @init
    pthread_create(&a, NULL, client, NULL);
    pthread_create(&b, NULL, client, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    sem_destroy(&free_connections);
    printf("served %ld\n", served);
    return 0;
}
