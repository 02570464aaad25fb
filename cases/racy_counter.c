/*
 * racy_counter: two threads each add 1 to a shared counter 100000 times,
 * without a lock.
 *
 * The bug. "counter = counter + 1" is three steps: read the counter into a
 * register (here a local copy, to make the steps visible), compute, write it
 * back. When both threads read the same value before either writes, one of the
 * two increments is lost. The little spin between the read and the write widens
 * that window, so the total printed is usually short of 200000; only now and
 * then, when the threads happen not to overlap, is it right. A test that checks
 * the total passes sometimes and fails sometimes; a race detector sees the
 * unsynchronised read and write every time.
 *
 * "volatile" keeps the compiler from merging the loads and stores of the loop;
 * it makes nothing atomic and is no fix.
 *
 * The fix: make the read-modify-write indivisible, with a mutex around it (see
 * locked_counter.c) or an atomic fetch-and-add.
 *
 * Reading the reports: TSan says "data race" and shows two stacks, the access
 * it caught and the "Previous write" of the other thread; both point at the
 * lines below. Helgrind says "Possible data race during read/write of size 8"
 * and "This conflicts with a previous write", with "Locks held: none". DRD says
 * "Conflicting load by thread N" and "Conflicting store by thread N".
 *
 * A finding: the tools count the same race differently, and every count is
 * exact (one report per expect line). TSan from clang 13 and 14 and GCC 11
 * and 12 reports the pair once: the read against the other thread's write.
 * TSan from clang 15, 16 and 19 reports the write against the other
 * thread's write as well (10 of 10 runs each). Helgrind reports each access of the
 * second thread that conflicts: its read against the first thread's write,
 * and its write against the first thread's write. DRD, too, reports the load
 * and the store as two errors, each with the stack of its own access only
 * (its other stacks are segment bounds).
 */
// bug: data-race
// expect tsan: data-race @access:read @access:write
// expect tsan(clang>=15): data-race @access:read @access:write
// expect tsan(clang>=15): data-race @access:write
// expect helgrind: data-race @access:read @access:write
// expect helgrind: data-race @access:write
// expect drd: data-race @access:read
// expect drd: data-race @access:write
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

#define ROUNDS 100000

static volatile long counter;

static void *add_many(void *unused)
{
    (void)unused;
    for (int i = 0; i < ROUNDS; i++) {
        long seen = counter; // @read
        for (volatile int spin = 0; spin < 100; spin++)
            ;
        counter = seen + 1; // @write
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
    return 0;
}
