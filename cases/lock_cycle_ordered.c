/*
 * lock_cycle_ordered: the fix for lock_cycle_three. The three locks have one
 * global order, A before B before C, and every thread follows it: the first
 * takes A then B, the second B then C, the third A then C.
 *
 * Why it is correct. A deadlock needs a cycle of threads, each holding a lock
 * the next one waits for. When every thread takes its locks in one total
 * order, a thread only ever waits for a lock later in that order than all the
 * locks it holds, so following the waits always leads to later locks and can
 * never come back to the first: no cycle can form, whatever the interleaving
 * (CERT CON35-C: "Avoid deadlock by locking in a predefined order").
 *
 * The threads run one after the other, as in the twin (main creates each and
 * joins it before the next), so every run records the same edges in the same
 * sequence.
 *
 * What the tools see (measured: clang 14, gcc 12, valgrind 3.19): TSan, with
 * either compiler, and Helgrind record the edges A -> B, B -> C and A -> C, a
 * graph with no cycle, and report nothing. DRD has no lock-order check and
 * reports nothing here or in the twin.
 *
 * Twin of lock_cycle_three.c: the only difference is the order in the third
 * thread (A then C instead of C then A).
 */
// twin: lock_cycle_three
// bug: none
// expect tsan: clean
// expect helgrind: clean
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
    pthread_mutex_lock(&lock_a);
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

static void *take_a_then_c(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock_a);
    pthread_mutex_lock(&lock_c); // @a_then_c
    shared_work++;
    pthread_mutex_unlock(&lock_c);
    pthread_mutex_unlock(&lock_a);
    return NULL;
}

int main(void)
{
    pthread_t t;
    /* One after the other, as in lock_cycle_three. */
    pthread_create(&t, NULL, take_a_then_b, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, take_b_then_c, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, take_a_then_c, NULL);
    pthread_join(t, NULL);
    printf("work done: %d\n", shared_work);
    return 0;
}
