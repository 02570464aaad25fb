/*
 * join_twice: main joins a thread, and later a cleanup path joins the same
 * thread again (CERT CON39-C: "Do not join or detach a thread that was
 * previously joined or detached").
 *
 * The bug. A successful pthread_join frees the thread's resources, and the
 * pthread_t no longer names a thread: joining it again is undefined behaviour
 * (POSIX). glibc keeps finished threads' descriptors in a cache for reuse; if
 * no thread has been created since, as here, the second join finds the
 * descriptor marked free and returns ESRCH (3), and the program prints
 * "joins returned 0 and 3". Had another thread been created in between, the
 * second join could wait for that unrelated thread instead, or crash.
 *
 * The fix: join each thread exactly once; keep track of whether it was
 * joined (join_once.c).
 *
 * Safe and deterministic as written: nothing runs between the two joins, so
 * the descriptor is not reused, and glibc 2.36 answers ESRCH in every run.
 *
 * What the tools see.
 * - Helgrind: "Thread #1's call to pthread_join failed with error code 3
 *   (ESRCH)" at the second join (@second_join).
 * - DRD: nothing. (It has an "invalid thread ID" error for pthread_join, but
 *   3.19 does not raise it here.)
 * - TSan from GCC 12: nothing; the runtime does not notice the second join.
 * - TSan from clang 14 cannot run this case: its pthread_join interceptor
 *   looks the thread up in its registry, and for a thread already joined the
 *   runtime's own assertion fails ("CHECK failed:
 *   sanitizer_thread_registry.cpp:348 "((t)) != (0)"" in
 *   ThreadRegistry::ConsumeThreadUserId) and it dies. That is a failure of
 *   the tool, not a report, so racelab rightly counts it as an error, not a
 *   finding; the case marks that toolchain unsupported.
 */
// twin: join_once
// bug: api-misuse
// unsupported tsan(clang): the runtime's CHECK fails on a second join of one thread (ConsumeThreadUserId) and TSan dies without a report
// expect tsan(gcc): clean
// expect helgrind: api-misuse @access:second_join
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static void *compute(void *arg)
{
    return (void *)((long)arg * 2);
}

int main(void)
{
    pthread_t t;
    void *result;
    pthread_create(&t, NULL, compute, (void *)21L);
    int first = pthread_join(t, &result); // @first_join
    /* ... later, a cleanup path joins the thread again: */
    int second = pthread_join(t, NULL); // @second_join
    printf("result %ld; joins returned %d and %d\n", (long)result, first, second);
    return 0;
}
