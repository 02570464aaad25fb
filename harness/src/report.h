/* report.h: building reports and endings (not public). */
#ifndef RL_REPORT_H
#define RL_REPORT_H

#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

void rl_report_init(rl_report *r, rl_kind kind, const char *tool_kind, const char *headline);
rl_report *rl_report_list_add(rl_report_list *list);
/* Move every report of from to the end of to; from is emptied. */
void rl_report_list_move(rl_report_list *to, rl_report_list *from);
rl_stack *rl_report_add_stack(rl_report *r, const char *title, int access);
void rl_stack_add_frame(rl_stack *s, const char *function, const char *file, int line);
void rl_report_clear(rl_report *r);
void rl_ending_set(rl_ending *e, rl_kind kind, int code, int by_tool, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void rl_ending_clear(rl_ending *e);
/* Frames in file from become frames in file to (a recorded run's case
 * file is this copy of the case). */
void rl_move_frames(rl_report_list *reports, const char *from, const char *to);

/* A tool's own names for its reports, mapped onto the vocabulary: a table
 * of rules, read top down, the first that fits wins; it ends with a row
 * whose name is NULL. Each adapter has its table; docs/kinds.md shows them
 * (rl_render_kinds). */
typedef struct rl_kind_rule {
    const char *name; /* the tool's name: a TSan headline, a Valgrind <kind> */
    int prefix;       /* name is a prefix of the tool's (TSan adds detail after it) */
    const char *word; /* and the report's text contains this (NULL: any text) */
    const char *also; /* and this too (NULL: any text) */
    rl_kind kind;
    const char *note; /* for people, or NULL */
} rl_kind_rule;

/* The kind a table gives a tool's name and text (text may be NULL). */
rl_kind rl_kind_lookup(const rl_kind_rule *rules, const char *name, const char *text);

#ifdef __cplusplus
}
#endif

#endif
