// The docs say what the code does: the tables in README.md and
// docs/kinds.md are the case files' own lines (racelab list --table), the
// kinds and their mapping in docs/kinds.md are the adapters' tables
// (racelab list --kinds), and docs/sabotage.md names exactly the Sabotage
// tests there are.
#include "support.h"

#include <gtest/gtest.h>

#include <set>

namespace {

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
    rl_catalogue cat = RL_CATALOGUE_INIT;
    char *dirs[] = {const_cast<char *>(cases_dir.c_str())};
    rl_catalogue_load(&cat, dirs, 1, nullptr, 0);
    for (size_t i = 0; i < cat.nerrors; i++)
        ADD_FAILURE() << take(rl_diag_format(&cat.errors[i]));
    EXPECT_EQ(between(doc, begin, end), take(rl_render_cases_table(cat.cases, cat.ncases)))
        << doc << " is out of date: paste the output of `racelab list --table --cases "
        << cases_dir << "` there";
    rl_catalogue_clear(&cat);
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

TEST(Docs, TheKindsAndEachToolsNamesAreTheAdapterTables)
{
    std::string doc = std::string(RACELAB_SOURCE) + "/docs/kinds.md";
    EXPECT_EQ(between(doc, "<!-- kinds: racelab list --kinds", "<!-- end of kinds"),
              take(rl_render_kinds()))
        << doc << " is out of date: paste the output of `racelab list --kinds` there";
}

TEST(Docs, TheOptionsACaseMayGiveAreTheAdapterTables)
{
    std::string doc = std::string(RACELAB_SOURCE) + "/docs/case-format.md";
    EXPECT_EQ(between(doc, "<!-- options: racelab list --options", "<!-- end of options"),
              take(rl_render_options()))
        << doc << " is out of date: paste the output of `racelab list --options` there";
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
