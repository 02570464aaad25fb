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

catalogue_options &options = test_options_to_set();

class CaseUnderTool : public testing::Test {
  public:
    CaseUnderTool(const rl_case *c, rl_tool *tool) : case_(c), tool_(tool) {}
    void TestBody() override
    {
        rl_config cfg = RL_CONFIG_INIT;
        cfg.work_dir = options.work_dir.c_str();
        cfg.jobs = 1;
        rl_result r;
        rl_run_job(&cfg, case_, tool_, &r);
        std::string verdict = rl_verdict_name(r.verdict);
        std::string message = take(rl_render_problem(&r));
        // What racelab show prints of it: the tool's own output, each
        // report labelled with the line that took it.
        if (verdict == "pass") {
            diag d;
            char *shown = rl_render_show(&cfg, &r, &d);
            EXPECT_NE(shown, nullptr) << d.text();
            std::string text = shown ? take(shown) : "";
            for (size_t i = 0; i < r.reports.count; i++)
                EXPECT_NE(text.find("report " + std::to_string(i + 1) + " of " +
                                    std::to_string(r.reports.count) + ", " +
                                    rl_kind_name(r.reports.items[i].kind) + ": "),
                          std::string::npos)
                    << text;
            EXPECT_EQ(text.find("UNEXPECTED"), std::string::npos) << text;
            EXPECT_EQ(text.find("Stats: "), std::string::npos) << text;
            EXPECT_NE(text.find("--- ended: "), std::string::npos) << text;
        }
        rl_result_clear(&r);
        // A toolchain the case says it cannot run on is skipped, never passed.
        if (verdict == "skip")
            GTEST_SKIP() << message;
        EXPECT_EQ(verdict, "pass") << case_->path << " under " << tool_->spec << ":\n" << message;
    }

  private:
    const rl_case *case_;
    rl_tool *tool_;
};

class BadCaseFile : public testing::Test {
  public:
    explicit BadCaseFile(std::string why) : why_(std::move(why)) {}
    void TestBody() override { FAIL() << why_; }

  private:
    std::string why_;
};

// The catalogue and the tools, as the command reads them (rl_catalogue_load,
// rl_jobs_make): one test per job, and one failing test per input error.
rl_catalogue catalogue = RL_CATALOGUE_INIT;
rl_tool *tools;
size_t ntools;
rl_job *jobs;
size_t njobs;

void register_catalogue()
{
    std::vector<char *> dirs;
    for (const std::string &dir : options.case_dirs)
        dirs.push_back(const_cast<char *>(dir.c_str()));
    rl_catalogue_load(&catalogue, dirs.data(), dirs.size(), nullptr, 0);
    jobs = rl_jobs_make(&catalogue, tools, ntools, &njobs);
    for (size_t i = 0; i < catalogue.nerrors; i++) {
        const rl_diag *d = &catalogue.errors[i];
        std::string why = take(rl_diag_format(d));
        std::string file = d->file ? d->file : "input";
        std::string name = file.substr(file.rfind('/') + 1) + "/error" + std::to_string(i);
        testing::RegisterTest("catalogue", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                              [why]() -> testing::Test * { return new BadCaseFile(why); });
    }
    for (size_t i = 0; i < njobs; i++) {
        const rl_case *c = jobs[i].rcase;
        rl_tool *t = jobs[i].tool;
        std::string name = std::string(c->name) + "/" + t->spec;
        testing::RegisterTest("catalogue", name.c_str(), nullptr, nullptr, c->path, 1,
                              [c, t]() -> testing::Test * { return new CaseUnderTool(c, t); });
    }
}

} // namespace


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
            options.tools.push_back(value);
            i++;
        } else {
            std::cerr << "racelab_tests: unknown argument " << arg << "\n";
            return 2;
        }
    }
    if (options.tools.empty())
        tools = rl_default_tools(&ntools);
    else {
        tools = static_cast<rl_tool *>(calloc(options.tools.size(), sizeof *tools));
        for (const std::string &spec : options.tools) {
            diag d;
            if (rl_tool_parse(spec.c_str(), &tools[ntools], &d) < 0) {
                std::cerr << "racelab_tests: --tool " << spec << ": " << d.text() << "\n";
                return 2;
            }
            ntools++;
        }
    }
    rl_adopt_orphans();
    register_catalogue();
    std::signal(SIGCHLD, SIG_DFL); // children must stay ours to wait for
    int rc = RUN_ALL_TESTS();
    // A filter that selects nothing would pass without checking anything
    // (ctest runs one test per process, selected by filter).
    if (testing::UnitTest::GetInstance()->test_to_run_count() == 0) {
        std::cerr << "racelab_tests: no test matches the filter\n";
        rc = 1;
    }
    free(jobs);
    rl_catalogue_clear(&catalogue);
    rl_tools_free(tools, ntools);
    return rc;
}
