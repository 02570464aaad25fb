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

/* The row of a Valgrind tool: its name, its kind rules and which element
 * of an error holds the text they read, its own options, and the options
 * racelab forces on it. Valgrind tools are default tools. */
/* The same run in Valgrind's text mode, its output to text_path. */
void rl_valgrind_text_command(const rl_adapter *a, char *const *argv, const char *text_path,
                              rl_strv *out);

#define RL_VALGRIND_ADAPTER(tool_name, kind_rules, kind_text, blind_spots, option_rules, forced) \
    {                                                                                         \
        .name = tool_name, .role = RL_ROLE_VALGRIND, .default_program = "valgrind",           \
        .kinds = kind_rules, .blind = blind_spots,                                            \
        .kinds_doc = "A report's name is the `<kind>` of its XML `<error>`, and its text "    \
                     "that of its " kind_text ".",                                            \
        .env_unset = rl_valgrind_env_unset,                                                   \
        .build_name = "vg", .build_flags = rl_valgrind_flags, .timeout_factor = 10,           \
        .startup_seconds = 2, .options = option_rules, .forced_options = forced,              \
        .shared_options = rl_valgrind_shared_options, .compiler = rl_valgrind_compiler,       \
        .check_options = rl_valgrind_check_options,                                           \
        .check_object = rl_valgrind_check_object, .command = rl_valgrind_command,             \
        .collect = rl_valgrind_collect, .text_command = rl_valgrind_text_command,             \
    }

#ifdef __cplusplus
}
#endif

#endif
