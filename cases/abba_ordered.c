/*
 * abba_ordered: the fix for abba_hang. Both threads take lock A, then lock B.
 *
 * Why it is correct. With one order, a thread holding B never waits for A,
 * so no cycle of waiting threads can form: whichever thread gets A first
 * finishes, and the other follows. TSan and Helgrind see only "A before B"
 * and report nothing; DRD reports nothing as in the twin; every run ends.
 *
 * The twins differ in one more place, and cannot do otherwise: the barrier.
 * In abba_hang it stands between each thread's first and second lock, to make
 * both hold one lock at once. With one lock order that state cannot exist
 * (the second thread to reach for A waits before it holds anything), so a
 * barrier there would wait forever for a thread blocked on A: a hang the
 * barrier made, not the locks. Here the barrier stands before the first lock
 * and only makes the two threads start their critical sections together.
 *
 * Twin of abba_hang.c: the second thread's lock order, and the barrier's
 * place.
 */
// twin: abba_hang
// bug: none
// timeout: 0.5
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_ready;
static int transfers;

static void *a_then_b(void *unused)
{
    (void)unused;
    pthread_barrier_wait(&both_ready);
    pthread_mutex_lock(&lock_a); // @first_a
    pthread_mutex_lock(&lock_b); // @then_b
    transfers++;
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
    return NULL;
}

static void *also_a_then_b(void *unused)
{
    (void)unused;
    pthread_barrier_wait(&both_ready);
    pthread_mutex_lock(&lock_a); // @also_first_a
    pthread_mutex_lock(&lock_b); // @also_then_b
    transfers++;
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
    return NULL;
}

int main(void)
{
    pthread_t t1, t2;
    pthread_barrier_init(&both_ready, NULL, 2);
    pthread_create(&t1, NULL, a_then_b, NULL);
    pthread_create(&t2, NULL, also_a_then_b, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("transfers %d\n", transfers);
    return 0;
}
