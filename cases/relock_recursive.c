/*
 * relock_recursive: the fix for relock_errorcheck. The tree's mutex is
 * recursive (PTHREAD_MUTEX_RECURSIVE), so add_node() may lock it again while
 * add_two_nodes() holds it.
 *
 * Why it is correct. A recursive mutex counts its owner's locks and is
 * released when the unlocks have matched them, so the nested lock and unlock
 * in add_node() are fine; other threads still wait until the outermost unlock.
 * The program prints "add_two_nodes: 0, nodes 2". All tools model recursive
 * mutexes and report nothing.
 *
 * A recursive mutex hides lock nesting that may not be intended; often the
 * cleaner fix is a helper that does not lock and documents that its caller
 * holds the lock.
 *
 * Twin of relock_errorcheck.c: the only difference is the mutex type.
 */
// twin: relock_errorcheck
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
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
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE); // @type
    pthread_mutex_init(&tree_lock, &attr);
    pthread_mutexattr_destroy(&attr);
    int rc = add_two_nodes();
    printf("add_two_nodes: %d, nodes %d\n", rc, nodes);
    pthread_mutex_destroy(&tree_lock);
    return 0;
}
