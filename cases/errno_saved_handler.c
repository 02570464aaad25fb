/*
 * errno_saved_handler: the fix for errno_spoiled_handler. The handler saves
 * errno on entry and restores it before returning.
 *
 * Why it is correct. Whatever waitpid does to errno inside the handler, the
 * interrupted code finds errno as it left it. TSan, which sets errno to a
 * marker value before calling a handler and checks it afterwards, reports
 * nothing; Helgrind and DRD do not check and report nothing.
 *
 * The signal is delivered exactly as in the twin: sent by another thread,
 * let in only inside main's sigsuspend.
 *
 * Twin of errno_spoiled_handler.c: the only difference is the save and
 * restore of errno.
 */
// twin: errno_spoiled_handler
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static pthread_t main_thread;
static volatile sig_atomic_t reaped_calls;

/* Reaps every child that has ended (there are none here). */
static void on_child(int sig)
{
    (void)sig;
    int saved_errno = errno;
    while (waitpid(-1, NULL, WNOHANG) > 0) // @waitpid
        ;
    reaped_calls++;
    errno = saved_errno;
}

static void *send_signal(void *unused)
{
    (void)unused;
    pthread_kill(main_thread, SIGUSR1);
    return NULL;
}

int main(void)
{
    struct sigaction sa;
    sigset_t blocked, during_wait;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_child;
    sigaction(SIGUSR1, &sa, NULL);
    /* Block SIGUSR1, so that it waits until sigsuspend lets it in. */
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &blocked, &during_wait);
    sigdelset(&during_wait, SIGUSR1);
    main_thread = pthread_self();
    pthread_t t;
    pthread_create(&t, NULL, send_signal, NULL);
    while (!reaped_calls)
        sigsuspend(&during_wait); /* the handler runs in here */ // @suspend
    pthread_join(t, NULL);
    printf("handler ran %d time(s)\n", (int)reaped_calls);
    return 0;
}
