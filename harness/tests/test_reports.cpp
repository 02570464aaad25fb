// The reports CI systems read, each checked by what reads it: JUnit by a
// JUnit consumer, SARIF against the SARIF 2.1.0 schema and by the SARIF
// Multitool; the capability matrix of shards merged; a baseline that flags
// a broken toolchain. They run the racelab command on small fixture cases.
#include "support.h"

#include <gtest/gtest.h>

#include <jansson.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace {

// A command's output and exit status.
int run(const std::string &cmd, std::string *out)
{
    std::string file = work_dir() + "/cmd.out";
    std::system(("mkdir -p " + shell_quote(work_dir())).c_str());
    int status = std::system((cmd + " >" + shell_quote(file) + " 2>&1").c_str());
    *out = read_text(file);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Cases with every verdict: a pass, a fail, an error (it does not compile),
// under tsan and native, and a case file that is bad input.
std::string mixed_run()
{
    return "run exit_three wrong_expectation compile_error " + shell_quote(fixture_path("bad-cases/broken.c")) +
           " --tool tsan --tool native --cases " + shell_quote(fixture_path("cases")) + " --work " +
           shell_quote(work_dir());
}

TEST(Reports, JUnitIsReadByAJUnitConsumer)
{
    std::string junit = work_dir() + "/report.xml";
    EXPECT_EQ(racelab(mixed_run() + " --junit " + shell_quote(junit)), 2);
    std::string listing;
    ASSERT_EQ(run(std::string(RACELAB_READ_JUNIT) + " " + shell_quote(junit), &listing), 0) << listing;
    std::map<std::string, std::string> got;
    std::istringstream lines(listing);
    std::string suite, name, result;
    while (lines >> suite >> name >> result)
        got[name] = result;
    EXPECT_EQ(got["exit_three/tsan"], "pass") << listing;
    EXPECT_EQ(got["exit_three/native"], "pass") << listing;
    EXPECT_EQ(got["wrong_expectation/tsan"], "failure") << listing;
    EXPECT_EQ(got["compile_error/tsan"], "error") << listing;
    EXPECT_TRUE(contains(listing, "racelab.input")) << "the bad case file is no testcase:\n" << listing;
}

TEST(Reports, SarifIsValidAndPointsAtTheCaseLines)
{
    std::string sarif = work_dir() + "/report.sarif";
    EXPECT_EQ(racelab(mixed_run() + " --sarif " + shell_quote(sarif)), 2);
    std::string tools = RACELAB_SARIF_TOOLS, out;
    struct stat st;
    ASSERT_EQ(stat((tools + "/sarif-2.1.0.json").c_str(), &st), 0)
        << "the SARIF Multitool is not installed: run ci/install-deps.sh";
    EXPECT_EQ(run(std::string(RACELAB_VALIDATE_SARIF) + " " + shell_quote(tools + "/sarif-2.1.0.json") +
                      " " + shell_quote(sarif),
                  &out),
              0)
        << out;
    std::string checked = work_dir() + "/validated.sarif";
    EXPECT_EQ(run(shell_quote(tools + "/Sarif.Multitool") + " validate --output " + shell_quote(checked) +
                      " " + shell_quote(sarif),
                  &out),
              0)
        << out;
    // The Multitool's own findings: warnings at most, no error.
    EXPECT_FALSE(contains(read_text(checked), "\"level\": \"error\"")) << read_text(checked);

    // The unexpected race of wrong_expectation is at the case's racy store.
    json_error_t err;
    json_t *doc = json_load_file(sarif.c_str(), 0, &err);
    ASSERT_NE(doc, nullptr) << err.text;
    std::string racy = fixture_path("cases/wrong_expectation.c");
    std::set<long> lines;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(json_array_get(json_object_get(doc, "runs"), 0), "results"), i, r)
    {
        json_t *loc = json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
        std::string uri = json_string_value(json_object_get(json_object_get(loc, "artifactLocation"), "uri"));
        if (uri == "file://" + racy && std::string(json_string_value(json_object_get(r, "ruleId"))) == "RL1")
            lines.insert(json_integer_value(json_object_get(json_object_get(loc, "region"), "startLine")));
    }
    json_decref(doc);
    EXPECT_TRUE(lines.count(line_containing(racy, "shared = value;")) ||
                lines.count(line_containing(racy, "shared = ")))
        << "no finding at the racy store of " << racy;
}

// The cells of a matrix JSON: "case toolchain state" lines, sorted.
std::string cells(const std::string &matrix_json)
{
    json_error_t err;
    json_t *doc = json_load_file(matrix_json.c_str(), 0, &err);
    if (!doc)
        return std::string("(not JSON: ") + err.text + ")";
    std::set<std::string> all;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(doc, "cells"), i, c)
    all.insert(std::string(json_string_value(json_object_get(c, "case"))) + " " +
               json_string_value(json_object_get(c, "toolchain")) + " " +
               json_string_value(json_object_get(c, "state")));
    json_decref(doc);
    std::string out;
    for (const std::string &s : all)
        out += s + "\n";
    return out;
}

// The jobs a run's JSON results hold: "case tool" strings.
std::multiset<std::string> jobs_of(const std::string &run_json)
{
    std::multiset<std::string> all;
    json_t *doc = json_load_file(run_json.c_str(), 0, nullptr);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r)
    all.insert(std::string(json_string_value(json_object_get(r, "case"))) + " " +
               json_string_value(json_object_get(r, "tool")));
    json_decref(doc);
    return all;
}

TEST(Reports, TwoShardsMergeIntoTheMatrixOfOneRun)
{
    std::string base = "run --tool tsan --tool native --cases " + shell_quote(fixture_path("cases")) +
                       " exit_three wrong_expectation global_race scoped --work " + shell_quote(work_dir());
    std::string w = work_dir();
    racelab(base + " --json " + shell_quote(w + "/whole.json"));
    racelab(base + " --shard 1/2 --json " + shell_quote(w + "/one.json"));
    racelab(base + " --shard 2/2 --json " + shell_quote(w + "/two.json"));
    EXPECT_EQ(racelab("matrix " + shell_quote(w + "/whole.json") + " --json " + shell_quote(w + "/whole.m.json")), 0);
    EXPECT_EQ(racelab("matrix " + shell_quote(w + "/one.json") + " " + shell_quote(w + "/two.json") +
                      " --json " + shell_quote(w + "/merged.m.json")),
              0);
    std::string whole = cells(w + "/whole.m.json"), merged = cells(w + "/merged.m.json");
    EXPECT_EQ(merged, whole);
    EXPECT_GE(std::count(whole.begin(), whole.end(), '\n'), 6) << whole;
    // Each shard ran every job of its cases; together all of them, none
    // twice. A matrix of one shard alone is not called whole.
    std::multiset<std::string> one = jobs_of(w + "/one.json"), two = jobs_of(w + "/two.json"), both = one;
    both.insert(two.begin(), two.end());
    EXPECT_EQ(both, jobs_of(w + "/whole.json"));
    EXPECT_EQ(both.size(), 8u);
    for (const auto *shard : {&one, &two}) {
        EXPECT_FALSE(shard->empty());
        for (const std::string &job : *shard) {
            std::string name = job.substr(0, job.find(' '));
            EXPECT_EQ(shard->count(name + " tsan") + shard->count(name + " native"), 2u) << job;
        }
    }
    std::string out;
    EXPECT_EQ(racelab("matrix " + shell_quote(w + "/two.json") + " --json " + shell_quote(w + "/half.json"), &out), 2);
    EXPECT_TRUE(contains(out, "shard 1/2 is missing")) << out;
}

TEST(Reports, ABaselineFlagsABrokenToolchainAsARegression)
{
    std::string w = work_dir();
    std::string program = standin("clang-drops-sanitizer");
    std::string base = "run exit_three global_race --cases " + shell_quote(fixture_path("cases")) +
                       " --work " + shell_quote(w) + " --tool tsan:" + shell_quote(program);
    ASSERT_EQ(racelab(base + " --json " + shell_quote(w + "/baseline.json")), 0);
    write_text(program + ".conf", "drop -fsanitize=thread");
    std::string out;
    EXPECT_EQ(racelab(base + " --rebuild --baseline " + shell_quote(w + "/baseline.json"), &out), 4) << out;
    size_t regressed = out.find("REGRESSIONS against the baseline: 2"), summary = out.find(" passed, ");
    EXPECT_NE(regressed, std::string::npos) << out;
    EXPECT_LT(regressed, summary) << "the regressions come first:\n" << out;
    EXPECT_TRUE(contains(out, "REGRESSED exit_three/tsan:")) << out;
    // A merged matrix (racelab matrix --json) serves as the baseline too.
    ASSERT_EQ(racelab("matrix " + shell_quote(w + "/baseline.json") + " --json " + shell_quote(w + "/baseline.m.json")),
              0);
    EXPECT_EQ(racelab(base + " --baseline " + shell_quote(w + "/baseline.m.json"), &out), 4) << out;
    EXPECT_TRUE(contains(out, "REGRESSIONS against the baseline: 2")) << out;
    // Fixed again: listed as fixed, against the broken run as baseline.
    ASSERT_EQ(racelab(base + " --json " + shell_quote(w + "/broken.json")), 1);
    ASSERT_EQ(unlink((program + ".conf").c_str()), 0);
    EXPECT_EQ(racelab(base + " --baseline " + shell_quote(w + "/broken.json"), &out), 0) << out;
    EXPECT_TRUE(contains(out, "fixed since the baseline: 2")) << out;
}

// A baseline from a machine with a toolchain this one lacks: a run asked
// for every compiler (native:all) did not run it, a regression; a run not
// asked for that tool at all is neither better nor worse.
TEST(Reports, AToolchainGoneSinceTheBaselineIsARegression)
{
    std::string w = work_dir();
    std::string base = "run exit_three --cases " + shell_quote(fixture_path("cases")) + " --work " + shell_quote(w);
    ASSERT_EQ(racelab(base + " --tool native:gcc --save-baseline " + shell_quote(w + "/baseline.json")), 0);
    // The same results, as if from a machine where they came from gcc-99.
    json_t *doc = json_load_file((w + "/baseline.json").c_str(), 0, nullptr);
    ASSERT_NE(doc, nullptr);
    json_object_set_new(json_array_get(json_object_get(doc, "results"), 0), "spec", json_string("native:gcc-99"));
    ASSERT_EQ(json_dump_file(doc, (w + "/baseline.json").c_str(), 0), 0);
    json_decref(doc);

    std::string out;
    EXPECT_EQ(racelab(base + " --tool native:all --baseline " + shell_quote(w + "/baseline.json"), &out), 4) << out;
    EXPECT_TRUE(contains(out, "REGRESSED exit_three/native:gcc-99: not run")) << out;
    EXPECT_EQ(racelab(base + " --tool tsan --baseline " + shell_quote(w + "/baseline.json"), &out), 0) << out;
    EXPECT_FALSE(contains(out, "REGRESS")) << out;
    // The same judgement from the results files.
    ASSERT_EQ(racelab(base + " --tool native:all --json " + shell_quote(w + "/all.json")), 0);
    EXPECT_EQ(racelab("matrix " + shell_quote(w + "/all.json") + " --baseline " + shell_quote(w + "/baseline.json"), &out), 4)
        << out;
    EXPECT_TRUE(contains(out, "REGRESSED exit_three/native:gcc-99: not run")) << out;
}

// A cell says what the tool did with what the program really does (its
// "// bug:" line), whatever the case declares: native never reports, so it
// missed the race even though its job passed.
TEST(Reports, TheMatrixJudgesByWhatTheProgramReallyDoes)
{
    std::string w = work_dir();
    EXPECT_EQ(racelab("run global_race exit_three scoped --tool tsan --tool native --cases " +
                      shell_quote(fixture_path("cases")) + " --work " + shell_quote(w) + " --matrix " +
                      shell_quote(w + "/m.json")),
              2); // scoped has no native lines: an input error, its job an error
    std::string got = cells(w + "/m.json");
    for (const char *cell : {"global_race tsan clang 14.0.6 caught", "global_race native gcc 12.2.0 missed",
                             "exit_three tsan clang 14.0.6 clean", "exit_three native gcc 12.2.0 clean",
                             "scoped tsan clang 14.0.6 quiet", "scoped native gcc 12.2.0 error"})
        EXPECT_TRUE(contains(got, cell)) << cell << " not in:\n" << got;
    json_t *doc = json_load_file((w + "/m.json").c_str(), 0, nullptr);
    ASSERT_NE(doc, nullptr);
    json_t *native = json_object_get(json_object_get(doc, "scores"), "native gcc 12.2.0");
    EXPECT_DOUBLE_EQ(json_real_value(json_object_get(native, "recall")), 0.0);
    EXPECT_DOUBLE_EQ(json_real_value(json_object_get(native, "precision")), 1.0);
    json_decref(doc);
}

TEST(Reports, TheMatrixPageLinksEveryCellToItsReport)
{
    std::string w = work_dir(), page = w + "/matrix.html";
    racelab("run exit_three wrong_expectation --tool tsan --tool native --cases " +
            shell_quote(fixture_path("cases")) + " --work " + shell_quote(w) + " --matrix " + shell_quote(page));
    std::string html = read_text(page);
    ASSERT_TRUE(contains(html, "<table id=\"matrix\">")) << html;
    EXPECT_FALSE(contains(html, "http://") || contains(html, "https://") || contains(html, "src=")) << "not self-contained";
    int links = 0;
    for (size_t at = 0; (at = html.find("href=\"#job-", at)) != std::string::npos; at++) {
        std::string id = html.substr(at + 7, html.find('"', at + 7) - at - 7);
        EXPECT_TRUE(contains(html, "id=\"" + id + "\"")) << id;
        links++;
    }
    EXPECT_EQ(links, 4);
    // wrong_expectation under tsan: a race it does not declare (no bug line).
    EXPECT_TRUE(contains(html, "reported <strong>FAIL</strong></a>")) << html;
}

// The CI templates pass their CI systems' own checks: the GitHub workflow
// GitHub's workflow schema (action-validator), the GitLab job GitLab's CI
// schema (gitlab-ci-local, which reads it as GitLab would and lists its
// jobs); and every racelab option they use is one racelab takes.
TEST(Reports, TheCiTemplatesPassTheirSystemsChecks)
{
    std::string bin = std::string(RACELAB_SOURCE) + "/ci/.tools/node_modules/.bin", out;
    std::string github = std::string(RACELAB_SOURCE) + "/ci/github-actions.yml",
                gitlab = std::string(RACELAB_SOURCE) + "/ci/gitlab-ci.yml";
    struct stat st;
    ASSERT_EQ(stat((bin + "/action-validator").c_str(), &st), 0) << "run ci/install-deps.sh";
    EXPECT_EQ(run(shell_quote(bin + "/action-validator") + " " + shell_quote(github), &out), 0) << out;

    std::string repo = work_dir() + "/gitlab";
    ASSERT_EQ(std::system(("mkdir -p " + shell_quote(repo) + " && cd " + shell_quote(repo) +
                           " && git init -q && cp " + shell_quote(gitlab) + " .gitlab-ci.yml")
                              .c_str()),
              0);
    EXPECT_EQ(run("cd " + shell_quote(repo) + " && " + shell_quote(bin + "/gitlab-ci-local") + " --list", &out), 0)
        << out;
    EXPECT_TRUE(contains(out, "json schema validated")) << out;
    EXPECT_TRUE(contains(out, "racelab: [tsan:gcc-12,2]")) << out;
    EXPECT_TRUE(contains(out, "racelab-matrix")) << out;

    std::string usage;
    racelab("--help", &usage);
    int commands = 0;
    for (const std::string &file : {github, gitlab}) {
        // Each racelab command: its line and the folded lines after it, up to
        // the next list item or key.
        std::istringstream lines(read_text(file));
        std::string line, command;
        bool in = false;
        auto check = [&]() {
            commands++;
            for (size_t o = command.find(" --"); o != std::string::npos; o = command.find(" --", o + 1)) {
                std::string option = command.substr(o + 1, command.find_first_of(" \"=", o + 1) - o - 1);
                EXPECT_TRUE(contains(usage, option + " ") || contains(usage, "[" + option))
                    << file << " uses " << option << ", which racelab does not take";
            }
        };
        while (std::getline(lines, line)) {
            size_t first = line.find_first_not_of(' ');
            std::string trimmed = first == std::string::npos ? "" : line.substr(first);
            bool key = trimmed.rfind("- ", 0) == 0 || trimmed.find(": ") != std::string::npos ||
                       (!trimmed.empty() && trimmed.back() == ':');
            if (in && (key || trimmed.empty())) {
                check();
                in = false;
            }
            size_t at = line.find("build/racelab ");
            if (at != std::string::npos && line.find("racelab run") == std::string::npos &&
                line.find("racelab matrix") == std::string::npos)
                at = std::string::npos;
            if (at != std::string::npos) {
                command = line.substr(at);
                in = true;
            } else if (in)
                command += " " + trimmed;
        }
        if (in)
            check();
    }
    EXPECT_EQ(commands, 4) << "a run and a matrix command in each template";
}

} // namespace
