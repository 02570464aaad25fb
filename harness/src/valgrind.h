/* valgrind.h: what Valgrind's thread tools share (valgrind.c). A Valgrind
 * tool is an adapter file (tool_helgrind.c, tool_drd.c) with its kind rules
 * and options, whose row uses these. (Internal.) */
#ifndef RL_VALGRIND_H
#define RL_VALGRIND_H

#include "adapter.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const char *const rl_valgrind_flags[];     /* the build: -g -O0 */
extern const char *const rl_valgrind_env_unset[]; /* VALGRIND_LIB */
extern const rl_option_rule rl_valgrind_shared_options[];

const char *rl_valgrind_compiler(const rl_adapter *a, const rl_tool *tool);
/* The tool's own options (a->options) and those every valgrind tool takes. */
int rl_valgrind_check_options(const rl_adapter *a, char *const *words, size_t n, rl_diag *diag);
int rl_valgrind_check_object(const rl_adapter *a, const rl_tool *tool, const char *object,
                             rl_diag *diag);
void rl_valgrind_command(const rl_adapter *a, const rl_tool *tool, const rl_case *c,
                         const rl_options *options, const char *binary, const char *log_dir,
                         rl_strv *argv, rl_env *env);
int rl_valgrind_collect(const rl_adapter *a, const rl_tool *tool, char *const *argv,
                        const char *log_dir, const rl_outcome *o, rl_report_list *reports,
                        rl_ending *ending, char **log_path, rl_diag *diag);

/* The row of a Valgrind tool: its name, whether it runs by default, its
 * kind rules and which element of an error holds the text they read, and
 * its own options. */
#define RL_VALGRIND_ADAPTER(tool_name, by_default, kind_rules, kind_text, option_rules, forced) \
    {                                                                                         \
        .name = tool_name, .role = RL_ROLE_VALGRIND, .default_program = "valgrind",           \
        .always = by_default, .kinds = kind_rules,                                            \
        .kinds_doc = "A report's name is the `<kind>` of its XML `<error>`, and its text "    \
                     "that of its " kind_text ".",                                            \
        .env_unset = rl_valgrind_env_unset,                                                   \
        .build_name = "vg", .build_flags = rl_valgrind_flags, .timeout_factor = 10,           \
        .startup_seconds = 2, .options = option_rules, .forced_options = forced,              \
        .shared_options = rl_valgrind_shared_options, .compiler = rl_valgrind_compiler,       \
        .check_options = rl_valgrind_check_options,                                           \
        .check_object = rl_valgrind_check_object, .command = rl_valgrind_command,             \
        .collect = rl_valgrind_collect,                                                       \
    }

#ifdef __cplusplus
}
#endif

#endif
