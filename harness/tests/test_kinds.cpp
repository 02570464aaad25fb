// The mapping of each tool's report names onto racelab's kinds.
#include "support.h"
#include "adapter.h"

#include <gtest/gtest.h>

namespace {

TEST(Kinds, NamesRoundTrip)
{
    for (int k = 0; k < RL_KIND_COUNT; k++) {
        rl_kind back;
        const char *name = rl_kind_name((rl_kind)k);
        int rc = rl_kind_from_name(name, strlen(name), &back);
        if (k == RL_KIND_UNKNOWN) {
            EXPECT_EQ(rc, -1) << name << " must not be expectable";
        } else {
            ASSERT_EQ(rc, 0) << name;
            EXPECT_EQ(back, (rl_kind)k);
        }
    }
}

struct tsan_row {
    const char *headline, *kind;
};

const tsan_row tsan_rows[] = {
    {"data race", "data-race"},
    {"data race on vptr (ctor/dtor vs virtual call)", "data-race"},
    {"heap-use-after-free", "use-after-free"},
    {"heap-use-after-free (virtual call vs free)", "use-after-free"},
    {"lock-order-inversion (potential deadlock)", "lock-order"},
    {"unlock of an unlocked mutex (or by a wrong thread)", "unlock-unlocked"},
    {"double lock of a mutex", "double-lock"},
    {"destroy of a locked mutex", "destroy-locked"},
    {"use of an invalid mutex (e.g. uninitialized or destroyed)", "invalid-mutex"},
    {"read lock of a write locked mutex", "rwlock-misuse"},
    {"read unlock of a write locked mutex", "rwlock-misuse"},
    {"thread leak", "thread-leak"},
    {"signal-unsafe call inside of a signal", "signal-unsafe"},
    {"signal handler spoils errno", "errno-spoiled"},
    {"mutex held in the wrong context", "api-misuse"},
    {"race on external object", "data-race"},
    {"something else", "unknown"},
};

TEST(Kinds, EveryTsanReportType)
{
    for (const tsan_row &r : tsan_rows)
        EXPECT_STREQ(rl_kind_name(rl_kind_lookup(rl_adapter_for(RL_TOOL_TSAN)->kinds, r.headline, nullptr)), r.kind) << r.headline;
}

struct vg_row {
    rl_tool_id tool;
    const char *xml_kind, *what, *kind;
};

const vg_row vg_rows[] = {
    {RL_TOOL_HELGRIND, "Race", "Possible data race during write of size 4", "data-race"},
    {RL_TOOL_HELGRIND, "LockOrder", "Thread #3: lock order \"0x1 before 0x2\" violated",
     "lock-order"},
    {RL_TOOL_HELGRIND, "UnlockUnlocked", "Thread #1 unlocked a not-locked lock at 0x1",
     "unlock-unlocked"},
    {RL_TOOL_HELGRIND, "UnlockForeign", "Thread #3 unlocked lock at 0x1 currently held by thread #2",
     "unlock-foreign"},
    {RL_TOOL_HELGRIND, "UnlockBogus", "Thread #1 unlocked an invalid lock at 0x1", "invalid-mutex"},
    {RL_TOOL_HELGRIND, "PthAPIerror", "Thread #1's call to pthread_mutex_lock failed",
     "api-misuse"},
    {RL_TOOL_HELGRIND, "PthAPIerror", "Thread #1's call to pthread_barrier_init failed",
     "barrier-misuse"},
    {RL_TOOL_HELGRIND, "PthAPIerror", "Thread #1's call to pthread_cond_wait failed",
     "cond-misuse"},
    {RL_TOOL_HELGRIND, "Misc", "Thread #1: Attempt to re-lock a non-recursive lock I already hold",
     "double-lock"},
    {RL_TOOL_HELGRIND, "Misc", "Thread #2: Exiting thread still holds 1 lock", "held-lock-at-exit"},
    {RL_TOOL_HELGRIND, "Misc", "Thread #1: pthread_mutex_destroy of a locked mutex",
     "destroy-locked"},
    {RL_TOOL_HELGRIND, "Misc", "Thread #1: pthread_rwlock_destroy of a locked mutex",
     "destroy-locked"},
    {RL_TOOL_HELGRIND, "Misc", "Thread #1: pthread_mutex_destroy with invalid argument",
     "invalid-mutex"},
    {RL_TOOL_HELGRIND, "Misc", "Thread #1: pthread_mutex_lock with a pthread_rwlock_t* argument ",
     "invalid-mutex"},
    {RL_TOOL_HELGRIND, "Misc", "Thread #1: pthread_cond_{timed}wait called with invalid mutex",
     "cond-misuse"},
    {RL_TOOL_HELGRIND, "Misc",
     "Thread #1: pthread_cond_{signal,broadcast}: dubious: associated lock is not held by any "
     "thread",
     "cond-misuse"},
    {RL_TOOL_HELGRIND, "Dubious",
     "Thread #1: pthread_cond_{signal,broadcast}: dubious: associated lock is not held by any "
     "thread",
     "cond-misuse"},
    {RL_TOOL_HELGRIND, "Misc", "Thread #1: pthread_barrier_init: 'count' argument is zero",
     "barrier-misuse"},
    {RL_TOOL_HELGRIND, "Misc", "Thread #1: sem_init: initial value exceeds 10000; using 10000",
     "semaphore-misuse"},
    {RL_TOOL_HELGRIND, "Misc",
     "Thread #1: Bug in libpthread: write lock granted on rwlock which is currently rd-held",
     "api-misuse"},
    {RL_TOOL_HELGRIND, "Misc", "Thread #1: something never seen", "unknown"},
    {RL_TOOL_HELGRIND, "ConflictingAccess", "", "unknown"},

    {RL_TOOL_DRD, "ConflictingAccess", "Conflicting store by thread 1 at 0x0010c060 size 4",
     "data-race"},
    {RL_TOOL_DRD, "MutexErr", "Mutex not locked: mutex 0x10c080, recursion count 0, owner 0.",
     "unlock-unlocked"},
    {RL_TOOL_DRD, "MutexErr",
     "Mutex not locked by calling thread: mutex 0x1, recursion count 1, owner 2.",
     "unlock-foreign"},
    {RL_TOOL_DRD, "MutexErr",
     "Mutex not locked by calling thread: mutex 0x1, recursion count 0, owner 1.",
     "unlock-unlocked"},
    {RL_TOOL_DRD, "MutexErr", "Recursive locking not allowed: mutex 0x1, recursion count 1, owner 1.",
     "double-lock"},
    {RL_TOOL_DRD, "MutexErr", "Destroying locked mutex: mutex 0x1, recursion count 1, owner 1.",
     "destroy-locked"},
    {RL_TOOL_DRD, "MutexErr",
     "Mutex still locked at thread exit: mutex 0x1, recursion count 1, owner 2.",
     "held-lock-at-exit"},
    {RL_TOOL_DRD, "MutexErr", "The object at address 0x1 is not a mutex.", "invalid-mutex"},
    {RL_TOOL_DRD, "CondRaceErr", "Probably a race condition: condition variable 0x1 has been "
                                 "signaled but the associated mutex 0x2 is not locked",
     "cond-misuse"},
    {RL_TOOL_DRD, "BarrierErr", "pthread_barrier_init: 'count' argument is zero: barrier 0x1",
     "barrier-misuse"},
    {RL_TOOL_DRD, "SemaphoreErr", "Invalid semaphore: semaphore 0x1", "semaphore-misuse"},
    {RL_TOOL_DRD, "RwlockErr", "Destroying locked rwlock: rwlock 0x1.", "destroy-locked"},
    {RL_TOOL_DRD, "RwlockErr", "Reader-writer lock not locked by calling thread: rwlock 0x1.",
     "unlock-unlocked"},
    {RL_TOOL_DRD, "RwlockErr", "Recursive writer locking not allowed: rwlock 0x1.",
     "rwlock-misuse"},
    {RL_TOOL_DRD, "HoldtimeErr", "Lock on mutex 0x1 was held during 201 ms (threshold: 10 ms).",
     "lock-contention"},
    {RL_TOOL_DRD, "GenericErr", "Not a reader-writer lock", "invalid-mutex"},
    {RL_TOOL_DRD, "GenericErr", "Not a semaphore", "semaphore-misuse"},
    {RL_TOOL_DRD, "GenericErr", "missing happens-before annotation", "api-misuse"},
    {RL_TOOL_DRD, "InvalidThreadId", "pthread_join(): invalid thread ID 0x1", "api-misuse"},
    {RL_TOOL_DRD, "Race", "", "unknown"},
};

TEST(Kinds, ValgrindKindsAndTexts)
{
    for (const vg_row &r : vg_rows)
        EXPECT_STREQ(rl_kind_name(rl_kind_lookup(rl_adapter_for(r.tool)->kinds, r.xml_kind, r.what)), r.kind)
            << rl_tool_name(r.tool) << " " << r.xml_kind << ": " << r.what;
}

} // namespace
