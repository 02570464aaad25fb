// The case parser: what a good case yields, and a clear error naming file
// and line for every way a case can be wrong.
#include "support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>

namespace {

struct parsed {
    rl_case *c = nullptr;
    diag d;
    int rc = 0;
    explicit parsed(const std::string &text, const char *path = "cases/sample.c")
    {
        rc = rl_case_parse(path, text.data(), text.size(), &c, &d);
    }
    ~parsed() { rl_case_free(c); }
    std::string error() const { return d.text(); }
};

const char good[] = "/*\n"
                    " * sample: two threads race on a flag.\n"
                    " */\n"
                    "// expect tsan: data-race @write @access:read\n"
                    "// expect helgrind: data-race @write\n"
                    "// expect drd: clean\n"
                    "// expect native: exit 3\n"
                    "// cflags: -DN=4 -lm\n"
                    "// timeout: 2.5\n"
                    "// note: DRD misses it; see docs\n"
                    "// Reading the report: prose with a colon is fine when capitalised.\n"
                    "int flag;\n"
                    "void w(void) { flag = 1; } // @write\n"
                    "int r(void) { return flag; } // @read\n";

TEST(CaseParser, ReadsExpectationsMarkersAndSettings)
{
    parsed p(good);
    ASSERT_EQ(p.rc, 0) << p.error();
    const rl_case *c = p.c;
    EXPECT_STREQ(c->name, "sample");
    EXPECT_STREQ(c->summary, "two threads race on a flag.");
    EXPECT_DOUBLE_EQ(c->timeout, 2.5);
    ASSERT_EQ(c->ncflags, 2u);
    EXPECT_STREQ(c->cflags[0], "-DN=4");
    EXPECT_STREQ(c->cflags[1], "-lm");
    EXPECT_EQ(c->cflags[2], nullptr);
    ASSERT_EQ(c->nmarkers, 2u);
    EXPECT_STREQ(c->markers[0].name, "write");
    EXPECT_EQ(c->markers[0].line, 13);
    EXPECT_EQ(c->markers[1].line, 14);

    ASSERT_EQ(c->nexpects, 4u);
    EXPECT_EQ(c->expects[0].tool, RL_TOOL_TSAN);
    EXPECT_EQ(c->expects[0].type, RL_LINE_EXPECT);
    EXPECT_EQ(c->expects[0].kind, RL_KIND_DATA_RACE);
    EXPECT_EQ(c->expects[0].count, 1);
    EXPECT_EQ(c->expects[0].line, 4);
    ASSERT_EQ(c->expects[0].nmarkers, 2u);
    EXPECT_EQ(c->expects[0].markers[0].line, 13);
    EXPECT_FALSE(c->expects[0].markers[0].access);
    EXPECT_EQ(c->expects[0].markers[1].line, 14);
    EXPECT_TRUE(c->expects[0].markers[1].access);
    EXPECT_STREQ(c->expects[0].markers[1].name, "read");
    EXPECT_EQ(c->expects[2].kind, RL_KIND_CLEAN);
    EXPECT_EQ(c->expects[3].kind, RL_KIND_EXIT);
    EXPECT_EQ(c->expects[3].code, 3);
    EXPECT_TRUE(rl_case_declares(c, RL_TOOL_DRD));
    EXPECT_EQ(c->nsets, 4u);
    EXPECT_EQ(c->nargs, 0u);
}

TEST(CaseParser, SummaryIsTheFirstSentenceOfTheLeadingComment)
{
    parsed one("/* one-liner: a short case. More here. */\n// expect tsan: clean\n");
    EXPECT_STREQ(one.c->summary, "one-liner: a short case.");
    parsed wrapped("/*\n * sample: a sentence that\n * wraps. Second sentence.\n */\n"
                   "// expect tsan: clean\n");
    EXPECT_STREQ(wrapped.c->summary, "a sentence that wraps.");
    parsed closed("/*\n * sample: no full stop\n*/\nint x;\n// expect tsan: clean\n");
    EXPECT_STREQ(closed.c->summary, "no full stop");
    parsed late("int x;\n/* sample: too late. */\n// expect tsan: clean\n");
    EXPECT_STREQ(late.c->summary, "");
}

TEST(CaseParser, DefaultsAndWindowsLineEnds)
{
    parsed p("// expect tsan: clean\r\n// expect helgrind: hang\r\nint x; // @spot\r\n");
    ASSERT_EQ(p.rc, 0) << p.error();
    EXPECT_DOUBLE_EQ(p.c->timeout, RL_DEFAULT_TIMEOUT);
    EXPECT_EQ(p.c->ncflags, 0u);
    EXPECT_STREQ(p.c->summary, "");
    EXPECT_EQ(p.c->expects[1].kind, RL_KIND_HANG);
    ASSERT_EQ(p.c->nmarkers, 1u);
    EXPECT_STREQ(p.c->markers[0].name, "spot");
    EXPECT_FALSE(rl_case_declares(p.c, RL_TOOL_NATIVE));
}

TEST(JobPolicy, DefaultToolsAreEveryToolAndGccsTsanToo)
{
    parsed p(good);
    parsed q("// expect tsan: clean\n// expect helgrind: clean\n", "cases/other.c");
    ASSERT_EQ(p.rc, 0);
    ASSERT_EQ(q.rc, 0);
    size_t ntools;
    rl_tool *tools = rl_default_tools(&ntools);
    std::vector<std::string> specs;
    for (size_t i = 0; i < ntools; i++)
        specs.push_back(tools[i].spec);
    EXPECT_EQ(specs, (std::vector<std::string>{"tsan", "tsan:gcc", "helgrind", "drd", "native"}));
    EXPECT_STREQ(tools[0].program, "clang");
    EXPECT_STREQ(tools[1].program, "gcc");
    rl_case *cases[] = {p.c, q.c};
    rl_catalogue cat = {cases, 2, nullptr, 0};
    size_t njobs;
    rl_job *jobs = rl_jobs_make(&cat, tools, ntools, &njobs);
    ASSERT_EQ(njobs, 10u);
    std::vector<std::string> names;
    for (size_t i = 0; i < njobs; i++)
        names.push_back(std::string(jobs[i].rcase->name) + "/" + jobs[i].tool->spec);
    EXPECT_EQ(names[5], "other/tsan");
    EXPECT_EQ(names[6], "other/tsan:gcc");
    /* The case without drd and native lines: one error for each tool, not
     * one for each toolchain, and its jobs still listed (as errors). */
    ASSERT_EQ(cat.nerrors, 2u);
    EXPECT_NE(std::string(cat.errors[0].message).find("no expect line for tool drd"), std::string::npos);
    EXPECT_NE(std::string(cat.errors[1].message).find("no expect line for tool native"), std::string::npos);
    for (size_t i = 0; i < cat.nerrors; i++)
        rl_diag_clear(&cat.errors[i]);
    free(cat.errors);
    free(jobs);
    rl_tools_free(tools, ntools);
}

TEST(JobPolicy, ANamedToolRunsEveryCaseAndAMissingOneIsAnInputError)
{
    parsed q("// expect tsan: clean\n// expect helgrind: clean\n", "cases/other.c");
    ASSERT_EQ(q.rc, 0);
    tool drd("drd");
    rl_case *cases[] = {q.c};
    rl_catalogue cat = {cases, 1, nullptr, 0};
    size_t njobs;
    rl_job *jobs = rl_jobs_make(&cat, &drd, 1, &njobs);
    EXPECT_EQ(njobs, 1u);
    ASSERT_EQ(cat.nerrors, 1u);
    EXPECT_EQ(cat.errors[0].line, 1);
    EXPECT_NE(std::string(rl_diag_message(&cat.errors[0])).find("no expect line for tool drd"),
              std::string::npos);
    rl_diag_clear(&cat.errors[0]);
    free(cat.errors);
    free(jobs);
}

TEST(CaseParser, ScopesByFamilyAndVersion)
{
    parsed p("// expect tsan: data-race @w\n"              // 1
             "// expect tsan(gcc): data-race x2 @w\n"      // 2
             "// expect tsan(clang<15): clean\n"           // 3
             "// expect tsan(clang>=15,<17): data-race @w\n" // 4
             "// expect tsan(clang=19): data-race @w\n"    // 5
             "// expect helgrind: clean\n"                 // 6
             "// expect helgrind(>=3.20): data-race @w\n"  // 7
             "int x; // @w\n");
    ASSERT_EQ(p.rc, 0) << p.error();
    const rl_case *c = p.c;
    ASSERT_EQ(c->nsets, 7u);
    EXPECT_EQ(c->sets[1].scope.rank, 1);
    EXPECT_STREQ(c->sets[1].scope.family, "gcc");
    EXPECT_EQ(c->expects[1].count, 2);
    const rl_scope &below15 = c->sets[2].scope;
    EXPECT_EQ(below15.rank, 2);
    EXPECT_FALSE(below15.has_lo);
    EXPECT_TRUE(below15.has_hi);
    EXPECT_EQ(below15.hi[0], 15);
    EXPECT_STREQ(below15.text, "clang<15.0.0");
    EXPECT_STREQ(c->sets[3].scope.text, "clang>=15.0.0,<17.0.0");
    EXPECT_STREQ(c->sets[4].scope.text, "clang>=19.0.0,<20.0.0");
    EXPECT_STREQ(c->sets[6].scope.family, "valgrind"); // the one family helgrind has

    struct pick {
        const char *tool, *family, *version;
        long set;
    } picks[] = {
        {"tsan", "clang", "14.0.6", 2},  {"tsan", "clang", "15.0.6", 3},
        {"tsan", "clang", "16.0.6", 3},  {"tsan", "clang", "17.0.1", 0},
        {"tsan", "clang", "19.1.7", 4},  {"tsan", "gcc", "11.3.0", 1},
        {"tsan", "gcc", "12.2.0", 1},    {"tsan", "icc", "2021.1", 0},
        {"tsan", "", "", 0},             {"helgrind", "valgrind", "3.19.0", 5},
        {"helgrind", "valgrind", "3.20.0", 6}, {"helgrind", "valgrind", "", 5},
        {"drd", "valgrind", "3.19.0", -1},
    };
    for (const pick &k : picks) {
        rl_toolchain t = chain(k.family, k.version);
        EXPECT_EQ(rl_case_select_set(c, tool_id(k.tool), &t), k.set)
            << k.tool << " " << k.family << " " << k.version;
    }
}

TEST(CaseParser, UnsupportedAllowCountsEndingsArgsAndOptions)
{
    parsed p("// expect tsan: data-race x3 @w\n"                              // 1
             "// allow tsan: data-race @r\n"                                  // 2
             "// allow tsan: thread-leak x2\n"                                // 3
             "// expect tsan: exit 66\n"                                      // 4
             "// unsupported tsan(gcc<12): GCC 11's runtime cannot fork here\n" // 5
             "// expect helgrind: signal SIGABRT\n"                           // 6
             "// expect drd: lock-contention\n"                               // 7
             "// options drd: --exclusive-threshold=10\n"                     // 8
             "// options drd: --check-stack-var=yes\n"                        // 9
             "// options tsan: allocator_may_return_null=1 die_after_fork=0\n" // 10
             "// options helgrind(<3.20): --check-stack-refs=yes\n"            // 11
             "// expect native: signal SIGSEGV\n"                             // 12
             "// args: one two  three\n"                                      // 13
             "// https://example.org/a-url-is-prose\n"                        // 14
             "int x; // @w\nint y; // @r\n");
    ASSERT_EQ(p.rc, 0) << p.error();
    const rl_case *c = p.c;
    EXPECT_EQ(c->expects[0].count, 3);
    EXPECT_EQ(c->expects[1].type, RL_LINE_ALLOW);
    EXPECT_EQ(c->expects[1].count, 0); // any number
    EXPECT_EQ(c->expects[2].count, 2);
    EXPECT_EQ(c->expects[3].kind, RL_KIND_EXIT);
    EXPECT_EQ(c->expects[3].code, 66);
    EXPECT_EQ(c->expects[4].type, RL_LINE_UNSUPPORTED);
    EXPECT_STREQ(c->expects[4].reason, "GCC 11's runtime cannot fork here");
    EXPECT_EQ(c->expects[5].kind, RL_KIND_SIGNAL);
    EXPECT_EQ(c->expects[5].code, SIGABRT);
    EXPECT_EQ(c->expects[7].code, SIGSEGV);
    ASSERT_EQ(c->nargs, 3u);
    EXPECT_STREQ(c->args[2], "three");
    ASSERT_EQ(c->noptions, 3u);
    EXPECT_EQ(c->options[0].nwords, 2u); // both drd lines, one set
    EXPECT_STREQ(c->options[0].words[1], "--check-stack-var=yes");

    rl_toolchain v319 = chain("valgrind", "3.19.0"), v320 = chain("valgrind", "3.20.0");
    const rl_options *o = rl_case_select_options(c, RL_TOOL_DRD, &v319);
    ASSERT_NE(o, nullptr);
    EXPECT_STREQ(o->words[0], "--exclusive-threshold=10");
    EXPECT_NE(rl_case_select_options(c, RL_TOOL_HELGRIND, &v319), nullptr);
    EXPECT_EQ(rl_case_select_options(c, RL_TOOL_HELGRIND, &v320), nullptr);
    rl_toolchain gcc11 = chain("gcc", "11.3.0"), gcc12 = chain("gcc", "12.2.0");
    long s11 = rl_case_select_set(c, RL_TOOL_TSAN, &gcc11);
    EXPECT_EQ(s11, (long)c->expects[4].set);
    EXPECT_EQ(rl_case_select_set(c, RL_TOOL_TSAN, &gcc12), (long)c->expects[0].set);
}

struct bad_case {
    const char *text;
    int line;
    const char *message;
};

class CaseParserRejects : public testing::TestWithParam<bad_case> {};

TEST_P(CaseParserRejects, NamingFileAndLine)
{
    const bad_case &b = GetParam();
    parsed p(b.text, "dir/bad.c");
    ASSERT_EQ(p.rc, -1) << "accepted: " << b.text;
    EXPECT_EQ(p.c, nullptr);
    EXPECT_STREQ(p.d.file, "dir/bad.c");
    EXPECT_EQ(p.d.line, b.line) << p.error();
    EXPECT_NE(p.error().find(b.message), std::string::npos) << p.error();
}

const bad_case bad_cases[] = {
    {"int x;\n// expect tsann: data-race\n", 2, "unknown tool 'tsann'"},
    {"// expect tsan: data-rase\n", 1, "unknown kind 'data-rase'"},
    {"// expect tsan data-race\n", 1, "malformed expect line"},
    {"// expect: data-race\n", 1, "malformed expect line"},
    {"// expect tsan:\n", 1, "names no kind"},
    {"// expect tsan: data-race @nowhere\nint x;\n", 1, "marker @nowhere names no line"},
    {"// expect tsan: data-race @access:nowhere\nint x;\n", 1, "marker @nowhere names no line"},
    {"// expect tsan: data-race @access:\nint x;\n", 1, "unexpected '@access:'"},
    {"// expect tsan: clean\nint a; // @x\nint b; // @x\n", 3, "already on line 2"},
    {"// expect tsan: clean\n// timout: 3\n", 2, "unknown directive 'timout'"},
    {"// expect tsan: clean\n// option drd: --x\n", 2, "unknown directive 'option drd'"},
    {"// expect tsan: clean\n// expects helgrind: clean\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n// timeout: 0\n", 2, "timeout must be"},
    {"// expect tsan: clean\n// timeout: -1\n", 2, "timeout must be"},
    {"// expect tsan: clean\n// timeout: 5s\n", 2, "timeout must be"},
    {"// expect tsan: clean\n// timeout: lots\n", 2, "timeout must be"},
    {"// expect native: data-race\n", 1, "native expects an ending"},
    {"// expect native: exit\n", 1, "'exit' needs an exit status"},
    {"// expect native: exit 256\n", 1, "'exit' needs an exit status"},
    {"// expect native: exit 1x\n", 1, "'exit' needs an exit status"},
    {"// expect native: signal\n", 1, "'signal' needs a signal name"},
    {"// expect tsan: signal SIGFOO\n", 1, "'signal' needs a signal name"},
    {"// expect tsan: signal 6\n", 1, "'signal' needs a signal name"},
    {"// expect tsan: clean\n// expect tsan: data-race\n", 1, "both clean and to report"},
    {"// expect tsan: clean\n// expect tsan: clean\n", 2, "already expected clean"},
    {"// expect native: exit 0\n// expect native: hang\n", 2, "one ending"},
    {"// expect tsan: exit 0\n// expect tsan: signal SIGABRT\n", 2, "one ending"},
    {"// expect tsan: clean @x\nint x; // @x\n", 1, "no stack for a marker"},
    {"// expect native: exit 0 @x\nint x; // @x\n", 1, "no stack for a marker"},
    {"// expect helgrind: hang @x\nint x; // @x\n", 1, "no stack for a marker"},
    {"// expect tsan: data-race because\n", 1, "unexpected 'because'"},
    {"// expect tsan: data-race @\n", 1, "unexpected '@'"},
    {"int main(void) { return 0; }\n", 1, "no '// expect TOOL: KIND' line"},
    {"// expect tsan: unknown\n", 1, "unknown kind 'unknown'"},
    {"// expect tsan: clean\n// Expect drd: clean\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n/// expect drd: clean\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n/* expect drd: clean */\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n//! expect drd: clean\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n// TODO expect drd: clean\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\nint x; // expect helgrind: clean\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n * We expected NATIVE : exit 0\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n// note: expect drd(>=3): clean\n", 2, "looks like an expectation"},
    // Counts.
    {"// expect tsan: data-race x0\n", 1, "a count is x1 to x100000"},
    {"// expect tsan: data-race x100001\n", 1, "a count is x1 to x100000"},
    {"// expect tsan: data-race x2x\n", 1, "a count is x1 to x100000"},
    {"// expect tsan: clean x2\n", 1, "cannot be counted"},
    {"// expect tsan: exit 0 x2\n", 1, "cannot be counted"},
    // Scopes.
    {"// expect tsan(msvc): clean\n", 1, "unknown toolchain 'msvc' for tsan (it runs with: clang, gcc)"},
    {"// expect helgrind(clang): clean\n", 1, "unknown toolchain 'clang' for helgrind"},
    {"// expect tsan(>=15): clean\n", 1, "names versions but not whose"},
    {"// expect tsan(): clean\n", 1, "empty toolchain scope"},
    {"// expect tsan(clang<<15): clean\n", 1, "malformed toolchain scope"},
    {"// expect tsan(clang 15): clean\n", 1, "malformed toolchain scope"},
    {"// expect tsan(clang>=15.x): clean\n", 1, "malformed toolchain scope"},
    {"// expect tsan(clang>=15,<14): clean\n", 1, "contains no version"},
    {"// expect tsan(clang: clean\n", 1, "a scope is 'tsan(SCOPE):'"},
    {"// expect tsan(clang<15): clean\n// expect tsan(clang>=14): clean\n", 2,
     "tsan(clang>=14.0.0) and tsan(clang<15.0.0) (line 1) can both apply"},
    {"// expect tsan: clean\n// options tsan(gcc=12): history_size=2\n"
     "// options tsan(gcc>=12.1): history_size=3\n",
     3, "the options for tsan(gcc>=12.1.0) and tsan(gcc>=12.0.0,<13.0.0) (line 2) can both apply"},
    // Unsupported and allow.
    {"// unsupported tsan(gcc):\n", 1, "say why the toolchain cannot run the case"},
    {"// unsupported tsan(gcc): no\n// expect tsan(gcc): clean\n", 1, "both unsupported and expected"},
    {"// expect tsan: exit 0\n// allow tsan: clean\n", 2, "'allow' takes a report kind"},
    {"// expect tsan: exit 0\n// allow tsan: hang\n", 2, "'allow' takes a report kind"},
    {"// allow tsan: data-race\n", 1, "an allow line never stands alone"},
    {"// expect tsan: clean\n// allow tsan: data-race\n", 1, "both clean and to report (line 2)"},
    {"// expect tsan(gcc): exit 0\n// allow tsan: data-race\n", 2, "never stands alone"},
    // Options.
    {"// expect drd: clean\n// options drd: --exclusive-thresold=10\n", 2,
     "drd option '--exclusive-thresold' is not one racelab accepts"},
    {"// expect drd: clean\n// options drd: --suppressions=all.supp\n", 2,
     "'--suppressions=all.supp' is refused: suppressions hide errors"},
    {"// expect drd: clean\n// options drd: --first-race-only=yes\n", 2, "the value must be no"},
    {"// expect drd: clean\n// options drd: --exclusive-threshold\n", 2, "needs a value"},
    {"// expect drd: clean\n// options drd: --exclusive-threshold=ten\n", 2, "a whole number"},
    {"// expect helgrind: clean\n// options helgrind: --track-lockorders=no\n", 2,
     "the value must be yes"},
    {"// expect tsan: clean\n// options tsan: report_bugs=0\n", 2, "the value must be 1|true|yes"},
    {"// expect tsan: clean\n// options tsan: suppressions=x.supp\n", 2, "suppressions hide reports"},
    {"// expect tsan: clean\n// options tsan: halt_on_error=1\n", 2, "the value must be 0|false|no"},
    {"// expect tsan: clean\n// options tsan: a=1:report_bugs=0\n", 2, "one NAME=VALUE a word"},
    {"// expect native: exit 0\n// options native: -x\n", 2, "native takes no options"},
    {"// expect tsan: clean\n// options tsan:\n", 2, "names no option"},
    {"// expect tsan: clean\n// options: x=1\n", 2, "it names no tool"},
    // cflags that could switch checking off, or anything unknown.
    {"// expect tsan: clean\n// cflags: -fno-sanitize=thread\n", 2, "switch the sanitizer's checking off"},
    {"// expect tsan: clean\n// cflags: -fsanitize-ignorelist=x.txt\n", 2, "is refused"},
    {"// expect tsan: clean\n// cflags: -fsanitize-blacklist=x.txt\n", 2, "is refused"},
    {"// expect tsan: clean\n// cflags: -fno-sanitize-thread-memory-access\n", 2, "is refused"},
    {"// expect tsan: clean\n// cflags: -mllvm -tsan-instrument-memory-accesses=0\n", 2,
     "'-mllvm' is refused"},
    {"// expect tsan: clean\n// cflags: -Xclang -disable-llvm-passes\n", 2, "'-Xclang' is refused"},
    {"// expect tsan: clean\n// cflags: --param=tsan-instrument-func-entry-exit=0\n", 2, "is refused"},
    {"// expect tsan: clean\n// cflags: -Wl,--wrap=__tsan_write4\n", 2, "linker options"},
    {"// expect tsan: clean\n// cflags: -o /tmp/elsewhere\n", 2, "racelab names the outputs"},
    {"// expect tsan: clean\n// cflags: @flags.txt\n", 2, "response file"},
    {"// expect tsan: clean\n// cflags: -B/tmp/fake\n", 2, "which compiler programs run"},
    {"// expect tsan: clean\n// cflags: -ffast-math\n", 2, "'-ffast-math' is not one racelab accepts"},
    {"// expect tsan: clean\n// cflags: -I /usr/include\n", 2, "needs its value in the same word"},
    // Look-alike and invisible characters that would hide a directive.
    {"// expect tsan: clean\n// exp\xe2\x80\x8b" "ect drd: data-race\n", 2, "U+200B"},
    {"// expect tsan: clean\n// \xd0\xb5xpect drd: data-race\n", 2, "U+0435"},
    {"// expect tsan: clean\n// expect drd\xef\xbc\x9a data-race\n", 2, "U+FF1A"},
    {"// expect tsan: clean\n//\xc2\xa0" "expect drd: data-race\n", 2, "U+00A0"},
    {"// expect tsan: clean\n\xe2\x80\x8b// expect drd: data-race\n", 2, "U+200B"},
    {"// expect tsan: clean\n// \xd0\xb0llow drd: data-race\n", 2, "U+0430"},
    {"// expect tsan: clean\n// cfl\xd0\xb0gs: -fno-sanitize=thread\n", 2, "U+0430"},
};

INSTANTIATE_TEST_SUITE_P(Errors, CaseParserRejects, testing::ValuesIn(bad_cases));

TEST(CaseParser, ProseMayHoldAnything)
{
    parsed p("/* A caf\xc3\xa9 na\xc3\xafve \xe2\x80\x9cquote\xe2\x80\x9d: no directive. */\n"
             "// Caf\xc3\xa9: capitalised prose.\n"
             "// https://example.org/x\n"
             "// expect tsan: clean\n");
    ASSERT_EQ(p.rc, 0) << p.error();
}

// Found by the fuzzer: a last line ending in a bare CR once never ended.
TEST(Sabotage, ACaseEndingInABareCarriageReturnEnds)
{
    parsed p("// expect tsan: clean\r\nint main(void) { return 0; }\r");
    ASSERT_EQ(p.rc, 0) << p.error();
    parsed only("\r");
    EXPECT_EQ(only.rc, -1);
}

TEST(CaseParser, SkipsAByteOrderMark)
{
    parsed p("\xEF\xBB\xBF// expect tsan: clean\n");
    ASSERT_EQ(p.rc, 0) << p.error();
    EXPECT_EQ(p.c->nexpects, 1u);
}

TEST(CaseParser, RejectsBinaryInput)
{
    std::string text("// expect tsan: clean\n\0\n", 24);
    parsed p(text);
    EXPECT_EQ(p.rc, -1);
    EXPECT_NE(p.error().find("NUL"), std::string::npos);
}

TEST(CaseParser, UnreadableFileIsAnErrorNamingIt)
{
    rl_case *c;
    diag d;
    ASSERT_EQ(rl_case_load("/nonexistent/dir/x.c", &c, &d), -1);
    EXPECT_STREQ(d.file, "/nonexistent/dir/x.c");
    EXPECT_NE(d.text().find("No such file"), std::string::npos);
}

TEST(CaseParser, ScansOnlyCFilesSorted)
{
    char **paths;
    diag d;
    ASSERT_EQ(rl_case_dir_scan(fixture_path("cases").c_str(), &paths, &d), 0) << d.text();
    std::vector<std::string> names;
    for (char **p = paths; *p; p++)
        names.push_back(std::strrchr(*p, '/') + 1);
    rl_strv_free(paths);
    ASSERT_FALSE(names.empty());
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    for (const std::string &n : names)
        EXPECT_EQ(n.substr(n.size() - 2), ".c");

    EXPECT_EQ(rl_case_dir_scan("/nonexistent", &paths, &d), -1);
    EXPECT_STREQ(d.file, "/nonexistent");
}

TEST(ToolSpec, ParsesToolAndProgram)
{
    tool tsan("tsan"), gcc("tsan:gcc-12"), hg("helgrind:/opt/vg/bin/valgrind"), drd("drd"),
        native("native");
    EXPECT_EQ(tsan.id, RL_TOOL_TSAN);
    EXPECT_STREQ(tsan.program, "clang");
    EXPECT_STREQ(gcc.spec, "tsan:gcc-12");
    EXPECT_STREQ(gcc.program, "gcc-12");
    EXPECT_EQ(hg.id, RL_TOOL_HELGRIND);
    EXPECT_STREQ(hg.program, "/opt/vg/bin/valgrind");
    EXPECT_STREQ(drd.program, "valgrind");
    EXPECT_STREQ(native.program, "cc");
    rl_tool t{};
    diag d;
    EXPECT_EQ(rl_tool_parse("memcheck", &t, &d), -1);
    EXPECT_NE(d.text().find("unknown tool 'memcheck' (tools: tsan, helgrind, drd, native)"),
              std::string::npos)
        << d.text();
    EXPECT_EQ(rl_tool_parse("tsan:", &t, &d), -1);
    EXPECT_STREQ(rl_tool_usage(), "tsan[:COMPILER], helgrind[:VALGRIND], drd[:VALGRIND], "
                                  "native[:COMPILER]");
}

// Parsing is linear: a case sixteen times the size takes about sixteen
// times as long, not 256 (markers and sets are found through hash maps).
TEST(Sabotage, CaseParsingIsLinearInTheNumberOfLines)
{
    auto build = [](int n) {
        std::string text;
        for (int i = 0; i < n; i++) /* a set of its own for each line, too */
            text += "// expect tsan(clang=" + std::to_string(i) + "): data-race @m" +
                    std::to_string(i) + "\n";
        for (int i = 0; i < n; i++)
            text += "int v" + std::to_string(i) + "; // @m" + std::to_string(i) + "\n";
        return text;
    };
    auto seconds = [](const std::string &text) {
        double best = 1e9;
        for (int k = 0; k < 5; k++) {
            auto t0 = std::chrono::steady_clock::now();
            parsed p(text);
            EXPECT_EQ(p.rc, 0) << p.error();
            std::chrono::duration<double> d = std::chrono::steady_clock::now() - t0;
            best = std::min(best, d.count());
        }
        return best;
    };
    double small = seconds(build(4000)), large = seconds(build(64000));
    EXPECT_LT(large / small, 64.0) << "4000 lines: " << small << " s, 64000 lines: " << large << " s";
}

// Twins come in pairs: a twin missing from the catalogue, or one that does
// not name the case back, is an input error at the twin line.
TEST(Catalogue, TwinsNameEachOther)
{
    std::filesystem::create_directories(work_dir());
    std::string w = std::filesystem::canonical(work_dir());
    const std::string expects = "// expect tsan: clean\n// expect helgrind: clean\n"
                                "// expect drd: clean\n// expect native: exit 0\nint main(void) { return 0; }\n";
    write_text(w + "/a.c", "/* a */\n// twin: b\n" + expects);
    write_text(w + "/b.c", "/* b */\n// twin: a\n" + expects);
    write_text(w + "/c.c", "/* c */\n\n// twin: a\n" + expects);
    write_text(w + "/d.c", "/* d */\n// twin: nowhere\n" + expects);
    rl_catalogue cat = RL_CATALOGUE_INIT;
    char *dirs[] = {const_cast<char *>(w.c_str())};
    rl_catalogue_load(&cat, dirs, 1, nullptr, 0);
    EXPECT_EQ(cat.ncases, 4u);
    std::vector<std::string> errors;
    for (size_t i = 0; i < cat.nerrors; i++)
        errors.push_back(take(rl_diag_format(&cat.errors[i])));
    std::sort(errors.begin(), errors.end());
    ASSERT_EQ(errors.size(), 2u) << ::testing::PrintToString(errors);
    EXPECT_EQ(errors[0], w + "/c.c:3: its twin 'a' does not name it back (b)");
    EXPECT_EQ(errors[1], w + "/d.c:2: its twin 'nowhere' is not in the catalogue");
    rl_catalogue_clear(&cat);
    // Naming cases reads only those: their twins are not checked then.
    char *names[] = {const_cast<char *>("c")};
    rl_catalogue_load(&cat, dirs, 1, names, 1);
    EXPECT_EQ(cat.nerrors, 0u);
    rl_catalogue_clear(&cat);
}

} // namespace
