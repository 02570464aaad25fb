/*
 * mutex_initialised: the fix for mutex_uninitialised. The account's
 * constructor initialises its mutex with pthread_mutex_init (after filling
 * the memory, as the twin does), and the mutex is destroyed before the
 * account is freed.
 *
 * Why it is correct. pthread_mutex_init sets every byte of the mutex that
 * matters, whatever the memory held, so lock and unlock work ("lock returned
 * 0, balance 10"), and init and destroy bracket the mutex's life as malloc
 * and free bracket the memory's. All tools report nothing.
 *
 * Twin of mutex_uninitialised.c: the only difference is the init and the
 * destroy.
 */
// twin: mutex_uninitialised
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct account {
    pthread_mutex_t lock;
    long balance;
};

static struct account *account_new(void)
{
    struct account *a = malloc(sizeof *a); // @alloc
    if (!a)
        abort();
    memset(a, 0xff, sizeof *a); /* stands for whatever the memory held before */
    pthread_mutex_init(&a->lock, NULL); // @init
    a->balance = 0;
    return a;
}

static void *deposit(void *arg)
{
    struct account *a = arg;
    int rc = pthread_mutex_lock(&a->lock); // @lock
    a->balance += 10;
    pthread_mutex_unlock(&a->lock); // @unlock
    return (void *)(long)rc;
}

int main(void)
{
    pthread_t t;
    void *rc;
    struct account *a = account_new();
    pthread_create(&t, NULL, deposit, a);
    pthread_join(t, &rc);
    printf("lock returned %ld, balance %ld\n", (long)rc, a->balance);
    pthread_mutex_destroy(&a->lock);
    free(a);
    return 0;
}
