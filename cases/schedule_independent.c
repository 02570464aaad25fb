/*
 * schedule_independent: the fix for schedule_dependent. Both threads write
 * "status", and write or read "config", only inside the critical section of
 * the one mutex.
 *
 * Why it is correct, in every schedule. Every access to the two shared
 * variables holds the mutex, and each unlock happens before the next lock, so
 * whichever thread's critical section comes first, the accesses are ordered.
 * That is what makes a verdict independent of the schedule: in the twin a
 * detector saw the config race only in runs where the reader locked first;
 * here there is no run in which anything is unordered, so every tool reports
 * nothing in every run, whichever thread locks first (the program still
 * prints which one did, and that still varies; it decides the value read,
 * 0 or 1, not whether the program is correct).
 *
 * The threads keep the twin's random pauses and its ordering of the two
 * status writes (through unseen_done() and unseen_wait(): under
 * ThreadSanitizer compiler-rt's test-only barrier, elsewhere a pipe; neither
 * is synchronisation to the tool that runs it, and here neither is needed).
 *
 * Twin of schedule_dependent.c: the only difference is that the accesses are
 * inside the critical sections.
 */
// twin: schedule_dependent
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>
#include <time.h>

/* Ordering that no tool takes as synchronisation (see the comment above). */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif

#ifdef UNDER_TSAN
/* compiler-rt's test-only barrier: the runtime does not take it as
 * synchronisation. Both sides wait until both have arrived. */
void __tsan_testonly_barrier_init(unsigned long long *barrier, unsigned count);
void __tsan_testonly_barrier_wait(unsigned long long *barrier);
static unsigned long long unseen_barrier;
static void unseen_init(void) { __tsan_testonly_barrier_init(&unseen_barrier, 2); }
static void unseen_done(void) { __tsan_testonly_barrier_wait(&unseen_barrier); }
static void unseen_wait(void) { __tsan_testonly_barrier_wait(&unseen_barrier); }
#else
/* A pipe: Helgrind and DRD do not take one as synchronisation. */
#include <stdlib.h>
#include <unistd.h>
static int unseen_pipe[2];
static void unseen_init(void)
{
    if (pipe(unseen_pipe) != 0)
        abort();
}
static void unseen_done(void)
{
    char c = 0;
    if (write(unseen_pipe[1], &c, 1) != 1)
        abort();
}
static void unseen_wait(void)
{
    char c;
    if (read(unseen_pipe[0], &c, 1) != 1)
        abort();
}
#endif


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
    pthread_mutex_lock(&lock);
    status.value = 1; // @first_status
    pthread_mutex_unlock(&lock);
    unseen_done();
    pthread_barrier_wait(&start);
    random_pause();
    pthread_mutex_lock(&lock);
    config.value = 1; // @write_config
    turns = turns * 10 + 1;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *reader(void *unused)
{
    (void)unused;
    unseen_wait(); /* the writer has written status by now */
    pthread_mutex_lock(&lock);
    status.value = 2; // @second_status
    pthread_mutex_unlock(&lock);
    pthread_barrier_wait(&start);
    random_pause();
    pthread_mutex_lock(&lock);
    turns = turns * 10 + 2;
    int seen = config.value; // @read_config
    pthread_mutex_unlock(&lock);
    printf("config seen %d\n", seen);
    return NULL;
}

int main(void)
{
    pthread_t w, r;
    unseen_init();
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
