/*
 * publication_race: a producer fills in a message and then sets a plain int
 * flag "ready"; a consumer spins until it sees the flag and then reads the
 * message, with no atomic and no lock.
 *
 * The bug. A plain (even volatile) int flag is not synchronisation. The
 * compiler may reorder the two stores of the producer, or the consumer's read
 * of the payload before its last read of the flag (volatile only orders
 * volatile accesses with each other), and a weakly ordered CPU may do the same.
 * So the consumer can see ready == 1 and still read a stale payload. Both the
 * flag and the payload are data races: two threads, at least one write, no
 * happens-before between them. "volatile" is used here only so the spin loop
 * really re-reads the flag (without it clang -O1 hoists the load out of the
 * loop and the consumer spins forever); it makes nothing atomic.
 *
 * The fix: make the flag an atomic_int, store it with memory_order_release and
 * load it with memory_order_acquire (or publish under a mutex with a condition
 * variable). Then "payload = 42" happens before the consumer's read, and no
 * tool reports anything.
 *
 * How the run is made deterministic: the producer sleeps 100 ms before it
 * publishes, so the consumer is always already spinning (it has read the flag
 * as 0) when the flag is written; the producer sleeps again after publishing so
 * that it is still alive (a "running" thread) when the consumer reads the
 * payload. Sleeps order the run but are no synchronisation for any tool.
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
 * 14 and later; clang 13 (still the old runtime) and GCC 11 and 12 report
 * both races. Measured here: 20 runs each under clang 13, 14, 15, 16, 19 and
 * GCC 11, 12, all alike; the same with two busy processes beside them.
 */
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
#include <unistd.h>

struct message {
    int payload;
    volatile int ready;
};

/* 8-byte aligned: payload and ready share one 8-byte word (TSan shadow cell). */
static _Alignas(8) struct message msg;

static void *producer(void *unused)
{
    (void)unused;
    usleep(100 * 1000); /* the consumer is spinning by now */
    msg.payload = 42; // @write_payload
    msg.ready = 1; // @publish
    usleep(300 * 1000); /* stay alive while the consumer reads */
    return NULL;
}

static void *consumer(void *unused)
{
    (void)unused;
    while (!msg.ready) // @spin
        ;
    int seen = msg.payload; // @read_payload
    printf("payload %d\n", seen);
    return NULL;
}

int main(void)
{
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    return 0;
}
