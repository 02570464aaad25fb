/*
 * signal_unsafe_handler: a SIGUSR1 handler builds a log note with malloc,
 * snprintf and free (CERT SIG30-C: "Call only asynchronous-safe functions
 * within signal handlers").
 *
 * The bug. A signal can arrive at any instruction, including inside malloc
 * in the interrupted thread, while the allocator's lock is held or its lists
 * are half updated. If the handler then calls malloc, it deadlocks on that
 * lock or corrupts the heap. Only the functions POSIX lists as
 * async-signal-safe may be called from a handler (write, sem_post, _exit,
 * ...); malloc, free, printf and snprintf are not.
 *
 * The fix: keep the handler minimal: set a volatile sig_atomic_t flag (or
 * write a byte to a pipe) and do the real work in normal code after the
 * signal (signal_safe_handler.c).
 *
 * The run is the same every time, and the signal is asynchronous as the
 * checks need: main blocks SIGUSR1, starts a thread that sends it to main
 * with pthread_kill, and lets it in only inside sigsuspend (@suspend); so the
 * handler always runs in main, while main waits in sigsuspend, for a signal
 * another thread sent. (TSan checks signals sent by the receiving thread to
 * itself, and faults like SIGSEGV, as synchronous, and does not check errno
 * for them.)
 *
 * What the tools see.
 * - TSan: "signal-unsafe call inside of a signal" twice, at the malloc
 *   (@malloc) and at the free (@free). The snprintf is not reported: TSan's
 *   check sits in its allocator, so it sees only calls that allocate or free.
 *   The handler saves and restores errno, so that this case shows one bug:
 *   whether the calls change errno depends on the C library and the
 *   compiler (measured: with clang 14 they did not, with GCC 12 they did,
 *   and TSan then also reported "signal handler spoils errno"); that bug has
 *   its own case, errno_spoiled_handler.c.
 * - Helgrind and DRD have no signal-safety checks and report nothing.
 */
// twin: signal_safe_handler
// bug: signal-unsafe
// expect tsan: signal-unsafe @access:malloc @suspend
// expect tsan: signal-unsafe @access:free @suspend
// expect helgrind: clean
// expect drd: clean
// expect native: exit 0

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_t main_thread;
static volatile sig_atomic_t reloads;

static void on_reload(int sig)
{
    int saved_errno = errno;
    char *note = malloc(64); // @malloc
    if (note) {
        snprintf(note, 64, "signal %d: reload", sig);
        free(note); // @free
    }
    reloads++;
    errno = saved_errno;
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
    printf("reloaded %d time(s)\n", (int)reloads);
    return 0;
}
