/*
 * join_once: the fix for join_twice (CERT CON39-C). The cleanup path joins
 * the thread only if it was not joined already.
 *
 * Why it is correct. Each thread is joined exactly once, so every
 * pthread_join names a thread that exists and has not been joined: the
 * program prints "joins returned 0 and 0". All tools report nothing, and
 * clang's TSan, whose runtime cannot survive the twin, runs this one.
 *
 * Twin of join_twice.c: the only difference is the check before the second
 * join.
 */
// twin: join_twice
// bug: none
// expect tsan: clean
// expect helgrind: clean
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
    /* ... later, a cleanup path joins the thread if it was not joined: */
    int second = first == 0 ? 0 : pthread_join(t, NULL); // @second_join
    printf("result %ld; joins returned %d and %d\n", (long)result, first, second);
    return 0;
}
