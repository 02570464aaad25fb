// Sabotage, round two: what a build reads and what the tools are given.
// Each test is a way a racy case got a PASS it did not earn (an include
// layout, the compiler's environment, a fortified libc call, a tool's
// default that forgets accesses, a wait at exit cut to nothing, a version
// line printed twice); docs/sabotage.md lists them.
#include "support.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace {

void make_dir(const std::string &dir)
{
    ASSERT_EQ(std::system(("mkdir -p " + shell_quote(dir)).c_str()), 0);
}

// A case that includes "body.h" through -Iinc, relative to the case.
const char *const uses_body = "// expect tsan: clean\n"
                              "// expect native: exit 0\n"
                              "// cflags: -Iinc\n"
                              "#include \"body.h\"\n"
                              "int main(void) { return work(); }\n";

// body.h: two threads writing one global, with a barrier that keeps both
// alive until both wrote; or the same without the second write.
std::string body(bool racy)
{
    return std::string("#include <pthread.h>\nstatic volatile int shared;\n"
                       "static pthread_barrier_t both;\n"
                       "static void *bump(void *a) { ") +
           (racy ? "shared = 2;" : "") +
           " pthread_barrier_wait(&both); return a; }\n"
           "static int work(void) { pthread_t t; pthread_barrier_init(&both, 0, 2);\n"
           "    pthread_create(&t, 0, bump, 0); shared = 1;\n"
           "    pthread_barrier_wait(&both); pthread_join(t, 0); return 0; }\n";
}

// A relative -I is the case's: racelab's own directory, wherever it is run
// from, holds no header a case could be built with (the build and its
// audit once read different files).
TEST(Sabotage, ARelativeIncludePathIsTheCasesOwn)
{
    std::string w = work_dir(), dir = w + "/case", elsewhere = w + "/elsewhere";
    make_dir(dir + "/inc");
    make_dir(elsewhere + "/inc");
    write_text(dir + "/uses_body.c", uses_body);
    write_text(dir + "/inc/body.h", body(true));
    write_text(elsewhere + "/inc/body.h", body(false));
    std::string cmd = "cd " + shell_quote(elsewhere) + " && ";
    int status = std::system((cmd + shell_quote(RACELAB_BINARY) + " run " + shell_quote(dir + "/uses_body.c") +
                              " --tool tsan --tool tsan:gcc-12 --work " + shell_quote(w + "/work") +
                              " --json " + shell_quote(w + "/r.json") + " >/dev/null 2>&1")
                                 .c_str());
    EXPECT_EQ(WEXITSTATUS(status), 1) << "the racy header beside the case was not the one built";
    std::string results = read_text(w + "/r.json");
    EXPECT_FALSE(contains(results, "\"verdict\": \"pass\"")) << results;
    EXPECT_FALSE(contains(results, "\"verdict\": \"error\"")) << results;
}

// A header that shadows the one a build used, or a file __has_include finds
// only now: a build is named by the text the preprocessor made, so neither
// can reuse a build made from other text.
TEST(Sabotage, AHeaderThatAppearsLaterIsPartOfTheBuild)
{
    std::string dir = work_dir() + "/case";
    make_dir(dir + "/inc");
    write_text(dir + "/uses_body.c", uses_body);
    write_text(dir + "/inc/body.h", body(false));
    job first(dir + "/uses_body.c", "tsan");
    EXPECT_VERDICT(first, "pass");
    // Quoted includes look beside the including file before -I.
    write_text(dir + "/body.h", body(true));
    job shadowed(dir + "/uses_body.c", "tsan");
    EXPECT_VERDICT(shadowed, "fail");

    write_text(dir + "/maybe.c", std::string("// expect tsan: clean\n") +
                                     "#if __has_include(\"later.h\")\n#include \"later.h\"\n#else\n" +
                                     body(false) + "#endif\nint main(void) { return work(); }\n");
    job before(dir + "/maybe.c", "tsan");
    EXPECT_VERDICT(before, "pass");
    write_text(dir + "/later.h", body(true));
    job after(dir + "/maybe.c", "tsan");
    EXPECT_VERDICT(after, "fail");
}

// Variables the compiler reads besides its arguments (clang's
// CCC_OVERRIDE_OPTIONS rewrites its command line, here to instrument
// nothing): a compiler racelab runs gets PATH, HOME, TMPDIR and LC_ALL=C,
// nothing else.
TEST(Sabotage, TheCompilersEnvironmentIsRacelabs)
{
    scoped_env override("CCC_OVERRIDE_OPTIONS");
    override.set("# +-mllvm +-tsan-instrument-atomics=0 +-mllvm +-tsan-instrument-memory-accesses=0");
    job j("sabotage/global_race_clean.c", "tsan", nullptr, 1);
    EXPECT_VERDICT(j, "fail");
    ASSERT_NE(j.r.compile.argv, nullptr);
    EXPECT_TRUE(j.r.compile.env_only);
    for (char **e = j.r.compile.env_set; e && *e; e++)
        EXPECT_TRUE(std::string(*e).rfind("CCC_", 0) != 0 && std::string(*e).rfind("CPATH=", 0) != 0) << *e;
}

// _FORTIFY_SOURCE turns memcpy into glibc's __memcpy_chk, which TSan does
// not intercept: the object is refused, whoever defined it.
TEST(Sabotage, AFortifiedCallTsanCannotSeeIsAnError)
{
    for (const char *spec : {"tsan", "tsan:gcc-12"}) {
        job j("sabotage/fortified_memcpy.c", spec);
        EXPECT_VERDICT(j, "error");
        EXPECT_TRUE(contains(j.message(), "__memcpy_chk")) << j.message();
    }
}

// DRD's own default ignores stack variables; racelab gives it
// --check-stack-var=yes, and a case may not take it back.
TEST(Sabotage, DrdChecksStackVariables)
{
    job j("sabotage/stack_race_clean.c", "drd");
    EXPECT_VERDICT(j, "fail");
    ASSERT_NE(j.r.run.argv, nullptr);
    bool given = false;
    for (char **a = j.r.run.argv; *a; a++)
        given |= std::string(*a) == "--check-stack-var=yes";
    EXPECT_TRUE(given);
    diag d;
    rl_case *c = nullptr;
    const char *text = "// expect drd: clean\n// options drd: --check-stack-var=no\nint main(void) { return 0; }\n";
    EXPECT_EQ(rl_case_parse("/x/no_stack.c", text, strlen(text), &c, &d), -1);
    EXPECT_TRUE(contains(d.text(), "--check-stack-var")) << d.text();
    rl_case_free(c);
}

// A race with a thread still running when main returns: TSan waits a
// second for it at exit (its own default); racelab never cuts that short.
TEST(Sabotage, ARaceAtExitIsWaitedFor)
{
    for (const char *spec : {"tsan", "tsan:gcc-12"}) {
        job j("sabotage/race_at_exit_clean.c", spec);
        EXPECT_VERDICT(j, "fail");
    }
    diag d;
    rl_case *c = nullptr;
    const char *text = "// expect tsan: clean\n// options tsan: atexit_sleep_ms=0\nint main(void) { return 0; }\n";
    EXPECT_EQ(rl_case_parse("/x/no_wait.c", text, strlen(text), &c, &d), -1);
    EXPECT_TRUE(contains(d.text(), "atexit_sleep_ms")) << d.text();
    rl_case_free(c);
}

// A compiler whose answer states two versions (a wrapper that prints one
// of its own): not what it says it is, an error rather than clang 15.
TEST(Sabotage, AToolchainThatStatesTwoVersionsIsAnError)
{
    job j("sabotage/version_scoped_race.c", "tsan:" + fixture_path("standins/clang-claims-15"));
    EXPECT_VERDICT(j, "error");
    EXPECT_TRUE(contains(j.message(), "states two versions")) << j.message();
}

} // namespace
