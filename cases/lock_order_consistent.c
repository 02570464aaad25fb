/*
 * lock_order_consistent: the fix for lock_order_deadlock. Both threads take
 * lock A, then lock B.
 *
 * Why it is correct. A deadlock needs a cycle of threads, each holding a lock
 * the next one waits for. With one global order (A before B, everywhere) a
 * thread holding B never waits for A, so no cycle can form, whatever the
 * interleaving. TSan and Helgrind, which record the order of every nested
 * acquisition, see only "A before B" and report nothing; DRD has no
 * lock-order check and reports nothing here or in the twin.
 *
 * The threads run one after the other, as in the twin.
 *
 * Twin of lock_order_deadlock.c: the only difference is the order in the
 * second thread. Recovering from the inversion instead of removing it is
 * shown by timedlock_recovery.c and trylock_backoff.c.
 */
// twin: lock_order_deadlock
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static int shared_work;

static void *take_a_then_b(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock_a);
    pthread_mutex_lock(&lock_b); // @a_then_b
    shared_work++;
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
    return NULL;
}

static void *also_a_then_b(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock_a);
    pthread_mutex_lock(&lock_b); // @also_a_then_b
    shared_work++;
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
    return NULL;
}

int main(void)
{
    pthread_t t;
    /* One after the other, as in lock_order_deadlock. */
    pthread_create(&t, NULL, take_a_then_b, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, also_a_then_b, NULL);
    pthread_join(t, NULL);
    printf("work done: %d\n", shared_work);
    return 0;
}
