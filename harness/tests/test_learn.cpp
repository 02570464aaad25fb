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

} // namespace
