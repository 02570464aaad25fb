// The TSan text reader, on hand-made variations of the layout. Recorded logs
// of every supported toolchain are in test_fixtures.cpp.
#include "support.h"
#include "adapter.h"
#include "tsan_log.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

namespace {

struct tsan_log {
    rl_tsan_log log;
    explicit tsan_log(const std::string &text) { rl_tsan_parse(text.data(), text.size(), rl_adapter_for(RL_TOOL_TSAN)->kinds, &log); }
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
    ASSERT_EQ(frames_of(r).size(), 4u);
    EXPECT_STREQ(frames_of(r)[0].function, "main");
    EXPECT_STREQ(frames_of(r)[0].file, "/tmp/probe/race.c");
    EXPECT_EQ(frames_of(r)[0].line, 5);
    EXPECT_EQ(frames_of(r)[1].line, 4);
    EXPECT_STREQ(frames_of(r)[2].function, "pthread_create");
    EXPECT_EQ(frames_of(r)[2].file, nullptr);
    EXPECT_EQ(frames_of(r)[2].line, 0);
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
    ASSERT_EQ(frames_of(r).size(), 2u);
    EXPECT_STREQ(frames_of(r)[0].file, "/tmp/probe/race.c");
    EXPECT_EQ(frames_of(r)[0].line, 4);
    EXPECT_STREQ(frames_of(r)[1].function, "pthread_create");
    EXPECT_STREQ(frames_of(r)[1].file,
                 "../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp");
    EXPECT_EQ(frames_of(r)[1].line, 1001);
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
    ASSERT_EQ(frames_of(r).size(), 4u);
    EXPECT_STREQ(frames_of(r)[0].file, "/home/a user/my cases/leak.c");
    EXPECT_EQ(frames_of(r)[0].line, 12);
    EXPECT_EQ(frames_of(r)[1].function, nullptr);
    EXPECT_EQ(frames_of(r)[1].file, nullptr);
    EXPECT_STREQ(frames_of(r)[2].file, "/src/w.c");
    EXPECT_EQ(frames_of(r)[2].line, 7);
    EXPECT_STREQ(frames_of(r)[3].function, "_start");
    EXPECT_EQ(frames_of(r)[3].file, nullptr);
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
    EXPECT_STREQ(frames_of(t.log.reports.items[0])[0].file, "/x/lo.c");
    EXPECT_STREQ(t.log.reports.items[2].tool_kind, "something new in LLVM 99");
    EXPECT_STREQ(t.log.reports.items[1].headline, "signal handler spoils errno");
    EXPECT_EQ(frames_of(t.log.reports.items[2]).size(), 1u);
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

TEST(TsanParser, SortsStacksIntoAccessesAndContext)
{
    tsan_log t(clang14);
    ASSERT_EQ(t.log.reports.count, 1u);
    const rl_report &r = t.log.reports.items[0];
    ASSERT_EQ(r.nstacks, 3u);
    EXPECT_STREQ(r.stacks[0].title, "Write of size 4 at 0x5604f4084258 by main thread");
    EXPECT_TRUE(r.stacks[0].access);
    EXPECT_STREQ(r.stacks[1].title, "Previous write of size 4 at 0x5604f4084258 by thread T1");
    EXPECT_TRUE(r.stacks[1].access);
    EXPECT_FALSE(r.stacks[2].access) << "where a thread was created is context";
    EXPECT_TRUE(t.log.finished == 0) << "no end-of-run statistics in this log";

    tsan_log leak("WARNING: ThreadSanitizer: thread leak (pid=5)\n"
                  "  Thread T1 (tid=6, finished) created by main thread at:\n"
                  "    #0 pthread_create <null> (x+0x1)\n"
                  "    #1 main /x/leak.c:9 (x+0x2)\n\n"
                  "SUMMARY: ThreadSanitizer: thread leak /x/leak.c:9 in main\n");
    ASSERT_EQ(leak.log.reports.count, 1u);
    ASSERT_EQ(leak.log.reports.items[0].nstacks, 1u);
    EXPECT_TRUE(leak.log.reports.items[0].stacks[0].access) << "the leaked thread's creation is the report";

    tsan_log lock("WARNING: ThreadSanitizer: destroy of a locked mutex (pid=5)\n"
                  "    #0 pthread_mutex_destroy <null> (x+0x1)\n"
                  "    #1 main /x/d.c:9 (x+0x2)\n\n"
                  "  and:\n"
                  "    #0 pthread_mutex_lock <null> (x+0x1)\n"
                  "    #1 main /x/d.c:8 (x+0x2)\n\n"
                  "  Mutex M1 (0x1) created at:\n"
                  "    #0 pthread_mutex_init <null> (x+0x1)\n"
                  "    #1 main /x/d.c:7 (x+0x2)\n\n"
                  "  Location is heap block of size 40 at 0x1 allocated by main thread:\n"
                  "    #0 malloc <null> (x+0x1)\n"
                  "    #1 main /x/d.c:6 (x+0x2)\n\n");
    const rl_report &d = lock.log.reports.items[0];
    ASSERT_EQ(d.nstacks, 4u);
    EXPECT_TRUE(d.stacks[0].access);
    EXPECT_TRUE(d.stacks[1].access);
    EXPECT_STREQ(d.stacks[1].title, "");
    EXPECT_FALSE(d.stacks[2].access);
    EXPECT_FALSE(d.stacks[3].access);
}

// What clang 14's runtime prints when the program dies of SIGSEGV: a deadly
// signal it caught, reported as an ERROR block, then "ABORTING".
const char segv[] = "***** Running under ThreadSanitizer v3 (pid 31) *****\n"
                    "ThreadSanitizer:DEADLYSIGNAL\n"
                    "==31==ERROR: ThreadSanitizer: SEGV on unknown address 0x000000000000 "
                    "(pc 0x55 bp 0x7f sp 0x7f T31)\n"
                    "==31==The signal is caused by a WRITE memory access.\n"
                    "==31==Hint: address points to the zero page.\n"
                    "    #0 main /x/crash.c:7:8 (crash+0xd1) (BuildId: 1)\n"
                    "\n"
                    "ThreadSanitizer can not provide additional info.\n"
                    "SUMMARY: ThreadSanitizer: SEGV /x/crash.c:7:8 in main\n"
                    "==31==ABORTING\n";

TEST(TsanParser, NoticesADeadlySignalTheRuntimeCaught)
{
    tsan_log t(segv);
    EXPECT_EQ(t.log.started_pid, 31);
    EXPECT_EQ(t.log.error_signal, SIGSEGV);
    ASSERT_NE(t.log.error, nullptr);
    EXPECT_STREQ(t.log.error, "SEGV on unknown address 0x000000000000 (pc 0x55 bp 0x7f sp 0x7f T31)");
    ASSERT_EQ(t.log.errors.count, 1u);
    EXPECT_STREQ(t.log.errors.items[0].tool_kind, "SEGV");
    EXPECT_EQ(frames_of(t.log.errors.items[0]).size(), 1u);
    EXPECT_EQ(t.log.dying, nullptr) << "ABORTING closes the ERROR block";
    EXPECT_EQ(t.log.unrecognised, nullptr);
    EXPECT_EQ(t.log.reports.count, 0u);
}

TEST(TsanParser, NoticesRuntimeErrorsAndDeathsThatAreNotReports)
{
    tsan_log big("==8==ERROR: ThreadSanitizer: requested allocation size 0xffffffffffffffff "
                 "exceeds maximum supported size of 0x10000000000\n"
                 "    #0 malloc <null> (x+0x1)\n"
                 "    #1 main /x/big.c:5 (x+0x2)\n\n"
                 "SUMMARY: ThreadSanitizer: allocation-size-too-big (/x/big+0x1) in malloc\n"
                 "==8==ABORTING\n");
    EXPECT_EQ(big.log.error_signal, 0);
    ASSERT_EQ(big.log.errors.count, 1u);
    EXPECT_STREQ(big.log.errors.items[0].tool_kind, "allocation-size-too-big");

    tsan_log fork("ThreadSanitizer: starting new threads after multi-threaded fork is not "
                  "supported. Dying (set die_after_fork=0 to override)\n");
    ASSERT_NE(fork.log.dying, nullptr);
    EXPECT_NE(std::string(fork.log.dying).find("Dying"), std::string::npos);

    tsan_log odd("WARNING: too long mutex cycle found\n");
    ASSERT_NE(odd.log.unrecognised, nullptr);
    tsan_log odd2("ThreadSanitizer: something the runtime says one day\n");
    ASSERT_NE(odd2.log.unrecognised, nullptr);
    tsan_log quiet("==9==Installed the sigaction for signal 11\n==9==Using llvm-symbolizer\n");
    EXPECT_EQ(quiet.log.unrecognised, nullptr);
    EXPECT_EQ(quiet.log.dying, nullptr);
}

TEST(TsanParser, NoticesTheEndOfRunStatisticsAndEveryStart)
{
    tsan_log t("***** Running under ThreadSanitizer v3 (pid 7) *****\n"
               "Stats: SizeClassAllocator64: 0M mapped (0M rss) in 896 allocations; remains 640\n"
               "Stats: LargeMmapAllocator: allocated 0 times, remains 0 (0 K) max 0 M; by size logs: \n");
    EXPECT_EQ(t.log.finished, 1);
    EXPECT_EQ(t.log.starts, 1);
    tsan_log twice("***** Running under ThreadSanitizer v3 (pid 7) *****\n"
                   "***** Running under ThreadSanitizer v3 (pid 7) *****\n");
    EXPECT_EQ(twice.log.starts, 2);
    EXPECT_EQ(twice.log.finished, 0);
}

TEST(TsanParser, NeverReadsPastTheEndOfItsInput)
{
    // Numbers at the very end of the input: a parser reading with atoi
    // would run past it (the fuzzer and ASan check the rest).
    std::string text = "***** Running under ThreadSanitizer v3 (pid 12";
    rl_tsan_log log;
    char *exact = static_cast<char *>(malloc(text.size()));
    memcpy(exact, text.data(), text.size());
    rl_tsan_parse(exact, text.size(), rl_adapter_for(RL_TOOL_TSAN)->kinds, &log);
    EXPECT_EQ(log.started_pid, 12);
    rl_tsan_log_clear(&log);
    free(exact);
}

} // namespace
