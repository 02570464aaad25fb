/*
 * publication_race: a producer fills in a message and then sets a plain int
 * flag "ready"; a consumer spins until it sees the flag and then reads the
 * message, with no atomic and no lock (message passing through a plain flag;
 * ThreadSanitizer's list of popular data races: "racy publication").
 *
 * The bug. A plain (even volatile) int flag is not synchronisation. The
 * compiler may reorder the two stores of the producer, or the consumer's read
 * of the payload before its last read of the flag (volatile only orders
 * volatile accesses with each other), and a weakly ordered CPU may do the same.
 * So the consumer can see ready == 1 and still read a stale payload. Both the
 * flag and the payload are data races (CERT CON43-C): two threads, at least
 * one write, no happens-before between them. "volatile" is used here only so
 * the spin loop really re-reads the flag (without it clang -O1 hoists the load
 * out of the loop and the consumer spins forever); it makes nothing atomic.
 *
 * The fix: make the flag atomic, store it with release order and load it with
 * acquire order (publication_release_acquire.c), or publish under a mutex with
 * a condition variable. Then "payload = 42" happens before the consumer's
 * read, and ThreadSanitizer reports nothing.
 *
 * The run is the same every time: the consumer reads the flag as 0 at least
 * once, and only then does the producer write the payload and the flag.
 *
 * How the order is made certain without synchronisation: the second step
 * waits for the first through unseen_done() and unseen_wait(). Under
 * ThreadSanitizer they are compiler-rt's test-only barrier
 * (__tsan_testonly_barrier_init/_wait, as in its own tests), which the
 * runtime does not take as synchronisation. Under Helgrind and DRD (where that
 * barrier does not exist) and natively they are a one-byte pipe: Valgrind's
 * tools do not take a pipe as synchronisation (TSan would, so it gets the
 * barrier instead). Each tool sees the same unordered accesses in the same
 * order in every run.
 * (Until this case was reworked, sleeps gave that order; a sleep orders
 * nothing for certain.)
 *
 * A finding: the payload and the flag share one 8-byte word (the struct is
 * 8-byte aligned), and that decides how many races TSan reports.
 * - GCC 12's libtsan (the old runtime) reports both races: the write of the
 *   flag against the consumer's earlier read (at @publish / @spin), then the
 *   read of the payload against the producer's write (@read_payload /
 *   @write_payload).
 * - clang 14's TSan (the new runtime, LLVM 14 and later) reports only the
 *   first. When it reports a race it overwrites the shadow of the whole 8-byte
 *   word ("This prevents trapping on this address in future": DoReportRace
 *   stores kRodata in the first shadow slot and clears the others), so the
 *   producer's write of the payload is forgotten and every later read of that
 *   word is ignored. Put payload and ready in different 8-byte words and clang
 *   reports both too.
 * Helgrind reports three races (the flag write against the earlier spin read,
 * the spin read that sees 1 against that write, and the payload read), and DRD
 * the same three accesses as three "Conflicting load/store" errors.
 *
 * The lines for tsan(clang>=14) replace the two generic tsan lines for clang
 * 14 and later. Before the rework this was measured under clang 13, 14, 15,
 * 16, 19 and GCC 11 and 12 (clang 13 and both GCCs report both races, clang
 * 14 and later one); the reworked program was measured here under clang 14
 * and GCC 12 only (the toolchains this machine has), with the same results.
 */
// twin: publication_release_acquire
// bug: data-race
// expect tsan: data-race @publish @spin
// expect tsan: data-race @read_payload @write_payload
// expect tsan(clang>=14): data-race @publish @spin
// expect helgrind: data-race x2 @publish @spin
// expect helgrind: data-race @read_payload @write_payload
// expect drd: data-race @access:publish
// expect drd: data-race @access:spin
// expect drd: data-race @access:read_payload
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

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

struct message {
    int payload;
    volatile int ready;
};

/* 8-byte aligned: payload and ready share one 8-byte word (TSan shadow cell). */
static _Alignas(8) struct message msg;

static void *producer(void *unused)
{
    (void)unused;
    unseen_wait(); /* the consumer has read ready == 0 by now */
    msg.payload = 42; // @write_payload
    msg.ready = 1; // @publish
    return NULL;
}

static void *consumer(void *unused)
{
    (void)unused;
    int announced = 0;
    while (!msg.ready) { // @spin
        if (!announced) {
            announced = 1;
            unseen_done();
        }
    }
    int seen = msg.payload; // @read_payload
    printf("payload %d\n", seen);
    return NULL;
}

int main(void)
{
    pthread_t p, c;
    unseen_init();
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    return 0;
}
