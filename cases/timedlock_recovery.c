/*
 * timedlock_recovery: the opposite lock orders of lock_order_deadlock, but the
 * second lock is taken with a time limit, and on timeout the thread lets go
 * and tries again.
 *
 * Both threads run at the same time, many rounds each: one takes A then B, the
 * other B then A, each taking its second lock with pthread_mutex_timedlock
 * (each thread does its first round alone, A-then-B first, so that every run
 * shows the tools the same orders in the same sequence).
 * When that times out, the thread releases the lock it holds, backs off for a
 * random moment and starts over. The threads can no longer wait on each other
 * forever, so the program always finishes; it prints how many retries it
 * needed.
 *
 * Why this recovers: a deadlock needs every thread in the cycle to wait
 * without end. A timeout breaks the wait, releasing the held lock breaks the
 * cycle, and the random back-off keeps the two threads from retrying in
 * lockstep (a livelock).
 *
 * It is still a design to avoid: the cost is wasted time in every timeout, and
 * a consistent lock order (lock_order_consistent.c, the twin of
 * lock_order_deadlock) removes the problem instead of recovering from it.
 *
 * With trylock_backoff.c this is the recovery family of lock_order_deadlock:
 * each is a fix in itself (the program never deadlocks), not a bug with a
 * fixed twin, so neither has a twin line. The bug they recover from is
 * lock_order_deadlock.c (and, run into the deadly interleaving, abba_hang.c).
 *
 * A finding: the tools disagree, and both are right by their own rules.
 * - TSan treats a timed lock like a trylock: a lock that can give up cannot be
 *   the waiting end of a deadlock, so it adds no edge to the lock-order graph
 *   and the cycle is never closed. TSan reports nothing.
 * - Helgrind checks the order of every successful acquisition, timed or not,
 *   so it reports the violation of lock_order_deadlock, and here a second
 *   one: the second thread's B-then-A breaks the order A before B, and
 *   Helgrind keeps B before A as well, so the first thread's next A-then-B
 *   breaks that. With both threads starting at once it reported one
 *   violation in some runs and two in others (7 and 5 of 12 runs here), and
 *   even with the first thread's first round alone, one in a run on a busy
 *   machine (the first thread had finished all its rounds before the second
 *   began): a schedule deciding a verdict. With both first rounds alone, in
 *   that order, every run gives two.
 * - DRD has no lock-order checker and reports nothing.
 */
// bug: none
// expect tsan: clean
// expect helgrind: lock-order x2 @a_then_b @b_then_a
// expect drd: clean
// expect native: exit 0

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROUNDS 200
#define WAIT_NS (1000 * 1000)

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t first_round_done, second_round_done;

struct worker {
    unsigned seed;
    long retries;
};

static void spin(int n)
{
    for (volatile int i = 0; i < n; i++)
        ;
}

/* Take first, then second with a time limit. On timeout give first back,
 * sleep a random moment below WAIT_NS, and start over. */
static void lock_both_or_back_off(pthread_mutex_t *first, pthread_mutex_t *second,
                                  struct worker *w)
{
    for (;;) {
        pthread_mutex_lock(first);
        spin(20000); /* holding one lock while reaching for the other */
        struct timespec limit;
        clock_gettime(CLOCK_REALTIME, &limit);
        limit.tv_nsec += WAIT_NS;
        if (limit.tv_nsec >= 1000000000L) {
            limit.tv_sec++;
            limit.tv_nsec -= 1000000000L;
        }
        int rc = pthread_mutex_timedlock(second, &limit);
        if (rc == 0)
            return;
        if (rc != ETIMEDOUT)
            abort();
        pthread_mutex_unlock(first);
        w->retries++;
        struct timespec pause = {0, rand_r(&w->seed) % WAIT_NS};
        nanosleep(&pause, NULL);
    }
}

static void *take_a_then_b(void *arg)
{
    for (int i = 0; i < ROUNDS; i++) {
        lock_both_or_back_off(&lock_a, &lock_b, arg); // @a_then_b
        spin(1000);
        pthread_mutex_unlock(&lock_b);
        pthread_mutex_unlock(&lock_a);
        /* Each thread's first round alone, A-then-B first, so that every
         * run shows the tools the same orders in the same sequence; then
         * both threads contend. */
        if (i == 0) {
            pthread_barrier_wait(&first_round_done);
            pthread_barrier_wait(&second_round_done);
        }
    }
    return NULL;
}

static void *take_b_then_a(void *arg)
{
    pthread_barrier_wait(&first_round_done);
    for (int i = 0; i < ROUNDS; i++) {
        lock_both_or_back_off(&lock_b, &lock_a, arg); // @b_then_a
        spin(1000);
        pthread_mutex_unlock(&lock_a);
        pthread_mutex_unlock(&lock_b);
        if (i == 0)
            pthread_barrier_wait(&second_round_done);
    }
    return NULL;
}

int main(void)
{
    struct worker ab = {1, 0}, ba = {2, 0};
    pthread_t t1, t2;
    pthread_barrier_init(&first_round_done, NULL, 2);
    pthread_barrier_init(&second_round_done, NULL, 2);
    pthread_create(&t1, NULL, take_a_then_b, &ab);
    pthread_create(&t2, NULL, take_b_then_a, &ba);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    pthread_barrier_destroy(&first_round_done);
    pthread_barrier_destroy(&second_round_done);
    printf("finished %d rounds in each thread, after %ld retries\n", ROUNDS,
           ab.retries + ba.retries);
    return 0;
}
