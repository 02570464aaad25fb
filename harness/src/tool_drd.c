/* tool_drd.c: Valgrind's DRD, a race detector that also checks the pthreads
 * API and, when asked, how long locks are held; it has no lock-order check.
 * The run itself is what every Valgrind tool shares (valgrind.c); here are
 * DRD's own facts. */
#include "valgrind.h"

/* The XML <kind>, refined by the words of its <what>: the first matching
 * row wins, so specific rows come before general ones. */
static const rl_kind_rule drd_kinds[] = {
    {"ConflictingAccess", 0, NULL, NULL, RL_KIND_DATA_RACE, NULL},
    {"MutexErr", 0, "not locked by calling thread", "recursion count 0,", RL_KIND_UNLOCK_UNLOCKED,
     "DRD keeps the last owner of a released mutex: a recursion count of 0 means nobody holds it"},
    {"MutexErr", 0, "not locked by calling thread", NULL, RL_KIND_UNLOCK_FOREIGN, NULL},
    {"MutexErr", 0, "Mutex not locked", NULL, RL_KIND_UNLOCK_UNLOCKED, NULL},
    {"MutexErr", 0, "Recursive locking not allowed", NULL, RL_KIND_DOUBLE_LOCK, NULL},
    {"MutexErr", 0, "locked recursively", NULL, RL_KIND_DOUBLE_LOCK, NULL},
    {"MutexErr", 0, "locked simultaneously", NULL, RL_KIND_DOUBLE_LOCK, NULL},
    {"MutexErr", 0, "Destroying locked mutex", NULL, RL_KIND_DESTROY_LOCKED, NULL},
    {"MutexErr", 0, "Mutex reinitialization", NULL, RL_KIND_DESTROY_LOCKED, NULL},
    {"MutexErr", 0, "still locked at thread exit", NULL, RL_KIND_HELD_LOCK_AT_EXIT, NULL},
    {"MutexErr", 0, "not a mutex", NULL, RL_KIND_INVALID_MUTEX, NULL},
    {"MutexErr", 0, "Not a mutex", NULL, RL_KIND_INVALID_MUTEX, NULL},
    {"MutexErr", 0, "Mutex type", NULL, RL_KIND_INVALID_MUTEX, NULL},
    {"CondErr", 0, NULL, NULL, RL_KIND_COND_MISUSE, NULL},
    {"CondDestrErr", 0, NULL, NULL, RL_KIND_COND_MISUSE, NULL},
    {"CondRaceErr", 0, NULL, NULL, RL_KIND_COND_MISUSE, NULL},
    {"CondWaitErr", 0, NULL, NULL, RL_KIND_COND_MISUSE, NULL},
    {"SemaphoreErr", 0, NULL, NULL, RL_KIND_SEMAPHORE_MISUSE, NULL},
    {"BarrierErr", 0, NULL, NULL, RL_KIND_BARRIER_MISUSE, NULL},
    {"RwlockErr", 0, "Destroying locked rwlock", NULL, RL_KIND_DESTROY_LOCKED, NULL},
    {"RwlockErr", 0, "reinitialization", NULL, RL_KIND_DESTROY_LOCKED, NULL},
    {"RwlockErr", 0, "still locked at thread exit", NULL, RL_KIND_HELD_LOCK_AT_EXIT, NULL},
    {"RwlockErr", 0, "not locked by calling thread", NULL, RL_KIND_UNLOCK_UNLOCKED,
     "said both of a never-locked and of a foreign-held rwlock"},
    {"RwlockErr", 0, NULL, NULL, RL_KIND_RWLOCK_MISUSE, NULL},
    {"HoldtimeErr", 0, NULL, NULL, RL_KIND_LOCK_CONTENTION, NULL},
    {"GenericErr", 0, "Not a barrier", NULL, RL_KIND_BARRIER_MISUSE, NULL},
    {"GenericErr", 0, "Not a semaphore", NULL, RL_KIND_SEMAPHORE_MISUSE, NULL},
    {"GenericErr", 0, "Not a reader-writer lock", NULL, RL_KIND_INVALID_MUTEX, NULL},
    {"GenericErr", 0, "wrong type of synchronization object", NULL, RL_KIND_INVALID_MUTEX, NULL},
    {"GenericErr", 0, NULL, NULL, RL_KIND_API_MISUSE, NULL},
    {"InvalidThreadId", 0, NULL, NULL, RL_KIND_API_MISUSE, NULL},
    {"UnimpHgClReq", 0, NULL, NULL, RL_KIND_API_MISUSE, NULL},
    {"UnimpDrdClReq", 0, NULL, NULL, RL_KIND_API_MISUSE, NULL},
    {NULL, 0, NULL, NULL, RL_KIND_UNKNOWN, NULL},
};

/* DRD's own options a case may give (valgrind.c has the common ones). */
static const rl_option_rule drd_options[] = {
    {"--check-stack-var", "yes", NULL},
    {"--exclusive-threshold", "int", NULL},
    {"--shared-threshold", "int", NULL},
    {"--free-is-write", "yes|no", NULL},
    {"--join-list-vol", NULL, "a shorter list forgets joins, which can hide a race"},
    {"--segment-merging", "yes|no", NULL},
    {"--segment-merging-interval", "int", NULL},
    {"--show-confl-seg", "yes|no", NULL},
    {"--show-stack-usage", "yes|no", NULL},
    {"--report-signal-unlocked", "yes", NULL},
    {"--first-race-only", "no", NULL},
    {"--ignore-thread-creation", "no", NULL},
    {NULL, NULL, NULL},
};

/* DRD's default, --check-stack-var=no, ignores every access to a stack
 * variable, which Helgrind (--check-stack-refs=yes) and TSan check. */
static const char *const drd_forced[] = {"--check-stack-var=yes", NULL};

/* What DRD has no check for (measured in the cases named). */
static const rl_blind_spot drd_blind[] = {
    {RL_KIND_USE_AFTER_FREE, "a free is no access to it: it reports the use only as a race with "
                             "--free-is-write=yes, and then as a data race "
                             "(use_after_free_race: a data race on the object's field)"},
    {RL_KIND_LOCK_ORDER, "no lock-order check (lock_order_deadlock, lock_cycle_three: clean)"},
    {RL_KIND_THREAD_LEAK, "no check for threads never joined (thread_leak: clean)"},
    {RL_KIND_SIGNAL_UNSAFE, "no signal-safety check (signal_unsafe_handler: clean)"},
    {RL_KIND_ERRNO_SPOILED, "no check of errno in handlers (errno_spoiled_handler: clean)"},
    {RL_KIND_API_MISUSE, "its pthread errors all have finer kinds here; its generic ones "
                         "(InvalidThreadId) need an id it never saw, and 3.19 raises none for "
                         "a second join (join_twice: clean)"},
    {RL_KIND_ATOMICITY, "each step is atomic, so there is no race to see (atomic_toggle_race: "
                        "clean)"},
    {RL_KIND_UNKNOWN, NULL},
};

const rl_adapter rl_drd_adapter =
    RL_VALGRIND_ADAPTER("drd", drd_kinds, "`<what>`", drd_blind, drd_options, drd_forced);
