/* case_parse.h: what the case parser (case.c) takes from its helpers:
 * toolchain scopes (case_scope.c) and the guards against lines and code
 * that would hide an expectation or switch a tool off (case_guard.c).
 * (Internal.) */
#ifndef RL_CASE_PARSE_H
#define RL_CASE_PARSE_H

#include "adapter.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The scope between the parentheses of "TOOL(SCOPE):" for the tool a:
 * "clang<15", "gcc", ">=3.20", "clang>=15,<17". On error only the
 * message is set: the caller says where. */
int rl_scope_parse(const rl_adapter *a, const char *s, size_t n, rl_scope *out, rl_diag *diag);

/* A scope of a tool, with the line it is on. */
typedef struct rl_scoped {
    rl_tool_id tool;
    const rl_scope *scope;
    int line;
} rl_scoped;

/* Refuse two versioned scopes of one tool and family that can both apply
 * to one toolchain; what names them ("the lines", "the options"). v is
 * sorted in place. */
int rl_scopes_check_overlaps(rl_scoped *v, size_t n, const char *what, const char *path,
                             rl_diag *diag);

/* Whether the case's unsupported lines cover every toolchain of the tool:
 * each family, every version. unsupported: per set, whether it says so. */
int rl_case_opted_out(const rl_case *c, const int *unsupported, rl_tool_id tool);

/* Check a parsed case's lines as a whole (case_check.c); markers maps
 * each marker's name to its index in c->markers. 0, or -1 and where. */
int rl_case_check(rl_case *c, const char *path, const rl_map *markers, rl_diag *diag);

/* A line that reads as a directive once look-alike and invisible
 * characters are taken for what they look like: -1, and the message. */
int rl_guard_look_alikes(const char *line, rl_diag *diag);
/* Whether the line holds "expect TOOL:" where racelab would not read it
 * ("// Expect ...", "/// expect", inside a block comment). */
int rl_guard_hidden_expectation(const char *line);

#ifdef __cplusplus
}
#endif

#endif
