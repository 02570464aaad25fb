// racelab show, explain and demo: what a learner reads of a case.
#include "support.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <regex>

namespace {

std::string cases_arg(const std::string &dir)
{
    return " --cases " + shell_quote(dir) + " --work " + shell_quote(work_dir());
}

TEST(Learn, ShowLabelsEachTsanReportAndDropsTheStatistics)
{
    std::string out;
    EXPECT_EQ(racelab("show wrong_expectation tsan" + cases_arg(fixture_path("cases")), &out), 1)
        << out;
    EXPECT_TRUE(contains(out, ">>> racelab: report 1 of 1, data-race: UNEXPECTED")) << out;
    EXPECT_TRUE(contains(out, "WARNING: ThreadSanitizer: data race")) << out;
    EXPECT_FALSE(contains(out, "Stats: ")) << out;
    EXPECT_FALSE(contains(out, "mapped:")) << out;
    EXPECT_TRUE(contains(out, "--- ended: exit 66")) << out;
}

TEST(Learn, ShowGivesValgrindsOwnTextBesideWhatTheXmlSaid)
{
    std::string out;
    ASSERT_EQ(racelab("show global_race helgrind drd" + cases_arg(fixture_path("cases")), &out), 0)
        << out;
    // Helgrind's and DRD's text, which their XML mode does not write.
    EXPECT_TRUE(contains(out, "Possible data race during write of size 4")) << out;
    EXPECT_TRUE(contains(out, "Conflicting store by thread")) << out;
    EXPECT_TRUE(contains(out, "ERROR SUMMARY")) << out;
    EXPECT_TRUE(contains(out, "report 1 of 1, data-race: met line 4: // expect helgrind: data-race @store"))
        << out;
    EXPECT_TRUE(contains(out, "report 1 of 1, data-race: met line 5: // expect drd: data-race @store"))
        << out;
}

TEST(Learn, ShowNeedsACase)
{
    std::string out;
    EXPECT_EQ(racelab("show", &out), 2) << out;
    EXPECT_TRUE(contains(out, "show takes one case")) << out;
    EXPECT_EQ(racelab("show global_race nosuchtool" + cases_arg(fixture_path("cases")), &out), 2)
        << out;
    EXPECT_EQ(racelab("explain a b" + cases_arg(fixture_path("cases")), &out), 2) << out;
    EXPECT_EQ(racelab("demo global_race --runs 0" + cases_arg(fixture_path("cases")), &out), 2)
        << out;
}

TEST(Learn, ExplainPointsAtTheLinesAndDiffsTheTwin)
{
    std::string out;
    ASSERT_EQ(racelab("explain racy_counter --tool tsan --tool native" +
                          cases_arg(std::string(RACELAB_SOURCE) + "/cases"),
                      &out),
              0)
        << out;
    EXPECT_TRUE(contains(out, "=== racy_counter")) << out;
    EXPECT_TRUE(contains(out, "The bug.")) << out; // the lesson
    EXPECT_FALSE(contains(out, "\n/\n")) << out;   // nor the comment's end
    // The marked line, and the tool whose report points at it.
    EXPECT_TRUE(std::regex_search(out, std::regex(R"( => .*counter = seen \+ 1; // @write   <- tsan)")))
        << out;
    EXPECT_TRUE(contains(out, "line 118 in add_many: long seen = counter; // @read")) << out;
    EXPECT_TRUE(contains(out, "--- the twin, locked_counter")) << out;
    EXPECT_TRUE(contains(out, "+        pthread_mutex_lock(&counter_lock);")) << out;
    EXPECT_TRUE(contains(out, "printf(\"total %ld of %d\\n\", counter, 2 * ROUNDS);")) << out;
}

TEST(Learn, DemoShowsHowOftenTheBugShowsBesideTheDetectors)
{
    std::string out;
    ASSERT_EQ(racelab("demo racy_counter --runs 5 --tool tsan" +
                          cases_arg(std::string(RACELAB_SOURCE) + "/cases"),
                      &out),
              0)
        << out;
    EXPECT_TRUE(contains(out, "racy_counter, run natively 5 times:")) << out;
    EXPECT_TRUE(contains(out, "locked_counter (its twin), run natively 5 times:")) << out;
    EXPECT_TRUE(contains(out, "    5 x  exit 0: total 200000 of 200000")) << out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(The bug showed itself in (\d) of 5 runs)")))
        << out;
    EXPECT_TRUE(contains(out, "Each detector, once:\nPASS  racy_counter/tsan")) << out;
}

// Every case of the catalogue can be explained and demonstrated (natively
// here: the detectors' runs are the catalogue tests, which also render
// racelab show of each).
TEST(Learn, EveryCaseCanBeExplainedAndDemonstrated)
{
    std::string cases = std::string(RACELAB_SOURCE) + "/cases";
    DIR *d = opendir(cases.c_str());
    ASSERT_NE(d, nullptr);
    std::vector<std::string> names;
    while (dirent *e = readdir(d)) {
        std::string n = e->d_name;
        if (n.size() > 2 && n.substr(n.size() - 2) == ".c")
            names.push_back(n.substr(0, n.size() - 2));
    }
    closedir(d);
    ASSERT_GE(names.size(), 50u);
    for (const std::string &n : names) {
        std::string out;
        EXPECT_EQ(racelab("explain " + n + " --tool native" + cases_arg(cases), &out), 0) << out;
        EXPECT_TRUE(contains(out, "=== " + n + " (")) << out;
        EXPECT_TRUE(contains(out, "--- the twin") || !contains(read_text(cases + "/" + n + ".c"), "// twin:"))
            << out;
        EXPECT_EQ(racelab("demo " + n + " --runs 2 --tool native" + cases_arg(cases), &out), 0) << out;
        EXPECT_TRUE(contains(out, n + ", run natively 2 times:")) << out;
    }
}

// demo's verdict is its detectors' too, as show's and explain's are.
TEST(Learn, DemoFailsWhenADetectorFails)
{
    std::string out;
    EXPECT_EQ(racelab("demo lock_order_clean --runs 1 --tool tsan" + cases_arg(fixture_path("sabotage")), &out), 1)
        << out;
    EXPECT_TRUE(contains(out, "FAIL  lock_order_clean/tsan")) << out;
}

// Without --tool, the tools the case has lines for; a tool named must have
// lines (an input error, never a crash).
TEST(Learn, TheLearningCommandsTakeTheToolsTheCaseHasLinesFor)
{
    std::string out, dir = fixture_path("sabotage");
    EXPECT_EQ(racelab("explain lock_order_clean" + cases_arg(dir), &out), 1) << out;
    EXPECT_TRUE(contains(out, "FAIL  lock_order_clean/tsan")) << out;
    EXPECT_TRUE(contains(out, "PASS  lock_order_clean/native")) << out;
    EXPECT_FALSE(contains(out, "lock_order_clean/helgrind")) << out;
    EXPECT_EQ(racelab("show lock_order_clean helgrind" + cases_arg(dir), &out), 2) << out;
    EXPECT_TRUE(contains(out, "no expect line for tool helgrind")) << out;
}

// Numbers as far apart as a long long allows; and a twin that does not name
// the case back is refused.
TEST(Learn, DemoTakesAnyNumbersAndOnlyATrueTwin)
{
    std::string w = work_dir() + "/cases";
    std::system(("mkdir -p " + shell_quote(w)).c_str());
    write_text(w + "/extremes.c",
               "/* extremes: prints the smallest and the largest long long in turn. */\n"
               "// twin: other\n// bug: none\n// expect native: exit 0\n"
               "#include <limits.h>\n#include <stdio.h>\n"
               "int main(void)\n{\n    FILE *f = fopen(\"count\", \"a+\");\n"
               "    long n = f && fseek(f, 0, SEEK_END) == 0 ? ftell(f) : 0;\n    if (f) { fputc('x', f); fclose(f); }\n"
               "    printf(\"%lld\\n\", n % 2 ? LLONG_MAX : LLONG_MIN);\n    return 0;\n}\n");
    write_text(w + "/other.c", "/* other: names no twin. */\n// bug: none\n// expect native: exit 0\n"
                               "int main(void) { return 0; }\n");
    std::string out;
    EXPECT_EQ(racelab("demo extremes --runs 4 --tool native" + cases_arg(w), &out), 2) << out;
    EXPECT_TRUE(contains(out, "the twin other does not name extremes back")) << out;
    write_text(w + "/other.c", "/* other: its twin is extremes. */\n// twin: extremes\n// bug: none\n"
                               "// expect native: exit 0\nint main(void) { return 0; }\n");
    EXPECT_EQ(racelab("demo extremes --runs 4 --tool native" + cases_arg(w), &out), 0) << out;
    EXPECT_TRUE(contains(out, "-9223372036854775808 .. ")) << out;
    EXPECT_TRUE(contains(out, " .. 9223372036854775807  |#")) << out;
    EXPECT_TRUE(contains(out, "4 of 4 runs ended in a way no run of the twin did.")) << out;
}

} // namespace
