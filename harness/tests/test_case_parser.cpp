// The case parser: what a good case yields, and a clear error naming file
// and line for every way a case can be wrong.
#include "support.h"

#include <gtest/gtest.h>

#include <cstring>

namespace {

struct parsed {
    rl_case *c = nullptr;
    rl_diag d{};
    int rc = 0;
    explicit parsed(const std::string &text, const char *path = "cases/sample.c")
    {
        rc = rl_case_parse(path, text.data(), text.size(), &c, &d);
    }
    ~parsed() { rl_case_free(c); }
    std::string error() const { return d.message; }
};

const char good[] = "/*\n"
                    " * sample: two threads race on a flag.\n"
                    " */\n"
                    "// expect tsan: data-race @write @read\n"
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
    ASSERT_EQ(c->nmarkers, 2u);
    EXPECT_STREQ(c->markers[0].name, "write");
    EXPECT_EQ(c->markers[0].line, 13);
    EXPECT_EQ(c->markers[1].line, 14);

    ASSERT_EQ(c->nexpects, 4u);
    EXPECT_EQ(c->expects[0].tool, RL_TOOL_TSAN);
    EXPECT_EQ(c->expects[0].kind, RL_KIND_DATA_RACE);
    EXPECT_EQ(c->expects[0].line, 4);
    ASSERT_EQ(c->expects[0].nmarkers, 2u);
    EXPECT_EQ(c->expects[0].marker_lines[0], 13);
    EXPECT_EQ(c->expects[0].marker_lines[1], 14);
    EXPECT_EQ(c->expects[2].kind, RL_KIND_CLEAN);
    EXPECT_EQ(c->expects[3].kind, RL_KIND_EXIT);
    EXPECT_EQ(c->expects[3].code, 3);
    EXPECT_TRUE(rl_case_declares(c, RL_TOOL_DRD));
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

TEST(CaseParser, DefaultToolsAreTsanHelgrindAndDeclaredOthers)
{
    parsed p(good);
    ASSERT_EQ(p.rc, 0);
    rl_tool tools[RL_TOOL_COUNT];
    size_t n = rl_default_tools(p.c, tools);
    ASSERT_EQ(n, 4u);
    EXPECT_STREQ(tools[0].spec, "tsan");
    EXPECT_STREQ(tools[0].program, "clang");
    EXPECT_STREQ(tools[3].spec, "native");

    parsed q("// expect tsan: clean\n// expect helgrind: clean\n");
    ASSERT_EQ(rl_default_tools(q.c, tools), 2u);
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
    {"// expect tsan data-race\n", 1, "malformed expectation"},
    {"// expect: data-race\n", 1, "malformed expectation"},
    {"// expect tsan:\n", 1, "names no kind"},
    {"// expect tsan: data-race @nowhere\nint x;\n", 1, "marker @nowhere names no line"},
    {"// expect tsan: clean\nint a; // @x\nint b; // @x\n", 3, "already on line 2"},
    {"// expect tsan: clean\n// timout: 3\n", 2, "unknown directive 'timout'"},
    {"// expect tsan: clean\n// options drd: --x\n", 2, "unknown directive 'options drd'"},
    {"// expect tsan: clean\n// expects helgrind: clean\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n// timeout: 0\n", 2, "timeout must be"},
    {"// expect tsan: clean\n// timeout: -1\n", 2, "timeout must be"},
    {"// expect tsan: clean\n// timeout: 5s\n", 2, "timeout must be"},
    {"// expect tsan: clean\n// timeout: lots\n", 2, "timeout must be"},
    {"// expect native: data-race\n", 1, "native expects 'exit N' or 'hang'"},
    {"// expect native: exit\n", 1, "'exit' needs an exit status"},
    {"// expect native: exit 256\n", 1, "'exit' needs an exit status"},
    {"// expect native: exit 1x\n", 1, "'exit' needs an exit status"},
    {"// expect tsan: exit 0\n", 1, "'exit N' is for native"},
    {"// expect tsan: clean\n// expect tsan: data-race\n", 1, "both clean and to report"},
    {"// expect native: exit 0\n// expect native: hang\n", 2, "native has one outcome"},
    {"// expect tsan: clean @x\nint x; // @x\n", 1, "no stack for a marker"},
    {"// expect native: exit 0 @x\nint x; // @x\n", 1, "no stack for a marker"},
    {"// expect helgrind: hang @x\nint x; // @x\n", 1, "no stack for a marker"},
    {"// expect tsan: data-race because\n", 1, "unexpected 'because'"},
    {"// expect tsan: data-race @\n", 1, "unexpected '@'"},
    {"int main(void) { return 0; }\n", 1, "no '// expect TOOL: KIND' line"},
    {"// expect tsan: unknown\n", 1, "unknown kind 'unknown'"},
    {"// expect tsan: signal\n", 1, "unknown kind 'signal'"},
    {"// expect tsan: clean\n// Expect drd: clean\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n/// expect drd: clean\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n/* expect drd: clean */\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n//! expect drd: clean\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n// TODO expect drd: clean\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\nint x; // expect helgrind: clean\n", 2, "looks like an expectation"},
    {"// expect tsan: clean\n * We expected NATIVE : exit 0\n", 2, "looks like an expectation"},
};

INSTANTIATE_TEST_SUITE_P(Errors, CaseParserRejects, testing::ValuesIn(bad_cases));

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
    rl_diag d;
    ASSERT_EQ(rl_case_load("/nonexistent/dir/x.c", &c, &d), -1);
    EXPECT_STREQ(d.file, "/nonexistent/dir/x.c");
    EXPECT_NE(std::string(d.message).find("No such file"), std::string::npos);
}

TEST(CaseParser, ScansOnlyCFilesSorted)
{
    char **paths;
    rl_diag d;
    ASSERT_EQ(rl_case_dir_scan(fixture_path("cases").c_str(), &paths, &d), 0) << d.message;
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
    rl_tool t;
    rl_diag d;
    ASSERT_EQ(rl_tool_parse("tsan", &t, &d), 0);
    EXPECT_EQ(t.id, RL_TOOL_TSAN);
    EXPECT_STREQ(t.program, "clang");
    ASSERT_EQ(rl_tool_parse("tsan:gcc-12", &t, &d), 0);
    EXPECT_STREQ(t.spec, "tsan:gcc-12");
    EXPECT_STREQ(t.program, "gcc-12");
    ASSERT_EQ(rl_tool_parse("helgrind:/opt/vg/bin/valgrind", &t, &d), 0);
    EXPECT_EQ(t.id, RL_TOOL_HELGRIND);
    EXPECT_STREQ(t.program, "/opt/vg/bin/valgrind");
    ASSERT_EQ(rl_tool_parse("drd", &t, &d), 0);
    EXPECT_STREQ(t.program, "valgrind");
    ASSERT_EQ(rl_tool_parse("native", &t, &d), 0);
    EXPECT_STREQ(t.program, "cc");
    EXPECT_EQ(rl_tool_parse("memcheck", &t, &d), -1);
    EXPECT_NE(std::string(d.message).find("unknown tool 'memcheck'"), std::string::npos);
    EXPECT_EQ(rl_tool_parse("tsan:", &t, &d), -1);
}

} // namespace
