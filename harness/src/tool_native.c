/* tool_native.c: the case built normally and run bare. It reports nothing;
 * what it says is how the program ended: exit N, a signal, or a hang. */
#define _GNU_SOURCE
#include "adapter.h"

#include <stdlib.h>

static const char *const native_flags[] = {"-O2", NULL};

static const char *native_compiler(const rl_adapter *a, const rl_tool *tool)
{
    (void)a;
    return tool->program;
}

static void native_command(const rl_adapter *a, const rl_tool *tool, const rl_case *c,
                           const rl_options *options, const char *binary, const char *log_dir,
                           rl_strv *argv, rl_env *env)
{
    (void)a, (void)tool, (void)options, (void)log_dir, (void)env;
    rl_strv_push(argv, binary);
    for (size_t i = 0; i < c->nargs; i++)
        rl_strv_push(argv, c->args[i]);
}

static int native_collect(const rl_adapter *a, const rl_tool *tool, char *const *argv,
                          const char *log_dir, const rl_outcome *o, rl_report_list *reports,
                          rl_ending *ending, char **log_path, rl_diag *diag)
{
    (void)a, (void)tool, (void)argv, (void)reports, (void)diag;
    *log_path = rl_xasprintf("%s/stderr.txt", log_dir);
    rl_ending_from_outcome(o, ending);
    return 0;
}

const rl_adapter rl_native_adapter = {
    .name = "native",
    .role = RL_ROLE_COMPILER,
    .default_program = "cc",
    .kinds = NULL, /* it reports nothing: its lines say how the program ended */
    .build_name = "native",
    .build_flags = native_flags,
    .timeout_factor = 1,
    .compiler = native_compiler,
    .command = native_command,
    .collect = native_collect,
};
