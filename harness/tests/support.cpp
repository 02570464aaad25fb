#include "support.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

tool::tool(const std::string &spec) : rl_tool{}
{
    diag d;
    if (rl_tool_parse(spec.c_str(), this, &d) < 0)
        ADD_FAILURE() << spec << ": " << d.text();
}

std::string take(char *s)
{
    std::string copy = s ? s : "";
    free(s);
    return copy;
}

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

rl_toolchain chain(const char *family, const char *version)
{
    rl_toolchain t{};
    snprintf(t.family, sizeof t.family, "%s", family);
    snprintf(t.version, sizeof t.version, "%s", version);
    sscanf(version, "%d.%d.%d", &t.numbers[0], &t.numbers[1], &t.numbers[2]);
    return t;
}

static catalogue_options options;

const catalogue_options &test_options()
{
    return options;
}

catalogue_options &test_options_to_set()
{
    return options;
}

std::string work_dir()
{
    const testing::TestInfo *t = testing::UnitTest::GetInstance()->current_test_info();
    std::string dir = test_options().work_dir + "/tests/" + t->test_suite_name() + "." + t->name();
    // Fresh for each test: an earlier run's builds must not decide this one.
    static std::string emptied;
    if (emptied != dir) {
        emptied = dir;
        std::string cmd = "rm -rf " + shell_quote(dir);
        if (std::system(cmd.c_str()) != 0)
            ADD_FAILURE() << "cannot empty " << dir;
    }
    return dir;
}

std::string standin(const std::string &name)
{
    std::string dir = work_dir() + "/standins", to = dir + "/" + name;
    std::string cmd = "mkdir -p " + shell_quote(dir) + " && cp " + shell_quote(fixture_path("standins/" + name)) +
                      " " + shell_quote(to);
    if (std::system(cmd.c_str()) != 0)
        ADD_FAILURE() << "cannot copy the stand-in " << name;
    return to;
}

job::job(const std::string &case_file, const std::string &tool_spec,
         const volatile sig_atomic_t *cancel, int rebuild)
{
    diag d;
    std::string path = case_file[0] == '/' ? case_file : fixture_path(case_file);
    if (rl_case_load(path.c_str(), &c, &d) < 0) {
        ADD_FAILURE() << d.formatted();
        return;
    }
    if (rl_tool_parse(tool_spec.c_str(), &t, &d) < 0) {
        ADD_FAILURE() << d.text();
        return;
    }
    std::string work = work_dir();
    rl_config cfg = RL_CONFIG_INIT;
    cfg.work_dir = work.c_str();
    cfg.jobs = 1;
    cfg.cancel = cancel;
    cfg.rebuild = rebuild;
    rl_run_job(&cfg, c, &t, &r);
}

job::~job()
{
    rl_result_clear(&r);
    rl_tool_clear(&t);
    rl_case_free(c);
}

std::string job::notes() const
{
    std::string all;
    for (char **n = r.notes; n && *n; n++)
        all += std::string(*n) + "\n";
    return all;
}

std::vector<int> processes_mentioning(const std::string &needle)
{
    std::vector<int> found;
    DIR *d = opendir("/proc");
    while (dirent *e = d ? readdir(d) : nullptr) {
        int pid = atoi(e->d_name);
        if (pid <= 0 || pid == getpid())
            continue;
        std::string proc = "/proc/" + std::string(e->d_name);
        std::string cmdline = read_text(proc + "/cmdline");
        std::string stat = read_text(proc + "/stat");
        size_t close = stat.rfind(')');
        bool zombie = close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
        if (!zombie && cmdline.find(needle) != std::string::npos)
            found.push_back(pid);
    }
    if (d)
        closedir(d);
    return found;
}

scoped_env::scoped_env(const char *name) : name_(name)
{
    const char *v = getenv(name);
    had_ = v != nullptr;
    old_ = v ? v : "";
}

void scoped_env::set(const std::string &value)
{
    setenv(name_, value.c_str(), 1);
}

scoped_env::~scoped_env()
{
    if (had_)
        setenv(name_, old_.c_str(), 1);
    else
        unsetenv(name_);
}

std::string shell_quote(const std::string &s)
{
    std::string q = "'";
    for (char ch : s)
        q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return q + "'";
}

int run_racelab(const std::string &args)
{
    std::string cmd = shell_quote(RACELAB_BINARY) + " " + args + " >/dev/null 2>&1";
    int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void write_text(const std::string &path, const std::string &text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
        ADD_FAILURE() << "cannot write " << path;
}

bool contains(const std::string &s, const std::string &part)
{
    return s.find(part) != std::string::npos;
}

int racelab(const std::string &args, std::string *out)
{
    std::string file = work_dir() + "/racelab.out";
    std::system(("mkdir -p " + shell_quote(work_dir())).c_str());
    std::string cmd = shell_quote(RACELAB_BINARY) + " " + args + " >" + shell_quote(file) + " 2>&1";
    int status = std::system(cmd.c_str());
    if (out)
        *out = read_text(file);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
