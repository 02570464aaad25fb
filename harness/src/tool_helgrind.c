/* tool_helgrind.c: Valgrind's Helgrind, a happens-before race detector that
 * also checks lock order and the pthreads API. The run itself is what every
 * Valgrind tool shares (valgrind.c); here are Helgrind's own facts. */
#include "valgrind.h"

/* The XML <kind>, refined by the words of its <xwhat><text>: the first
 * matching row wins, so specific rows come before general ones. */
static const rl_kind_rule helgrind_kinds[] = {
    {"Race", 0, NULL, NULL, RL_KIND_DATA_RACE, NULL},
    {"LockOrder", 0, NULL, NULL, RL_KIND_LOCK_ORDER, NULL},
    {"UnlockUnlocked", 0, NULL, NULL, RL_KIND_UNLOCK_UNLOCKED, NULL},
    {"UnlockForeign", 0, NULL, NULL, RL_KIND_UNLOCK_FOREIGN, NULL},
    {"UnlockBogus", 0, NULL, NULL, RL_KIND_INVALID_MUTEX, NULL},
    {"PthAPIerror", 0, "call to pthread_barrier_", NULL, RL_KIND_BARRIER_MISUSE, NULL},
    {"PthAPIerror", 0, "call to sem_", NULL, RL_KIND_SEMAPHORE_MISUSE, NULL},
    {"PthAPIerror", 0, "call to pthread_cond_", NULL, RL_KIND_COND_MISUSE, NULL},
    {"PthAPIerror", 0, NULL, NULL, RL_KIND_API_MISUSE,
     "e.g. pthread_mutex_lock failed with EDEADLK"},
    {"Misc", 0, "pthread_cond_", NULL, RL_KIND_COND_MISUSE, NULL},
    {"Misc", 0, "condition variable", NULL, RL_KIND_COND_MISUSE, NULL},
    {"Misc", 0, "pthread_barrier_", NULL, RL_KIND_BARRIER_MISUSE, NULL},
    {"Misc", 0, "sem_", NULL, RL_KIND_SEMAPHORE_MISUSE, NULL},
    {"Misc", 0, "Attempt to re-lock", NULL, RL_KIND_DOUBLE_LOCK, NULL},
    {"Misc", 0, "Exiting thread still holds", NULL, RL_KIND_HELD_LOCK_AT_EXIT, NULL},
    {"Misc", 0, "destroy of a locked", NULL, RL_KIND_DESTROY_LOCKED, NULL},
    {"Misc", 0, "with invalid argument", NULL, RL_KIND_INVALID_MUTEX, NULL},
    {"Misc", 0, "_t* argument", NULL, RL_KIND_INVALID_MUTEX, NULL},
    {"Misc", 0, "Bug in libpthread", NULL, RL_KIND_API_MISUSE, NULL},
    {"Misc", 0, "Unimplemented client request", NULL, RL_KIND_API_MISUSE, NULL},
    {"Dubious", 0, NULL, NULL, RL_KIND_COND_MISUSE, "Valgrind 3.21 and later"},
    {NULL, 0, NULL, NULL, RL_KIND_UNKNOWN, NULL},
};

/* Helgrind's own options a case may give (valgrind.c has the common ones). */
static const rl_option_rule helgrind_options[] = {
    {"--check-stack-refs", "yes", NULL},
    {"--history-level", "none|approx|full", NULL},
    {"--history-backtrace-size", "int", NULL},
    {"--conflict-cache-size", "int", NULL},
    {"--free-is-write", "yes|no", NULL},
    {"--cmp-race-err-addrs", "yes|no", NULL},
    {"--delta-stacktrace", "yes|no", NULL},
    {"--track-lockorders", "yes", NULL},
    {"--ignore-thread-creation", "no", NULL},
    {NULL, NULL, NULL},
};

/* What Helgrind has no check for (measured in the cases named). */
static const rl_blind_spot helgrind_blind[] = {
    {RL_KIND_USE_AFTER_FREE, "a free is no access to it: it reports the use only as a race with "
                             "--free-is-write=yes, and then as a data race "
                             "(use_after_free_race: clean)"},
    {RL_KIND_RWLOCK_MISUSE, "a read lock its owner's write lock refuses is to it a failed call "
                            "(api-misuse, rwlock_read_under_write)"},
    {RL_KIND_THREAD_LEAK, "no check for threads never joined (thread_leak: clean)"},
    {RL_KIND_SIGNAL_UNSAFE, "no signal-safety check (signal_unsafe_handler: clean)"},
    {RL_KIND_ERRNO_SPOILED, "no check of errno in handlers (errno_spoiled_handler: clean)"},
    {RL_KIND_LOCK_CONTENTION, "no hold-time check (lock_held_too_long: clean)"},
    {RL_KIND_ATOMICITY, "each step is atomic, so there is no race to see (atomic_toggle_race: "
                        "clean)"},
    {RL_KIND_UNKNOWN, NULL},
};

const rl_adapter rl_helgrind_adapter =
    RL_VALGRIND_ADAPTER("helgrind", helgrind_kinds, "`<xwhat><text>`", helgrind_blind,
                        helgrind_options, NULL);
