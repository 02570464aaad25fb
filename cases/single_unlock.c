/*
 * single_unlock: the fix for double_unlock. The "queue full" error path sets
 * the result and jumps to the common exit, which holds the only unlock.
 *
 * Why it is correct. Every path through enqueue() locks once and unlocks
 * once. One exit with one unlock (the "goto out" style of C cleanup) is the
 * easiest way to keep it so as paths are added. All tools report nothing.
 *
 * Twin of double_unlock.c: the only difference is the removed unlock on the
 * error path.
 */
// twin: double_unlock
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static int queue_length;

/* Adds an item unless the queue is full; returns 0 on success. */
static int enqueue(int limit)
{
    int rc = 0;
    pthread_mutex_lock(&queue_lock); // @lock
    if (queue_length >= limit) {
        rc = -1;
        goto out;
    }
    queue_length++;
out:
    pthread_mutex_unlock(&queue_lock); // @unlock
    return rc;
}

int main(void)
{
    int first = enqueue(1);
    int second = enqueue(1); /* the queue is full: the error path */
    printf("enqueue: %d then %d, length %d\n", first, second, queue_length);
    return 0;
}
