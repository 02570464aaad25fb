// support.h: helpers shared by the test files.
#pragma once

#include "racelab.h"

#include <string>
#include <vector>

std::string fixture_path(const std::string &relative);
std::string read_text(const std::string &path);
// The 1-based line of the first line of path containing needle, or 0.
int line_containing(const std::string &path, const std::string &needle);
std::vector<std::string> kinds_of(const rl_report_list &reports);
// Every frame of every stack of a report, in order.
std::vector<rl_frame> frames_of(const rl_report &r);
// A tool of the registry by name (the test fails when there is none).
rl_tool_id tool_id(const char *name);
#define RL_TOOL_TSAN tool_id("tsan")
#define RL_TOOL_HELGRIND tool_id("helgrind")
#define RL_TOOL_DRD tool_id("drd")
#define RL_TOOL_NATIVE tool_id("native")
// Whether some frame of r is at file basename:line.
bool has_frame(const rl_report &r, const std::string &basename, int line);

// The tools and directories the catalogue tests use (set by main).
struct catalogue_options {
    std::vector<std::string> case_dirs;
    std::vector<rl_tool> tools;
    std::string work_dir;
};
const catalogue_options &test_options();
