/*
 * abba_hang: a real ABBA deadlock. One thread takes lock A then lock B, the
 * other takes B then A, and a barrier between their first and second lock
 * makes sure both hold their first lock before either reaches for its
 * second: each then waits forever for the lock the other holds.
 *
 * The bug. Two locks taken in opposite orders by two threads (CERT POS51-C:
 * "Avoid deadlock with POSIX threads by locking in predefined order"). Most
 * runs never show it: the deadlock needs the interleaving that the barrier
 * forces here. lock_order_deadlock.c is the same mistake in a run that does
 * not deadlock, where the tools' lock-order checks find it.
 *
 * The fix: one lock order for every thread (abba_ordered.c).
 *
 * The run is the same every time: it hangs, and racelab kills it after the
 * case's timeout (half a second natively; each tool gets a multiple). The
 * ending is "hang" under every tool, with no report:
 * - TSan checks lock order only after a lock is acquired (it records the
 *   edge "A before B" once B is held), so a deadlock in which no second lock
 *   is ever acquired is never seen. compiler-rt's own test for this,
 *   must_deadlock.cpp, is marked XFAIL for that reason.
 * - Helgrind also records an order only on acquisition; it has nothing to
 *   report before the kill, and racelab does not count what a killed run
 *   writes.
 * - DRD has no lock-order or deadlock check.
 * A hang is what a real deadlock looks like to every tool here: the case
 * shows that none reports it.
 */
// twin: abba_ordered
// bug: lock-order
// timeout: 0.5
// expect tsan: hang
// expect helgrind: hang
// expect drd: hang
// expect native: hang

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;
static int transfers;

static void *a_then_b(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock_a); // @first_a
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&lock_b); // @then_b
    transfers++;
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
    return NULL;
}

static void *b_then_a(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock_b); // @first_b
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&lock_a); // @then_a
    transfers++;
    pthread_mutex_unlock(&lock_a);
    pthread_mutex_unlock(&lock_b);
    return NULL;
}

int main(void)
{
    pthread_t t1, t2;
    pthread_barrier_init(&both_hold_one, NULL, 2);
    pthread_create(&t1, NULL, a_then_b, NULL);
    pthread_create(&t2, NULL, b_then_a, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("transfers %d\n", transfers);
    return 0;
}
