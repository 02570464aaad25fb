/*
 * relock_errorcheck: add_two_nodes() holds the tree's mutex and calls
 * add_node(), which locks it again; the mutex is error-checking, so the
 * second lock fails with EDEADLK.
 *
 * The bug. A thread that locks a non-recursive mutex it already holds: a
 * default mutex deadlocks on itself (the thread waits for itself forever); an
 * error-checking mutex (PTHREAD_MUTEX_ERRORCHECK) returns EDEADLK instead,
 * which is what this program gets. It checks the result, so add_node()
 * returns the error and add_two_nodes() gives up: "add_two_nodes: 35, nodes
 * 0". A program that ignored the result would go on as if it held the lock
 * twice and then unlock it twice.
 *
 * The fix: decide who locks. Either the helper expects its caller to hold the
 * lock (a "_locked" variant that does not lock), or the mutex is recursive
 * and may be locked again by its owner (relock_recursive.c).
 *
 * The run is the same every time: one thread.
 *
 * What the tools see, all at the inner lock (@inner_lock):
 * - Helgrind: "Attempt to re-lock a non-recursive lock I already hold" (with
 *   where it was first locked, @outer_lock), and "Thread #1's call to
 *   pthread_mutex_lock failed with error code 35 (EDEADLK)".
 * - DRD: "Recursive locking not allowed: mutex 0x..., recursion count 1,
 *   owner 1."
 * - TSan: nothing. The relock returns an error, and TSan records a lock only
 *   when the call succeeds; its "double lock of a mutex" report needs a lock
 *   granted while another thread owns the mutex, which real pthread calls do
 *   not produce (only annotations do). No case here can show it.
 */
// twin: relock_recursive
// bug: double-lock
// expect tsan: clean
// expect helgrind: double-lock @access:inner_lock @outer_lock
// expect helgrind: api-misuse @access:inner_lock
// expect drd: double-lock @access:inner_lock
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t tree_lock;
static int nodes;

static int add_node(void)
{
    int rc = pthread_mutex_lock(&tree_lock); // @inner_lock
    if (rc != 0)
        return rc;
    nodes++;
    pthread_mutex_unlock(&tree_lock);
    return 0;
}

static int add_two_nodes(void)
{
    pthread_mutex_lock(&tree_lock); // @outer_lock
    int rc = add_node(); /* locks tree_lock again */
    if (rc == 0)
        rc = add_node();
    pthread_mutex_unlock(&tree_lock);
    return rc;
}

int main(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK); // @type
    pthread_mutex_init(&tree_lock, &attr);
    pthread_mutexattr_destroy(&attr);
    int rc = add_two_nodes();
    printf("add_two_nodes: %d, nodes %d\n", rc, nodes);
    pthread_mutex_destroy(&tree_lock);
    return 0;
}
