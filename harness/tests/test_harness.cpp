// The whole path on real tools: verdicts for cases racelab has never seen,
// errors (never a pass) from tools that do not instrument, hangs killed in
// time with nothing left behind, and the command's exit statuses. What a
// hostile program or a broken tool tries is in test_sabotage.cpp.
#include "support.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <thread>

namespace {

TEST(Harness, UnseenCasesGetTheirVerdicts)
{
    for (const char *tool : {"tsan", "helgrind", "drd", "native"}) {
        job j("cases/global_race.c", tool);
        EXPECT_VERDICT(j, "pass");
        if (std::string(tool) != "native") {
            ASSERT_GE(j.r.reports.count, 1u) << tool;
            EXPECT_EQ(j.r.reports.items[0].kind, RL_KIND_DATA_RACE) << tool;
        }
        EXPECT_EQ(j.r.ending.kind, RL_KIND_EXIT) << tool;
    }
    for (const char *tool : {"tsan", "helgrind", "drd", "native"}) {
        job three("cases/exit_three.c", tool);
        EXPECT_VERDICT(three, "pass");
        EXPECT_EQ(three.r.ending.code, 3) << tool;
    }
}

// A forked child's TSan starts with its parent's count of warnings: its
// "reported N warnings" counts the parent's reports too, and is no report
// lost.
TEST(Harness, AForkAfterARaceIsNoLostReport)
{
    for (const char *tool : {"tsan", "tsan:gcc"}) {
        job j("sabotage/race_then_fork.c", tool);
        EXPECT_EQ(j.verdict(), "pass") << tool << ": " << j.message();
    }
}

TEST(Harness, AWrongExpectationFails)
{
    for (const char *tool : {"tsan", "helgrind"}) {
        job j("cases/wrong_expectation.c", tool);
        EXPECT_VERDICT(j, "fail");
        EXPECT_NE(j.message().find("UNEXPECTED   data-race"), std::string::npos) << j.message();
        EXPECT_NE(j.message().find("log: "), std::string::npos) << j.message();
    }
}

TEST(Harness, ResultsSayWhatRanAndHow)
{
    job j("cases/global_race.c", "tsan");
    ASSERT_EQ(j.verdict(), "pass") << j.message();
    const rl_result &r = j.r;
    EXPECT_STREQ(r.tool->toolchain.family, "clang");
    EXPECT_NE(r.tool->toolchain.version[0], '\0');
    EXPECT_EQ(r.tool->toolchain.path[0], '/');
    ASSERT_NE(r.compile.argv, nullptr);
    EXPECT_STREQ(r.compile.argv[0], r.tool->compiler.path);
    ASSERT_NE(r.link.argv, nullptr);
    ASSERT_NE(r.run.argv, nullptr);
    EXPECT_STREQ(r.run.argv[0], r.binary);
    std::string env;
    for (char **e = r.run.env_set; e && *e; e++)
        env += std::string(*e) + "\n";
    EXPECT_EQ(env.find("TSAN_OPTIONS=log_path=\"" + std::string(r.log_dir) +
                       "/tsan\":log_exe_name=0:log_suffix=:verbosity=1:exitcode=66:atexit_sleep_ms=1000:"
                       "report_bugs=1"),
              0u)
        << env;
    // The compiler ran in the case's directory, with only the environment
    // racelab gives it, on the text it preprocessed.
    ASSERT_NE(r.preprocess.argv, nullptr);
    std::string dir = r.rcase->path;
    dir.erase(dir.rfind('/'));
    for (const rl_command *cmd : {&r.preprocess, &r.compile, &r.link}) {
        ASSERT_NE(cmd->cwd, nullptr);
        EXPECT_EQ(cmd->cwd, dir);
        EXPECT_TRUE(cmd->env_only);
    }
    std::string compiled = r.compile.argv[0];
    for (char **a = r.compile.argv; *a; a++)
        compiled = *a;
    EXPECT_EQ(compiled, std::string(r.binary) + ".i") << "the compiler compiles the preprocessed text";
    // The verdict as data: which report met which line.
    ASSERT_EQ(r.match.nlines, 1u);
    EXPECT_TRUE(r.match.lines[0].met);
    ASSERT_EQ(r.match.lines[0].nreports, 1u);
    EXPECT_EQ(r.match.report_line[0], 0);
    EXPECT_TRUE(r.match.ending_ok);
}

TEST(Harness, ACompilerThatDropsTheSanitizerIsAnError)
{
    job j("cases/global_race.c", "tsan:" + fixture_path("standins/clang"));
    EXPECT_VERDICT(j, "error");
    EXPECT_NE(j.message().find("does not instrument memory accesses"), std::string::npos)
        << j.message();
    job clean("cases/exit_three.c", "tsan:" + fixture_path("standins/clang"));
    EXPECT_VERDICT(clean, "error");
}

TEST(Harness, ABinaryThatOnlyLooksInstrumentedIsAnError)
{
    // The object is checked first: the stand-in compiles without the
    // sanitizer, whatever name it links in.
    for (const char *c : {"cases/exit_three.c", "cases/global_race.c"}) {
        job j(c, "tsan:" + fixture_path("standins/clang-fake-tsan"));
        EXPECT_VERDICT(j, "error");
    }
}

TEST(Harness, AValgrindThatRunsTheProgramBareIsAnError)
{
    for (const char *tool : {"helgrind:", "drd:"}) {
        job j("cases/exit_three.c", tool + fixture_path("standins/valgrind"));
        EXPECT_VERDICT(j, "error");
        EXPECT_NE(j.message().find("wrote no XML log"), std::string::npos) << j.message();
    }
}

TEST(Harness, AMissingToolIsAnError)
{
    job compiler("cases/exit_three.c", "tsan:clang-does-not-exist");
    EXPECT_VERDICT(compiler, "error");
    EXPECT_NE(compiler.message().find("'clang-does-not-exist' not found on PATH"), std::string::npos)
        << compiler.message();
    job valgrind("cases/exit_three.c", "helgrind:/nonexistent/valgrind");
    EXPECT_VERDICT(valgrind, "error");
    EXPECT_NE(valgrind.message().find("'/nonexistent/valgrind' not found"), std::string::npos)
        << valgrind.message();
}

TEST(Harness, ValgrindIgnoresOptionsFromTheEnvironment)
{
    // It would hide the race if valgrind read it.
    scoped_env env("VALGRIND_OPTS");
    env.set("--suppressions=" + fixture_path("standins/suppress-all-races.supp"));
    job j("cases/global_race.c", "helgrind");
    EXPECT_VERDICT(j, "pass");
}

TEST(Harness, ALogDirectoryInUseIsAnError)
{
    std::string dir = work_dir() + "/logs/exit_three";
    ASSERT_EQ(std::system(("mkdir -p " + shell_quote(dir)).c_str()), 0);
    int fd = open((dir + "/native.lock").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(flock(fd, LOCK_EX), 0);
    job j("cases/exit_three.c", "native");
    EXPECT_VERDICT(j, "error");
    EXPECT_NE(j.message().find("another run is using"), std::string::npos);
    close(fd);
    job after("cases/exit_three.c", "native");
    EXPECT_VERDICT(after, "pass");
}

TEST(Harness, ACompileErrorIsAnError)
{
    job j("cases/compile_error.c", "tsan");
    EXPECT_VERDICT(j, "error");
    EXPECT_NE(j.message().find("missing_name"), std::string::npos) << j.message();
}

TEST(Harness, AToolTheCaseDoesNotDeclareIsAnError)
{
    job j("cases/wrong_expectation.c", "drd");
    EXPECT_VERDICT(j, "error");
    EXPECT_NE(j.message().find(":1: no expect line for tool drd"), std::string::npos);
}

TEST(Harness, AToolchainTheCaseCannotRunOnIsSkippedWithItsReason)
{
    job j("cases/scoped.c", "tsan:gcc-12");
    EXPECT_VERDICT(j, "skip");
    EXPECT_NE(j.message().find("unsupported on gcc 12.2.0: the case is about clang"),
              std::string::npos)
        << j.message();
    job clang("cases/scoped.c", "tsan");
    EXPECT_VERDICT(clang, "pass");
}

TEST(Harness, ADeadlockIsAHangKilledInTimeLeavingNothing)
{
    // abba_hang.c: timeout 0.5 s native; tsan 4x + 0.5 s, valgrind tools
    // 10x + 2 s.
    const std::pair<const char *, double> limits[] = {
        {"native", 0.5}, {"tsan", 2.5}, {"helgrind", 7.0}, {"drd", 7.0}};
    for (const auto &[tool, limit] : limits) {
        job j("cases/abba_hang.c", tool);
        EXPECT_VERDICT(j, "pass");
        EXPECT_EQ(j.r.reports.count, 0u) << tool;
        EXPECT_EQ(j.r.ending.kind, RL_KIND_HANG) << tool;
        EXPECT_GE(j.r.seconds, limit) << tool;
        EXPECT_LT(j.r.seconds, limit + 1.0) << tool;
        EXPECT_EQ(processes_mentioning(work_dir()), std::vector<int>{}) << tool;
    }
}

TEST(Harness, CancellingKillsTheRunningJob)
{
    volatile sig_atomic_t cancel = 0;
    std::vector<int> running;
    std::string dir = work_dir();
    std::thread stopper([&cancel, &running, dir] {
        // Once the run is seen (which proves the check below can see it).
        for (int i = 0; i < 200 && running.empty(); i++) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            running = processes_mentioning(dir + "/bin");
        }
        __atomic_store_n(&cancel, 1, __ATOMIC_RELAXED);
    });
    job j("cases/abba_hang.c", "helgrind", &cancel);
    stopper.join();
    EXPECT_FALSE(running.empty());
    EXPECT_VERDICT(j, "skip");
    EXPECT_LT(j.r.seconds, 4.0);
    EXPECT_EQ(processes_mentioning(work_dir()), std::vector<int>{});

    job later("cases/global_race.c", "tsan", &cancel);
    EXPECT_VERDICT(later, "skip");
    EXPECT_EQ(later.message(), "not run: interrupted");
}

// The command: exit statuses, and results written whatever happened.
TEST(Command, ExitStatusSaysPassFailOrBadInput)
{
    std::string common = "--work " + shell_quote(work_dir()) + " --cases " + shell_quote(fixture_path("cases"));
    std::string json = work_dir() + "/command.json";
    EXPECT_EQ(run_racelab("run " + common + " exit_three --tool native --json " + shell_quote(json)), 0);
    std::string out = read_text(json);
    EXPECT_NE(out.find("\"verdict\": \"pass\""), std::string::npos) << out;
    EXPECT_EQ(run_racelab("run " + common + " wrong_expectation --tool tsan"), 1);
    EXPECT_EQ(run_racelab("run " + common + " scoped --tool tsan:gcc-12"), 1) << "only skipped";
    EXPECT_EQ(run_racelab("run " + common + " no_such_case"), 2);
    EXPECT_EQ(run_racelab("run " + common + " --tool memcheck"), 2);
    EXPECT_EQ(run_racelab("run " + common + " --jobs 0"), 2);
    EXPECT_EQ(run_racelab("frobnicate"), 2);
    EXPECT_EQ(run_racelab("list " + common), 0);
}

TEST(Command, BadInputStillRunsAndWritesTheRest)
{
    std::string json = work_dir() + "/bad-input.json";
    std::remove(json.c_str());
    EXPECT_EQ(run_racelab("run --work " + shell_quote(work_dir()) + " --cases " +
                          shell_quote(fixture_path("bad-cases")) + " --tool tsan --json " + shell_quote(json)),
              2);
    std::string out = read_text(json);
    EXPECT_NE(out.find("\"case\": \"good_one\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"verdict\": \"pass\""), std::string::npos) << out;
    EXPECT_NE(out.find("broken.c"), std::string::npos) << out;
    EXPECT_NE(out.find("\"line\": 3"), std::string::npos) << out;
    EXPECT_NE(out.find("unknown kind 'data-rase'"), std::string::npos) << out;
}

// Results of every verdict, and input errors, against docs/results.schema.json.
TEST(Command, ResultsValidateAgainstTheirSchema)
{
    std::string json = work_dir() + "/all.json";
    std::string broken = work_dir() + "/broken.json";
    run_racelab("run exit_three wrong_expectation compile_error scoped global_race " +
                shell_quote(fixture_path("bad-cases/broken.c")) + " --tool tsan --tool helgrind" +
                " --tool tsan:gcc-12 --tool native --cases " + shell_quote(fixture_path("cases")) +
                " --work " + shell_quote(work_dir()) + " --json " + shell_quote(json));
    std::string doc = read_text(json);
    for (const char *v : {"\"pass\"", "\"fail\"", "\"error\"", "\"skip\"", "data-rase"})
        EXPECT_NE(doc.find(v), std::string::npos) << v;
    std::string validate = std::string(RACELAB_VALIDATOR) + " " + shell_quote(RACELAB_SCHEMA) + " ";
    EXPECT_EQ(std::system((validate + shell_quote(json)).c_str()), 0);
    // The check can fail: a verdict the schema does not know.
    std::string sed = "sed 's/\"verdict\": \"fail\"/\"verdict\": \"maybe\"/' " + shell_quote(json) +
                      " > " + shell_quote(broken);
    ASSERT_EQ(std::system(sed.c_str()), 0);
    EXPECT_NE(std::system((validate + shell_quote(broken) + " >/dev/null").c_str()), 0);
}

TEST(Command, RecordsARunThatReplaysToTheSameVerdict)
{
    std::string out = work_dir() + "/recorded";
    ASSERT_EQ(run_racelab("record global_race --tool tsan --tool helgrind --cases " +
                          shell_quote(fixture_path("cases")) + " --work " + shell_quote(work_dir()) +
                          " --out " + shell_quote(out)),
              0);
    rl_case *c;
    diag d;
    ASSERT_EQ(rl_case_load(fixture_path("cases/global_race.c").c_str(), &c, &d), 0);
    int replayed = 0;
    for (const char *family : {"tsan-clang-", "helgrind-valgrind-"}) {
        std::string listing;
        std::string cmd = "ls " + shell_quote(out + "/global_race") + " > " + shell_quote(work_dir() + "/ls");
        ASSERT_EQ(std::system(cmd.c_str()), 0);
        std::string names = read_text(work_dir() + "/ls");
        size_t at = names.find(family);
        ASSERT_NE(at, std::string::npos) << names;
        std::string dir = out + "/global_race/" + names.substr(at, names.find('\n', at) - at);
        rl_result r;
        ASSERT_EQ(rl_replay(c, dir.c_str(), &r, &d), 0) << d.text();
        EXPECT_EQ(std::string(rl_verdict_name(r.verdict)), "pass") << take(rl_render_problem(&r));
        EXPECT_EQ(r.reports.count, 1u);
        rl_result_clear(&r);
        replayed++;
    }
    EXPECT_EQ(replayed, 2);
    rl_case_free(c);
}

// Tests written in compiler-rt's and GCC's own TSan idioms (ported, with
// their measured expectations) pass as they are: the test-only barrier,
// dlsym-free ports of their helpers.
TEST(Harness, TheCompilersOwnTsanTestIdiomsPass)
{
    for (const char *name : {"crt_free_race", "crt_mutex_cycle_long", "crt_thread_exit",
                             "gcc_simple_race", "gcc_thread_leak1", "gcc_tls_race",
                             "testonly_barrier_race"})
        for (const char *tool : {"tsan", "tsan:gcc-12", "helgrind", "drd"}) {
            SCOPED_TRACE(std::string(name) + " " + tool);
            job j(std::string("idioms/") + name + ".c", tool);
            EXPECT_VERDICT(j, "pass");
        }
}

} // namespace
