/*
 * errno_spoiled_handler: a handler reaps finished children with
 * waitpid(WNOHANG) and returns with errno changed (ECHILD: there are no
 * children), spoiling errno for the code it interrupted.
 *
 * The bug. errno is per thread, and a handler runs in the interrupted thread,
 * between any two instructions of it: between a failed call and the line
 * that reads errno, for example. A handler that calls anything able to set
 * errno (waitpid is async-signal-safe, so that call itself is allowed) must
 * save errno on entry and restore it on exit, or the interrupted code reads
 * the handler's error instead of its own. The classic place is a SIGCHLD
 * handler like this one; here SIGUSR1 stands in for SIGCHLD, so that the
 * program needs no child process.
 *
 * The fix: save errno at the top of the handler and restore it before
 * returning (errno_saved_handler.c).
 *
 * The run is the same every time, and the signal is asynchronous as TSan's
 * check needs: main blocks SIGUSR1, starts a thread that sends it to main
 * with pthread_kill, and lets it in only inside sigsuspend (@suspend). TSan
 * checks errno only for asynchronous signals: not for one a thread sends
 * itself (kill, raise or pthread_kill of itself are delivered synchronously),
 * not for SIGSEGV and the other synchronous faults, and not for SIGTERM.
 *
 * What the tools see: TSan "signal handler spoils errno", with the
 * handler's entry and main's sigsuspend (@suspend) in the stack (it sets
 * errno to a marker value before the handler and compares after). Helgrind
 * and DRD have no such check and report nothing.
 */
// twin: errno_saved_handler
// bug: errno-spoiled
// expect tsan: errno-spoiled @suspend
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
    while (waitpid(-1, NULL, WNOHANG) > 0) // @waitpid
        ;
    reaped_calls++;
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
