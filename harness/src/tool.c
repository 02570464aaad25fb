/* tool.c: tool names, "TOOL[:PROGRAM]" specs and the adapter registry. */
#define _GNU_SOURCE
#include "adapter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static const rl_adapter *const adapters[RL_TOOL_COUNT] = {
    [RL_TOOL_TSAN] = &rl_tsan_adapter,
    [RL_TOOL_HELGRIND] = &rl_helgrind_adapter,
    [RL_TOOL_DRD] = &rl_drd_adapter,
    [RL_TOOL_NATIVE] = &rl_native_adapter,
};

static const char *const tool_names[RL_TOOL_COUNT] = {
    [RL_TOOL_TSAN] = "tsan",
    [RL_TOOL_HELGRIND] = "helgrind",
    [RL_TOOL_DRD] = "drd",
    [RL_TOOL_NATIVE] = "native",
};

const rl_adapter *rl_adapter_for(rl_tool_id id)
{
    return id < RL_TOOL_COUNT ? adapters[id] : NULL;
}

const char *rl_tool_name(rl_tool_id id)
{
    return id < RL_TOOL_COUNT ? tool_names[id] : "?";
}

int rl_tool_from_name(const char *name, size_t len, rl_tool_id *out)
{
    for (int i = 0; i < RL_TOOL_COUNT; i++) {
        if (strlen(tool_names[i]) == len && memcmp(tool_names[i], name, len) == 0) {
            *out = (rl_tool_id)i;
            return 0;
        }
    }
    return -1;
}

int rl_tool_parse(const char *spec, rl_tool *out, rl_diag *diag)
{
    memset(out, 0, sizeof *out);
    const char *colon = strchr(spec, ':');
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    if (rl_tool_from_name(spec, n, &out->id) < 0) {
        rl_diag_set(diag, NULL, 0, "unknown tool '%.*s' (tools: tsan, helgrind, drd, native)",
                    (int)n, spec);
        return -1;
    }
    const char *program = colon ? colon + 1 : adapters[out->id]->default_program;
    if (!*program) {
        rl_diag_set(diag, NULL, 0, "tool '%s' names an empty program", spec);
        return -1;
    }
    if (strlen(spec) >= sizeof out->spec || strlen(program) >= sizeof out->program) {
        rl_diag_set(diag, NULL, 0, "tool '%.40s...' is too long", spec);
        return -1;
    }
    snprintf(out->spec, sizeof out->spec, "%s", colon ? spec : tool_names[out->id]);
    snprintf(out->program, sizeof out->program, "%s", program);
    return 0;
}

size_t rl_default_tools(const rl_case *c, rl_tool tools[RL_TOOL_COUNT])
{
    size_t n = 0;
    for (int id = 0; id < RL_TOOL_COUNT; id++) {
        int always = id == RL_TOOL_TSAN || id == RL_TOOL_HELGRIND;
        if (always || rl_case_declares(c, (rl_tool_id)id))
            rl_tool_parse(tool_names[id], &tools[n++], NULL);
    }
    return n;
}

void rl_env_with(rl_strv *env, const char *name, const char *value)
{
    size_t n = strlen(name);
    for (char **e = environ; *e; e++)
        if (!(strncmp(*e, name, n) == 0 && (*e)[n] == '='))
            rl_strv_push(env, *e);
    rl_strv_pushf(env, "%s=%s", name, value);
}

void rl_add_hang_report(const rl_outcome *o, rl_report_list *reports)
{
    if (!o->timed_out)
        return;
    rl_report *r = rl_report_list_add(reports);
    char *h = rl_xasprintf("no exit within %.1f s: killed", o->seconds);
    rl_report_init(r, RL_KIND_HANG, "timeout", h);
    free(h);
}
