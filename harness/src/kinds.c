/* kinds.c: the tool-neutral kind vocabulary and each tool's mapping onto it.
 * docs/kinds.md explains every row; change them together. */
#include "util.h"

#include <string.h>

static const char *const kind_names[RL_KIND_COUNT] = {
    [RL_KIND_UNKNOWN] = "unknown",
    [RL_KIND_CLEAN] = "clean",
    [RL_KIND_DATA_RACE] = "data-race",
    [RL_KIND_USE_AFTER_FREE] = "use-after-free",
    [RL_KIND_LOCK_ORDER] = "lock-order",
    [RL_KIND_UNLOCK_UNLOCKED] = "unlock-unlocked",
    [RL_KIND_UNLOCK_FOREIGN] = "unlock-foreign",
    [RL_KIND_DOUBLE_LOCK] = "double-lock",
    [RL_KIND_DESTROY_LOCKED] = "destroy-locked",
    [RL_KIND_INVALID_MUTEX] = "invalid-mutex",
    [RL_KIND_RWLOCK_MISUSE] = "rwlock-misuse",
    [RL_KIND_COND_MISUSE] = "cond-misuse",
    [RL_KIND_BARRIER_MISUSE] = "barrier-misuse",
    [RL_KIND_SEMAPHORE_MISUSE] = "semaphore-misuse",
    [RL_KIND_THREAD_LEAK] = "thread-leak",
    [RL_KIND_HELD_LOCK_AT_EXIT] = "held-lock-at-exit",
    [RL_KIND_SIGNAL_UNSAFE] = "signal-unsafe",
    [RL_KIND_ERRNO_SPOILED] = "errno-spoiled",
    [RL_KIND_LOCK_CONTENTION] = "lock-contention",
    [RL_KIND_API_MISUSE] = "api-misuse",
    [RL_KIND_HANG] = "hang",
    [RL_KIND_EXIT] = "exit",
    [RL_KIND_SIGNAL] = "signal",
};

const char *rl_kind_name(rl_kind kind)
{
    return kind < RL_KIND_COUNT ? kind_names[kind] : "unknown";
}

int rl_kind_from_name(const char *name, size_t len, rl_kind *out)
{
    for (int k = 0; k < RL_KIND_COUNT; k++) {
        if (k == RL_KIND_UNKNOWN || k == RL_KIND_SIGNAL)
            continue; /* what racelab says of a report, never an expectation */
        if (strlen(kind_names[k]) == len && memcmp(kind_names[k], name, len) == 0) {
            *out = (rl_kind)k;
            return 0;
        }
    }
    return -1;
}

/* TSan: the headline of "WARNING: ThreadSanitizer: <headline> (pid=N)".
 * Prefixes, so that "data race on vptr (...)" is still a data race. */
static const struct {
    const char *prefix;
    rl_kind kind;
} tsan_map[] = {
    {"data race", RL_KIND_DATA_RACE},
    {"race on external object", RL_KIND_DATA_RACE},
    {"heap-use-after-free", RL_KIND_USE_AFTER_FREE},
    {"lock-order-inversion", RL_KIND_LOCK_ORDER},
    /* One headline for both; TSan's report does not say which it was. */
    {"unlock of an unlocked mutex", RL_KIND_UNLOCK_UNLOCKED},
    {"double lock of a mutex", RL_KIND_DOUBLE_LOCK},
    {"destroy of a locked mutex", RL_KIND_DESTROY_LOCKED},
    {"use of an invalid mutex", RL_KIND_INVALID_MUTEX},
    {"read lock of a write locked mutex", RL_KIND_RWLOCK_MISUSE},
    {"read unlock of a write locked mutex", RL_KIND_RWLOCK_MISUSE},
    {"thread leak", RL_KIND_THREAD_LEAK},
    {"signal-unsafe call inside of a signal", RL_KIND_SIGNAL_UNSAFE},
    {"signal handler spoils errno", RL_KIND_ERRNO_SPOILED},
    {"mutex held in the wrong context", RL_KIND_API_MISUSE},
};

rl_kind rl_kind_for_tsan(const char *headline)
{
    for (size_t i = 0; i < sizeof tsan_map / sizeof tsan_map[0]; i++)
        if (strncmp(headline, tsan_map[i].prefix, strlen(tsan_map[i].prefix)) == 0)
            return tsan_map[i].kind;
    return RL_KIND_UNKNOWN;
}

/* Valgrind: the XML <kind>, refined by words of its <xwhat>/<what> text.
 * The first row whose kind matches and whose words all occur wins, so
 * specific rows come before general ones. NULL words match anything. */
static const struct {
    rl_tool_id tool;
    const char *xml_kind;
    const char *word, *also;
    rl_kind kind;
} vg_map[] = {
    {RL_TOOL_HELGRIND, "Race", NULL, NULL, RL_KIND_DATA_RACE},
    {RL_TOOL_HELGRIND, "LockOrder", NULL, NULL, RL_KIND_LOCK_ORDER},
    {RL_TOOL_HELGRIND, "UnlockUnlocked", NULL, NULL, RL_KIND_UNLOCK_UNLOCKED},
    {RL_TOOL_HELGRIND, "UnlockForeign", NULL, NULL, RL_KIND_UNLOCK_FOREIGN},
    {RL_TOOL_HELGRIND, "UnlockBogus", NULL, NULL, RL_KIND_INVALID_MUTEX},
    {RL_TOOL_HELGRIND, "PthAPIerror", "call to pthread_barrier_", NULL, RL_KIND_BARRIER_MISUSE},
    {RL_TOOL_HELGRIND, "PthAPIerror", "call to sem_", NULL, RL_KIND_SEMAPHORE_MISUSE},
    {RL_TOOL_HELGRIND, "PthAPIerror", "call to pthread_cond_", NULL, RL_KIND_COND_MISUSE},
    {RL_TOOL_HELGRIND, "PthAPIerror", NULL, NULL, RL_KIND_API_MISUSE},
    {RL_TOOL_HELGRIND, "Misc", "pthread_cond_", NULL, RL_KIND_COND_MISUSE},
    {RL_TOOL_HELGRIND, "Misc", "condition variable", NULL, RL_KIND_COND_MISUSE},
    {RL_TOOL_HELGRIND, "Misc", "pthread_barrier_", NULL, RL_KIND_BARRIER_MISUSE},
    {RL_TOOL_HELGRIND, "Misc", "sem_", NULL, RL_KIND_SEMAPHORE_MISUSE},
    {RL_TOOL_HELGRIND, "Misc", "Attempt to re-lock", NULL, RL_KIND_DOUBLE_LOCK},
    {RL_TOOL_HELGRIND, "Misc", "Exiting thread still holds", NULL, RL_KIND_HELD_LOCK_AT_EXIT},
    {RL_TOOL_HELGRIND, "Misc", "destroy of a locked", NULL, RL_KIND_DESTROY_LOCKED},
    {RL_TOOL_HELGRIND, "Misc", "with invalid argument", NULL, RL_KIND_INVALID_MUTEX},
    {RL_TOOL_HELGRIND, "Misc", "_t* argument", NULL, RL_KIND_INVALID_MUTEX},
    {RL_TOOL_HELGRIND, "Misc", "Bug in libpthread", NULL, RL_KIND_API_MISUSE},
    {RL_TOOL_HELGRIND, "Misc", "Unimplemented client request", NULL, RL_KIND_API_MISUSE},
    {RL_TOOL_HELGRIND, "Dubious", NULL, NULL, RL_KIND_COND_MISUSE},

    {RL_TOOL_DRD, "ConflictingAccess", NULL, NULL, RL_KIND_DATA_RACE},
    /* DRD keeps a released mutex's last owner: "recursion count 0" means
     * nobody holds it, whoever owned it last. */
    {RL_TOOL_DRD, "MutexErr", "not locked by calling thread", "recursion count 0,",
     RL_KIND_UNLOCK_UNLOCKED},
    {RL_TOOL_DRD, "MutexErr", "not locked by calling thread", NULL, RL_KIND_UNLOCK_FOREIGN},
    {RL_TOOL_DRD, "MutexErr", "Mutex not locked", NULL, RL_KIND_UNLOCK_UNLOCKED},
    {RL_TOOL_DRD, "MutexErr", "Recursive locking not allowed", NULL, RL_KIND_DOUBLE_LOCK},
    {RL_TOOL_DRD, "MutexErr", "locked recursively", NULL, RL_KIND_DOUBLE_LOCK},
    {RL_TOOL_DRD, "MutexErr", "locked simultaneously", NULL, RL_KIND_DOUBLE_LOCK},
    {RL_TOOL_DRD, "MutexErr", "Destroying locked mutex", NULL, RL_KIND_DESTROY_LOCKED},
    {RL_TOOL_DRD, "MutexErr", "Mutex reinitialization", NULL, RL_KIND_DESTROY_LOCKED},
    {RL_TOOL_DRD, "MutexErr", "still locked at thread exit", NULL, RL_KIND_HELD_LOCK_AT_EXIT},
    {RL_TOOL_DRD, "MutexErr", "not a mutex", NULL, RL_KIND_INVALID_MUTEX},
    {RL_TOOL_DRD, "MutexErr", "Not a mutex", NULL, RL_KIND_INVALID_MUTEX},
    {RL_TOOL_DRD, "MutexErr", "Mutex type", NULL, RL_KIND_INVALID_MUTEX},
    {RL_TOOL_DRD, "CondErr", NULL, NULL, RL_KIND_COND_MISUSE},
    {RL_TOOL_DRD, "CondDestrErr", NULL, NULL, RL_KIND_COND_MISUSE},
    {RL_TOOL_DRD, "CondRaceErr", NULL, NULL, RL_KIND_COND_MISUSE},
    {RL_TOOL_DRD, "CondWaitErr", NULL, NULL, RL_KIND_COND_MISUSE},
    {RL_TOOL_DRD, "SemaphoreErr", NULL, NULL, RL_KIND_SEMAPHORE_MISUSE},
    {RL_TOOL_DRD, "BarrierErr", NULL, NULL, RL_KIND_BARRIER_MISUSE},
    {RL_TOOL_DRD, "RwlockErr", "Destroying locked rwlock", NULL, RL_KIND_DESTROY_LOCKED},
    {RL_TOOL_DRD, "RwlockErr", "reinitialization", NULL, RL_KIND_DESTROY_LOCKED},
    {RL_TOOL_DRD, "RwlockErr", "still locked at thread exit", NULL, RL_KIND_HELD_LOCK_AT_EXIT},
    /* Said both of a never-locked rwlock and of one another thread holds. */
    {RL_TOOL_DRD, "RwlockErr", "not locked by calling thread", NULL, RL_KIND_UNLOCK_UNLOCKED},
    {RL_TOOL_DRD, "RwlockErr", NULL, NULL, RL_KIND_RWLOCK_MISUSE},
    {RL_TOOL_DRD, "HoldtimeErr", NULL, NULL, RL_KIND_LOCK_CONTENTION},
    {RL_TOOL_DRD, "GenericErr", "Not a barrier", NULL, RL_KIND_BARRIER_MISUSE},
    {RL_TOOL_DRD, "GenericErr", "Not a semaphore", NULL, RL_KIND_SEMAPHORE_MISUSE},
    {RL_TOOL_DRD, "GenericErr", "Not a reader-writer lock", NULL, RL_KIND_INVALID_MUTEX},
    {RL_TOOL_DRD, "GenericErr", "wrong type of synchronization object", NULL,
     RL_KIND_INVALID_MUTEX},
    {RL_TOOL_DRD, "GenericErr", NULL, NULL, RL_KIND_API_MISUSE},
    {RL_TOOL_DRD, "InvalidThreadId", NULL, NULL, RL_KIND_API_MISUSE},
    {RL_TOOL_DRD, "UnimpHgClReq", NULL, NULL, RL_KIND_API_MISUSE},
    {RL_TOOL_DRD, "UnimpDrdClReq", NULL, NULL, RL_KIND_API_MISUSE},
};

rl_kind rl_kind_for_valgrind(rl_tool_id tool, const char *xml_kind, const char *what)
{
    if (!what)
        what = "";
    for (size_t i = 0; i < sizeof vg_map / sizeof vg_map[0]; i++) {
        if (vg_map[i].tool != tool || strcmp(vg_map[i].xml_kind, xml_kind) != 0)
            continue;
        if (vg_map[i].word && !strstr(what, vg_map[i].word))
            continue;
        if (vg_map[i].also && !strstr(what, vg_map[i].also))
            continue;
        return vg_map[i].kind;
    }
    return RL_KIND_UNKNOWN;
}
