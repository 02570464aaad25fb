/*
 * lock_cycle_three: three threads and three locks, each thread taking two of
 * them: the first A then B, the second B then C, the third C then A. No two
 * threads take the same two locks in opposite orders, yet together the orders
 * form a cycle, A before B before C before A, and a cycle is all a deadlock
 * needs: if each thread holds its first lock at once, each waits for the lock
 * the next one holds, forever.
 *
 * The bug. Locks not taken in one predefined order (CERT CON35-C: "Avoid
 * deadlock by locking in a predefined order"; POS51-C is the same rule for
 * POSIX threads). It is harder to see than lock_order_deadlock.c's ABBA: any
 * two of the three functions, read side by side, look harmless, since they
 * share only one lock. Only the whole lock-order graph shows the cycle.
 *
 * The fix: one global order, A before B before C, in every thread. The third
 * thread takes A, then C (lock_cycle_ordered.c). With a total order every
 * thread waits only for locks later in it than every lock it holds, so no
 * cycle of waiting threads can form.
 *
 * The run is the same every time and never hangs: main creates each thread
 * and joins it before it creates the next, so at most one thread holds a lock
 * at any moment and the deadly interleaving cannot happen. The tools do not
 * need it: they record, for each lock taken while another is held, the edge
 * "held before taken", and report the cycle in that graph when the third
 * thread closes it, whether or not the run deadlocked. A real deadlock
 * reports nothing at all (abba_hang.c).
 *
 * What the tools see (measured: clang 14, gcc 12, valgrind 3.19):
 * - TSan, both compilers alike: one "lock-order-inversion (potential
 *   deadlock)", "Cycle in lock order graph: M0 => M1 => M2 => M0", and for
 *   each of the three edges the stack where the second lock was taken while
 *   the first was held: the three inner acquisitions (@a_then_b, @b_then_c,
 *   @c_then_a).
 * - Helgrind: one report, when the third thread takes A holding C:
 *   'Thread #4: lock order "A before C" violated', at @c_then_a. A finding:
 *   unlike the two-lock case it shows no "Required order was established
 *   by" stacks. No thread ever took C while holding A; the order A before C
 *   is only implied by the path A -> B -> C, and Helgrind keeps stacks for
 *   direct edges only. It shows instead where each of the two locks was first
 *   observed: A at the first thread's first lock (@first_a), C at the second
 *   thread's inner lock (@b_then_c). The first thread's @a_then_b is in no
 *   stack. The text log also shows @first_c ("Observed (incorrect) order");
 *   the XML racelab reads does not, as case-format.md explains.
 * - DRD has no lock-order checker and reports nothing, as in
 *   lock_order_deadlock.c.
 */
// twin: lock_cycle_ordered
// bug: lock-order
// expect tsan: lock-order @access:a_then_b @access:b_then_c @access:c_then_a
// expect helgrind: lock-order @access:c_then_a @first_a @b_then_c
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_c = PTHREAD_MUTEX_INITIALIZER;
static int shared_work;

static void *take_a_then_b(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock_a); // @first_a
    pthread_mutex_lock(&lock_b); // @a_then_b
    shared_work++;
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
    return NULL;
}

static void *take_b_then_c(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock_b);
    pthread_mutex_lock(&lock_c); // @b_then_c
    shared_work++;
    pthread_mutex_unlock(&lock_c);
    pthread_mutex_unlock(&lock_b);
    return NULL;
}

static void *take_c_then_a(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock_c); // @first_c
    pthread_mutex_lock(&lock_a); // @c_then_a
    shared_work++;
    pthread_mutex_unlock(&lock_a);
    pthread_mutex_unlock(&lock_c);
    return NULL;
}

int main(void)
{
    pthread_t t;
    /* One after the other: the deadlocking interleaving cannot occur. */
    pthread_create(&t, NULL, take_a_then_b, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, take_b_then_c, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, take_c_then_a, NULL);
    pthread_join(t, NULL);
    printf("work done: %d\n", shared_work);
    return 0;
}
