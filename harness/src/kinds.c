/* kinds.c: racelab's vocabulary: the tool-neutral kinds of report and
 * ending (docs/kinds.md is rendered from this table and each adapter's
 * rules), signal names and verdict names. */
#define _GNU_SOURCE
#include "report.h"

#include <signal.h>
#include <string.h>

static const struct {
    const char *name;
    const char *meaning;
} kinds[RL_KIND_COUNT] = {
    [RL_KIND_UNKNOWN] = {"unknown", "a report racelab has no kind for: a new headline, an ERROR "
                                    "TSan stopped the program with, the TSan runtime killing a "
                                    "process; no expectation can name it"},
    [RL_KIND_CLEAN] = {"clean", "the tool reports nothing (an expectation only)"},
    [RL_KIND_DATA_RACE] = {"data-race", "conflicting accesses to the same memory, at least one a "
                                        "write, not ordered by synchronisation"},
    [RL_KIND_USE_AFTER_FREE] = {"use-after-free", "an access racing with `free()` of the same memory"},
    [RL_KIND_LOCK_ORDER] = {"lock-order", "locks taken in inconsistent orders: a potential deadlock"},
    [RL_KIND_UNLOCK_UNLOCKED] = {"unlock-unlocked",
                                 "unlock of a lock the calling thread does not hold, where the "
                                 "tool does not say another thread holds it"},
    [RL_KIND_UNLOCK_FOREIGN] = {"unlock-foreign", "unlock of a lock another thread holds"},
    [RL_KIND_DOUBLE_LOCK] = {"double-lock", "a thread locks a non-recursive lock it already holds"},
    [RL_KIND_DESTROY_LOCKED] = {"destroy-locked",
                                "destroy (or re-initialise) a mutex or rwlock that is locked or in use"},
    [RL_KIND_INVALID_MUTEX] = {"invalid-mutex", "a lock operation on something that is not a valid "
                                                "lock: destroyed, never initialised, or of "
                                                "another type"},
    [RL_KIND_RWLOCK_MISUSE] = {"rwlock-misuse", "reader-writer lock protocol errors: read lock "
                                                "while write-locked, recursive write lock"},
    [RL_KIND_COND_MISUSE] = {"cond-misuse", "condition variable errors: wait with a mutex not "
                                            "held, signal without the lock, mutex association"},
    [RL_KIND_BARRIER_MISUSE] = {"barrier-misuse", "`pthread_barrier_*` errors"},
    [RL_KIND_SEMAPHORE_MISUSE] = {"semaphore-misuse", "`sem_*` errors"},
    [RL_KIND_THREAD_LEAK] = {"thread-leak", "a joinable thread never joined nor detached"},
    [RL_KIND_HELD_LOCK_AT_EXIT] = {"held-lock-at-exit", "a thread ended while holding a lock"},
    [RL_KIND_SIGNAL_UNSAFE] = {"signal-unsafe",
                               "an async-signal-unsafe call (malloc, ...) in a signal handler"},
    [RL_KIND_ERRNO_SPOILED] = {"errno-spoiled", "a signal handler changed `errno`"},
    [RL_KIND_LOCK_CONTENTION] = {"lock-contention", "a lock held longer than a threshold (DRD's "
                                                    "`--exclusive-threshold`)"},
    [RL_KIND_API_MISUSE] = {"api-misuse", "a pthread call failed with an error code, or any other "
                                          "misuse the tool names without a finer kind"},
    [RL_KIND_ATOMICITY] = {"atomicity-violation",
                           "a read-modify-write done as separate steps, each atomic: no data "
                           "race, yet one thread's update can be lost (a bug no tool of "
                           "racelab's reports: the catalogue's ground truth names it)"},
    [RL_KIND_HANG] = {"hang", "the run did not end within its time limit and was killed; no tool "
                              "reports a real deadlock, it only hangs"},
    [RL_KIND_EXIT] = {"exit", "it exited with status N (`exit N`)"},
    [RL_KIND_SIGNAL] = {"signal", "it was killed by a signal (`signal SIGABRT`, `signal SIGSEGV`, "
                                  "...), or TSan caught that deadly signal and ended the run"},
};

const char *rl_kind_name(rl_kind kind)
{
    return kind < RL_KIND_COUNT ? kinds[kind].name : "unknown";
}

const char *rl_kind_meaning(rl_kind kind)
{
    return kind < RL_KIND_COUNT ? kinds[kind].meaning : "";
}

int rl_kind_from_name(const char *name, size_t len, rl_kind *out)
{
    for (int k = 0; k < RL_KIND_COUNT; k++) {
        if (k == RL_KIND_UNKNOWN)
            continue; /* what racelab says of a report, never an expectation */
        if (strlen(kinds[k].name) == len && memcmp(kinds[k].name, name, len) == 0) {
            *out = (rl_kind)k;
            return 0;
        }
    }
    return -1;
}

int rl_kind_is_ending(rl_kind kind)
{
    return kind == RL_KIND_EXIT || kind == RL_KIND_SIGNAL || kind == RL_KIND_HANG;
}

rl_kind rl_kind_lookup(const rl_kind_rule *rules, const char *name, const char *text)
{
    if (!text)
        text = "";
    for (const rl_kind_rule *r = rules; r && r->name; r++) {
        size_t n = strlen(r->name);
        if (r->prefix ? strncmp(name, r->name, n) != 0 : strcmp(name, r->name) != 0)
            continue;
        if ((r->word && !strstr(text, r->word)) || (r->also && !strstr(text, r->also)))
            continue;
        return r->kind;
    }
    return RL_KIND_UNKNOWN;
}

const char *rl_verdict_name(rl_verdict v)
{
    static const char *const names[RL_VERDICT_COUNT] = {"pass", "fail", "error", "skip"};
    return (unsigned)v < RL_VERDICT_COUNT ? names[v] : "?";
}

static const struct {
    int signo;
    const char *name;
} signals[] = {
    {SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"}, {SIGILL, "SIGILL"},
    {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},
    {SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"}, {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
    {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"}, {SIGCHLD, "SIGCHLD"},
    {SIGCONT, "SIGCONT"}, {SIGSTOP, "SIGSTOP"}, {SIGTSTP, "SIGTSTP"}, {SIGTTIN, "SIGTTIN"},
    {SIGTTOU, "SIGTTOU"}, {SIGURG, "SIGURG"},   {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"},
    {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"}, {SIGWINCH, "SIGWINCH"}, {SIGIO, "SIGIO"},
    {SIGPWR, "SIGPWR"},   {SIGSYS, "SIGSYS"},
};

const char *rl_signal_name(int signo)
{
    for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
        if (signals[i].signo == signo)
            return signals[i].name;
    return NULL;
}

int rl_signal_from_name(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
        if (strlen(signals[i].name) == len && memcmp(signals[i].name, name, len) == 0)
            return signals[i].signo;
    return -1;
}
