// Matching: every expect line met by a report, every report met by a line.
#include "support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

namespace {

// A case at a path that need not exist; its frames are given as that path.
const char case_path[] = "/virtual/cases/m.c";
const char case_text[] = "// expect tsan: data-race @w1 @w2\n"   // 1
                         "// expect tsan: thread-leak\n"         // 2
                         "// expect helgrind: clean\n"           // 3
                         "// expect native: exit 0\n"            // 4
                         "int x;\n"                              // 5
                         "void a(void) { x = 1; } // @w1\n"      // 6
                         "void b(void) { x = 2; } // @w2\n";     // 7

struct fixture {
    rl_case *c = nullptr;
    fixture()
    {
        rl_diag d;
        EXPECT_EQ(rl_case_parse(case_path, case_text, strlen(case_text), &c, &d), 0) << d.message;
    }
    ~fixture() { rl_case_free(c); }
};

std::string frame(const char *file, int line)
{
    return std::string("    #0 f ") + file + ":" + std::to_string(line) + ":3 (m+0x1)\n";
}

std::string race(int line1, int line2, const char *file = case_path)
{
    return "WARNING: ThreadSanitizer: data race (pid=1)\n" + frame(file, line1) +
           frame(file, line2) + "SUMMARY: ThreadSanitizer: data race\n";
}

const std::string leak = "WARNING: ThreadSanitizer: thread leak (pid=1)\n" + frame(case_path, 5);

struct outcome {
    int ok;
    std::string why;
};

outcome match(const rl_case *c, rl_tool_id tool, const std::string &log)
{
    rl_tsan_log t;
    rl_tsan_parse(log.data(), log.size(), &t);
    char *why = nullptr;
    outcome o{rl_match(c, tool, &t.reports, &why), why ? why : ""};
    free(why);
    rl_tsan_log_clear(&t);
    return o;
}

TEST(Match, PassesWhenEveryLineAndEveryReportIsMet)
{
    fixture f;
    outcome o = match(f.c, RL_TOOL_TSAN, race(6, 7) + leak + race(7, 6));
    EXPECT_EQ(o.ok, 1) << o.why;
    EXPECT_EQ(o.why, "");
}

TEST(Match, FailsOnAMissingReport)
{
    fixture f;
    outcome o = match(f.c, RL_TOOL_TSAN, race(6, 7));
    EXPECT_EQ(o.ok, 0);
    EXPECT_NE(o.why.find("NOT MET      thread-leak   (line 2)"), std::string::npos) << o.why;
    EXPECT_NE(o.why.find("expected     data-race \"data race\" at m.c:6 f, m.c:7 f"), std::string::npos)
        << o.why;
}

TEST(Match, FailsOnAnUnexpectedReport)
{
    fixture f;
    std::string extra = "WARNING: ThreadSanitizer: lock-order-inversion (potential deadlock) "
                        "(pid=1)\n" + frame(case_path, 7);
    outcome o = match(f.c, RL_TOOL_TSAN, race(6, 7) + leak + extra);
    EXPECT_EQ(o.ok, 0);
    EXPECT_NE(o.why.find("UNEXPECTED   lock-order"), std::string::npos) << o.why;
}

TEST(Match, AllMarkersMustBeInOneReport)
{
    fixture f;
    // Each marked line is reported, but never both in the same report.
    outcome o = match(f.c, RL_TOOL_TSAN, race(6, 5) + race(7, 5) + leak);
    EXPECT_EQ(o.ok, 0);
    EXPECT_NE(o.why.find("NOT MET      data-race @w1=6 @w2=7   (line 1)"), std::string::npos)
        << o.why;
}

TEST(Match, MarkersMeanLinesOfTheCaseFileOnly)
{
    fixture f;
    outcome o = match(f.c, RL_TOOL_TSAN, race(6, 7, "/elsewhere/m.c") + leak);
    EXPECT_EQ(o.ok, 0) << "a frame of another m.c must not count";
    outcome rel = match(f.c, RL_TOOL_TSAN, race(6, 7, "m.c") + leak);
    EXPECT_EQ(rel.ok, 1) << "a relative name is taken as the case's: " << rel.why;
}

TEST(Match, CleanMeansNothingReported)
{
    fixture f;
    EXPECT_EQ(match(f.c, RL_TOOL_HELGRIND, "").ok, 1);
    outcome o = match(f.c, RL_TOOL_HELGRIND, race(6, 7));
    EXPECT_EQ(o.ok, 0);
    EXPECT_NE(o.why.find("UNEXPECTED   data-race"), std::string::npos) << o.why;
}

TEST(Match, ToolWithoutExpectationsNeverPasses)
{
    fixture f;
    outcome o = match(f.c, RL_TOOL_DRD, "");
    EXPECT_EQ(o.ok, 0);
    EXPECT_NE(o.why.find("no expect line for drd"), std::string::npos) << o.why;
}

TEST(Match, UnknownReportsNeverMatch)
{
    fixture f;
    std::string odd = "WARNING: ThreadSanitizer: brand new report (pid=1)\n" + frame(case_path, 6);
    outcome o = match(f.c, RL_TOOL_TSAN, race(6, 7) + leak + odd);
    EXPECT_EQ(o.ok, 0);
    EXPECT_NE(o.why.find("brand new report: no racelab kind"), std::string::npos) << o.why;
}

} // namespace
