/*
 * mutex_uninitialised: an account is allocated with malloc and its mutex is
 * used without ever being initialised.
 *
 * The bug. A pthread_mutex_t must be initialised (pthread_mutex_init, or
 * PTHREAD_MUTEX_INITIALIZER for a static one) before use; memory from malloc
 * holds whatever was there before. Often that is zeros, and a zeroed
 * pthread_mutex_t happens to be a valid default mutex in glibc, so the bug
 * hides until the memory is reused. Here the memset stands for that reuse
 * (the bytes 0xff), deterministically: glibc then rejects the mutex, lock and
 * unlock return EINVAL ("lock returned 22"), and the deposit runs with no
 * lock. With other leftover bytes the lock may instead hang, or behave as a
 * mutex of another type.
 *
 * The fix: pthread_mutex_init in the constructor, pthread_mutex_destroy
 * before free (mutex_initialised.c).
 *
 * The run is the same every time: one worker thread, joined.
 *
 * What the tools see.
 * - TSan: "use of an invalid mutex (e.g. uninitialized or destroyed)" at the
 *   lock (@lock) and at the unlock (@unlock), and "unlock of an unlocked
 *   mutex" at the unlock; each names the heap block the mutex lies in,
 *   allocated at @alloc.
 * - Helgrind: the failed pthread_mutex_lock (EINVAL) at @lock; at @unlock
 *   "unlocked an invalid lock" and the failed pthread_mutex_unlock.
 * - DRD: "Mutex not locked: mutex 0x..., recursion count 0, owner 0." at
 *   the unlock only.
 * The same reports, kind for kind, as for a destroyed mutex
 * (mutex_use_after_destroy.c): to the tools, as to glibc, the two are one
 * mistake.
 */
// twin: mutex_initialised
// bug: invalid-mutex
// expect tsan: invalid-mutex @access:lock @alloc
// expect tsan: invalid-mutex @access:unlock
// expect tsan: unlock-unlocked @access:unlock
// expect helgrind: api-misuse @access:lock
// expect helgrind: invalid-mutex @access:unlock
// expect helgrind: api-misuse @access:unlock
// expect drd: unlock-unlocked @access:unlock
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct account {
    pthread_mutex_t lock;
    long balance;
};

static struct account *account_new(void)
{
    struct account *a = malloc(sizeof *a); // @alloc
    if (!a)
        abort();
    memset(a, 0xff, sizeof *a); /* stands for whatever the memory held before */
    a->balance = 0;
    return a;
}

static void *deposit(void *arg)
{
    struct account *a = arg;
    int rc = pthread_mutex_lock(&a->lock); // @lock
    a->balance += 10;
    pthread_mutex_unlock(&a->lock); // @unlock
    return (void *)(long)rc;
}

int main(void)
{
    pthread_t t;
    void *rc;
    struct account *a = account_new();
    pthread_create(&t, NULL, deposit, a);
    pthread_join(t, &rc);
    printf("lock returned %ld, balance %ld\n", (long)rc, a->balance);
    free(a);
    return 0;
}
