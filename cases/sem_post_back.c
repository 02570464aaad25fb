/*
 * sem_post_back: the fix for sem_reinit. After each round, the slots taken
 * are given back with sem_post, one post per slot, instead of initialising
 * the semaphore again.
 *
 * Why it is correct. The semaphore is initialised once and destroyed once;
 * in between only sem_wait and sem_post change it, which is all POSIX
 * allows, and each post happens before the wait that takes it. All tools
 * report nothing.
 *
 * Twin of sem_reinit.c: the only difference is how the slots are reset.
 */
// twin: sem_reinit
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define SLOTS 2

static sem_t free_slots;
static int in_use;

static void *worker(void *unused)
{
    (void)unused;
    sem_wait(&free_slots); /* take a slot */
    in_use++;
    return NULL;
}

/* Gives every slot back after a round of work. */
static void reset_slots(void)
{
    while (in_use > 0) {
        sem_post(&free_slots); // @reset
        in_use--;
    }
}

int main(void)
{
    pthread_t t;
    sem_init(&free_slots, 0, SLOTS); // @init
    for (int round = 0; round < 2; round++) {
        pthread_create(&t, NULL, worker, NULL);
        pthread_join(t, NULL);
        reset_slots();
    }
    int value;
    sem_getvalue(&free_slots, &value);
    printf("free slots after two rounds: %d\n", value);
    sem_destroy(&free_slots);
    return 0;
}
