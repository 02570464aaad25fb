/* tool_native.c: the case built normally and run bare. Its one "report" is
 * how it ended: exit N, a signal, or a hang. */
#define _GNU_SOURCE
#include "adapter.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const native_flags[] = {"-O2", NULL};

static const char *native_compiler(const rl_tool *tool)
{
    return tool->program;
}

static void native_command(const rl_tool *tool, const char *binary, const char *log_dir,
                           rl_strv *argv, rl_strv *env)
{
    (void)tool, (void)log_dir, (void)env;
    rl_strv_push(argv, binary);
}

static int native_collect(const rl_tool *tool, const char *log_dir, const rl_outcome *o,
                          rl_report_list *reports, char **log_path, rl_buf *why)
{
    (void)tool, (void)why;
    *log_path = rl_xasprintf("%s/stderr.txt", log_dir);
    if (o->timed_out) {
        rl_add_hang_report(o, reports);
        return 0;
    }
    rl_report *r = rl_report_list_add(reports);
    char *h;
    if (o->exited) {
        h = rl_xasprintf("exit %d", o->status);
        rl_report_init(r, RL_KIND_EXIT, "exit", h);
        r->code = o->status;
    } else {
        h = rl_xasprintf("killed by signal %d (%s)", o->signal, strsignal(o->signal));
        rl_report_init(r, RL_KIND_SIGNAL, "signal", h);
        r->code = o->signal;
    }
    free(h);
    return 0;
}

const rl_adapter rl_native_adapter = {
    .id = RL_TOOL_NATIVE,
    .default_program = "cc",
    .build_name = "native",
    .build_flags = native_flags,
    .timeout_factor = 1,
    .compiler = native_compiler,
    .command = native_command,
    .collect = native_collect,
};
