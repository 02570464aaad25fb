// Matching: reports assigned one to one to the lines of the set that applies
// to the toolchain, and the ending matched apart.
#include "support.h"
#include "adapter.h"
#include "tsan_log.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

namespace {

// A case at a path that need not exist; its frames are given as that path.
const char case_path[] = "/virtual/cases/m.c";
const char case_text[] = "// expect tsan: data-race @w1 @w2\n"          // 1
                         "// expect tsan: thread-leak\n"                // 2
                         "// expect helgrind: clean\n"                  // 3
                         "// expect native: exit 0\n"                   // 4
                         "int x;\n"                                     // 5
                         "void a(void) { x = 1; } // @w1\n"             // 6
                         "void b(void) { x = 2; } // @w2\n"             // 7
                         "// expect drd: data-race x2 @w1\n"            // 8
                         "// allow drd: data-race @w2\n"                // 9
                         "// expect tsan(gcc): data-race @access:w1\n"  // 10
                         "// expect tsan(gcc): exit 3\n"                // 11
                         "// expect helgrind(>=3.30): signal SIGABRT\n"; // 12

struct fixture {
    rl_case *c = nullptr;
    fixture()
    {
        diag d;
        EXPECT_EQ(rl_case_parse(case_path, case_text, strlen(case_text), &c, &d), 0) << d.text();
    }
    ~fixture() { rl_case_free(c); }
};

std::string frame(const char *file, int line)
{
    return std::string("    #0 f ") + file + ":" + std::to_string(line) + ":3 (m+0x1)\n";
}

// A race whose first stack is the access at line1, and whose second stack
// (titled as context when context is set) is at line2.
std::string race(int line1, int line2, const char *file = case_path, bool context = false)
{
    return "WARNING: ThreadSanitizer: data race (pid=1)\n"
           "  Write of size 4 at 0x1 by thread T1:\n" +
           frame(file, line1) + "\n" +
           (context ? "  Location is heap block of size 4 at 0x1 allocated by thread T2:\n"
                    : "  Previous write of size 4 at 0x1 by thread T2:\n") +
           frame(file, line2) + "\nSUMMARY: ThreadSanitizer: data race\n";
}

const std::string leak = "WARNING: ThreadSanitizer: thread leak (pid=1)\n" + frame(case_path, 5);

struct outcome {
    int ok;
    std::string why;
    std::vector<long> report_line; // per report: the case line it met, or -1
};

outcome match(const rl_case *c, rl_tool_id tool, const std::string &log, rl_kind end = RL_KIND_EXIT,
              int code = 0, int by_tool = 0, rl_toolchain t = chain("clang", "14.0.6"))
{
    // A result as a run would give it: the reports, the ending, the match
    // against the set the toolchain chooses; explained by the renderer.
    rl_tsan_log l;
    rl_tsan_parse(log.data(), log.size(), rl_adapter_for(RL_TOOL_TSAN)->kinds, &l);
    rl_result r{};
    r.rcase = c;
    rl_report_list_move(&r.reports, &l.reports);
    rl_tsan_log_clear(&l);
    r.ending.kind = end;
    r.ending.code = code;
    r.ending.by_tool = by_tool;
    r.ending.detail = strdup("the ending");
    rl_match_run(c, rl_case_select_set(c, tool, &t), &r.reports, &r.ending, &r.match);
    r.verdict = RL_FAIL; /* explained whatever the verdict */
    outcome o{r.match.ok, take(rl_render_problem(&r)), {}};
    const rl_match &m = r.match;
    for (size_t i = 0; i < r.reports.count; i++)
        o.report_line.push_back(m.report_line[i] < 0 ? -1 : c->expects[m.lines[m.report_line[i]].expect].line);
    rl_result_clear(&r);
    return o;
}

TEST(Match, PassesWhenEveryLineTakesItsReports)
{
    fixture f;
    outcome o = match(f.c, RL_TOOL_TSAN, race(6, 7) + leak);
    EXPECT_EQ(o.ok, 1) << o.why;
    EXPECT_EQ(o.report_line, (std::vector<long>{1, 2}));
}

TEST(Match, OneReportPerLine)
{
    fixture f;
    // Two races for one data-race line: the second is unexpected.
    outcome o = match(f.c, RL_TOOL_TSAN, race(6, 7) + leak + race(7, 6));
    EXPECT_EQ(o.ok, 0);
    EXPECT_EQ(o.report_line, (std::vector<long>{1, 2, -1}));
    EXPECT_NE(o.why.find("UNEXPECTED   data-race"), std::string::npos) << o.why;
}

TEST(Match, FailsOnAMissingReport)
{
    fixture f;
    outcome o = match(f.c, RL_TOOL_TSAN, race(6, 7));
    EXPECT_EQ(o.ok, 0);
    EXPECT_NE(o.why.find("NOT MET      thread-leak   (line 2): 0 reports"), std::string::npos) << o.why;
    EXPECT_NE(o.why.find("expected     data-race \"data race: Write of size 4 at 0x1 by thread T1\" at "
                         "m.c:6 f, m.c:7 f   (line 1)"),
              std::string::npos)
        << o.why;
}

TEST(Match, ACountNeedsExactlyThatMany)
{
    fixture f;
    rl_toolchain vg = chain("valgrind", "3.19.0");
    EXPECT_EQ(match(f.c, RL_TOOL_DRD, race(6, 5), RL_KIND_EXIT, 0, 0, vg).ok, 0);
    EXPECT_EQ(match(f.c, RL_TOOL_DRD, race(6, 5) + race(6, 5), RL_KIND_EXIT, 0, 0, vg).ok, 1);
    outcome three = match(f.c, RL_TOOL_DRD, race(6, 5) + race(6, 5) + race(6, 5), RL_KIND_EXIT, 0, 0, vg);
    EXPECT_EQ(three.ok, 0) << "three reports for x2";
    EXPECT_NE(three.why.find("data-race x2 @w1=6   (line 8): 2 reports"), std::string::npos) << three.why;
}

TEST(Match, AnAllowedReportMayComeOrNotButNeverAlone)
{
    fixture f;
    rl_toolchain vg = chain("valgrind", "3.19.0");
    std::string two = race(6, 5) + race(6, 5);
    EXPECT_EQ(match(f.c, RL_TOOL_DRD, two, RL_KIND_EXIT, 0, 0, vg).ok, 1);
    outcome with = match(f.c, RL_TOOL_DRD, two + race(7, 5) + race(7, 5), RL_KIND_EXIT, 0, 0, vg);
    EXPECT_EQ(with.ok, 1) << with.why;
    EXPECT_EQ(with.report_line, (std::vector<long>{8, 8, 9, 9}));
    // The allowed report alone does not meet the expect line.
    EXPECT_EQ(match(f.c, RL_TOOL_DRD, race(7, 5), RL_KIND_EXIT, 0, 0, vg).ok, 0);
}

TEST(Match, AReportIsNeverTakenWhereAnotherLineNeedsIt)
{
    // Report A meets both lines, report B only the first: a greedy
    // assignment of A to the first line would leave the second unmet.
    const char text[] = "// expect tsan: data-race @w1\n"    // 1
                        "// expect tsan: data-race @w1 @w2\n" // 2
                        "void a(void) {} // @w1\n"          // 3
                        "void b(void) {} // @w2\n";         // 4
    rl_case *c;
    diag d;
    ASSERT_EQ(rl_case_parse(case_path, text, strlen(text), &c, &d), 0) << d.text();
    outcome o = match(c, RL_TOOL_TSAN, race(3, 4) + race(3, 5));
    EXPECT_EQ(o.ok, 1) << o.why;
    EXPECT_EQ(o.report_line, (std::vector<long>{2, 1}));
    rl_case_free(c);
}

TEST(Match, AccessMarkersIgnoreContextStacks)
{
    fixture f;
    rl_toolchain gcc = chain("gcc", "12.2.0");
    // Line 10 wants w1 in an access stack: a heap block allocated at w1 is
    // context, not the access.
    EXPECT_EQ(match(f.c, RL_TOOL_TSAN, race(5, 6, case_path, true), RL_KIND_EXIT, 3, 0, gcc).ok, 0);
    EXPECT_EQ(match(f.c, RL_TOOL_TSAN, race(6, 5, case_path, true), RL_KIND_EXIT, 3, 0, gcc).ok, 1);
}

TEST(Match, TheMostSpecificSetReplacesTheOthers)
{
    fixture f;
    rl_toolchain gcc = chain("gcc", "12.2.0");
    // Under gcc the generic lines 1 and 2 do not apply; line 10 and 11 do.
    outcome o = match(f.c, RL_TOOL_TSAN, race(6, 5), RL_KIND_EXIT, 3, 0, gcc);
    EXPECT_EQ(o.ok, 1) << o.why;
    EXPECT_NE(o.why.find("lines of gcc"), std::string::npos) << o.why;
    EXPECT_EQ(match(f.c, RL_TOOL_TSAN, race(6, 7) + leak, RL_KIND_EXIT, 0, 0, gcc).ok, 0);
}

TEST(Match, EndingsAgainstTheLineOrTheDefault)
{
    fixture f;
    rl_toolchain gcc = chain("gcc", "12.2.0"), vg = chain("valgrind", "3.19.0"),
                 vg330 = chain("valgrind", "3.30.0");
    std::string ok = race(6, 7) + leak;
    // The default is a normal exit with status 0, or the tool's own status.
    EXPECT_EQ(match(f.c, RL_TOOL_TSAN, ok, RL_KIND_EXIT, 0).ok, 1);
    EXPECT_EQ(match(f.c, RL_TOOL_TSAN, ok, RL_KIND_EXIT, 66, 1).ok, 1);
    outcome one = match(f.c, RL_TOOL_TSAN, ok, RL_KIND_EXIT, 1);
    EXPECT_EQ(one.ok, 0);
    EXPECT_NE(one.why.find("NOT MET      exit 0, the default ending"), std::string::npos) << one.why;
    EXPECT_EQ(match(f.c, RL_TOOL_TSAN, ok, RL_KIND_SIGNAL, SIGSEGV, 1).ok, 0) << "a crash is never clean";
    EXPECT_EQ(match(f.c, RL_TOOL_TSAN, ok, RL_KIND_HANG).ok, 0);
    EXPECT_EQ(match(f.c, RL_TOOL_TSAN, ok, RL_KIND_UNKNOWN).ok, 0);
    // A declared exit status must be the program's, not the tool's.
    EXPECT_EQ(match(f.c, RL_TOOL_TSAN, race(6, 5), RL_KIND_EXIT, 3, 0, gcc).ok, 1);
    EXPECT_EQ(match(f.c, RL_TOOL_TSAN, race(6, 5), RL_KIND_EXIT, 3, 1, gcc).ok, 0);
    EXPECT_EQ(match(f.c, RL_TOOL_TSAN, race(6, 5), RL_KIND_EXIT, 4, 0, gcc).ok, 0);
    // Signals by number.
    EXPECT_EQ(match(f.c, RL_TOOL_HELGRIND, "", RL_KIND_SIGNAL, SIGABRT, 0, vg330).ok, 1);
    EXPECT_EQ(match(f.c, RL_TOOL_HELGRIND, "", RL_KIND_SIGNAL, SIGSEGV, 0, vg330).ok, 0);
    EXPECT_EQ(match(f.c, RL_TOOL_HELGRIND, "", RL_KIND_SIGNAL, SIGABRT, 0, vg).ok, 0);
    EXPECT_EQ(match(f.c, RL_TOOL_NATIVE, "", RL_KIND_EXIT, 0).ok, 1);
    EXPECT_EQ(match(f.c, RL_TOOL_NATIVE, "", RL_KIND_HANG).ok, 0);
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
    rl_toolchain vg = chain("valgrind", "3.19.0");
    EXPECT_EQ(match(f.c, RL_TOOL_HELGRIND, "", RL_KIND_EXIT, 0, 0, vg).ok, 1);
    outcome o = match(f.c, RL_TOOL_HELGRIND, race(6, 7), RL_KIND_EXIT, 0, 0, vg);
    EXPECT_EQ(o.ok, 0);
    EXPECT_NE(o.why.find("UNEXPECTED   data-race"), std::string::npos) << o.why;
}

TEST(Match, ToolWithoutExpectationsNeverPasses)
{
    const char text[] = "// expect tsan: clean\n";
    rl_case *c;
    diag d;
    ASSERT_EQ(rl_case_parse(case_path, text, strlen(text), &c, &d), 0);
    rl_toolchain clang = chain("clang", "14.0.6");
    EXPECT_EQ(rl_case_select_set(c, RL_TOOL_DRD, &clang), -1);
    outcome o = match(c, RL_TOOL_DRD, "");
    EXPECT_EQ(o.ok, 0);
    rl_case_free(c);
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
