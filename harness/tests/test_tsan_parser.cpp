// The TSan text reader, on hand-made variations of the layout. Recorded logs
// of every supported toolchain are in test_fixtures.cpp.
#include "support.h"

#include <gtest/gtest.h>

namespace {

struct tsan_log {
    rl_tsan_log log;
    explicit tsan_log(const std::string &text) { rl_tsan_parse(text.data(), text.size(), &log); }
    ~tsan_log() { rl_tsan_log_clear(&log); }
};

const char clang14[] =
    "***** Running under ThreadSanitizer v3 (pid 2009) *****\n"
    "==================\n"
    "WARNING: ThreadSanitizer: data race (pid=2009)\n"
    "  Write of size 4 at 0x5604f4084258 by main thread:\n"
    "    #0 main /tmp/probe/race.c:5:59 (race.clang+0xd0151) (BuildId: 809f55a15ddb57e3e2c6)\n"
    "\n"
    "  Previous write of size 4 at 0x5604f4084258 by thread T1:\n"
    "    #0 thr /tmp/probe/race.c:4:31 (race.clang+0xd00ff) (BuildId: 809f55a15ddb57e3e2c6)\n"
    "\n"
    "  Thread T1 (tid=2011, finished) created by main thread at:\n"
    "    #0 pthread_create <null> (race.clang+0x513ad) (BuildId: 809f55a15ddb57e3e2c6)\n"
    "    #1 main /tmp/probe/race.c:5:30 (race.clang+0xd0139) (BuildId: 809f55a15ddb57e3e2c6)\n"
    "\n"
    "SUMMARY: ThreadSanitizer: data race /tmp/probe/race.c:5:59 in main\n"
    "==================\n"
    "Stats: SizeClassAllocator64: 0M mapped (0M rss) in 528 allocations; remains 528\n"
    "ThreadSanitizer: reported 1 warnings\n";

TEST(TsanParser, ReadsClangReportWithBuildIdAndColumns)
{
    tsan_log t(clang14);
    EXPECT_EQ(t.log.started_pid, 2009);
    EXPECT_EQ(t.log.warnings, 1);
    EXPECT_EQ(t.log.fatal, nullptr);
    ASSERT_EQ(t.log.reports.count, 1u);
    const rl_report &r = t.log.reports.items[0];
    EXPECT_EQ(r.kind, RL_KIND_DATA_RACE);
    EXPECT_STREQ(r.tool_kind, "data race");
    EXPECT_STREQ(r.headline, "data race: Write of size 4 at 0x5604f4084258 by main thread");
    ASSERT_EQ(r.nframes, 4u);
    EXPECT_STREQ(r.frames[0].function, "main");
    EXPECT_STREQ(r.frames[0].file, "/tmp/probe/race.c");
    EXPECT_EQ(r.frames[0].line, 5);
    EXPECT_EQ(r.frames[1].line, 4);
    EXPECT_STREQ(r.frames[2].function, "pthread_create");
    EXPECT_EQ(r.frames[2].file, nullptr);
    EXPECT_EQ(r.frames[2].line, 0);
}

TEST(TsanParser, ReadsGccFramesWithoutColumnOrBuildId)
{
    tsan_log t("***** Running under ThreadSanitizer v2 (pid 77) *****\n"
               "WARNING: ThreadSanitizer: data race (pid=77)\n"
               "    #0 thr /tmp/probe/race.c:4 (race.gcc+0x11e8)\n"
               "    #0 pthread_create ../../../../src/libsanitizer/tsan/"
               "tsan_interceptors_posix.cpp:1001 (libtsan.so.2+0x5e686)\n"
               "SUMMARY: ThreadSanitizer: data race /tmp/probe/race.c:4 in thr\n");
    EXPECT_EQ(t.log.started_pid, 77);
    EXPECT_EQ(t.log.warnings, -1);
    ASSERT_EQ(t.log.reports.count, 1u);
    const rl_report &r = t.log.reports.items[0];
    ASSERT_EQ(r.nframes, 2u);
    EXPECT_STREQ(r.frames[0].file, "/tmp/probe/race.c");
    EXPECT_EQ(r.frames[0].line, 4);
    EXPECT_STREQ(r.frames[1].function, "pthread_create");
    EXPECT_STREQ(r.frames[1].file,
                 "../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp");
    EXPECT_EQ(r.frames[1].line, 1001);
}

TEST(TsanParser, ToleratesSpacesNullsAndMissingModules)
{
    tsan_log t("WARNING: ThreadSanitizer: thread leak (pid=5)\n"
               "    #0 main /home/a user/my cases/leak.c:12:3 (leak+0x1) (BuildId: ab)\n"
               "    #1 <null> <null> (libc.so.6+0x271c9) (BuildId: cd)\n"
               "    #2 worker /src/w.c:7\n"
               "    [failed to restore the stack]\n"
               "    #3 _start (leak+0x2)\n");
    ASSERT_EQ(t.log.reports.count, 1u);
    const rl_report &r = t.log.reports.items[0];
    EXPECT_EQ(r.kind, RL_KIND_THREAD_LEAK);
    ASSERT_EQ(r.nframes, 4u);
    EXPECT_STREQ(r.frames[0].file, "/home/a user/my cases/leak.c");
    EXPECT_EQ(r.frames[0].line, 12);
    EXPECT_EQ(r.frames[1].function, nullptr);
    EXPECT_EQ(r.frames[1].file, nullptr);
    EXPECT_STREQ(r.frames[2].file, "/src/w.c");
    EXPECT_EQ(r.frames[2].line, 7);
    EXPECT_STREQ(r.frames[3].function, "_start");
    EXPECT_EQ(r.frames[3].file, nullptr);
}

TEST(TsanParser, KeepsEveryReportAndTheirOrder)
{
    tsan_log t("WARNING: ThreadSanitizer: lock-order-inversion (potential deadlock) (pid=1)\r\n"
               "    #1 t1 /x/lo.c:4:53 (lo+0xd010b) (BuildId: 1d)\r\n"
               "SUMMARY: ThreadSanitizer: lock-order-inversion (potential deadlock) (/x/lo+0x6)"
               " (BuildId: 1d) in __interceptor_pthread_mutex_lock\r\n"
               "WARNING: ThreadSanitizer: signal handler spoils errno (pid=1)\n"
               "WARNING: ThreadSanitizer: something new in LLVM 99 (pid=1)\n"
               "    #0 f /x/new.c:9 (new+0x1)\n"
               "ThreadSanitizer: reported 3 warnings\n");
    EXPECT_EQ(kinds_of(t.log.reports),
              (std::vector<std::string>{"lock-order", "errno-spoiled", "unknown"}));
    EXPECT_STREQ(t.log.reports.items[0].frames[0].file, "/x/lo.c");
    EXPECT_STREQ(t.log.reports.items[2].tool_kind, "something new in LLVM 99");
    EXPECT_STREQ(t.log.reports.items[1].headline, "signal handler spoils errno");
    EXPECT_EQ(t.log.reports.items[2].nframes, 1u);
    EXPECT_EQ(t.log.warnings, 3);
}

TEST(TsanParser, KeepsAReportCutShort)
{
    tsan_log t("***** Running under ThreadSanitizer v3 (pid 9) *****\n"
               "WARNING: ThreadSanitizer: data race (pid=9)\n"
               "  Write of size 4 at 0x1 by thread T1:\n"
               "    #0 thr /x/r.c:8:3 (r+0x1) (Bui");
    ASSERT_EQ(t.log.reports.count, 1u);
    EXPECT_EQ(t.log.reports.items[0].kind, RL_KIND_DATA_RACE);
    EXPECT_EQ(t.log.warnings, -1);
}

TEST(TsanParser, NoticesFatalStartupFailures)
{
    tsan_log t("FATAL: ThreadSanitizer: unexpected memory mapping 0x7f0000000000-0x7f0000001000\n");
    EXPECT_EQ(t.log.started_pid, 0);
    ASSERT_NE(t.log.fatal, nullptr);
    EXPECT_STREQ(t.log.fatal,
                 "FATAL: ThreadSanitizer: unexpected memory mapping 0x7f0000000000-0x7f0000001000");
    EXPECT_EQ(t.log.reports.count, 0u);
}

TEST(TsanParser, EmptyLogHasNoBannerAndNoReports)
{
    tsan_log t("");
    EXPECT_EQ(t.log.started_pid, 0);
    EXPECT_EQ(t.log.warnings, -1);
    EXPECT_EQ(t.log.reports.count, 0u);
    tsan_log u("#0 main /x.c:1 (x+0x1)\nnot a report\n");
    EXPECT_EQ(u.log.reports.count, 0u);
}

} // namespace
