// Replay: every run recorded by `racelab record` (fixtures/recorded/PROBE/
// TOOL-FAMILY-VERSION/) goes through its tool's adapter and the matcher
// again, against the expect lines the probe carries. The probes' expect
// lines are the one place the measured behaviour of every toolchain is
// written down (docs/kinds.md shows them as a table); a parser, adapter or
// matcher change that reads a recorded log differently fails here.
#include "support.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <jansson.h>

#include <algorithm>
#include <map>

namespace {

std::vector<std::string> subdirs(const std::string &dir)
{
    std::vector<std::string> names;
    DIR *d = opendir(dir.c_str());
    while (dirent *e = d ? readdir(d) : nullptr)
        if (e->d_name[0] != '.' && e->d_type == DT_DIR)
            names.push_back(e->d_name);
    if (d)
        closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

std::string recorded_verdict(const std::string &dir)
{
    json_error_t err;
    json_t *doc = json_load_file((dir + "/record.json").c_str(), 0, &err);
    std::string v = doc ? json_string_value(json_object_get(doc, "verdict")) : "";
    json_decref(doc);
    return v;
}

struct replayed {
    rl_case *c = nullptr;
    rl_result r{};
    int rc = -1;
    replayed(const std::string &probe, const std::string &dir)
    {
        diag d;
        if (rl_case_load(fixture_path("probes/" + probe + ".c").c_str(), &c, &d) < 0) {
            ADD_FAILURE() << d.text();
            return;
        }
        rc = rl_replay(c, dir.c_str(), &r, &d);
        if (rc < 0)
            ADD_FAILURE() << d.text();
    }
    ~replayed()
    {
        rl_result_clear(&r);
        rl_case_free(c);
    }
    std::string verdict() const { return rl_verdict_name(r.verdict); }
    std::string message() const { return take(rl_render_problem(&r)); }
};

TEST(Replay, EveryRecordedRunMeetsItsProbe)
{
    std::string root = fixture_path("recorded");
    std::map<std::string, int> per_toolchain;
    int runs = 0;
    for (const std::string &probe : subdirs(root)) {
        for (const std::string &run : subdirs(root + "/" + probe)) {
            SCOPED_TRACE(probe + "/" + run);
            std::string dir = root + "/" + probe + "/" + run;
            replayed p(probe, dir);
            EXPECT_EQ(recorded_verdict(dir), "pass");
            EXPECT_EQ(p.verdict(), "pass") << p.message();
            per_toolchain[run]++;
            runs++;
        }
    }
    // Every probe under clang 13, 14, 15, 16, 19, GCC 11, 12, Helgrind, DRD.
    EXPECT_EQ(per_toolchain.size(), 9u);
    for (const auto &[run, n] : per_toolchain)
        EXPECT_EQ(n, per_toolchain.begin()->second) << run << " misses probes";
    EXPECT_GE(runs, 9 * 28);
}

TEST(Replay, StartUpFailuresStayErrors)
{
    // Recorded under a 4 GB address-space limit: no runtime can start.
    std::string root = fixture_path("recorded-errors/vm-limit/data_race");
    std::vector<std::string> runs = subdirs(root);
    EXPECT_EQ(runs.size(), 7u);
    for (const std::string &run : runs) {
        SCOPED_TRACE(run);
        replayed p("data_race", root + "/" + run);
        EXPECT_EQ(recorded_verdict(root + "/" + run), "error");
        EXPECT_EQ(p.verdict(), "error");
        EXPECT_TRUE(p.message().find("ThreadSanitizer failed") != std::string::npos ||
                    p.message().find("ThreadSanitizer stopped with an error") != std::string::npos)
            << p.message();
    }
}

TEST(Replay, FramesOfEachVersionLayout)
{
    // clang 14 and later add BuildId; GCC prints no column; all must give
    // the same function, file and line.
    std::string root = fixture_path("recorded/data_race");
    int line = line_containing(fixture_path("probes/data_race.c"), "shared = (int)");
    ASSERT_GT(line, 0);
    int tsan_runs = 0;
    for (const std::string &run : subdirs(root)) {
        if (run.rfind("tsan-", 0) != 0)
            continue;
        SCOPED_TRACE(run);
        replayed p("data_race", root + "/" + run);
        ASSERT_EQ(p.r.reports.count, 1u);
        const rl_report &r = p.r.reports.items[0];
        ASSERT_GE(r.nstacks, 2u);
        ASSERT_GE(r.stacks[0].nframes, 1u);
        EXPECT_STREQ(r.stacks[0].frames[0].function, "worker");
        EXPECT_EQ(std::string(r.stacks[0].frames[0].file).substr(0, 1), "/");
        EXPECT_EQ(r.stacks[0].frames[0].line, line);
        EXPECT_TRUE(r.stacks[0].access);
        tsan_runs++;
    }
    EXPECT_EQ(tsan_runs, 7);
}

// A recorded run altered as a hostile program would leave it is never a pass.
TEST(Replay, ATamperedRecordIsNotAPass)
{
    std::string from = fixture_path("recorded/data_race/tsan-clang-14.0.6");
    std::string to = work_dir() + "/tampered";
    std::string setup = "rm -rf " + shell_quote(to) + " && mkdir -p " + shell_quote(to) +
                        " && cp " + shell_quote(from) + "/* " + shell_quote(to) +
                        " && sed -i '/^Stats: /d' " + shell_quote(to) + "/tsan.*";
    ASSERT_EQ(std::system(setup.c_str()), 0);
    replayed p("data_race", to);
    EXPECT_EQ(p.verdict(), "error");
    EXPECT_NE(p.message().find("no end-of-run statistics"), std::string::npos) << p.message();

    std::string vg_from = fixture_path("recorded/data_race/helgrind-valgrind-3.19.0");
    std::string vg_to = work_dir() + "/tampered-vg";
    setup = "rm -rf " + shell_quote(vg_to) + " && mkdir -p " + shell_quote(vg_to) + " && cp " +
            shell_quote(vg_from) + "/* " + shell_quote(vg_to) + " && sed -i 's/<pid>[0-9]*</<pid>1</' " +
            shell_quote(vg_to) + "/valgrind.xml";
    ASSERT_EQ(std::system(setup.c_str()), 0);
    replayed q("data_race", vg_to);
    EXPECT_EQ(q.verdict(), "error");
    EXPECT_NE(q.message().find("another process's"), std::string::npos) << q.message();
}

} // namespace
