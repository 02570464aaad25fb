// The docs say what the code does: the tables in README.md and
// docs/kinds.md are the case files' own lines (racelab list --table), and
// docs/sabotage.md names exactly the Sabotage tests there are.
#include "support.h"

#include <gtest/gtest.h>

#include <set>

namespace {

std::vector<rl_case *> load_dir(const std::string &dir)
{
    std::vector<rl_case *> cases;
    char **paths;
    rl_diag d;
    if (rl_case_dir_scan(dir.c_str(), &paths, &d) < 0) {
        ADD_FAILURE() << d.message;
        return cases;
    }
    for (char **p = paths; *p; p++) {
        rl_case *c;
        if (rl_case_load(*p, &c, &d) < 0)
            ADD_FAILURE() << d.message;
        else
            cases.push_back(c);
    }
    rl_strv_free(paths);
    return cases;
}

// The text of path between the line holding begin and the line holding end.
std::string between(const std::string &path, const std::string &begin, const std::string &end)
{
    std::string text = read_text(path);
    size_t b = text.find(begin), e = text.find(end);
    if (b == std::string::npos || e == std::string::npos || e < b)
        return "(no table between '" + begin + "' and '" + end + "' in " + path + ")";
    b = text.find('\n', b) + 1;
    return text.substr(b, e - b);
}

void expect_table(const std::string &cases_dir, const std::string &doc, const std::string &begin,
                  const std::string &end)
{
    std::vector<rl_case *> cases = load_dir(cases_dir);
    char *table = rl_cases_table(cases.data(), cases.size());
    EXPECT_EQ(between(doc, begin, end), table)
        << doc << " is out of date: paste the output of `racelab list --table --cases "
        << cases_dir << "` there";
    free(table);
    for (rl_case *c : cases)
        rl_case_free(c);
}

TEST(Docs, TheReadmeCatalogueTableIsTheCases)
{
    expect_table(std::string(RACELAB_SOURCE) + "/cases", std::string(RACELAB_SOURCE) + "/README.md",
                 "<!-- catalogue table", "<!-- end of catalogue table");
}

TEST(Docs, TheMeasuredTableOfKindsIsTheProbes)
{
    expect_table(fixture_path("probes"), std::string(RACELAB_SOURCE) + "/docs/kinds.md",
                 "<!-- probes table", "<!-- end of probes table");
}

TEST(Docs, TheSabotageListNamesEverySabotageTest)
{
    std::string doc = read_text(std::string(RACELAB_SOURCE) + "/docs/sabotage.md");
    std::set<std::string> tests, named;
    const testing::UnitTest *u = testing::UnitTest::GetInstance();
    for (int i = 0; i < u->total_test_suite_count(); i++) {
        const testing::TestSuite *s = u->GetTestSuite(i);
        if (std::string(s->name()) != "Sabotage")
            continue;
        for (int k = 0; k < s->total_test_count(); k++)
            tests.insert(std::string("Sabotage.") + s->GetTestInfo(k)->name());
    }
    for (size_t at = doc.find("`Sabotage."); at != std::string::npos;
         at = doc.find("`Sabotage.", at + 1))
        named.insert(doc.substr(at + 1, doc.find('`', at + 1) - at - 1));
    EXPECT_GT(tests.size(), 30u);
    EXPECT_EQ(named, tests);
}

} // namespace
