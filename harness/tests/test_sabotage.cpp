// Sabotage: a hostile program or a broken tool trying to get a PASS it has
// not earned, lose racelab's results or outlive its run. Each test is one
// row of docs/sabotage.md, and fails when the defence it proves is taken
// out. ctest labels these "sabotage".
#include "support.h"

#include <gtest/gtest.h>

#include <jansson.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace {

// ---- 1. A program that dies under TSan --------------------------------------

TEST(Sabotage, ACrashTsanCatchesIsNeverClean)
{
    job j("sabotage/segv_under_tsan.c", "tsan");
    EXPECT_VERDICT(j, "fail");
    EXPECT_EQ(j.r.ending.kind, RL_KIND_SIGNAL);
    EXPECT_EQ(j.r.ending.code, SIGSEGV);
    EXPECT_TRUE(contains(j.message(), "SEGV on unknown address")) << j.message();
    job declared("sabotage/segv_declared.c", "tsan");
    EXPECT_VERDICT(declared, "pass");
}

TEST(Sabotage, AnAllocationTsanRefusesIsAReport)
{
    job j("sabotage/alloc_too_big.c", "tsan");
    EXPECT_VERDICT(j, "fail");
    EXPECT_TRUE(contains(j.message(), "allocation-size-too-big: no racelab kind")) << j.message();
    job allowed("sabotage/alloc_null_allowed.c", "tsan");
    EXPECT_VERDICT(allowed, "pass");
}

TEST(Sabotage, AProcessTheRuntimeKillsIsAReport)
{
    job j("sabotage/threads_after_fork.c", "tsan");
    EXPECT_VERDICT(j, "fail");
    EXPECT_TRUE(contains(j.message(), "Dying")) << j.message();
}

TEST(Sabotage, ExitStatus66WithoutAReportIsAnError)
{
    job j("sabotage/exit_66.c", "tsan");
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "ThreadSanitizer's status after a report, but no report"))
        << j.message();
}

// ---- 2. TSAN_OPTIONS that switch checking off -------------------------------

TEST(Sabotage, TsanOptionsThatCouldHideAReportAreRefused)
{
    std::string include = work_dir() + "/silence.opts";
    ASSERT_EQ(std::system(("mkdir -p " + shell_quote(work_dir()) + " && echo report_bugs=0 > " +
                           shell_quote(include)).c_str()),
              0);
    scoped_env env("TSAN_OPTIONS");
    for (std::string options : std::vector<std::string>{
             "report_bugs=0", "include=" + include, "include_if_exists=" + include,
          "log_path=\"x\"report_bugs=0", "halt_on_error=1", "ignore_interceptors_accesses=1",
          "ignore_noninstrumented_modules=1", "suppressions=/dev/null",
          "history_size=3:detect_deadlocks='0'", "exitcode=0", "log_path=/tmp/elsewhere",
          "verbosity=0", "report_thread_leaks=false", "flush_memory_ms=1",
          "unknown_flag_of_tomorrow=1", "a"}) {
        SCOPED_TRACE(options);
        env.set(options);
        job j("sabotage/global_race_clean.c", "tsan");
        EXPECT_VERDICT(j, "error");
        EXPECT_TRUE(contains(j.message(), "TSAN_OPTIONS")) << j.message();
    }
    // Options that hide nothing are kept, read as the runtime reads them
    // (quotes, and no separator after a closing quote), and the verdict is
    // the honest one.
    env.set("history_size='3' second_deadlock_stack=\"1\"report_bugs=yes");
    job kept("sabotage/global_race_clean.c", "tsan");
    EXPECT_VERDICT(kept, "fail");
}

// clang's TSan runtime reads UBSAN_OPTIONS after TSAN_OPTIONS, with the
// flags they share: detect_deadlocks=0 there would hide a lock-order report.
TEST(Sabotage, OtherSanitizersOptionsCannotSwitchTsanOff)
{
    scoped_env ubsan("UBSAN_OPTIONS");
    ubsan.set("detect_deadlocks=0:intercept_strlen=0");
    scoped_env symbolizer("TSAN_SYMBOLIZER_PATH");
    symbolizer.set("/bin/false");
    job j("sabotage/lock_order_clean.c", "tsan");
    EXPECT_VERDICT(j, "fail");
    EXPECT_TRUE(contains(j.message(), "UNEXPECTED   lock-order")) << j.message();
}

TEST(Sabotage, ASecondBugIsSeenWhateverTheUserSays)
{
    // halt_on_error=1 would stop at the declared race and hide the other.
    job honest("sabotage/two_races_one_declared.c", "tsan");
    EXPECT_VERDICT(honest, "fail");
    scoped_env env("TSAN_OPTIONS");
    env.set("halt_on_error=1");
    job j("sabotage/two_races_one_declared.c", "tsan");
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "TSAN_OPTIONS option 'halt_on_error=1'")) << j.message();
}

// ---- 3. Logs cut off, truncated or sent elsewhere ---------------------------

TEST(Sabotage, ALogTheProgramClosedIsAnError)
{
    job j("sabotage/closes_descriptors.c", "tsan");
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "no end-of-run statistics")) << j.message();
}

TEST(Sabotage, ALogANewImageTruncatedIsAnError)
{
    job j("sabotage/execs_itself.c", "tsan");
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "was opened 2 times")) << j.message();
}

TEST(Sabotage, AChildThatChangesDirectoryStillLogsHere)
{
    job j("sabotage/chdir_then_fork.c", "tsan");
    EXPECT_VERDICT(j, "fail");
    EXPECT_TRUE(contains(j.message(), "UNEXPECTED   data-race")) << j.message();
}

TEST(Sabotage, AChildKilledBeforeItsLogIsWholeIsAnError)
{
    for (const char *tool : {"tsan", "tsan:gcc"}) {
        job j("sabotage/child_killed_after_racing.c", tool);
        EXPECT_VERDICT(j, "error");
        // Killed while symbolizing its report, the child can leave its
        // llvm-symbolizer behind: that error can come first.
        EXPECT_TRUE(contains(j.message(), "of a forked child has no end-of-run statistics") ||
                    contains(j.message(), "was still running when it ended"))
            << j.message();
    }
}

TEST(Sabotage, DeletedLogsAreSaidToBeDeleted)
{
    job j("sabotage/deletes_its_logs.c", "tsan");
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "was deleted or moved during the run")) << j.message();
}

// ---- 4. A compiler that does not instrument ---------------------------------

TEST(Sabotage, ACompilerThatInstrumentsOnlyWhenLinkingIsAnError)
{
    for (const char *c : {"sabotage/global_race_clean.c", "cases/exit_three.c"}) {
        job j(c, "tsan:" + fixture_path("standins/clang-link-only"));
        EXPECT_VERDICT(j, "error");
        // Two layers catch it: the compiler's own account of the case, then
        // the object's calls.
        EXPECT_TRUE(contains(j.message(), "compiled without ThreadSanitizer's instrumentation") ||
                    contains(j.message(), "calls nothing of ThreadSanitizer's"))
            << j.message();
    }
}

TEST(Sabotage, ACompilerThatSkipsMemoryAccessesIsAnError)
{
    job j("sabotage/global_race_clean.c", "tsan:" + fixture_path("standins/clang-no-accesses"));
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "does not instrument memory accesses")) << j.message();
}

TEST(Sabotage, CflagsThatCouldSwitchCheckingOffAreRefused)
{
    for (const char *flag :
         {"-fno-sanitize=thread", "-fsanitize-ignorelist=x", "-fsanitize-blacklist=x",
          "-fno-sanitize-thread-memory-access", "-fno-sanitize-thread-atomics",
          "-mllvm", "-Xclang", "--param=tsan-distinguish-volatile=1", "-Wl,--wrap=__tsan_write4",
          "-Xlinker", "-B/tmp", "@/tmp/flags", "-o", "-fplugin=x.so", "-flto", "-static",
          "-l:../../../tmp/poke.o", "-l../x", "-l:libpoke.a"}) {
        SCOPED_TRACE(flag);
        std::string text = std::string("// expect tsan: clean\n// cflags: ") + flag + "\n";
        rl_case *c;
        diag d;
        EXPECT_EQ(rl_case_parse("/x/flags.c", text.data(), text.size(), &c, &d), -1);
        EXPECT_EQ(d.line, 2);
        EXPECT_TRUE(contains(d.text(), "is refused") || contains(d.text(), "not one racelab accepts"))
            << d.text();
    }
}

// ---- 5. A valgrind that is not what it says ---------------------------------

TEST(Sabotage, AValgrindThatAddsSuppressionsIsAnError)
{
    job honest("sabotage/global_race_clean.c", "helgrind");
    EXPECT_VERDICT(honest, "fail");
    job j("sabotage/global_race_clean.c", "helgrind:" + fixture_path("standins/valgrind-suppress"));
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "valgrind ran with other options than racelab gave"))
        << j.message();
}

TEST(Sabotage, AnotherRunsXmlIsAnError)
{
    job j("sabotage/global_race_clean.c", "helgrind:" + fixture_path("standins/valgrind-replay"));
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "is another process's")) << j.message();
}

// ---- 6. Expectations hidden from the parser ---------------------------------

TEST(Sabotage, LookAlikeCharactersNeverHideADirective)
{
    for (const char *line :
         {"// exp\xe2\x80\x8b" "ect tsan: clean\n",           // zero-width space
          "// \xd0\xb5xpect tsan: clean\n",                   // Cyrillic ie
          "// expect tsan\xef\xbc\x9a clean\n",               // full-width colon
          "//\xc2\xa0" "expect tsan: clean\n",                // no-break space
          "\xe2\x80\x8b// expect tsan: clean\n",              // before the //
          "// \xd0\xb0llow tsan: data-race\n",                // Cyrillic a
          "// expect \xef\xbd\x94san: clean\n",               // full-width t
          "// expect tsan: clean\xe2\x80\x8b\n"}) {           // after the line
        SCOPED_TRACE(line);
        std::string text = std::string("// expect helgrind: clean\n") + line;
        rl_case *c;
        diag d;
        EXPECT_EQ(rl_case_parse("/x/hidden.c", text.data(), text.size(), &c, &d), -1);
        EXPECT_EQ(d.line, 2);
        EXPECT_TRUE(contains(d.text(), "U+")) << d.text();
    }
}

TEST(Sabotage, AUrlIsProseNotAnUnknownDirective)
{
    const char text[] = "// https://example.org/racelab\n// expect tsan: clean\n";
    rl_case *c;
    diag d;
    ASSERT_EQ(rl_case_parse("/x/url.c", text, strlen(text), &c, &d), 0) << d.text();
    rl_case_free(c);
}

// ---- 7. A build reused across compilers ------------------------------------

TEST(Sabotage, ABuildIsNeverReusedAcrossCompilers)
{
    // The wrapper script stays the same file while what it runs changes.
    std::string program = standin("cc-switch"), spec = "native:" + program;
    write_text(program + ".conf", "clang");
    job first("cases/exit_three.c", spec);
    EXPECT_VERDICT(first, "pass");
    EXPECT_GT(first.r.build_seconds, 0);
    write_text(program + ".conf", "gcc-12");
    job second("cases/exit_three.c", spec);
    EXPECT_VERDICT(second, "pass");
    EXPECT_GT(second.r.build_seconds, 0) << "a build by clang was reused for gcc";
    ASSERT_NE(second.r.binary, nullptr);
    EXPECT_STRNE(first.r.binary, second.r.binary);
    job again("cases/exit_three.c", spec);
    EXPECT_EQ(again.r.build_seconds, 0) << "an unchanged toolchain reuses its build";
}

// ---- 8. A closed stdout ----------------------------------------------------

TEST(Sabotage, AClosedStdoutLosesNothing)
{
    std::string work = work_dir();
    std::string cmd = "set -o pipefail; " + shell_quote(RACELAB_BINARY) + " run exit_three global_race" +
                      " --tool native --tool tsan --cases " + shell_quote(fixture_path("cases")) +
                      " --work " + shell_quote(work) + " 2>/dev/null | head -c 1 >/dev/null";
    int status = std::system(("bash -c " + shell_quote(cmd)).c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "racelab was killed by SIGPIPE or failed";
    json_error_t err;
    json_t *doc = json_load_file((work + "/results.json").c_str(), 0, &err);
    ASSERT_NE(doc, nullptr) << err.text;
    EXPECT_EQ(json_integer_value(json_object_get(json_object_get(doc, "summary"), "passed")), 4);
    json_decref(doc);
    EXPECT_EQ(processes_mentioning(work), std::vector<int>{});
}

// ---- 9. Processes that try to outlive the run ------------------------------

TEST(Sabotage, AProcessThatLeavesItsSessionIsKilled)
{
    for (const char *tool : {"native", "helgrind", "tsan"}) {
        SCOPED_TRACE(tool);
        job j("sabotage/escapes_by_setsid.c", tool);
        if (std::string(tool) == "tsan") {
            // Under TSan what the leftover would still have done is unchecked.
            EXPECT_VERDICT(j, "error");
            EXPECT_TRUE(contains(j.message(), "still running when it ended")) << j.message();
        } else {
            EXPECT_VERDICT(j, "pass");
            EXPECT_TRUE(contains(j.notes(), "still running when it ended; racelab killed them"))
                << j.notes();
        }
        EXPECT_EQ(processes_mentioning(work_dir()), std::vector<int>{});
    }
}

TEST(Sabotage, JobsDieWithRacelab)
{
    std::string work = work_dir();
    for (const char *tool : {"native", "tsan", "helgrind"}) {
        SCOPED_TRACE(tool);
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
            execl(RACELAB_BINARY, "racelab", "run", "sleeps", "--tool", tool, "--cases",
                  fixture_path("sabotage").c_str(), "--work", work.c_str(), (char *)nullptr);
            _exit(127);
        }
        ASSERT_GT(pid, 0);
        std::vector<int> seen;
        for (int i = 0; i < 300 && seen.empty(); i++) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            for (int p : processes_mentioning(work + "/bin/sleeps")) // the program, not its compiler
                if (read_text("/proc/" + std::to_string(p) + "/cmdline").find(".tmp.") ==
                    std::string::npos)
                    seen.push_back(p);
        }
        EXPECT_FALSE(seen.empty()) << "the job never started";
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        std::vector<int> left = processes_mentioning(work);
        for (int i = 0; i < 100 && !left.empty(); i++) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            left = processes_mentioning(work);
        }
        EXPECT_EQ(left, std::vector<int>{});
        for (int p : left)
            kill(p, SIGKILL);
    }
}

// ---- 10. Results: shared, unwritable, or never written ----------------------

TEST(Sabotage, RunsSharingAWorkDirectoryNeverCorruptTheResults)
{
    std::string work = work_dir();
    std::string cases = shell_quote(fixture_path("cases"));
    for (int round = 0; round < 8; round++) {
        SCOPED_TRACE(round);
        std::string a = shell_quote(RACELAB_BINARY) + " run exit_three --tool native --cases " + cases +
                        " --work " + shell_quote(work) + " >/dev/null 2>" + shell_quote(work + "/a.err");
        std::string b = shell_quote(RACELAB_BINARY) + " run global_race --tool native --cases " + cases +
                        " --work " + shell_quote(work) + " >/dev/null 2>" + shell_quote(work + "/b.err");
        std::string both = "mkdir -p " + shell_quote(work) + "; (" + a +
                           ") & pa=$!; (" + b + ") & pb=$!; wait $pa; ra=$?; wait $pb; rb=$?; exit $((ra + rb))";
        int status = std::system(("bash -c " + shell_quote(both)).c_str());
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
            << read_text(work + "/a.err") << read_text(work + "/b.err");
        json_error_t err;
        json_t *doc = json_load_file((work + "/results.json").c_str(), 0, &err);
        EXPECT_NE(doc, nullptr) << "results.json is not JSON: " << err.text;
        json_decref(doc);
    }
}

TEST(Sabotage, ARunThatCannotWriteLeavesNoStaleResults)
{
    std::string work = work_dir();
    std::string results = work + "/results.json";
    ASSERT_EQ(run_racelab("run exit_three --tool native --cases " + shell_quote(fixture_path("cases")) +
                          " --work " + shell_quote(work)),
              0);
    struct stat st;
    ASSERT_EQ(stat(results.c_str(), &st), 0);
    // The second run may write no file larger than 100 bytes: its results
    // cannot be written, and the first run's must not stand for them.
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit small = {100, 100};
        setrlimit(RLIMIT_FSIZE, &small);
        signal(SIGXFSZ, SIG_IGN);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(RACELAB_BINARY, "racelab", "run", "wrong_expectation", "--tool", "native", "--cases",
              fixture_path("cases").c_str(), "--work", work.c_str(), (char *)nullptr);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
    EXPECT_NE(stat(results.c_str(), &st), 0) << "the first run's results.json still stands";
}

TEST(Sabotage, OnlyBadInputStillWritesResults)
{
    std::string work = work_dir() + "/not-yet";
    EXPECT_EQ(run_racelab("run " + shell_quote(fixture_path("bad-cases/broken.c")) + " --work " +
                          shell_quote(work)),
              2);
    std::string out = read_text(work + "/results.json");
    EXPECT_TRUE(contains(out, "unknown kind 'data-rase'")) << out;
}

// ---- 11. Input that breaks parsers or exhausts the machine ------------------

TEST(Sabotage, AFifoOrADeviceNamedLikeACaseIsAnInputError)
{
    std::string dir = work_dir() + "/odd-cases";
    std::string setup = "rm -rf " + shell_quote(dir) + " && mkdir -p " + shell_quote(dir) +
                        " && mkfifo " + shell_quote(dir + "/fifo.c") + " && ln -s /dev/zero " +
                        shell_quote(dir + "/zero.c") + " && (echo '// expect tsan: clean'; " +
                        "head -c 4200000 /dev/zero | tr '\\0' ' ') > " + shell_quote(dir + "/big.c");
    ASSERT_EQ(std::system(setup.c_str()), 0);
    auto start = std::chrono::steady_clock::now();
    int status = std::system(("timeout 20 " + shell_quote(RACELAB_BINARY) + " list --cases " +
                              shell_quote(dir) + " 2>" + shell_quote(dir + ".err") + " >/dev/null").c_str());
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20)) << "it blocked";
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
    std::string err = read_text(dir + ".err");
    EXPECT_TRUE(contains(err, "fifo.c: cannot read: not a regular file")) << err;
    EXPECT_TRUE(contains(err, "zero.c: cannot read: not a regular file")) << err;
    EXPECT_TRUE(contains(err, "big.c: cannot read: larger than 4 MiB")) << err;
}

TEST(Sabotage, HugeOutputIsCappedAndSaid)
{
    job j("sabotage/prints_a_lot.c", "native");
    EXPECT_VERDICT(j, "pass");
    struct stat st;
    ASSERT_EQ(stat((std::string(j.r.log_dir) + "/stdout.txt").c_str(), &st), 0);
    EXPECT_EQ((size_t)st.st_size, (size_t)8 << 20);
    EXPECT_TRUE(contains(j.notes(), "wrote 314572800 bytes to stdout; the first 8388608 were kept"))
        << j.notes();
    EXPECT_TRUE(contains(j.notes(), "to stderr")) << j.notes();
}

TEST(Sabotage, AHugeFileIsAnError)
{
    job j("sabotage/writes_a_huge_file.c", "native");
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "larger than racelab's limit of 64 MiB")) << j.message();
}

// ---- 12. Messages that would mislead --------------------------------------

TEST(Sabotage, ACompilerThatWritesNothingIsSaidToHaveWrittenNothing)
{
    job j("cases/exit_three.c", "native:" + fixture_path("standins/cc-no-output"));
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "exited with 0 but wrote nothing at")) << j.message();
}

TEST(Sabotage, AnOptionMissingItsValueIsBadUsage)
{
    std::string here = work_dir();
    ASSERT_EQ(std::system(("mkdir -p " + shell_quote(here)).c_str()), 0);
    std::string cmd = "cd " + shell_quote(here) + " && " + shell_quote(RACELAB_BINARY) +
                      " run --work --json=x >/dev/null 2>&1";
    int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
    struct stat st;
    EXPECT_NE(stat((here + "/--json=x").c_str(), &st), 0) << "a directory named --json=x";
}

// ---- Found by a hostile review ---------------------------------------------

TEST(Sabotage, TheProgramCannotTurnTheToolOffFromInside)
{
    // Each written into a racy program declared clean: whatever it says, the
    // job is never a pass (an error; or the honest FAIL when nothing was
    // hidden, as when a compiler inlines or ignores an attribute).
    std::string dir = work_dir() + "/inside";
    ASSERT_EQ(std::system(("mkdir -p " + shell_quote(dir)).c_str()), 0);
    int n = 0;
    for (const char *code :
         {"const char *__tsan_default_options(void) { return \"report_bugs=0\"; }\n",
          "const char *__tsan_default_suppressions(void) { return \"race:main\\n\"; }\n",
          "void __sanitizer_report_error_summary(const char *s) { (void)s; }\n",
          "int _ZN6__tsan8OnReportEPKNS_10ReportDescEb(void) { return 1; }\n",
          "void AnnotateIgnoreWritesBegin(const char *, int);\n"
          "__attribute__((constructor)) static void away(void) { AnnotateIgnoreWritesBegin(\"\", 0); }\n",
          "void __tsan_ignore_thread_begin(void);\n"
          "__attribute__((constructor)) static void away(void) { __tsan_ignore_thread_begin(); }\n",
          "void AnnotateBenignRaceSized(const char *, int, const volatile void *, long, const char *);\n"
          "__attribute__((constructor)) static void away(void) { AnnotateBenignRaceSized(\"\", 0, &shared, 4, \"\"); }\n",
          "__attribute__((disable_sanitizer_instrumentation)) static void noop(void) { shared = 3; }\n"
          "__attribute__((constructor)) static void away(void) { noop(); }\n"}) {
        SCOPED_TRACE(code);
        std::string path = dir + "/inside" + std::to_string(n++) + ".c";
        write_text(path, std::string("// expect tsan: clean\n// expect native: exit 0\n"
                                     "#include <pthread.h>\n#include <sched.h>\n#include <stdatomic.h>\n"
                                     "int shared;\n") +
                             code +
                             // The thread's store first, main's after it: a
                             // relaxed atomic orders them in time, not for
                             // TSan, which can miss two at the same moment.
                             "static pthread_barrier_t both;\nstatic atomic_int stored;\n"
                             "static void *store(void *a) { shared = 1;\n"
                             "  atomic_store_explicit(&stored, 1, memory_order_relaxed);\n"
                             "  pthread_barrier_wait(&both); return a; }\n"
                             "int main(void) { pthread_t t; pthread_barrier_init(&both, 0, 2);\n"
                             "  pthread_create(&t, 0, store, 0);\n"
                             "  while (!atomic_load_explicit(&stored, memory_order_relaxed)) sched_yield();\n"
                             "  shared = 2; pthread_barrier_wait(&both);\n"
                             "  pthread_join(t, 0); return 0; }\n");
        for (const char *tool : {"tsan", "tsan:gcc-12"}) {
            job j(path, tool);
            EXPECT_NE(j.verdict(), "pass") << tool << "\n" << j.message();
        }
    }
    // Spelt so that no line names them: what the compiler made gives them away.
    job hook("sabotage/tsan_options_in_source.c", "tsan");
    EXPECT_VERDICT(hook, "error");
    EXPECT_TRUE(contains(hook.message(), "defines __tsan_default_options")) << hook.message();
    job blind("sabotage/look_away_pasted.c", "tsan");
    EXPECT_VERDICT(blind, "error");
    EXPECT_TRUE(contains(blind.message(), "calls AnnotateIgnoreWritesBegin")) << blind.message();
    for (const char *tool : {"helgrind", "drd"}) {
        job request("sabotage/client_request.c", tool);
        EXPECT_VERDICT(request, "error");
        EXPECT_TRUE(contains(request.message(), "Valgrind client requests")) << request.message();
    }
}

// What the compiler produced decides, not names in the text: too narrow a
// list let these through, too wide a one refused honest tests.
TEST(Sabotage, WhatTheCompilerProducedDecidesNotNamesInTheText)
{
    for (const char *tool : {"tsan", "tsan:gcc-12"}) {
        SCOPED_TRACE(tool);
        job pasted("sabotage/no_sanitize_pasted.c", tool);
        EXPECT_VERDICT(pasted, "error");
        EXPECT_TRUE(contains(pasted.message(), "compiled without ThreadSanitizer's instrumentation"))
            << pasted.message();
        job names("sabotage/annotations_missed_by_names.c", tool);
        EXPECT_VERDICT(names, "error");
        EXPECT_TRUE(contains(names.message(), "calls WTFAnnotateBenignRaceSized")) << names.message();
        job assembly("sabotage/inline_asm_store.c", tool);
        EXPECT_VERDICT(assembly, "error");
        EXPECT_TRUE(contains(assembly.message(), "holds inline assembly")) << assembly.message();
        // The test-only barrier, and names inside #if 0: honest.
        job barrier("idioms/testonly_barrier_race.c", tool);
        EXPECT_VERDICT(barrier, "pass");
    }
    job pragma("sabotage/no_sanitize_pragma.c", "tsan");
    EXPECT_VERDICT(pragma, "error");
    // GCC ignores clang's pragma and instruments: the honest verdict.
    job gcc_pragma("sabotage/no_sanitize_pragma.c", "tsan:gcc-12");
    EXPECT_VERDICT(gcc_pragma, "fail");
    // Flags of the compilers' own TSan tests hide no access: taken.
    job modref("idioms/gcc_test_flags.c", "tsan:gcc-12");
    EXPECT_VERDICT(modref, "pass");
    job entry_exit("idioms/clang_test_flags.c", "tsan");
    EXPECT_VERDICT(entry_exit, "pass");
}

TEST(Sabotage, OptionsThatForgetAccessesAreRefused)
{
    for (const char *line : {"// options helgrind: --check-stack-refs=no\n",
                             "// options drd: --join-list-vol=0\n"}) {
        SCOPED_TRACE(line);
        std::string text = std::string("// expect helgrind: clean\n// expect drd: clean\n") + line;
        rl_case *c;
        diag d;
        EXPECT_EQ(rl_case_parse("/x/opts.c", text.data(), text.size(), &c, &d), -1);
        EXPECT_EQ(d.line, 3);
    }
}

TEST(Sabotage, TheEnvironmentCannotSwapTheTool)
{
    std::string lib = work_dir() + "/fakelib";
    std::string build = "mkdir -p " + shell_quote(lib) + " && cc -shared -fPIC -o " +
                        shell_quote(lib + "/libtsan.so.2") + " " +
                        shell_quote(fixture_path("standins/fake_libtsan.c"));
    ASSERT_EQ(std::system(build.c_str()), 0);
    scoped_env ld("LD_LIBRARY_PATH");
    ld.set(lib);
    job tsan("sabotage/global_race_clean.c", "tsan:gcc-12");
    EXPECT_VERDICT(tsan, "fail");

    // A valgrind library whose "helgrind" and "drd" are Memcheck.
    std::string vg = work_dir() + "/vglib";
    std::string links = "mkdir -p " + shell_quote(vg) + " && ln -sf /usr/libexec/valgrind/* " +
                        shell_quote(vg) + " && cd " + shell_quote(vg) +
                        " && for t in helgrind drd; do ln -sf /usr/libexec/valgrind/memcheck-amd64-linux "
                        "$t-amd64-linux; ln -sf /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so "
                        "vgpreload_$t-amd64-linux.so; done";
    ASSERT_EQ(std::system(links.c_str()), 0);
    scoped_env vglib("VALGRIND_LIB");
    vglib.set(vg);
    for (const char *tool : {"helgrind", "drd"}) {
        job j("sabotage/global_race_clean.c", tool);
        EXPECT_VERDICT(j, "fail");
    }
    // A wrapper that sets it itself: the log's preamble names the tool.
    scoped_env wrapped("RACELAB_TEST_VGLIB");
    wrapped.set(vg);
    for (const char *tool : {"helgrind:", "drd:"}) {
        job j("sabotage/global_race_clean.c", tool + fixture_path("standins/valgrind-memcheck-lib"));
        EXPECT_VERDICT(j, "error");
        // Memcheck refuses the --check-stack-var=yes racelab gives DRD.
        EXPECT_TRUE(contains(j.message(), "was written by \"Memcheck") ||
                    (std::string(tool) == "drd:" && contains(j.message(), "Unknown option: --check-stack-var")))
            << j.message();
    }
    // Preloaded rather than found: LD_PRELOAD is removed too.
    vglib.set("");
    scoped_env preload("LD_PRELOAD");
    preload.set(lib + "/libtsan.so.2");
    job preloaded("sabotage/global_race_clean.c", "tsan:gcc-12");
    EXPECT_VERDICT(preloaded, "fail");
}

// racelab's own TSan options come after the user's and the case's, so none
// of theirs can win.
TEST(Sabotage, RacelabsTsanOptionsComeLast)
{
    scoped_env env("TSAN_OPTIONS");
    env.set("history_size=3");
    job j("cases/exit_three.c", "tsan");
    EXPECT_VERDICT(j, "pass");
    std::string options;
    for (char **e = j.r.run.env_set; e && *e; e++)
        if (std::string(*e).rfind("TSAN_OPTIONS=", 0) == 0)
            options = *e;
    size_t user = options.find("history_size=3"), ours = options.find("log_path=");
    ASSERT_NE(user, std::string::npos) << options;
    ASSERT_NE(ours, std::string::npos) << options;
    EXPECT_LT(user, ours) << options;
    for (const char *forced : {":report_bugs=1", ":halt_on_error=0", ":exitcode=66", ":verbosity=1",
                               ":log_exe_name=0", ":suppressions=:", ":print_suppressions=1",
                               ":ignore_interceptors_accesses=0", ":flush_memory_ms=0"})
        EXPECT_GT(options.find(forced), ours) << forced << " in " << options;
}

TEST(Sabotage, AnUnsupportedLineNamesItsToolchains)
{
    const char text[] = "// unsupported tsan: not today\n// expect native: exit 0\n";
    rl_case *c;
    diag d;
    EXPECT_EQ(rl_case_parse("/x/optout.c", text, strlen(text), &c, &d), -1);
    EXPECT_TRUE(contains(d.text(), "a case cannot opt out of a tool")) << d.text();
}

TEST(Sabotage, ATimeoutTooShortToMeanAnythingIsRefused)
{
    for (const char *value : {"1e-9", "0x1p-30", "0.01", "0", "inf", "nan", "1e3", "3601", "1.2.3"}) {
        SCOPED_TRACE(value);
        std::string text = std::string("// expect native: hang\n// timeout: ") + value + "\n";
        rl_case *c;
        diag d;
        EXPECT_EQ(rl_case_parse("/x/t.c", text.data(), text.size(), &c, &d), -1);
        EXPECT_EQ(d.line, 2);
    }
}

TEST(Sabotage, ARaceInAChildThatOutlivesItsParentIsNotLost)
{
    job j("sabotage/child_outlives_parent.c", "tsan");
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "still running when it ended")) << j.message();
}

TEST(Sabotage, TextOnStderrNeverDecidesTheEnding)
{
    job j("sabotage/fake_segv_on_stderr.c", "tsan");
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "on stderr")) << j.message();
}

TEST(Sabotage, ADecoyLogIsAnError)
{
    job j("sabotage/decoy_log.c", "tsan");
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "holds a start banner")) << j.message();
}

TEST(Sabotage, ValgrindsLogReplacedDuringTheRunIsAnError)
{
    for (const char *tool : {"helgrind", "drd"}) {
        job j("sabotage/replaces_valgrind_log.c", tool);
        EXPECT_VERDICT(j, "error");
        EXPECT_TRUE(contains(j.message(), "valgrind does each once")) << j.message();
    }
}

TEST(Sabotage, AProgramThatStopsItsSupervisorCannotHangTheRun)
{
    // Woken 5 s after its 0.5 s limit, the supervisor finishes the run.
    auto start = std::chrono::steady_clock::now();
    job j("sabotage/stops_its_supervisor.c", "native");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(12));
    EXPECT_VERDICT(j, "pass");
    EXPECT_EQ(processes_mentioning(work_dir()), std::vector<int>{});
}

TEST(Sabotage, AProgramThatKillsItsSupervisorLeavesNothing)
{
    job j("sabotage/kills_its_supervisor.c", "native");
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "lost track")) << j.message();
    std::vector<int> left = processes_mentioning(work_dir());
    for (int i = 0; i < 40 && !left.empty(); i++) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        left = processes_mentioning(work_dir());
    }
    EXPECT_EQ(left, std::vector<int>{});
}

TEST(Sabotage, AJsonPathThatIsNoRegularFileIsNeverReplaced)
{
    std::string dir = work_dir();
    std::string setup = "mkdir -p " + shell_quote(dir) + " && cd " + shell_quote(dir) +
                        " && echo old > target.json && ln -sf target.json link.json && mkfifo pipe.json";
    ASSERT_EQ(std::system(setup.c_str()), 0);
    std::string common = "run exit_three --tool native --cases " + shell_quote(fixture_path("cases")) +
                         " --work " + shell_quote(dir + "/work") + " --json ";
    EXPECT_EQ(run_racelab(common + shell_quote(dir + "/link.json")), 0);
    struct stat st;
    ASSERT_EQ(lstat((dir + "/link.json").c_str(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode)) << "the link was replaced";
    EXPECT_TRUE(contains(read_text(dir + "/target.json"), "\"verdict\": \"pass\""));
    EXPECT_EQ(run_racelab(common + shell_quote(dir + "/pipe.json")), 2);
    ASSERT_EQ(lstat((dir + "/pipe.json").c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the FIFO was replaced";
}

TEST(Sabotage, AWorkDirectoryTheToolsCannotBeGivenIsAnError)
{
    for (const char *odd : {"/with\"quote", "/with\nnewline"}) {
        std::string work = work_dir() + odd;
        rl_case *c;
        diag d;
        ASSERT_EQ(rl_case_load(fixture_path("cases/exit_three.c").c_str(), &c, &d), 0);
        tool t("tsan");
        rl_config cfg = RL_CONFIG_INIT;
        cfg.work_dir = work.c_str();
        rl_result r;
        rl_run_job(&cfg, c, &t, &r);
        EXPECT_EQ(std::string(rl_verdict_name(r.verdict)), "error");
        EXPECT_TRUE(contains(rl_diag_message(&r.problem), "double quote or a new line"));
        rl_result_clear(&r);
        rl_case_free(c);
    }
}

// ---- Round two: what an honest user meets ----------------------------------

// A case that includes a file from beside it: the build must follow the
// file, both ways (a race added, a race fixed).
TEST(Sabotage, AFileTheCaseIncludesIsPartOfItsBuild)
{
    std::string dir = work_dir() + "/with-header";
    ASSERT_EQ(std::system(("mkdir -p " + shell_quote(dir)).c_str()), 0);
    write_text(dir + "/uses_lib.c", "// expect tsan: clean\n// expect native: exit 0\n"
                                    "#include \"lib.h\"\nint main(void) { return work(); }\n");
    // Both threads are still running at the second access (a barrier after
    // them): TSan misses a race with a thread that has already ended in about
    // one run of ten.
    auto lib = [&](const char *in_thread) {
        write_text(dir + "/lib.h",
                   std::string("#include <pthread.h>\nstatic volatile int shared;\n"
                               "static pthread_barrier_t both;\n"
                               "static void *bump(void *a) { ") +
                       in_thread +
                       " pthread_barrier_wait(&both); return a; }\n"
                       "static int work(void) { pthread_t t; pthread_barrier_init(&both, 0, 2);\n"
                       "    pthread_create(&t, 0, bump, 0); shared = 1;\n"
                       "    pthread_barrier_wait(&both); pthread_join(t, 0); return 0; }\n");
    };
    lib("");
    job clean(dir + "/uses_lib.c", "tsan");
    EXPECT_VERDICT(clean, "pass");
    lib("shared = 2;");
    job racy(dir + "/uses_lib.c", "tsan");
    EXPECT_VERDICT(racy, "fail");
    EXPECT_GT(racy.r.build_seconds, 0) << "the build from before the race was reused";
    lib("");
    job fixed(dir + "/uses_lib.c", "tsan");
    EXPECT_VERDICT(fixed, "pass");
    // The same text as the first build: that build, not the racy one.
    ASSERT_NE(fixed.r.binary, nullptr);
    ASSERT_NE(racy.r.binary, nullptr);
    EXPECT_STREQ(fixed.r.binary, clean.r.binary);
    EXPECT_STRNE(fixed.r.binary, racy.r.binary) << "the racy build was reused after the fix";
    job again(dir + "/uses_lib.c", "tsan");
    EXPECT_VERDICT(again, "pass");
    EXPECT_EQ(again.r.build_seconds, 0) << "nothing changed: the build is reused";
    job rebuilt(dir + "/uses_lib.c", "tsan", nullptr, 1);
    EXPECT_VERDICT(rebuilt, "pass");
    EXPECT_GT(rebuilt.r.build_seconds, 0) << "--rebuild builds afresh";
}

// The family and version come from the line that states them, never from a
// path or a command line that happens to contain "clang version 99.0.0".
TEST(Sabotage, AToolchainIsWhatItsVersionLineSays)
{
    std::string dir = work_dir() + "/clang version 99.0.0";
    ASSERT_EQ(std::system(("mkdir -p " + shell_quote(dir) + " && ln -sf /usr/bin/gcc-12 " +
                           shell_quote(dir + "/gcc-12")).c_str()),
              0);
    tool gcc(("tsan:" + dir + "/gcc-12").c_str());
    rl_tool_resolve(&gcc);
    ASSERT_EQ(gcc.error.message, nullptr) << gcc.error.message;
    EXPECT_STREQ(gcc.toolchain.family, "gcc");
    EXPECT_STREQ(gcc.toolchain.version, "12.2.0");
    job j("sabotage/version_scoped_race.c", "tsan:" + dir + "/gcc-12");
    ASSERT_GE(j.r.match.set, 0) << j.message();
    EXPECT_STREQ(j.c->sets[j.r.match.set].scope.text, "") << "a clang-only set was applied to gcc";
}

// A valgrind that claims another version than it is: the XML of every run
// says which Valgrind wrote it.
TEST(Sabotage, AValgrindThatLiesAboutItsVersionIsAnError)
{
    for (const char *name : {"helgrind:", "drd:"}) {
        job j("sabotage/version_scoped_race.c", name + fixture_path("standins/valgrind-claims-3.99"));
        EXPECT_VERDICT(j, "error");
        EXPECT_TRUE(contains(j.message(), "written by Valgrind 3.19.0, but")) << j.message();
    }
}

// A file the build depends on under /tmp (a cached or unpacked runtime)
// changes: the toolchain's identity, and so the build, changes with it.
TEST(Sabotage, AToolchainFileUnderTmpIsPartOfItsIdentity)
{
    char dir[] = "/tmp/racelab-extra.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    std::string extra = std::string(dir) + "/extra.o";
    auto make_extra = [&](int value) {
        std::string src = std::string(dir) + "/extra.c";
        write_text(src, "int racelab_extra(void) { return " + std::to_string(value) + "; }\n");
        ASSERT_EQ(std::system(("gcc -c -o " + shell_quote(extra) + " " + shell_quote(src)).c_str()), 0);
    };
    std::string program = standin("cc-with-extra-object"), spec = "native:" + program;
    write_text(program + ".conf", extra);
    make_extra(1);
    job first("cases/exit_three.c", spec);
    EXPECT_VERDICT(first, "pass");
    job reused("cases/exit_three.c", spec);
    EXPECT_EQ(reused.r.build_seconds, 0);
    make_extra(2);
    job changed("cases/exit_three.c", spec);
    EXPECT_VERDICT(changed, "pass");
    EXPECT_GT(changed.r.build_seconds, 0) << "a build linked with the old " << extra << " was reused";
    std::system(("rm -rf " + shell_quote(dir)).c_str());
}

// A cached binary replaced by another program's (a case's program that
// overwrote it, or anyone): never reused.
TEST(Sabotage, ACachedBinaryReplacedBehindRacelabsBackIsRebuilt)
{
    job racy("sabotage/global_race_clean.c", "tsan");
    EXPECT_VERDICT(racy, "fail");
    job clean("probes/clean.c", "tsan");
    EXPECT_VERDICT(clean, "pass");
    ASSERT_NE(racy.r.binary, nullptr);
    ASSERT_NE(clean.r.binary, nullptr);
    for (const char *suffix : {"", ".o"})
        ASSERT_EQ(std::system(("cp " + shell_quote(std::string(clean.r.binary) + suffix) + " " +
                               shell_quote(std::string(racy.r.binary) + suffix)).c_str()),
                  0);
    job again("sabotage/global_race_clean.c", "tsan");
    EXPECT_VERDICT(again, "fail");
    EXPECT_GT(again.r.build_seconds, 0) << "the replaced binary was reused";
}

// A declared crash whose report TSan may not have finished: a verdict that
// rests on what was not reported needs the runtime to have seen the run to
// the end.
TEST(Sabotage, ADeclaredSignalNeverLetsALostReportPass)
{
    for (const char *c : {"sabotage/kills_itself_after_race.c", "sabotage/fsize_then_kill.c"}) {
        SCOPED_TRACE(c);
        job j(c, "tsan");
        EXPECT_VERDICT(j, "error");
        EXPECT_TRUE(contains(j.message(), "which ThreadSanitizer did not catch")) << j.message();
        job native(c, "native");
        EXPECT_VERDICT(native, "pass");
    }
    // A crash TSan catches and reports whole is checkable.
    job caught("sabotage/segv_declared.c", "tsan");
    EXPECT_VERDICT(caught, "pass");
}

TEST(Sabotage, AnAllowLineNeedsAnExpectedReportBesideIt)
{
    const char text[] = "// expect helgrind: exit 0\n// allow helgrind: data-race\n";
    rl_case *c;
    diag d;
    EXPECT_EQ(rl_case_parse("/x/allow.c", text, strlen(text), &c, &d), -1);
    EXPECT_EQ(d.line, 2);
    EXPECT_TRUE(contains(d.text(), "an allow line never stands alone")) << d.text();
    const char fine[] = "// expect helgrind: data-race\n// allow helgrind: data-race\n";
    ASSERT_EQ(rl_case_parse("/x/allow.c", fine, strlen(fine), &c, &d), 0) << d.text();
    rl_case_free(c);
}

// #line moves the lines reports name, and so what markers meet.
TEST(Sabotage, LineDirectivesCannotMoveMarkers)
{
    const char text[] = "// expect tsan: data-race @decoy\n// a comment line // @decoy\n"
                        "#line 2\nint x;\n";
    rl_case *c;
    diag d;
    EXPECT_EQ(rl_case_parse("/x/line.c", text, strlen(text), &c, &d), -1);
    EXPECT_EQ(d.line, 3);
    EXPECT_TRUE(contains(d.text(), "#line")) << d.text();
    // Spelt as the compiler's translation phases still read it: a digraph,
    // a trigraph (GCC honours it under -std=c99), a spliced line, a block
    // comment that hides the newline before it, a GNU line marker.
    for (const char *spelling : {"%:line 2\n", "?\?=line 2\n", "#li\\\nne 2\n", "/* x\n */ # line 2\n",
                                 "# 2 \"line.c\"\n", "  %: /* c */ 2\n"}) {
        std::string moved = std::string("// expect tsan: data-race @decoy\n// a comment line // @decoy\n") + spelling +
                            "int x;\n";
        diag dd;
        EXPECT_EQ(rl_case_parse("/x/line.c", moved.c_str(), moved.size(), &c, &dd), -1) << spelling;
        EXPECT_TRUE(contains(dd.text(), "#line")) << spelling << ": " << dd.text();
    }
    // Text that only looks like it: in a string, in a comment.
    for (const char *honest : {"const char *s = \"\\n#line 2\";\n", "// #line 2\n", "/* #line 2 */\n",
                               "/* a\n #line 2 */\n"}) {
        std::string kept = std::string("// expect tsan: clean\n") + honest + "int x;\n";
        diag dd;
        c = nullptr;
        EXPECT_EQ(rl_case_parse("/x/honest.c", kept.c_str(), kept.size(), &c, &dd), 0) << honest << ": " << dd.text();
        rl_case_free(c);
    }
    // In a file the case includes, the build refuses it.
    std::string dir = work_dir() + "/with-line";
    ASSERT_EQ(std::system(("mkdir -p " + shell_quote(dir)).c_str()), 0);
    write_text(dir + "/moves.h", "#line 8 \"moves.c\"\nstatic int moved;\n");
    write_text(dir + "/moves.c", "// expect tsan: clean\n// expect native: exit 0\n"
                                 "#include \"moves.h\"\nint main(void) { return moved; }\n");
    job j(dir + "/moves.c", "native");
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "moves.h:1: a #line directive")) << j.message();
}

// An option on the allowlist must not break the run: racelab's own tail
// turns colour off.
TEST(Sabotage, AnAcceptedOptionNeverBreaksTheRun)
{
    job j("sabotage/color_always.c", "tsan");
    EXPECT_VERDICT(j, "fail");
    EXPECT_TRUE(contains(j.message(), "UNEXPECTED   data-race")) << j.message();
    EXPECT_FALSE(contains(read_text(j.r.log_path), "\x1b[")) << "escape codes in the log";
}

// A case cannot opt out of every tool, and skips are impossible to miss.
TEST(Sabotage, ACaseCannotOptOutOfEveryTool)
{
    const char text[] = "// unsupported tsan(clang): a\n// unsupported tsan(gcc): b\n"
                        "// unsupported helgrind(valgrind): c\n";
    rl_case *c;
    diag d;
    EXPECT_EQ(rl_case_parse("/x/optout.c", text, strlen(text), &c, &d), -1);
    EXPECT_TRUE(contains(d.text(), "every toolchain of every tool the case names is unsupported"))
        << d.text();
    const char ranges[] = "// unsupported tsan(clang<15): a\n// unsupported tsan(clang>=15): a\n"
                          "// unsupported tsan(gcc): b\n";
    EXPECT_EQ(rl_case_parse("/x/optout.c", ranges, strlen(ranges), &c, &d), -1);
    // Ranges that leave toolchains over, but no expect line for any of them.
    const char partial[] = "// unsupported tsan(clang<999): a\n// unsupported helgrind(<999): b\n";
    diag no_expect;
    EXPECT_EQ(rl_case_parse("/x/optout.c", partial, strlen(partial), &c, &no_expect), -1);
    EXPECT_TRUE(contains(no_expect.text(), "every toolchain of every tool the case names is unsupported"))
        << no_expect.text();

    std::string work = work_dir();
    std::string cases = " --cases " + shell_quote(fixture_path("sabotage")) + " --work " +
                        shell_quote(work) + " --json " + shell_quote(work + "/r.json");
    // Only the unsupported toolchain: nothing checks the case, an error.
    EXPECT_EQ(run_racelab("run unsupported_on_gcc --tool tsan:gcc-12" + cases), 1);
    EXPECT_TRUE(contains(read_text(work + "/r.json"), "none of this case's jobs can run"));
    // Beside a job that passes: exit 3, and the summary and JSON say so.
    std::string out = work + "/out.txt";
    std::string cmd = shell_quote(RACELAB_BINARY) + " run unsupported_on_gcc --tool tsan:gcc-12 "
                      "--tool native" + cases + " >" + shell_quote(out) + " 2>&1";
    int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 3);
    EXPECT_TRUE(contains(read_text(out), "not verified: 1 job was skipped")) << read_text(out);
    EXPECT_TRUE(contains(read_text(out), "SKIP unsupported_on_gcc/tsan:gcc-12: unsupported on gcc"))
        << read_text(out);
    EXPECT_TRUE(contains(read_text(work + "/r.json"), "\"verified\": false"));
}

// Control characters in what tools print, in symbol names and in file names
// never reach the terminal or a CI log: they are escaped, and the JSON stays
// valid.
TEST(Sabotage, ControlCharactersAreEscapedInAllTextOutput)
{
    std::string work = work_dir();
    std::string out = work + "/out.txt";
    std::string common = " --tool tsan --work " + shell_quote(work) + " --json " +
                         shell_quote(work + "/r.json") + " >" + shell_quote(out) + " 2>&1";
    std::string run = shell_quote(RACELAB_BINARY) + " run escape_in_symbol --cases " +
                      shell_quote(fixture_path("sabotage")) + common;
    ASSERT_EQ(std::system(("mkdir -p " + shell_quote(work)).c_str()), 0);
    int status = std::system(run.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 1);
    std::string text = read_text(out);
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << "a raw escape reached the output";
    EXPECT_EQ(text.find('\r'), std::string::npos) << "a raw carriage return reached the output";
    EXPECT_TRUE(contains(text, "UNEXPECTED   data-race")) << text;
    EXPECT_TRUE(contains(text, "store\\x1b[2K\\x1b[1A\\rPASS")) << text;
    for (size_t at = 0; (at = text.find("PASS", at)) != std::string::npos; at++)
        EXPECT_TRUE(at > 0 && text[at - 1] != '\n') << "a line starts with PASS:\n" << text;
    json_error_t err;
    json_t *doc = json_load_file((work + "/r.json").c_str(), 0, &err);
    EXPECT_NE(doc, nullptr) << err.text;
    json_decref(doc);

    // A case file whose name holds a new line and a forged verdict line.
    std::string dir = work + "/odd";
    ASSERT_EQ(std::system(("mkdir -p " + shell_quote(dir)).c_str()), 0);
    write_text(dir + "/forged\nPASS  forged:tsan.c", "// expect tsan: clean\nint main(void) { return 0; }\n");
    run = shell_quote(RACELAB_BINARY) + " run --cases " + shell_quote(dir) + common;
    status = std::system(run.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
    text = read_text(out);
    EXPECT_TRUE(contains(text, "forged\\nPASS  forged:tsan.c")) << text;
    EXPECT_TRUE(contains(text, "holds a control character or a double quote")) << text;
    EXPECT_FALSE(contains(text, "\nPASS")) << text;
    doc = json_load_file((work + "/r.json").c_str(), 0, &err);
    EXPECT_NE(doc, nullptr) << err.text;
    json_decref(doc);
}

// A log directory (or any directory below the work directory) that is a
// link: replaced by a directory of racelab's own, never followed.
TEST(Sabotage, ALinkInTheWorkDirectoryIsNeverFollowed)
{
    job first("sabotage/global_race_clean.c", "tsan");
    EXPECT_VERDICT(first, "fail");
    ASSERT_NE(first.r.log_dir, nullptr);
    std::string log_dir = first.r.log_dir, elsewhere = work_dir() + "/elsewhere";
    ASSERT_EQ(std::system(("mkdir -p " + shell_quote(elsewhere) + " && rm -rf " + shell_quote(log_dir) +
                           " && ln -s " + shell_quote(elsewhere) + " " + shell_quote(log_dir)).c_str()),
              0);
    // An old log that says nothing happened, and a file that must survive.
    write_text(elsewhere + "/keep.txt", "mine\n");
    write_text(elsewhere + "/tsan.1", "***** Running under ThreadSanitizer v3 (pid 1) *****\n"
                                      "Stats: LargeMmapAllocator: allocated 0 times\n");
    job again("sabotage/global_race_clean.c", "tsan");
    EXPECT_VERDICT(again, "fail");
    struct stat st;
    ASSERT_EQ(lstat(log_dir.c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode)) << "the log directory is still a link";
    EXPECT_EQ(read_text(elsewhere + "/keep.txt"), "mine\n") << "the link was followed and emptied";
}

} // namespace
