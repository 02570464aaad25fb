/*
 * signal_safe_handler: the fix for signal_unsafe_handler (CERT SIG30-C). The
 * SIGUSR1 handler only increments a volatile sig_atomic_t counter; main
 * builds the log note with malloc and snprintf after the signal, in normal
 * code.
 *
 * Why it is correct. The handler calls nothing and touches only an object of
 * type volatile sig_atomic_t, which is what C allows a handler to write; it
 * does not change errno either. The unsafe calls moved out of it, to a place
 * where no lock of the interrupted code can be held. TSan reports nothing,
 * and Helgrind and DRD (which do not check handlers) report nothing.
 *
 * The signal is delivered exactly as in the twin: sent by another thread,
 * let in only inside main's sigsuspend.
 *
 * Twin of signal_unsafe_handler.c: the only difference is where the note is
 * made.
 */
// twin: signal_unsafe_handler
// bug: none
// expect tsan: clean
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_t main_thread;
static volatile sig_atomic_t reloads;

static void on_reload(int sig)
{
    (void)sig; /* only async-signal-safe work here: the note is made later */
    reloads++;
}

static void *send_reload(void *unused)
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
    sa.sa_handler = on_reload;
    sigaction(SIGUSR1, &sa, NULL);
    /* Block SIGUSR1, so that it waits until sigsuspend lets it in. */
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &blocked, &during_wait);
    sigdelset(&during_wait, SIGUSR1);
    main_thread = pthread_self();
    pthread_t t;
    pthread_create(&t, NULL, send_reload, NULL);
    while (!reloads)
        sigsuspend(&during_wait); /* the handler runs in here */ // @suspend
    pthread_join(t, NULL);
    char *note = malloc(64); // @malloc
    if (note) {
        snprintf(note, 64, "signal %d: reload", SIGUSR1);
        free(note); // @free
    }
    printf("reloaded %d time(s)\n", (int)reloads);
    return 0;
}
