/* tool.c: the tool registry, "TOOL[:PROGRAM]" specs, resolving a tool into
 * its toolchains, and what adapters share.
 *
 * Adding a tool is one adapter file and one row here. */
#define _GNU_SOURCE
#include "adapter.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const rl_adapter *const registry[] = {
    &rl_tsan_adapter,
    &rl_helgrind_adapter,
    &rl_drd_adapter,
    &rl_native_adapter,
};

#define NTOOLS (sizeof registry / sizeof *registry)

size_t rl_tool_count(void)
{
    return NTOOLS;
}

const rl_adapter *rl_adapter_for(rl_tool_id id)
{
    return id >= 0 && (size_t)id < NTOOLS ? registry[id] : NULL;
}

const char *rl_tool_name(rl_tool_id id)
{
    const rl_adapter *a = rl_adapter_for(id);
    return a ? a->name : "?";
}

int rl_tool_from_name(const char *name, size_t len, rl_tool_id *out)
{
    for (size_t i = 0; i < NTOOLS; i++) {
        if (strlen(registry[i]->name) == len && memcmp(registry[i]->name, name, len) == 0) {
            *out = (rl_tool_id)i;
            return 0;
        }
    }
    return -1;
}

static pthread_once_t names_once = PTHREAD_ONCE_INIT;
static char names[256], usage[512];

static void make_names(void)
{
    for (size_t i = 0; i < NTOOLS; i++) {
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                 registry[i]->name);
        snprintf(usage + strlen(usage), sizeof usage - strlen(usage), "%s%s[:%s]",
                 i ? ", " : "", registry[i]->name, registry[i]->program_role);
    }
}

const char *rl_tool_names(void)
{
    pthread_once(&names_once, make_names);
    return names;
}

const char *rl_tool_usage(void)
{
    pthread_once(&names_once, make_names);
    return usage;
}

int rl_tool_parse(const char *spec, rl_tool *out, rl_diag *diag)
{
    memset(out, 0, sizeof *out);
    const char *colon = strchr(spec, ':');
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    if (rl_tool_from_name(spec, n, &out->id) < 0) {
        rl_diag_set(diag, NULL, 0, "unknown tool '%.*s' (tools: %s)", (int)n, spec,
                    rl_tool_names());
        return -1;
    }
    const char *program = colon ? colon + 1 : registry[out->id]->default_program;
    if (!*program) {
        rl_diag_set(diag, NULL, 0, "tool '%s' names an empty program", spec);
        return -1;
    }
    if (strlen(spec) >= sizeof out->spec || strlen(program) >= sizeof out->program) {
        rl_diag_set(diag, NULL, 0, "tool '%.40s...' is too long", spec);
        return -1;
    }
    snprintf(out->spec, sizeof out->spec, "%s", colon ? spec : registry[out->id]->name);
    snprintf(out->program, sizeof out->program, "%s", program);
    return 0;
}

void rl_tool_resolve(rl_tool *tool)
{
    if (tool->resolved)
        return;
    tool->resolved = 1;
    const rl_adapter *a = rl_adapter_for(tool->id);
    rl_buf why = {0};
    const char *compiler = a->compiler(tool);
    int same = strcmp(compiler, tool->program) == 0;
    /* Only a compiler has build flags; a valgrind's identity is its own. */
    int rc = rl_toolchain_probe(tool->program, same ? a->build_flags : NULL, &tool->toolchain,
                                &why);
    if (rc == 0 && same)
        tool->compiler = tool->toolchain;
    else if (rc == 0)
        rc = rl_toolchain_probe(compiler, a->build_flags, &tool->compiler, &why);
    if (rc < 0)
        snprintf(tool->error, sizeof tool->error, "%s", why.data ? why.data : "unknown error");
    rl_buf_free(&why);
}

size_t rl_default_tools(const rl_case *c, rl_tool *tools)
{
    size_t n = 0;
    for (size_t id = 0; id < NTOOLS; id++)
        if (registry[id]->always || rl_case_declares(c, (rl_tool_id)id))
            rl_tool_parse(registry[id]->name, &tools[n++], NULL);
    return n;
}

void rl_ending_from_outcome(const rl_outcome *o, rl_ending *e)
{
    if (o->timed_out)
        rl_ending_set(e, RL_KIND_HANG, 0, 0, "no exit within %.1f s: killed", o->seconds);
    else if (o->exited)
        rl_ending_set(e, RL_KIND_EXIT, o->status, 0, "exit %d", o->status);
    else if (o->signal) {
        const char *name = rl_signal_name(o->signal);
        rl_ending_set(e, RL_KIND_SIGNAL, o->signal, 0, "killed by signal %d (%s)", o->signal,
                      name ? name : "?");
    }
}

int rl_check_option_words(char *const *words, size_t n, const rl_option_rule *rules,
                          const char *what, rl_buf *why)
{
    for (size_t i = 0; i < n; i++) {
        const char *w = words[i];
        size_t klen = strcspn(w, "=");
        const char *value = w[klen] ? w + klen + 1 : NULL;
        const rl_option_rule *r = rules;
        while (r->name && !(strlen(r->name) == klen && strncmp(r->name, w, klen) == 0))
            r++;
        if (!r->name) {
            rl_buf_printf(why, "%s '%.*s' is not one racelab accepts (docs/case-format.md lists them)",
                          what, (int)klen, w);
            return -1;
        }
        if (r->why) {
            rl_buf_printf(why, "%s '%s' is refused: %s", what, w, r->why);
            return -1;
        }
        if (!value || !*value) {
            rl_buf_printf(why, "%s '%s' needs a value: write %.*s=VALUE", what, w, (int)klen, w);
            return -1;
        }
        int ok = 1;
        if (!r->values)
            ok = 1;
        else if (strcmp(r->values, "int") == 0) {
            char *end;
            errno = 0;
            long v = strtol(value, &end, 10);
            ok = !*end && !errno && v >= 0 && v <= 1000000000L;
        } else {
            ok = 0;
            for (const char *p = r->values; *p && !ok;) {
                size_t len = strcspn(p, "|");
                ok = strlen(value) == len && strncmp(p, value, len) == 0;
                p += len + (p[len] == '|');
            }
        }
        if (!ok) {
            rl_buf_printf(why, "%s '%s': the value must be %s", what, w,
                          strcmp(r->values, "int") == 0 ? "a whole number" : r->values);
            return -1;
        }
    }
    return 0;
}

static const struct {
    int signo;
    const char *name;
} signals[] = {
    {SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"}, {SIGILL, "SIGILL"},
    {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},
    {SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"}, {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
    {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"}, {SIGCHLD, "SIGCHLD"},
    {SIGCONT, "SIGCONT"}, {SIGSTOP, "SIGSTOP"}, {SIGTSTP, "SIGTSTP"}, {SIGTTIN, "SIGTTIN"},
    {SIGTTOU, "SIGTTOU"}, {SIGURG, "SIGURG"},   {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"},
    {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"}, {SIGWINCH, "SIGWINCH"}, {SIGIO, "SIGIO"},
    {SIGPWR, "SIGPWR"},   {SIGSYS, "SIGSYS"},
};

const char *rl_signal_name(int signo)
{
    for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
        if (signals[i].signo == signo)
            return signals[i].name;
    return NULL;
}

int rl_signal_from_name(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
        if (strlen(signals[i].name) == len && memcmp(signals[i].name, name, len) == 0)
            return signals[i].signo;
    return -1;
}
