/*
 * schedule_dependent: one race that every run shows, and one that a race
 * detector sees only when the threads happen to take a mutex in a particular
 * order.
 *
 * The always-visible race: both threads write "status" before they meet at a
 * barrier, and nothing orders the two writes (the reader writes 100 ms later,
 * so the order of the two writes is always the same). Every detector reports
 * it in every run.
 *
 * The schedule-dependent race: after the barrier the writer sets "config" and
 * then takes the mutex; the reader takes the mutex and then reads "config".
 * Neither access is inside the critical section, so the program has a real
 * race. But a happens-before detector only sees the order of the run it
 * watches:
 * - if the writer's critical section comes first, its unlock happens before
 *   the reader's lock, which orders "config = 1" before the read: nothing is
 *   reported, and the run proves nothing either way;
 * - if the reader's critical section comes first, nothing orders the two
 *   accesses and the race is reported.
 * Each thread spins for a random time below 1 ms (taken from the clock)
 * before it locks, so that both orders happen; which one wins is up to the
 * scheduler. The program prints which thread locked first.
 *
 * The fix: read and write "config" (and "status") inside the critical
 * section.
 *
 * Why "allow": this is the one race of the catalogue that no program change
 * can pin down without removing it, since the order of the two critical
 * sections is what the lesson is about. Measured over 50 runs each: the
 * config race appeared in 34 (clang 14), 20 (GCC 12), 32 (Helgrind) and 18
 * (DRD); the status race in all of them. DRD reports it at the write of
 * config, the access it sees second. An allow line may be met or not and
 * never passes a case on its own; it is the last resort (docs/case-format.md).
 */
// bug: data-race
// expect tsan: data-race @first_status @second_status
// allow tsan: data-race @write_config @read_config
// expect helgrind: data-race @first_status @second_status
// allow helgrind: data-race @write_config @read_config
// expect drd: data-race @access:second_status
// allow drd: data-race @access:write_config
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

struct word {
    _Alignas(64) int value;
};

/* Not static: clang would shrink a static int that only ever holds 0 or 1 to
 * one byte. */
struct word config, status;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;
static int turns;

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Busy-wait for a random time below 1 ms (no sleep call: TSan notes sleeps). */
static void random_pause(void)
{
    long begin = now_ns();
    long wait = begin % 1000 * 1000; /* nanosecond digits: differ per thread */
    while (now_ns() - begin < wait)
        ;
}

static void *writer(void *unused)
{
    (void)unused;
    status.value = 1; // @first_status
    pthread_barrier_wait(&start);
    config.value = 1; // @write_config
    random_pause();
    pthread_mutex_lock(&lock);
    turns = turns * 10 + 1;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *reader(void *unused)
{
    (void)unused;
    usleep(100 * 1000);
    status.value = 2; // @second_status
    pthread_barrier_wait(&start);
    random_pause();
    pthread_mutex_lock(&lock);
    turns = turns * 10 + 2;
    pthread_mutex_unlock(&lock);
    int seen = config.value; // @read_config
    printf("config seen %d\n", seen);
    return NULL;
}

int main(void)
{
    pthread_t w, r;
    pthread_barrier_init(&start, NULL, 2);
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    pthread_barrier_destroy(&start);
    printf("lock order: %s first; status %d\n", turns == 12 ? "writer" : "reader",
           status.value);
    return 0;
}
