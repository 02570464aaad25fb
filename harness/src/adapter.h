/* adapter.h: what the runner needs from each tool. A tool is one adapter
 * file plus one row of the registry in tool.c: how to build for it, how to
 * run under it, how to read what it wrote and prove that it really ran,
 * and every fact of the tool (the names of its reports, what a case may
 * ask of it, the environment it must not inherit). (Internal.) */
#ifndef RL_ADAPTER_H
#define RL_ADAPTER_H

#include "proc.h"
#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the PROGRAM of TOOL[:PROGRAM] is. */
typedef enum rl_role {
    RL_ROLE_COMPILER, /* a compiler: it builds the case, and its family scopes lines */
    RL_ROLE_VALGRIND, /* a valgrind: it runs the case, built by cc */
} rl_role;

/* Options lines: check words against a table of accepted options. */
typedef struct rl_option_rule {
    const char *name;   /* "--exclusive-threshold" or "history_size" */
    const char *values; /* NULL: any; "int": a number; else '|'-separated accepted values */
    const char *why;    /* when given, the option is refused and this says why */
} rl_option_rule;

/* A kind the tool never reports, and why (docs/kinds.md's coverage table). */
typedef struct rl_blind_spot {
    rl_kind kind;
    const char *why; /* NULL ends a table */
} rl_blind_spot;

typedef struct rl_adapter {
    const char *name;            /* "tsan" */
    rl_role role;
    const char *default_program; /* "clang" */
    /* The programs it runs with by default beside default_program, each a
     * default tool of its own ("gcc": tsan:gcc); NULL-terminated, or NULL. */
    const char *const *more_default_programs;
    /* How the tool's reports map onto the vocabulary; NULL for a tool that
     * reports nothing, whose lines may only say how the program ended. */
    const rl_kind_rule *kinds;
    const char *kinds_doc; /* what the rules match, for docs/kinds.md */
    /* The kinds it never reports, each with why: every other kind is
     * expected of it by some case of the catalogue (a test checks). */
    const rl_blind_spot *blind;
    /* Names removed from the environment of its runs, beyond those every
     * run loses (LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH); NULL-terminated. */
    const char *const *env_unset;
    const char *build_name;      /* builds with equal name and compiler are shared */
    const char *const *build_flags; /* NULL-terminated; -pthread is always added */
    /* The run's time limit is the case's (native) timeout times the
     * factor, plus the tool's start-up allowance: a tool's slowness is
     * partly proportional and partly a fixed cost before main. */
    double timeout_factor, startup_seconds;

    /* The options a case may give it (// options TOOL: ...), and which are
     * refused and why; NULL when it takes none. */
    const rl_option_rule *options;
    const rl_option_rule *shared_options; /* taken too, shared with other tools; or NULL */
    /* Options racelab gives the tool after the case's, where the tool's
     * own default would let it forget accesses; NULL-terminated, or NULL. */
    const char *const *forced_options;

    /* Each callback gets its own adapter row first, so that tools that
     * share code (Helgrind and DRD) tell themselves apart by it. */

    /* The compiler to build with: the tool's program, or another. */
    const char *(*compiler)(const struct rl_adapter *a, const rl_tool *tool);
    /* Optional: refuse an environment in which the tool would not check
     * (reports switched off). */
    int (*check_environment)(const struct rl_adapter *a, const rl_tool *tool, rl_diag *diag);
    /* Optional (needs options): refuse a case's options line. */
    int (*check_options)(const struct rl_adapter *a, char *const *words, size_t n, rl_diag *diag);
    /* Optional: prove the toolchain does its job; once for each identity
     * of its compiler in a work directory (run.c keeps the proof). */
    int (*check_toolchain)(const struct rl_adapter *a, const rl_tool *tool, rl_diag *diag);
    /* Optional: audit a fresh build with the compiler that made it (the
     * compile command, and the object it wrote); a build refused here is
     * never kept. */
    int (*check_build)(const struct rl_adapter *a, const rl_tool *tool, char *const *compile_argv,
                       const char *object, rl_diag *diag);
    /* Optional: refuse an object or binary the tool cannot check. */
    int (*check_object)(const struct rl_adapter *a, const rl_tool *tool, const char *object,
                        rl_diag *diag);
    int (*check_binary)(const struct rl_adapter *a, const rl_tool *tool, const char *binary,
                        rl_diag *diag);
    /* The command line and environment of the run. */
    void (*command)(const struct rl_adapter *a, const rl_tool *tool, const rl_case *c,
                    const rl_options *options, const char *binary, const char *log_dir,
                    rl_strv *argv, rl_env *env);
    /* Read what the tool wrote into reports and the program's ending, and
     * prove the tool ran; 0, or -1 and why. *log_path names the main log
     * for people to read. argv is what command gave. */
    int (*collect)(const struct rl_adapter *a, const rl_tool *tool, char *const *argv,
                   const char *log_dir, const rl_outcome *o, rl_report_list *reports,
                   rl_ending *ending, char **log_path, rl_diag *diag);
    /* Optional: for a tool whose log is for machines (Valgrind's XML mode
     * writes no text), the command of a second run whose output a person
     * reads (racelab show): from the run's argv, with the text to
     * text_path. */
    void (*text_command)(const struct rl_adapter *a, char *const *argv, const char *text_path,
                         rl_strv *out);
} rl_adapter;

/* The registry (tool.c). */
const rl_adapter *rl_adapter_for(rl_tool_id id);

/* Helpers adapters share (adapter.c). */

/* The ending of a run that ended without a tool's say: exit, signal or hang. */
void rl_ending_from_outcome(const rl_outcome *o, rl_ending *e);

/* Check "name=value" words against rules. 0, or -1 and why. */
int rl_check_option_words(char *const *words, size_t n, const rl_option_rule *rules,
                          const char *what, rl_diag *diag);

/* Whether the object calls (leaves undefined) one of names. */
int rl_object_calls_one_of(const char *object, const char *const *names, int *found,
                           rl_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
