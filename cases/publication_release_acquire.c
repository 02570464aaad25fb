/*
 * publication_release_acquire: the fix for publication_race. The producer
 * fills in the message and then stores the flag with release order; the
 * consumer spins on an acquire load of the flag and then reads the message.
 *
 * Why it is correct. A release store "synchronises with" the acquire load that
 * reads its value: everything the producer wrote before the store (the
 * payload) happens before everything the consumer does after the load. The
 * flag itself is atomic, so its accesses are no data race either (C11
 * 5.1.2.4). This is message passing done right, and ThreadSanitizer, which
 * models C11 atomics, reports nothing.
 *
 * A finding: Helgrind and DRD report this correct program exactly as they
 * report the racy one, with the same three races. They do not model C11
 * atomics as synchronisation: they build happens-before from pthread calls
 * (and their own client requests) only, and on x86 an acquire load and a
 * release store are plain mov instructions, indistinguishable from the
 * volatile accesses of the twin. Helgrind: the flag store against the earlier
 * spin load, the spin load that sees 1 against that store, and the payload
 * read against the payload write. DRD: the same three accesses, one
 * "Conflicting load/store" error each. These are false positives; with
 * Valgrind, code that synchronises through atomics needs its happens-before
 * told to the tool (client requests, which racelab refuses in a case) or
 * to be checked with ThreadSanitizer.
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
 *
 * Twin of publication_race.c: the only difference is the flag's accesses
 * (atomic release/acquire instead of volatile).
 */
// twin: publication_race
// bug: none
// expect tsan: clean
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
    int ready; /* accessed only with __atomic builtins */
};

/* 8-byte aligned: payload and ready share one 8-byte word, as in the twin. */
static _Alignas(8) struct message msg;

static void *producer(void *unused)
{
    (void)unused;
    unseen_wait(); /* the consumer has read ready == 0 by now */
    msg.payload = 42; // @write_payload
    __atomic_store_n(&msg.ready, 1, __ATOMIC_RELEASE); // @publish
    return NULL;
}

static void *consumer(void *unused)
{
    (void)unused;
    int announced = 0;
    while (!__atomic_load_n(&msg.ready, __ATOMIC_ACQUIRE)) { // @spin
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
