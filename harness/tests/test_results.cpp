// The JSON results: everything written, whatever bytes the names hold.
#include "support.h"

#include <gtest/gtest.h>

#include <cstring>
#include <unistd.h>

namespace {

TEST(Results, WritesEveryResultAndInputErrorEvenWithoutUtf8)
{
    const char text[] = "// expect tsan: clean\n";
    rl_case *c;
    rl_diag d;
    ASSERT_EQ(rl_case_parse("/nowhere/caf\xe9.c", text, strlen(text), &c, &d), 0);
    rl_result r{};
    r.rcase = c;
    ASSERT_EQ(rl_tool_parse("tsan", &r.tool, &d), 0);
    r.verdict = RL_FAIL;
    r.message = strdup("bad byte \xff here");
    rl_diag input{};
    rl_diag_set(&input, "/nowhere/b\xe4" "d.c", 7, "unknown kind 'x\xff" "'");

    std::string path = test_options().work_dir + "/results-test.json";
    ASSERT_EQ(rl_results_write_json(path.c_str(), &r, 1, &input, 1, &d), 0) << d.message;
    std::string json = read_text(path);
    EXPECT_NE(json.find("\"case\": \"caf\\uFFFD\""), std::string::npos) << json;
    EXPECT_NE(json.find("bad byte \\uFFFD here"), std::string::npos) << json;
    EXPECT_NE(json.find("\"verdict\": \"fail\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"failed\": 1"), std::string::npos) << json;
    EXPECT_NE(json.find("\"line\": 7"), std::string::npos) << json;
    EXPECT_NE(json.find("unknown kind 'x\\uFFFD'"), std::string::npos) << json;

    EXPECT_EQ(rl_results_write_json("/nonexistent/dir/r.json", &r, 1, nullptr, 0, &d), -1);
    EXPECT_STREQ(d.file, "/nonexistent/dir/r.json");
    rl_result_clear(&r);
    rl_case_free(c);
    unlink(path.c_str());
}

} // namespace
