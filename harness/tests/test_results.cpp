// The JSON results: everything written, whatever bytes the names hold.
#include "support.h"

#include <gtest/gtest.h>

#include <cstring>
#include <unistd.h>

namespace {

struct one_result {
    rl_case *c = nullptr;
    tool t{"tsan"};
    rl_result r{};
    explicit one_result(const char *path)
    {
        const char text[] = "// expect tsan: clean\n";
        diag d;
        EXPECT_EQ(rl_case_parse(path, text, strlen(text), &c, &d), 0) << d.text();
        r.rcase = c;
        r.tool = &t;
        r.verdict = RL_FAIL;
        r.match.set = -1;
        r.match.ending_line = -1;
    }
    ~one_result()
    {
        rl_result_clear(&r);
        rl_case_free(c);
    }
};

TEST(Results, WritesEveryResultAndInputErrorEvenWithoutUtf8)
{
    one_result one("/nowhere/caf\xe9.c");
    one.r.verdict = RL_ERROR;
    rl_diag_set(&one.r.problem, nullptr, 0, "bad byte \xff here");
    diag input;
    rl_diag_set(&input, "/nowhere/b\xe4" "d.c", 7, "unknown kind 'x\xff" "'");

    std::string path = test_options().work_dir + "/results-test.json";
    diag d;
    ASSERT_EQ(rl_results_write_json(path.c_str(), &one.r, 1, &input, 1, nullptr, &d), 0) << d.text();
    std::string json = read_text(path);
    EXPECT_NE(json.find("\"case\": \"caf\\uFFFD\""), std::string::npos) << json;
    EXPECT_NE(json.find("bad byte \\uFFFD here"), std::string::npos) << json;
    EXPECT_NE(json.find("\"verdict\": \"error\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"errors\": 1"), std::string::npos) << json;
    EXPECT_NE(json.find("\"line\": 7"), std::string::npos) << json;
    EXPECT_NE(json.find("unknown kind 'x\\uFFFD'"), std::string::npos) << json;
    unlink(path.c_str());
}

// Bytes that a loose UTF-8 check lets through and jansson refuses: an
// encoded UTF-16 surrogate (CESU-8), an overlong slash, a code point above
// U+10FFFF. Any of them once made the whole document unwritable.
TEST(Sabotage, BytesJanssonRefusesNeverLoseTheResults)
{
    for (const char *name : {"/x/\xed\xa0\x80surrogate.c", "/x/over\xc0\xaflong.c",
                             "/x/\xf4\x90\x80\x80" "big.c", "/x/\xe0\x80\x80nul3.c"}) {
        std::string tail = std::string(name).substr(std::string(name).size() - 5);
        SCOPED_TRACE(name);
        one_result one(name);
        std::string path = test_options().work_dir + "/results-bytes.json";
        diag d;
        ASSERT_EQ(rl_results_write_json(path.c_str(), &one.r, 1, nullptr, 0, nullptr, &d), 0) << d.text();
        std::string json = read_text(path);
        EXPECT_NE(json.find("\\uFFFD"), std::string::npos) << json;
        // Only the bad bytes are replaced: the rest of the name stays.
        EXPECT_NE(json.find(tail + "\""), std::string::npos) << json;
        EXPECT_NE(json.find("\"verdict\": \"fail\""), std::string::npos) << json;
        unlink(path.c_str());
    }
}

TEST(Results, AnUnwritablePlaceIsAnErrorNamingIt)
{
    one_result one("/x/a.c");
    diag d;
    EXPECT_EQ(rl_results_write_json("/dev/null/dir/r.json", &one.r, 1, nullptr, 0, nullptr, &d), -1);
    EXPECT_STREQ(d.file, "/dev/null/dir/r.json");
    EXPECT_NE(d.text().find("cannot write results"), std::string::npos);
}

} // namespace
