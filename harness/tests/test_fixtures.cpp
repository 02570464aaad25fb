// The parsers on logs recorded from real tools: every probe in
// fixtures/probes under clang 13, 14, 15, 16, 19 and GCC 11, 12 (TSan) and
// Valgrind 3.19 (Helgrind, DRD), recorded by fixtures/record.sh exactly as the
// harness runs the tools. What each tool reported is in fixtures/MEASURED.md.
#include "support.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

const char *const toolchains[] = {"clang-13", "clang-14", "clang-15", "clang-16",
                                  "clang-19", "gcc-11",   "gcc-12"};

struct expectation {
    const char *probe;
    std::vector<std::string> kinds; // in the order of the log
    const char *anchor;             // text of a line the first report must have a frame at
};

// TSan: every toolchain reported the same on every probe.
const expectation tsan_expected[] = {
    {"data_race", {"data-race"}, "shared = (int)"},
    {"heap_race", {"data-race"}, "*p += 1"},
    {"use_after_free", {"use-after-free"}, "*p = 42"},
    {"lock_order", {"lock-order"}, "pthread_mutex_lock(&B);"},
    {"lock_order_timed_inner", {}, nullptr},
    {"thread_leak", {"thread-leak"}, "pthread_create(&t"},
    {"unlock_unlocked", {"unlock-unlocked"}, "pthread_mutex_unlock(&m)"},
    {"unlock_unlocked_init", {"unlock-unlocked"}, "pthread_mutex_unlock(&m)"},
    {"unlock_foreign", {"unlock-unlocked"}, nullptr},
    {"relock_errorcheck", {}, nullptr},
    {"destroy_locked", {"destroy-locked"}, "pthread_mutex_destroy(&m)"},
    {"lock_destroyed", {"invalid-mutex"}, "rc = pthread_mutex_lock(&m)"},
    {"exit_holding_lock", {}, nullptr},
    {"cond_signal_unlocked", {}, nullptr},
    {"cond_wait_unheld", {"unlock-unlocked"}, "rc = pthread_cond_timedwait"},
    {"barrier_zero", {}, nullptr},
    {"sem_big", {}, nullptr},
    {"rwlock_unlock_unlocked", {}, nullptr},
    {"rwlock_unlock_unlocked_init", {}, nullptr},
    {"rwlock_foreign_unlock", {"unlock-unlocked"}, nullptr},
    {"mutex_lock_on_rwlock", {}, nullptr},
    {"mutex_lock_on_rwlock_static", {}, nullptr},
    {"signal_unsafe", {"signal-unsafe", "signal-unsafe", "errno-spoiled"}, "malloc(16)"},
    {"errno_spoiled", {"errno-spoiled"}, nullptr},
    {"hold_time", {}, nullptr},
    {"clean", {}, nullptr},
};

std::vector<std::string> sorted(std::vector<std::string> v)
{
    std::sort(v.begin(), v.end());
    return v;
}

TEST(TsanFixtures, EveryProbeOnEveryToolchain)
{
    for (const expectation &e : tsan_expected) {
        std::string source = fixture_path(std::string("probes/") + e.probe + ".c");
        for (const char *cc : toolchains) {
            SCOPED_TRACE(std::string(e.probe) + " under " + cc);
            std::string text = read_text(fixture_path(std::string("tsan/") + e.probe + "." + cc +
                                                      ".log"));
            ASSERT_FALSE(text.empty());
            rl_tsan_log log;
            rl_tsan_parse(text.data(), text.size(), &log);
            EXPECT_GT(log.started_pid, 0);
            EXPECT_EQ(log.fatal, nullptr);
            EXPECT_EQ(kinds_of(log.reports), e.kinds);
            // The runtime's own count agrees with what was read.
            EXPECT_EQ(log.warnings, e.kinds.empty() ? -1 : (int)e.kinds.size());
            if (e.anchor && log.reports.count) {
                int line = line_containing(source, e.anchor);
                ASSERT_GT(line, 0) << e.anchor;
                EXPECT_TRUE(has_frame(log.reports.items[0], std::string(e.probe) + ".c", line))
                    << "no frame at line " << line;
            }
            rl_tsan_log_clear(&log);
        }
    }
}

TEST(TsanFixtures, ARealDeadlockLeavesOnlyTheBanner)
{
    for (const char *cc : toolchains) {
        SCOPED_TRACE(cc);
        std::string text = read_text(fixture_path(std::string("tsan/real_deadlock.") + cc + ".log"));
        rl_tsan_log log;
        rl_tsan_parse(text.data(), text.size(), &log);
        EXPECT_GT(log.started_pid, 0);
        EXPECT_EQ(log.reports.count, 0u);
        EXPECT_EQ(log.warnings, -1);
        rl_tsan_log_clear(&log);
    }
}

TEST(TsanFixtures, FramesOfEachVersionLayout)
{
    // clang-14 and later add BuildId; GCC prints no column; both must give
    // the same function, file and line.
    for (const char *cc : toolchains) {
        SCOPED_TRACE(cc);
        std::string text = read_text(fixture_path(std::string("tsan/data_race.") + cc + ".log"));
        rl_tsan_log log;
        rl_tsan_parse(text.data(), text.size(), &log);
        ASSERT_EQ(log.reports.count, 1u);
        const rl_report &r = log.reports.items[0];
        ASSERT_GE(frames_of(r).size(), 2u);
        EXPECT_STREQ(frames_of(r)[0].function, "worker");
        EXPECT_EQ(std::string(frames_of(r)[0].file).substr(0, 1), "/");
        EXPECT_EQ(frames_of(r)[0].line, 9);
        rl_tsan_log_clear(&log);
    }
}

struct vg_expectation {
    const char *probe;
    std::vector<std::string> helgrind, drd;
    const char *anchor; // a line the first Helgrind report has a frame at
};

const vg_expectation vg_expected[] = {
    {"data_race", {"data-race"}, {"data-race"}, "shared = (int)"},
    {"heap_race", {"data-race", "data-race"}, {"data-race", "data-race"}, "*p += 1"},
    {"use_after_free", {}, {}, nullptr},
    {"lock_order", {"lock-order"}, {}, "pthread_mutex_lock(&B);"},
    {"lock_order_timed_inner", {"lock-order"}, {}, nullptr},
    {"thread_leak", {}, {}, nullptr},
    {"unlock_unlocked", {"invalid-mutex"}, {"invalid-mutex"}, "pthread_mutex_unlock(&m)"},
    {"unlock_unlocked_init", {"unlock-unlocked"}, {"unlock-unlocked"}, "pthread_mutex_unlock"},
    {"unlock_foreign", {"held-lock-at-exit", "unlock-foreign"},
     {"held-lock-at-exit", "unlock-unlocked"}, nullptr},
    {"relock_errorcheck", {"double-lock", "api-misuse"}, {"double-lock"}, nullptr},
    {"destroy_locked", {"destroy-locked", "api-misuse"}, {"destroy-locked"},
     "pthread_mutex_destroy(&m)"},
    {"lock_destroyed", {"api-misuse"}, {}, "rc = pthread_mutex_lock(&m)"},
    {"exit_holding_lock", {"held-lock-at-exit"}, {"held-lock-at-exit"}, nullptr},
    {"cond_signal_unlocked", {"cond-misuse"}, {"cond-misuse"}, nullptr},
    {"cond_wait_unheld", {"cond-misuse"}, {"invalid-mutex"}, "rc = pthread_cond_timedwait"},
    {"barrier_zero", {"barrier-misuse", "barrier-misuse"}, {"barrier-misuse"}, nullptr},
    {"sem_big", {"semaphore-misuse"}, {}, nullptr},
    {"rwlock_unlock_unlocked", {"invalid-mutex"}, {"invalid-mutex"}, nullptr},
    {"rwlock_unlock_unlocked_init", {"unlock-unlocked"}, {"unlock-unlocked"}, nullptr},
    {"rwlock_foreign_unlock", {"held-lock-at-exit", "unlock-foreign"},
     {"held-lock-at-exit", "unlock-unlocked"}, nullptr},
    {"mutex_lock_on_rwlock", {"invalid-mutex", "invalid-mutex"}, {"invalid-mutex", "invalid-mutex"},
     nullptr},
    {"mutex_lock_on_rwlock_static", {}, {}, nullptr},
    {"signal_unsafe", {}, {}, nullptr},
    {"errno_spoiled", {}, {}, nullptr},
    {"hold_time", {}, {}, nullptr},
    {"clean", {}, {}, nullptr},
};

void check_valgrind(const std::string &file, rl_tool_id tool, const std::vector<std::string> &kinds,
                    const char *probe, const char *anchor)
{
    SCOPED_TRACE(file);
    std::string xml = read_text(fixture_path("valgrind/" + file));
    ASSERT_FALSE(xml.empty());
    rl_vg_log log;
    ASSERT_EQ(rl_vg_parse(xml.data(), xml.size(), tool, &log), 0) << log.parse_error;
    EXPECT_STREQ(log.tool, rl_tool_name(tool));
    EXPECT_EQ(log.protocol, 4);
    EXPECT_GT(log.pid, 0);
    EXPECT_TRUE(log.finished);
    EXPECT_TRUE(log.complete);
    EXPECT_EQ(log.errorcounts, (int)log.reports.count);
    EXPECT_EQ(sorted(kinds_of(log.reports)), sorted(kinds));
    if (anchor && log.reports.count) {
        int line = line_containing(fixture_path(std::string("probes/") + probe + ".c"), anchor);
        EXPECT_TRUE(has_frame(log.reports.items[0], std::string(probe) + ".c", line))
            << "no frame at line " << line;
    }
    rl_vg_log_clear(&log);
}

TEST(ValgrindFixtures, EveryProbeUnderHelgrindAndDrd)
{
    for (const vg_expectation &e : vg_expected) {
        check_valgrind(std::string(e.probe) + ".helgrind.xml", RL_TOOL_HELGRIND, e.helgrind, e.probe,
                       e.anchor);
        check_valgrind(std::string(e.probe) + ".drd.xml", RL_TOOL_DRD, e.drd, e.probe, nullptr);
    }
    check_valgrind("hold_time.drd-threshold.xml", RL_TOOL_DRD, {"lock-contention"}, "hold_time",
                   nullptr);
}

TEST(ValgrindFixtures, ARealDeadlockLeavesATruncatedLog)
{
    for (rl_tool_id tool : {RL_TOOL_HELGRIND, RL_TOOL_DRD}) {
        std::string file = std::string("valgrind/real_deadlock.") + rl_tool_name(tool) + ".xml";
        SCOPED_TRACE(file);
        std::string xml = read_text(fixture_path(file));
        rl_vg_log log;
        EXPECT_EQ(rl_vg_parse(xml.data(), xml.size(), tool, &log), -1);
        EXPECT_NE(log.parse_error, nullptr);
        EXPECT_STREQ(log.tool, rl_tool_name(tool));
        EXPECT_FALSE(log.complete);
        EXPECT_FALSE(log.finished);
        EXPECT_TRUE(log.running);
        EXPECT_EQ(log.reports.count, 0u);
        rl_vg_log_clear(&log);
    }
}

} // namespace
