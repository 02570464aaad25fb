/*
 * sem_value_too_big: a counting semaphore limits how many connections may be
 * open at once, and starts at 20000.
 *
 * Is it a bug? Not by POSIX: an initial value up to SEM_VALUE_MAX is valid,
 * and glibc's SEM_VALUE_MAX is INT_MAX; the program works. It is a misuse
 * only as Helgrind sees it: Helgrind models a semaphore's count as a list of
 * the posts it has seen (each one a happens-before edge to the wait that
 * takes it), and caps the initial value at 10000 to bound that list. It says
 * so: "sem_init: initial value exceeds 10000; using 10000". From then on its
 * model is short of counts (it has a message, "sem_wait succeeded on
 * semaphore without prior sem_post", for a wait that takes a count it never
 * saw; this program never goes near the limit).
 * So this case is a finding about a tool's limit, kept because the message is
 * a semaphore misuse report on an otherwise clean program.
 *
 * The "fix", if the program is to be checked with Helgrind: stay within
 * 10000 (sem_value_in_range.c), or limit by other means (a counter under a
 * mutex with a condition variable).
 *
 * What the tools see: Helgrind the one report above, at @init; DRD and TSan
 * nothing (neither caps the count).
 */
// twin: sem_value_in_range
// bug: none
// expect tsan: clean
// expect helgrind: semaphore-misuse @access:init
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define CONNECTIONS 20000 /* how many connections may be open at once */

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
