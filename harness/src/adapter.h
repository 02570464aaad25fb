/* adapter.h: what the runner needs from each tool. A tool is one adapter:
 * how to build for it, how to run under it, how to read what it wrote and
 * prove that it really ran. (Internal.) */
#ifndef RL_ADAPTER_H
#define RL_ADAPTER_H

#include "util.h"

/* How a child process ended. */
typedef struct rl_outcome {
    int pid;
    int exited, status; /* exited normally with status */
    int signal;         /* killed by this signal (not by racelab) */
    int timed_out;      /* racelab killed it at its time limit */
    int cancelled;      /* racelab killed it because the run was interrupted */
    int lost;           /* its status could not be had (SIGCHLD ignored?) */
    double seconds;
} rl_outcome;

typedef struct rl_adapter {
    rl_tool_id id;
    const char *default_program;
    const char *build_name;         /* builds with equal name and compiler are shared */
    const char *const *build_flags; /* NULL-terminated; -pthread is always added */
    /* The run's time limit is the case's (native) timeout times the
     * factor, plus the tool's start-up allowance: a tool's slowness is
     * partly proportional and partly a fixed cost before main. */
    double timeout_factor, startup_seconds;

    /* Optional: refuse an environment in which the tool would not check
     * (reports switched off). 0, or -1 and why. */
    int (*check_environment)(const rl_tool *tool, rl_buf *why);
    /* The compiler to build with. */
    const char *(*compiler)(const rl_tool *tool);
    /* Optional: refuse a binary the tool cannot work with. 0, or -1 and why. */
    int (*check_binary)(const rl_tool *tool, const char *binary, rl_buf *why);
    /* The command line and environment of the run. */
    void (*command)(const rl_tool *tool, const char *binary, const char *log_dir, rl_strv *argv,
                    rl_strv *env);
    /* Read what the tool wrote into reports and prove it ran; 0, or -1 and
     * why. *log_path names the main log for people to read. */
    int (*collect)(const rl_tool *tool, const char *log_dir, const rl_outcome *o,
                   rl_report_list *reports, char **log_path, rl_buf *why);
} rl_adapter;

const rl_adapter *rl_adapter_for(rl_tool_id id);

extern const rl_adapter rl_tsan_adapter, rl_helgrind_adapter, rl_drd_adapter, rl_native_adapter;

/* The process environment with NAME set to value (replacing any). */
void rl_env_with(rl_strv *env, const char *name, const char *value);

/* Adds the hang report when the run was killed at its time limit. */
void rl_add_hang_report(const rl_outcome *o, rl_report_list *reports);

/* Run argv with a time limit in its own process group, stdout and stderr to
 * files (the same file when the paths are equal), stdin from /dev/null. On
 * timeout or cancel the whole group is killed, and it is killed after a
 * normal exit too, so nothing is left behind. Returns 0 once it ran (see
 * o->lost), -1 with errno when it could not start. */
typedef struct rl_spawn {
    char *const *argv;
    char *const *envp; /* NULL: inherit */
    const char *cwd;
    const char *stdout_path, *stderr_path;
    double timeout;
    const volatile sig_atomic_t *cancel;
} rl_spawn;

int rl_spawn_wait(const rl_spawn *s, rl_outcome *o);

/* Build a case with compiler and flags into bin_dir, reusing an identical
 * earlier build. 0 and *binary, or -1 and why. */
int rl_build(const char *compiler, const char *const *flags, const rl_case *c, const char *bin_dir,
             const char *tag, const char *log_path, const volatile sig_atomic_t *cancel,
             char **binary, double *seconds, rl_buf *why);

#endif
