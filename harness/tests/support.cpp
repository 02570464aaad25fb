#include "support.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

std::string fixture_path(const std::string &relative)
{
    return std::string(RACELAB_FIXTURES) + "/" + relative;
}

std::string read_text(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

int line_containing(const std::string &path, const std::string &needle)
{
    std::ifstream in(path);
    std::string line;
    for (int n = 1; std::getline(in, line); n++)
        if (line.find(needle) != std::string::npos)
            return n;
    return 0;
}

std::vector<std::string> kinds_of(const rl_report_list &reports)
{
    std::vector<std::string> kinds;
    for (size_t i = 0; i < reports.count; i++)
        kinds.push_back(rl_kind_name(reports.items[i].kind));
    return kinds;
}

std::vector<rl_frame> frames_of(const rl_report &r)
{
    std::vector<rl_frame> all;
    for (size_t s = 0; s < r.nstacks; s++)
        for (size_t i = 0; i < r.stacks[s].nframes; i++)
            all.push_back(r.stacks[s].frames[i]);
    return all;
}

rl_tool_id tool_id(const char *name)
{
    rl_tool_id id = -1;
    if (rl_tool_from_name(name, strlen(name), &id) < 0)
        ADD_FAILURE() << "no tool named " << name;
    return id;
}

bool has_frame(const rl_report &r, const std::string &basename, int line)
{
    for (const rl_frame &f : frames_of(r)) {
        if (!f.file || f.line != line)
            continue;
        std::string file = f.file;
        size_t slash = file.rfind('/');
        if ((slash == std::string::npos ? file : file.substr(slash + 1)) == basename)
            return true;
    }
    return false;
}
