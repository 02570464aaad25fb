/*
 * sem_reinit: a pool of slots counted by a semaphore is "reset" after each
 * round of work by calling sem_init on it again.
 *
 * The bug. sem_init on a semaphore that is already initialised is undefined
 * behaviour (POSIX); if any thread is waiting on it at that moment, the
 * waiter may never wake, or wake on a semaphore that no longer exists. Here
 * no thread waits during the reset, so the program happens to work ("free
 * slots after two rounds: 2"), but a reset that races with a worker that is
 * still running would lose its state. The same mistake with a mutex is
 * mutex_reinit_race.c.
 *
 * The fix: give the slots back with sem_post, one per slot taken
 * (sem_post_back.c); or, if the semaphore must really start over, destroy it
 * once no thread can use it and only then initialise it again.
 *
 * The run is the same every time: each round's worker is joined before the
 * reset.
 *
 * What the tools see. DRD: "Semaphore reinitialization: semaphore 0x...",
 * once, at the reset (@reset): the second reset has the same stack and is
 * counted, not reported again. Helgrind and TSan check no such thing and
 * report nothing.
 */
// twin: sem_post_back
// bug: semaphore-misuse
// expect tsan: clean
// expect helgrind: clean
// expect drd: semaphore-misuse @access:reset
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
    sem_init(&free_slots, 0, SLOTS); // @reset
    in_use = 0;
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
