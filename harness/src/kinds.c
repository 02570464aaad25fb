/* kinds.c: the tool-neutral kind vocabulary. Each adapter maps its tool's
 * names onto it (tool_tsan.c, tool_valgrind.c); docs/kinds.md explains
 * every row; change them together. */
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
        if (k == RL_KIND_UNKNOWN)
            continue; /* what racelab says of a report, never an expectation */
        if (strlen(kind_names[k]) == len && memcmp(kind_names[k], name, len) == 0) {
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
