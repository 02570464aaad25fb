/* proc.h: running a program with a time limit under a supervisor that
 * leaves nothing behind, and the environment it gets (not public). */
#ifndef RL_PROC_H
#define RL_PROC_H

#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What happened to one file of the log directory while the run went on. */
typedef struct rl_file_events {
    char *name;
    int created, opened, deleted;
} rl_file_events;

/* How a child process ended, and what it left. */
typedef struct rl_outcome {
    int pid;
    int exited, status; /* exited normally with status */
    int signal;         /* killed by this signal (not by racelab) */
    int timed_out;      /* racelab killed it at its time limit */
    int cancelled;      /* racelab killed it because the run was interrupted */
    int lost;           /* its supervisor vanished: nothing is known */
    double seconds;
    int strays;         /* processes still alive when it ended; all were killed */
    int unkillable;     /* processes that would not die within seconds */
    unsigned long long out_bytes, err_bytes; /* written to stdout and stderr */
    size_t out_cap;     /* how much of each was kept */
    int watched;        /* the log directory was watched: files is complete */
    rl_file_events *files;
    size_t nfiles;
} rl_outcome;

void rl_outcome_clear(rl_outcome *o);
/* The events of a file, or NULL when nothing happened to it. */
const rl_file_events *rl_outcome_file(const rl_outcome *o, const char *name);

/* Run argv in a fresh process group under a supervisor process, which:
 * kills the group and every descendant left (it is their subreaper) once
 * the program ends, at the time limit or when cancelled; kills them too if
 * racelab itself dies; keeps at most out_cap bytes of each of stdout and
 * stderr; limits the files the program writes to RL_FILE_LIMIT bytes.
 * stdin is /dev/null. Returns 0 once it ran, -1 and why when it could not
 * start (the program not found, exec refused). */
typedef struct rl_spawn {
    char *const *argv; /* argv[0] is found on PATH when it has no slash */
    char *const *envp; /* NULL: inherit */
    const char *cwd;
    const char *stdout_path, *stderr_path; /* the same path: one file for both */
    size_t out_cap;                        /* 0: RL_OUTPUT_CAP */
    const char *watch_dir;                 /* note what happens to its files, or NULL */
    double timeout;
    const volatile sig_atomic_t *cancel;
} rl_spawn;

#define RL_OUTPUT_CAP ((size_t)8 << 20)
#define RL_FILE_LIMIT ((unsigned long long)64 << 20)

int rl_spawn_wait(const rl_spawn *s, rl_outcome *o, rl_diag *diag);

/* Run argv (output to a temporary file) and hand back its stdout and
 * stderr together, and its exit status (128 + N when killed by signal N).
 * envp: NULL to inherit. */
int rl_run_capture(char *const *argv, char *const *envp, double timeout, int *status,
                   char **output, rl_diag *diag);

/* The supervisor's side (supervisor.c): everything it needs, made ready
 * before the fork, for it may only make system calls. */
typedef struct rl_sup_args {
    const char *path;
    char *const *argv, *const *envp;
    const char *cwd;
    int devnull, out_file, err_file; /* err_file == out_file: one file */
    int out_r, out_w, err_r, err_w;  /* err_r < 0: stderr goes to the stdout pipe */
    int ctl_r, rep_w;
    unsigned long long cap;
    long long timeout_ns;
} rl_sup_args;

/* What the supervisor tells racelab; one write, smaller than PIPE_BUF. */
typedef struct rl_sup_report {
    int magic;
    int exec_errno; /* exec failed with this */
    int pid;
    int exited, status, signal, timed_out, cancelled;
    int strays, unkillable;
    long long nanoseconds;
    unsigned long long out_bytes, err_bytes;
} rl_sup_report;

#define RL_SUP_MAGIC 0x726c6162

void rl_supervise(const rl_sup_args *a) __attribute__((noreturn));

/* The environment a run gets: the process's own, less what racelab
 * removes, plus what it sets. */
typedef struct rl_env {
    rl_strv set;   /* NAME=VALUE */
    rl_strv unset; /* NAME */
} rl_env;

void rl_env_set(rl_env *e, const char *name, const char *value);
void rl_env_unset(rl_env *e, const char *name);
char **rl_env_build(const rl_env *e); /* a full envp, to free with rl_strv_free */
void rl_env_clear(rl_env *e);

/* The environment a run had (rl_command: the process's own less what racelab
 * removed plus what it set, or exactly env_set for env_only), to run its
 * command again. To rl_strv_free. */
char **rl_command_env(const rl_command *cmd);

/* The environment every compiler runs in: PATH, HOME, TMPDIR (tmpdir when
 * not NULL) and LC_ALL=C, nothing else (env.c says why). To rl_strv_free. */
extern const char *const rl_compiler_env_kept[];
char **rl_compiler_env(const char *tmpdir);

#ifdef __cplusplus
}
#endif

#endif
