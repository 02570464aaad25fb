/* adapter.h: what the runner needs from each tool. A tool is one adapter
 * file plus one row of the registry in tool.c: how to build for it, how to
 * run under it, how to read what it wrote and prove that it really ran.
 * (Internal.) */
#ifndef RL_ADAPTER_H
#define RL_ADAPTER_H

#include "util.h"

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
 * stdin is /dev/null. Returns 0 once it ran, -1 with errno when it could
 * not start (errno from exec: ENOENT, EACCES, ...). */
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
#define RL_FILE_LIMIT ((unsigned long long)RL_READ_LIMIT)

int rl_spawn_wait(const rl_spawn *s, rl_outcome *o);

/* Run argv (output to a temporary file) and hand back its stdout and
 * stderr together, and its exit status (128 + N when killed by signal N). */
int rl_run_capture(char *const *argv, double timeout, int *status, char **output, rl_buf *why);

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

typedef struct rl_adapter {
    const char *name;            /* "tsan" */
    const char *program_role;    /* "COMPILER" or "VALGRIND", for the usage text */
    const char *default_program; /* "clang" */
    int always;                  /* runs by default, even for a case without its lines */
    /* The toolchain families a scope may name, NULL-terminated; the first
     * is implied by a scope that names only versions when it is the only one. */
    const char *const *families;
    const char *build_name;      /* builds with equal name and compiler are shared */
    const char *const *build_flags; /* NULL-terminated; -pthread is always added */
    /* The run's time limit is the case's (native) timeout times the
     * factor, plus the tool's start-up allowance: a tool's slowness is
     * partly proportional and partly a fixed cost before main. */
    double timeout_factor, startup_seconds;

    /* The compiler to build with: the tool's program, or another. */
    const char *(*compiler)(const rl_tool *tool);
    /* Optional: refuse an environment in which the tool would not check
     * (reports switched off). 0, or -1 and why. */
    int (*check_environment)(const rl_tool *tool, rl_buf *why);
    /* Optional: refuse a case's options for the tool. 0, or -1 and why. */
    int (*check_options)(char *const *words, size_t n, rl_buf *why);
    /* Optional: prove the toolchain does its job; once for each identity
     * of its compiler in a work directory (run.c keeps the proof). */
    int (*check_toolchain)(const rl_tool *tool, rl_buf *why);
    /* Optional: refuse an object or binary the tool cannot check. */
    int (*check_object)(const rl_tool *tool, const char *object, rl_buf *why);
    int (*check_binary)(const rl_tool *tool, const char *binary, rl_buf *why);
    /* The command line and environment of the run. */
    void (*command)(const rl_tool *tool, const rl_case *c, const rl_options *options,
                    const char *binary, const char *log_dir, rl_strv *argv, rl_env *env);
    /* Read what the tool wrote into reports and the program's ending, and
     * prove the tool ran; 0, or -1 and why. *log_path names the main log
     * for people to read. argv is what command gave. */
    int (*collect)(const rl_tool *tool, char *const *argv, const char *log_dir,
                   const rl_outcome *o, rl_report_list *reports, rl_ending *ending,
                   char **log_path, rl_buf *why);
} rl_adapter;

const rl_adapter *rl_adapter_for(rl_tool_id id);

extern const rl_adapter rl_tsan_adapter, rl_helgrind_adapter, rl_drd_adapter, rl_native_adapter;

/* The ending of a run that ended without a tool's say: exit, signal or hang. */
void rl_ending_from_outcome(const rl_outcome *o, rl_ending *e);

/* Build a case with compiler and flags into bin_dir, reusing an identical
 * earlier build (keyed on the compiler's identity, the flags, the case's
 * path and text). Compiles to an object, then links. 0 and *binary, or -1
 * and why. compile and link receive the command lines. */
typedef struct rl_build_request {
    const rl_adapter *adapter;
    const rl_tool *tool;
    const rl_toolchain *compiler;
    const rl_case *rcase;
    const char *bin_dir;
    const char *log_path; /* the compiler's output */
    const volatile sig_atomic_t *cancel;
} rl_build_request;

int rl_build(const rl_build_request *req, char **binary, double *seconds, rl_command *compile,
             rl_command *link, rl_buf *why);

/* A case's cflags word: 0, or -1 and why it is refused. Only flags that
 * cannot switch a tool's checking off are taken (docs/case-format.md). */
int rl_check_cflag(const char *word, rl_buf *why);

/* ELF: the names of the undefined symbols of an object file that start
 * with prefix, NULL-terminated (to free with rl_strv_free); NULL and why
 * when it is not a readable ELF object. */
char **rl_elf_undefined(const char *data, size_t len, const char *prefix, rl_buf *why);
/* The same for the symbols it defines. */
char **rl_elf_defined(const char *data, size_t len, const char *prefix, rl_buf *why);
/* Both lists, whole, of an object file: 0, or -1 and why. */
int rl_elf_file_symbols(const char *path, char ***undefined, char ***defined, rl_buf *why);

/* Find out family, version and identity of a program (toolchain.c).
 * build_flags: for a compiler, the flags of the build its identity is for. */
int rl_toolchain_probe(const char *program, const char *const *build_flags, rl_toolchain *out,
                       rl_buf *why);

/* Set t's version (and its numbers) from the digits and dots at s. */
void rl_toolchain_set_version(rl_toolchain *t, const char *s);

/* JSON for results and records (results.c): a string of any bytes (bad
 * UTF-8 becomes U+FFFD), or null for NULL; a list of such strings; a
 * toolchain. */
typedef struct json_t json_t;
json_t *rl_json_text(const char *s);
json_t *rl_json_text_list(char *const *v);
json_t *rl_json_toolchain(const rl_toolchain *t);
/* A toolchain back from rl_json_toolchain's JSON (a record's). */
void rl_json_read_toolchain(json_t *j, rl_toolchain *t);

/* Options lines: check words against a table of accepted options. */
typedef struct rl_option_rule {
    const char *name;   /* "--exclusive-threshold" or "history_size" */
    const char *values; /* NULL: any; "int": a number; else '|'-separated accepted values */
    const char *why;    /* when given, the option is refused and this says why */
} rl_option_rule;

/* Check "name=value" words (name, "=", value) against rules; name_prefix
 * the leading dashes ("--" or ""). 0, or -1 and why. */
int rl_check_option_words(char *const *words, size_t n, const rl_option_rule *rules,
                          const char *what, rl_buf *why);

#endif
