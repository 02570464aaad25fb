/*
 * mutex_use_after_destroy: main destroys the statistics mutex after the first
 * request thread is done, but a late request thread still locks and unlocks
 * it: a mutex used after pthread_mutex_destroy.
 *
 * The bug. A destroyed mutex is no mutex: any use of it is undefined (POSIX)
 * until it is initialised again. glibc marks it invalid on destroy, so the late
 * lock and unlock return EINVAL ("lock returned 0 then 22"), and the late
 * request updates "requests" with no lock at all. Elsewhere the memory may
 * have been reused, and the lock corrupts whatever lives there now.
 *
 * The fix: destroy a mutex after the last thread that can use it has been
 * joined (mutex_destroy_after_use.c).
 *
 * The run is the same every time: main joins the first request thread,
 * destroys, and only then starts the late one.
 *
 * What the tools see.
 * - TSan: "use of an invalid mutex (e.g. uninitialized or destroyed)" at the
 *   late lock (@lock) and again at its unlock (@unlock), and "unlock of an
 *   unlocked mutex" at the unlock as well: three reports.
 * - Helgrind: "Thread #3's call to pthread_mutex_lock failed" (EINVAL) at
 *   @lock; at @unlock "Thread #3 unlocked an invalid lock" and the failed
 *   pthread_mutex_unlock: three reports. (Its kinds: api-misuse for a pthread
 *   call that failed, invalid-mutex for the bogus unlock.)
 * - DRD: only "Mutex not locked: mutex 0x..., recursion count 0, owner 0."
 *   at the unlock (unlock-unlocked); after the destroy it treats the late
 *   lock, which failed, as nothing.
 */
// twin: mutex_destroy_after_use
// bug: invalid-mutex
// expect tsan: invalid-mutex @access:lock
// expect tsan: invalid-mutex @access:unlock
// expect tsan: unlock-unlocked @access:unlock
// expect helgrind: api-misuse @access:lock
// expect helgrind: invalid-mutex @access:unlock
// expect helgrind: api-misuse @access:unlock
// expect drd: unlock-unlocked @access:unlock
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t stats_lock;
static long requests;

static void *handle_request(void *unused)
{
    (void)unused;
    int rc = pthread_mutex_lock(&stats_lock); // @lock
    requests++;
    pthread_mutex_unlock(&stats_lock); // @unlock
    return (void *)(long)rc;
}

int main(void)
{
    pthread_t t;
    void *rc1, *rc2;
    pthread_mutex_init(&stats_lock, NULL);
    pthread_create(&t, NULL, handle_request, NULL);
    pthread_join(t, &rc1);
    pthread_mutex_destroy(&stats_lock); // @destroy
    pthread_create(&t, NULL, handle_request, NULL); /* a late request */
    pthread_join(t, &rc2);
    printf("lock returned %ld then %ld; %ld requests\n", (long)rc1, (long)rc2, requests);
    return 0;
}
