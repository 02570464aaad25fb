// The whole path on real tools: verdicts for cases racelab has never seen,
// errors (never a pass) from tools that do not instrument, hangs killed in
// time with nothing left behind, and the command's exit statuses.
#include "support.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <thread>

namespace {

// Each test its own: ctest runs tests side by side, and the checks for
// processes left behind look for this directory in command lines.
std::string work_dir()
{
    const testing::TestInfo *t = testing::UnitTest::GetInstance()->current_test_info();
    return test_options().work_dir + "/harness-tests/" + t->name();
}

struct job {
    rl_case *c = nullptr;
    rl_result r{};
    job(const std::string &case_file, const std::string &tool_spec,
        const volatile sig_atomic_t *cancel = nullptr)
    {
        rl_diag d;
        if (rl_case_load(fixture_path("cases/" + case_file).c_str(), &c, &d) < 0) {
            ADD_FAILURE() << d.message;
            return;
        }
        rl_tool tool;
        if (rl_tool_parse(tool_spec.c_str(), &tool, &d) < 0) {
            ADD_FAILURE() << d.message;
            return;
        }
        std::string work = work_dir();
        rl_config cfg = {work.c_str(), 1, cancel};
        rl_run_job(&cfg, c, &tool, &r);
    }
    ~job()
    {
        rl_result_clear(&r);
        rl_case_free(c);
    }
    std::string verdict() const { return rl_verdict_name(r.verdict); }
    std::string message() const { return r.message ? r.message : ""; }
};

#define EXPECT_VERDICT(j, v) EXPECT_EQ((j).verdict(), v) << (j).message()

// Processes whose command line mentions needle, other than this one.
std::vector<int> processes_mentioning(const std::string &needle)
{
    std::vector<int> found;
    DIR *d = opendir("/proc");
    while (dirent *e = d ? readdir(d) : nullptr) {
        int pid = atoi(e->d_name);
        if (pid <= 0 || pid == getpid())
            continue;
        std::string cmdline = read_text("/proc/" + std::string(e->d_name) + "/cmdline");
        if (cmdline.find(needle) != std::string::npos)
            found.push_back(pid);
    }
    if (d)
        closedir(d);
    return found;
}

TEST(Harness, UnseenCasesGetTheirVerdicts)
{
    for (const char *tool : {"tsan", "helgrind", "native"}) {
        job j("global_race.c", tool);
        EXPECT_VERDICT(j, "pass");
        if (std::string(tool) != "native") {
            ASSERT_GE(j.r.reports.count, 1u) << tool;
            EXPECT_EQ(j.r.reports.items[0].kind, RL_KIND_DATA_RACE) << tool;
        }
    }
    job three_native("exit_three.c", "native");
    EXPECT_VERDICT(three_native, "pass");
    job three_tsan("exit_three.c", "tsan");
    EXPECT_VERDICT(three_tsan, "pass");
}

TEST(Harness, AWrongExpectationFails)
{
    for (const char *tool : {"tsan", "helgrind"}) {
        job j("wrong_expectation.c", tool);
        EXPECT_VERDICT(j, "fail");
        EXPECT_NE(j.message().find("UNEXPECTED   data-race"), std::string::npos) << j.message();
        EXPECT_NE(j.message().find("log: "), std::string::npos) << j.message();
    }
}

TEST(Harness, ACompilerThatDropsTheSanitizerIsAnError)
{
    job j("global_race.c", "tsan:" + fixture_path("standins/clang"));
    EXPECT_VERDICT(j, "error");
    EXPECT_NE(j.message().find("no ThreadSanitizer runtime"), std::string::npos) << j.message();
    job clean("exit_three.c", "tsan:" + fixture_path("standins/clang"));
    EXPECT_VERDICT(clean, "error");
}

TEST(Harness, ABinaryThatOnlyLooksInstrumentedIsAnError)
{
    // It passes the check of the binary; the runtime's missing start-up
    // banner gives it away.
    for (const char *c : {"exit_three.c", "global_race.c"}) {
        job j(c, "tsan:" + fixture_path("standins/clang-fake-tsan"));
        EXPECT_VERDICT(j, "error");
        EXPECT_NE(j.message().find("ThreadSanitizer did not start"), std::string::npos)
            << j.message();
    }
}

TEST(Harness, AValgrindThatRunsTheProgramBareIsAnError)
{
    for (const char *tool : {"helgrind:", "drd:"}) {
        job j("exit_three.c", tool + fixture_path("standins/valgrind"));
        EXPECT_VERDICT(j, "error");
        EXPECT_NE(j.message().find("wrote no XML log"), std::string::npos) << j.message();
    }
}

TEST(Harness, AMissingToolIsAnError)
{
    job compiler("exit_three.c", "tsan:clang-does-not-exist");
    EXPECT_VERDICT(compiler, "error");
    EXPECT_NE(compiler.message().find("not found on PATH"), std::string::npos);
    job valgrind("exit_three.c", "helgrind:/nonexistent/valgrind");
    EXPECT_VERDICT(valgrind, "error");
    EXPECT_NE(valgrind.message().find("cannot run /nonexistent/valgrind"), std::string::npos)
        << valgrind.message();
}

// Sets an environment variable for a scope, then puts it back.
class scoped_env {
  public:
    explicit scoped_env(const char *name) : name_(name)
    {
        const char *v = getenv(name);
        had_ = v != nullptr;
        old_ = v ? v : "";
    }
    void set(const std::string &value) { setenv(name_, value.c_str(), 1); }
    ~scoped_env()
    {
        if (had_)
            setenv(name_, old_.c_str(), 1);
        else
            unsetenv(name_);
    }

  private:
    const char *name_;
    bool had_;
    std::string old_;
};

TEST(Harness, ReportsSwitchedOffInTheEnvironmentAreAnError)
{
    scoped_env env("TSAN_OPTIONS");
    for (const char *options : {"report_bugs=0", "history_size=3:report_thread_leaks=false",
                                "suppressions=/dev/null", "detect_deadlocks='0'"}) {
        env.set(options);
        job j("exit_three.c", "tsan");
        EXPECT_VERDICT(j, "error");
        EXPECT_NE(j.message().find("TSAN_OPTIONS has"), std::string::npos) << options;
    }
    // Options that do not silence anything are kept, and the run counts.
    env.set("history_size=3 halt_on_error=0");
    job kept("global_race.c", "tsan");
    EXPECT_VERDICT(kept, "pass");
}

TEST(Harness, ValgrindIgnoresOptionsFromTheEnvironment)
{
    // It would hide the race if valgrind read it.
    scoped_env env("VALGRIND_OPTS");
    env.set("--suppressions=" + fixture_path("standins/suppress-all-races.supp"));
    job j("global_race.c", "helgrind");
    EXPECT_VERDICT(j, "pass");
}

TEST(Harness, ALogDirectoryInUseIsAnError)
{
    std::string dir = work_dir() + "/logs/exit_three";
    ASSERT_EQ(std::system(("mkdir -p '" + dir + "'").c_str()), 0);
    int fd = open((dir + "/native.lock").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(flock(fd, LOCK_EX), 0);
    job j("exit_three.c", "native");
    EXPECT_VERDICT(j, "error");
    EXPECT_NE(j.message().find("another run is using"), std::string::npos);
    close(fd);
    job after("exit_three.c", "native");
    EXPECT_VERDICT(after, "pass");
}

TEST(Harness, ACompileErrorIsAnError)
{
    job j("compile_error.c", "tsan");
    EXPECT_VERDICT(j, "error");
    EXPECT_NE(j.message().find("missing_name"), std::string::npos) << j.message();
}

TEST(Harness, AToolTheCaseDoesNotDeclareIsAnError)
{
    job j("wrong_expectation.c", "drd");
    EXPECT_VERDICT(j, "error");
    EXPECT_NE(j.message().find(":1: no expect line for tool drd"), std::string::npos);
}

TEST(Harness, ADeadlockIsAHangKilledInTimeLeavingNothing)
{
    // abba_hang.c: timeout 0.5 s native; tsan 4x + 0.5 s, valgrind tools
    // 10x + 2 s.
    const std::pair<const char *, double> limits[] = {
        {"native", 0.5}, {"tsan", 2.5}, {"helgrind", 7.0}, {"drd", 7.0}};
    for (const auto &[tool, limit] : limits) {
        job j("abba_hang.c", tool);
        EXPECT_VERDICT(j, "pass");
        ASSERT_EQ(j.r.reports.count, 1u) << tool;
        EXPECT_EQ(j.r.reports.items[0].kind, RL_KIND_HANG);
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
            running = processes_mentioning(dir);
        }
        __atomic_store_n(&cancel, 1, __ATOMIC_RELAXED);
    });
    job j("abba_hang.c", "helgrind", &cancel);
    stopper.join();
    EXPECT_FALSE(running.empty());
    EXPECT_VERDICT(j, "skip");
    EXPECT_LT(j.r.seconds, 4.0);
    EXPECT_EQ(processes_mentioning(work_dir()), std::vector<int>{});

    job later("global_race.c", "tsan", &cancel);
    EXPECT_VERDICT(later, "skip");
    EXPECT_EQ(later.message(), "not run: interrupted");
}

// The command: exit statuses, and results written whatever happened.
int run_racelab(const std::string &args)
{
    std::string cmd = std::string("'") + RACELAB_BINARY + "' " + args + " >/dev/null 2>&1";
    int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Command, ExitStatusSaysPassFailOrBadInput)
{
    std::string common = "--work '" + work_dir() + "' --cases '" + fixture_path("cases") + "'";
    std::string json = work_dir() + "/command.json";
    EXPECT_EQ(run_racelab("run " + common + " exit_three --tool native --json '" + json + "'"), 0);
    std::string out = read_text(json);
    EXPECT_NE(out.find("\"verdict\": \"pass\""), std::string::npos) << out;
    EXPECT_EQ(run_racelab("run " + common + " wrong_expectation --tool tsan"), 1);
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
    EXPECT_EQ(run_racelab("run --work '" + work_dir() + "' --cases '" +
                          fixture_path("bad-cases") + "' --tool tsan --json '" + json + "'"),
              2);
    std::string out = read_text(json);
    EXPECT_NE(out.find("\"case\": \"good_one\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"verdict\": \"pass\""), std::string::npos) << out;
    EXPECT_NE(out.find("broken.c"), std::string::npos) << out;
    EXPECT_NE(out.find("\"line\": 3"), std::string::npos) << out;
    EXPECT_NE(out.find("unknown kind 'data-rase'"), std::string::npos) << out;
}

} // namespace
