/*
 * lock_order_deadlock: one thread takes lock A then lock B, another takes B
 * then A. That is the classic recipe for a deadlock: if the first thread holds
 * A while the second holds B, each waits for the lock the other holds, forever.
 *
 * This program never hangs, because main runs the two threads one after the
 * other, so the bad interleaving cannot happen here. That is the point: testing
 * almost never hits the interleaving that deadlocks, but the inconsistent order
 * is in the code all the same. TSan and Helgrind remember, for every lock
 * acquired while another is held, the order "A before B"; when they later see
 * "B before A" they report the cycle as a potential deadlock, whether or not
 * the run deadlocked.
 *
 * The fix: give the locks one global order and always take them in it (here:
 * A before B in both threads: lock_order_consistent.c), or take both at once
 * under a third lock. CERT POS51-C: "Avoid deadlock with POSIX threads by
 * locking in predefined order". Instead of removing the inversion, a program
 * can recover from it: timedlock_recovery.c and trylock_backoff.c. The run
 * that really deadlocks is abba_hang.c.
 *
 * Reading the reports: TSan says "lock-order-inversion (potential deadlock)",
 * prints the cycle "M0 => M1 => M0", and for each edge the stack where the
 * second lock was taken while the first was held (the two @inner lines).
 * Helgrind says 'lock order "0x... before 0x..." violated', with the stack of the
 * acquisition that broke the order and the two stacks that established it.
 *
 * A finding: DRD has no lock-order checker at all, so it reports nothing here.
 */
// twin: lock_order_consistent
// bug: lock-order
// expect tsan: lock-order @a_then_b @b_then_a
// expect helgrind: lock-order @a_then_b @b_then_a
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

static void *take_b_then_a(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock_b);
    pthread_mutex_lock(&lock_a); // @b_then_a
    shared_work++;
    pthread_mutex_unlock(&lock_a);
    pthread_mutex_unlock(&lock_b);
    return NULL;
}

int main(void)
{
    pthread_t t;
    /* One after the other: the deadlocking interleaving cannot occur. */
    pthread_create(&t, NULL, take_a_then_b, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, take_b_then_a, NULL);
    pthread_join(t, NULL);
    printf("work done: %d\n", shared_work);
    return 0;
}
