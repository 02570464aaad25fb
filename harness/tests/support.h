// support.h: helpers shared by the test files.
#pragma once

#include "racelab.h"
#include "render.h"

#include <csignal>
#include <string>
#include <vector>

// An rl_diag that frees itself.
struct diag : rl_diag {
    diag() : rl_diag RL_DIAG_INIT {}
    ~diag() { rl_diag_clear(this); }
    diag(const diag &) = delete;
    diag &operator=(const diag &) = delete;
    std::string text() const { return rl_diag_message(this); }
    std::string formatted() const
    {
        char *f = rl_diag_format(this);
        std::string s = f;
        free(f);
        return s;
    }
};

// An rl_tool parsed from a spec, that frees itself (the test fails when
// the spec is bad).
struct tool : rl_tool {
    explicit tool(const std::string &spec);
    ~tool() { rl_tool_clear(this); }
    tool(const tool &) = delete;
    tool &operator=(const tool &) = delete;
};

// An owned C string as a std::string.
std::string take(char *s);

std::string fixture_path(const std::string &relative);
std::string read_text(const std::string &path);
void write_text(const std::string &path, const std::string &text);
// The 1-based line of the first line of path containing needle, or 0.
int line_containing(const std::string &path, const std::string &needle);
std::vector<std::string> kinds_of(const rl_report_list &reports);
// Every frame of every stack of a report, in order.
std::vector<rl_frame> frames_of(const rl_report &r);
// Whether some frame of r is at file basename:line.
bool has_frame(const rl_report &r, const std::string &basename, int line);
// A tool of the registry by name (the test fails when there is none).
rl_tool_id tool_id(const char *name);
#define RL_TOOL_TSAN tool_id("tsan")
#define RL_TOOL_HELGRIND tool_id("helgrind")
#define RL_TOOL_DRD tool_id("drd")
#define RL_TOOL_NATIVE tool_id("native")

// A toolchain as the tool would report it: chain("clang", "14.0.6").
rl_toolchain chain(const char *family, const char *version);

// The tools and directories the catalogue tests use (set by main).
struct catalogue_options {
    std::vector<std::string> case_dirs;
    std::vector<std::string> tools;
    std::string work_dir;
};
const catalogue_options &test_options();
catalogue_options &test_options_to_set(); // for main, which reads its arguments

// A work directory of the running test's own: ctest runs tests side by
// side, and the checks for processes left behind look for it in command
// lines.
std::string work_dir();

// A copy of a stand-in program of fixtures/standins in the test's work
// directory, where the test may put the NAME.conf file it reads.
std::string standin(const std::string &name);

// One (case, tool) job of a fixture case ("cases/x.c", "sabotage/y.c"), or
// of a case at an absolute path.
struct job {
    rl_case *c = nullptr;
    rl_tool t{};
    rl_result r{};
    job(const std::string &case_file, const std::string &tool_spec,
        const volatile sig_atomic_t *cancel = nullptr, int rebuild = 0);
    ~job();
    job(const job &) = delete;
    job &operator=(const job &) = delete;
    std::string verdict() const { return rl_verdict_name(r.verdict); }
    std::string message() const { return take(rl_render_problem(&r)); }
    std::string notes() const;
};

#define EXPECT_VERDICT(j, v) EXPECT_EQ((j).verdict(), v) << (j).message()

// Processes whose command line mentions needle, other than this one.
std::vector<int> processes_mentioning(const std::string &needle);

// Sets an environment variable for a scope, then puts it back.
class scoped_env {
  public:
    explicit scoped_env(const char *name);
    void set(const std::string &value);
    ~scoped_env();

  private:
    const char *name_;
    bool had_;
    std::string old_;
};

// Whether part is in s.
bool contains(const std::string &s, const std::string &part);
// Run racelab with arguments (quoted by the caller) through the shell, its
// stdout and stderr to a file of the test's work directory; its exit
// status (-1 when it did not exit), and its output in *out.
int racelab(const std::string &args, std::string *out = nullptr);
// Runs the racelab command through the shell with its output discarded;
// its exit status, or -1 when it did not exit.
int run_racelab(const std::string &args);
// Quote for the shell.
std::string shell_quote(const std::string &s);
