// The docs say what the code does: the tables in README.md and
// docs/kinds.md are the case files' own lines (racelab list --table), the
// kinds and their mapping in docs/kinds.md are the adapters' tables
// (racelab list --kinds), and docs/sabotage.md names exactly the Sabotage
// tests there are.
#include "support.h"
#include "adapter.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

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

// Every kind a tool can report is expected of it by some case; every other
// is a blind spot its adapter explains; never both.
TEST(Docs, EachKindIsCoveredUnderEachToolOrSaidImpossible)
{
    rl_catalogue cat = RL_CATALOGUE_INIT;
    std::string cases = std::string(RACELAB_SOURCE) + "/cases";
    char *dirs[] = {const_cast<char *>(cases.c_str())};
    rl_catalogue_load(&cat, dirs, 1, nullptr, 0);
    ASSERT_EQ(cat.nerrors, 0u);
    for (size_t t = 0; t < rl_tool_count(); t++) {
        if (!rl_adapter_for((rl_tool_id)t)->kinds)
            continue;
        for (int k = 0; k < RL_KIND_COUNT; k++) {
            if (k == RL_KIND_UNKNOWN || k == RL_KIND_CLEAN || rl_kind_is_ending((rl_kind)k))
                continue;
            bool covered = false;
            for (size_t i = 0; i < cat.ncases; i++)
                for (size_t e = 0; e < cat.cases[i]->nexpects; e++) {
                    const rl_expect &x = cat.cases[i]->expects[e];
                    covered |= x.tool == (rl_tool_id)t && x.type == RL_LINE_EXPECT && x.kind == k;
                }
            const char *why = rl_tool_blind_spot((rl_tool_id)t, (rl_kind)k);
            EXPECT_NE(covered, why != nullptr)
                << rl_kind_name((rl_kind)k) << " under " << rl_tool_name((rl_tool_id)t) << ": "
                << (covered ? "a case expects it, yet the adapter says it never reports it"
                            : "no case expects it, and the adapter does not say why it cannot");
        }
    }
    rl_catalogue_clear(&cat);
    std::string doc = std::string(RACELAB_SOURCE) + "/docs/kinds.md";
    rl_catalogue_load(&cat, dirs, 1, nullptr, 0);
    EXPECT_EQ(between(doc, "<!-- coverage: racelab list --coverage", "<!-- end of coverage"),
              take(rl_render_coverage(cat.cases, cat.ncases)))
        << doc << " is out of date: paste the output of `racelab list --coverage` there";
    rl_catalogue_clear(&cat);
}

TEST(Docs, TheCataloguePageIsTheCaseFiles)
{
    rl_catalogue cat = RL_CATALOGUE_INIT;
    std::string cases = std::string(RACELAB_SOURCE) + "/cases";
    char *dirs[] = {const_cast<char *>(cases.c_str())};
    rl_catalogue_load(&cat, dirs, 1, nullptr, 0);
    ASSERT_EQ(cat.nerrors, 0u);
    std::string doc = std::string(RACELAB_SOURCE) + "/docs/catalogue.md";
    std::string page = between(doc, "<!-- catalogue: racelab list --catalogue", "<!-- end of catalogue");
    EXPECT_EQ(page, take(rl_render_catalogue(cat.cases, cat.ncases)))
        << doc << " is out of date: paste the output of `racelab list --catalogue` there";
    // One entry per case, and each bug beside its fix.
    for (size_t i = 0; i < cat.ncases; i++) {
        const rl_case *c = cat.cases[i];
        EXPECT_NE(page.find("\n## " + std::string(c->name) + "\n"), std::string::npos) << c->name;
        if (c->bug_known && c->nbugs) {
            EXPECT_NE(c->twin, nullptr) << c->path << ": a bug without its fixed twin";
        }
    }
    rl_catalogue_clear(&cat);
}

// The tutorial quotes real reports: each line of a case it quotes (a
// report's frame "case.c:N", racelab's "met line N: TEXT") must still be
// that line, so an edit of the case that moves it fails here.
TEST(Docs, TheTutorialQuotesTheCasesAsTheyAre)
{
    std::string text = read_text(std::string(RACELAB_SOURCE) + "/docs/tutorial.md");
    std::regex frame(R"(\b([a-z_]+)\.c:([0-9]+)\b)");
    size_t checked = 0;
    for (std::sregex_iterator i(text.begin(), text.end(), frame), end; i != end; ++i) {
        std::string path = std::string(RACELAB_SOURCE) + "/cases/" + (*i)[1].str() + ".c";
        std::vector<std::string> lines;
        std::istringstream in(read_text(path));
        for (std::string l; std::getline(in, l);)
            lines.push_back(l);
        size_t n = std::stoul((*i)[2].str());
        ASSERT_TRUE(n >= 1 && n <= lines.size()) << (*i)[0] << ": no such line";
        std::string line = lines[n - 1];
        EXPECT_TRUE(line.find_first_not_of(" \t") != std::string::npos && line.rfind("//", 0) != 0 &&
                    line.find(" * ") != 1)
            << (*i)[0] << " is no statement now: " << line;
        checked++;
    }
    std::regex met(R"(met line ([0-9]+): (// expect [^\n]*))");
    std::regex named(R"(racelab show ([a-z_]+) )");
    for (std::sregex_iterator i(text.begin(), text.end(), met), end; i != end; ++i) {
        // The case is the one the nearest "racelab show CASE" before it names.
        std::string before = text.substr(0, i->position());
        std::string name;
        for (std::sregex_iterator j(before.begin(), before.end(), named); j != end; ++j)
            name = (*j)[1].str();
        std::istringstream in(read_text(std::string(RACELAB_SOURCE) + "/cases/" + name + ".c"));
        std::string l;
        for (size_t n = std::stoul((*i)[1].str()); n > 0 && std::getline(in, l); n--)
            ;
        EXPECT_EQ(l, (*i)[2].str()) << name << " line " << (*i)[1];
        checked++;
    }
    EXPECT_GE(checked, 8u); // as many as the tutorial quotes today
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

// Split a markdown table row "| a | b |" into its cells.
std::vector<std::string> row_cells(const std::string &line)
{
    std::vector<std::string> out;
    std::string cell;
    for (size_t i = 1; i < line.size(); i++) {
        if (line[i] == '|') {
            size_t b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
            out.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
            cell.clear();
        } else
            cell += line[i];
    }
    return out;
}

// docs/matrix.md is a run of the catalogue (ci/matrix.sh): every case of it
// is a row, and every cell is what the case's own lines and bug line say
// that toolchain does, so a case edited since makes the page stale.
TEST(Docs, TheMatrixPageIsTheCatalogueUnderItsToolchains)
{
    std::string doc = std::string(RACELAB_SOURCE) + "/docs/matrix.md";
    rl_catalogue cat = RL_CATALOGUE_INIT;
    std::string dir = std::string(RACELAB_SOURCE) + "/cases";
    char *dirs[] = {const_cast<char *>(dir.c_str())};
    rl_catalogue_load(&cat, dirs, 1, nullptr, 0);
    ASSERT_EQ(cat.nerrors, 0u);
    std::map<std::string, rl_case *> cases;
    for (size_t i = 0; i < cat.ncases; i++)
        cases[cat.cases[i]->name] = cat.cases[i];

    std::istringstream lines(read_text(doc));
    std::string line;
    std::vector<std::string> heading;
    std::set<std::string> rows;
    int checked = 0;
    while (std::getline(lines, line)) {
        if (line.rfind("| case |", 0) == 0) {
            heading = row_cells(line);
            continue;
        }
        if (heading.empty() || line.rfind("| ", 0) != 0 || line.rfind("| **", 0) == 0)
            continue;
        std::vector<std::string> cells = row_cells(line);
        ASSERT_EQ(cells.size(), heading.size()) << line;
        auto found = cases.find(cells[0]);
        ASSERT_NE(found, cases.end()) << doc << " has a row for " << cells[0] << ", no case of " << dir;
        rows.insert(cells[0]);
        for (size_t k = 1; k < cells.size(); k++) {
            // "tsan:clang-16 clang 16.0.6": the tool, the family, the version.
            std::istringstream words(heading[k]);
            std::string spec, family, version;
            words >> spec >> family >> version;
            rl_toolchain t = chain(family.c_str(), version.c_str());
            std::string tool_name = spec.substr(0, spec.find(':'));
            rl_cell_state want;
            int determinate = rl_case_expected_state(found->second, tool_id(tool_name.c_str()), &t, &want) == 0;
            std::string state = cells[k];
            EXPECT_EQ(state.find("FAIL"), std::string::npos) << cells[0] << " under " << heading[k];
            if (determinate) {
                EXPECT_EQ(state, rl_cell_state_name(want))
                    << cells[0] << " under " << heading[k] << ": the page is stale (run ci/matrix.sh)";
            }
            checked++;
        }
    }
    for (const auto &c : cases)
        EXPECT_TRUE(rows.count(c.first)) << c.first << " is missing from " << doc << " (run ci/matrix.sh)";
    EXPECT_GE(heading.size(), 10u) << "seven TSan toolchains, Helgrind and DRD";
    EXPECT_GT(checked, 0);
    rl_catalogue_clear(&cat);
}

// Every case of the catalogue says what its program really does.
TEST(Docs, EveryCaseOfTheCatalogueSaysWhatItsBugIs)
{
    rl_catalogue cat = RL_CATALOGUE_INIT;
    std::string dir = std::string(RACELAB_SOURCE) + "/cases";
    char *dirs[] = {const_cast<char *>(dir.c_str())};
    rl_catalogue_load(&cat, dirs, 1, nullptr, 0);
    EXPECT_GT(cat.ncases, 0u);
    for (size_t i = 0; i < cat.ncases; i++)
        EXPECT_TRUE(cat.cases[i]->bug_known) << cat.cases[i]->path << " has no '// bug:' line";
    rl_catalogue_clear(&cat);
}

} // namespace
