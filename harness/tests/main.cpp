// main.cpp: the Google Test program. Besides the unit tests compiled in, it
// registers one test per (case, tool) of the catalogue at run time, named
// catalogue.CASE/TOOL; ctest lists them as CASE/TOOL (see discover.cmake).
//
//   racelab_tests [gtest flags] [--cases DIR]... [--tool TOOL]... [--work DIR]
#include "support.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <iostream>
#include <memory>

namespace {

catalogue_options options;

class CaseUnderTool : public testing::Test {
  public:
    CaseUnderTool(const rl_case *c, rl_tool tool) : case_(c), tool_(tool) {}
    void TestBody() override
    {
        rl_config cfg = {options.work_dir.c_str(), 1, nullptr};
        rl_result r;
        rl_run_job(&cfg, case_, &tool_, &r);
        std::string verdict = rl_verdict_name(r.verdict);
        std::string message = r.message ? r.message : "";
        rl_result_clear(&r);
        // A toolchain the case says it cannot run on is skipped, never passed.
        if (verdict == "skip")
            GTEST_SKIP() << message;
        EXPECT_EQ(verdict, "pass") << case_->path << " under " << tool_.spec << ":\n" << message;
    }

  private:
    const rl_case *case_;
    rl_tool tool_;
};

class BadCaseFile : public testing::Test {
  public:
    explicit BadCaseFile(std::string why) : why_(std::move(why)) {}
    void TestBody() override { FAIL() << why_; }

  private:
    std::string why_;
};

std::vector<rl_case *> loaded;

void register_catalogue()
{
    for (const std::string &dir : options.case_dirs) {
        char **paths;
        rl_diag d;
        char buf[2200];
        if (rl_case_dir_scan(dir.c_str(), &paths, &d) < 0) {
            std::string why = rl_diag_format(&d, buf, sizeof buf);
            testing::RegisterTest("catalogue", (dir + "/scan").c_str(), nullptr, nullptr,
                                  __FILE__, __LINE__,
                                  [why]() -> testing::Test * { return new BadCaseFile(why); });
            continue;
        }
        for (char **p = paths; *p; p++) {
            rl_case *c;
            if (rl_case_load(*p, &c, &d) < 0) {
                std::string name = std::strrchr(*p, '/') + 1;
                std::string why = rl_diag_format(&d, buf, sizeof buf);
                testing::RegisterTest("catalogue", (name + "/parse").c_str(), nullptr, nullptr,
                                      __FILE__, __LINE__,
                                      [why]() -> testing::Test * { return new BadCaseFile(why); });
                continue;
            }
            loaded.push_back(c);
            std::vector<rl_tool> defaults(rl_tool_count());
            std::vector<rl_tool> tools = options.tools;
            if (tools.empty())
                tools.assign(defaults.begin(), defaults.begin() + rl_default_tools(c, defaults.data()));
            for (const rl_tool &t : tools) {
                std::string name = std::string(c->name) + "/" + t.spec;
                testing::RegisterTest(
                    "catalogue", name.c_str(), nullptr, nullptr, c->path, 1,
                    [c, t]() -> testing::Test * { return new CaseUnderTool(c, t); });
            }
        }
        rl_strv_free(paths);
    }
}

} // namespace

const catalogue_options &test_options()
{
    return options;
}

int main(int argc, char **argv)
{
    testing::InitGoogleTest(&argc, argv);
    options.work_dir = "racelab-work";
    for (int i = 1; i < argc; i++) {
        std::string arg = argv[i];
        std::string value = i + 1 < argc ? argv[i + 1] : "";
        if (arg == "--cases" && i + 1 < argc) {
            options.case_dirs.push_back(value);
            i++;
        } else if (arg == "--work" && i + 1 < argc) {
            options.work_dir = value;
            i++;
        } else if (arg == "--tool" && i + 1 < argc) {
            rl_tool t;
            rl_diag d;
            if (rl_tool_parse(value.c_str(), &t, &d) < 0) {
                std::cerr << "racelab_tests: --tool " << value << ": " << d.message << "\n";
                return 2;
            }
            options.tools.push_back(t);
            i++;
        } else {
            std::cerr << "racelab_tests: unknown argument " << arg << "\n";
            return 2;
        }
    }
    register_catalogue();
    std::signal(SIGCHLD, SIG_DFL); // children must stay ours to wait for
    int rc = RUN_ALL_TESTS();
    // A filter that selects nothing would pass without checking anything
    // (ctest runs one test per process, selected by filter).
    if (testing::UnitTest::GetInstance()->test_to_run_count() == 0) {
        std::cerr << "racelab_tests: no test matches the filter\n";
        rc = 1;
    }
    for (rl_case *c : loaded)
        rl_case_free(c);
    return rc;
}
