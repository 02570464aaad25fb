/*
 * locked_counter: the fix for racy_counter. Two threads each add 1 to a shared
 * counter 100000 times, and a mutex makes each read-modify-write indivisible.
 *
 * Why it is correct. Only one thread at a time can hold the mutex, so no thread
 * can read the counter between another thread's read and write: no update is
 * lost and the total is always 200000. Unlocking a mutex "happens before" the
 * next lock of it, so the detectors see every access to the counter ordered by
 * the lock and report nothing.
 *
 * The cost: the threads now take turns, so this is slower than the racy
 * version. Keep the critical section short (the spin here is inside it only
 * to match racy_counter line for line); for a plain counter an atomic
 * fetch-and-add is cheaper still.
 *
 * Twin of racy_counter.c: the only difference is the lock.
 */
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

#define ROUNDS 100000

static volatile long counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

static void *add_many(void *unused)
{
    (void)unused;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&counter_lock);
        long seen = counter;
        for (volatile int spin = 0; spin < 100; spin++)
            ;
        counter = seen + 1;
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, add_many, NULL);
    pthread_create(&b, NULL, add_many, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("total %ld of %d\n", counter, 2 * ROUNDS);
    return counter == 2 * ROUNDS ? 0 : 1;
}
