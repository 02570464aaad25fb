/*
 * racelab.h: the one public header of the racelab library.
 *
 * The library reads case files, builds each case per tool, runs it under the
 * tool with a time limit, parses the tool's own output into tool-neutral
 * reports, matches them against the case's expectations and writes results.
 * The racelab command and the Google Test suite are thin fronts over it.
 *
 * Conventions: every name is prefixed rl_; functions that can fail return 0 on
 * success and -1 on failure, filling an rl_diag; the caller owns what a
 * function hands out and frees it with the matching *_free / *_clear call.
 */
#ifndef RACELAB_H
#define RACELAB_H

#include <signal.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RL_VERSION "0.1.0"

/* An error worth showing a person: where it comes from and what it is. */
typedef struct rl_diag {
    char file[1024]; /* "" when not about a file */
    int line;        /* 0 when not about a line */
    char message[1024];
} rl_diag;

void rl_diag_set(rl_diag *d, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "file:line: message", or less when file or line are unknown. */
const char *rl_diag_format(const rl_diag *d, char *buf, size_t size);

/* ---- Tools -------------------------------------------------------------- */

typedef enum rl_tool_id {
    RL_TOOL_TSAN,
    RL_TOOL_HELGRIND,
    RL_TOOL_DRD,
    RL_TOOL_NATIVE,
    RL_TOOL_COUNT
} rl_tool_id;

const char *rl_tool_name(rl_tool_id id);
int rl_tool_from_name(const char *name, size_t len, rl_tool_id *out);

/* A tool as the user gives it: TOOL[:PROGRAM], e.g. "tsan", "tsan:gcc-12",
 * "helgrind:/opt/valgrind/bin/valgrind", "native:clang-16". PROGRAM is the
 * compiler for tsan and native, the valgrind program for helgrind and drd. */
typedef struct rl_tool {
    rl_tool_id id;
    char spec[256];    /* as given, or the bare tool name for the default */
    char program[256]; /* the PROGRAM part, or the tool's default */
} rl_tool;

int rl_tool_parse(const char *spec, rl_tool *out, rl_diag *diag);

/* ---- Kinds -------------------------------------------------------------- */

/* The tool-neutral vocabulary of docs/kinds.md. RL_KIND_EXIT and
 * RL_KIND_SIGNAL describe how a native run ended; RL_KIND_UNKNOWN is a tool
 * report racelab has no mapping for (it never matches an expectation). */
typedef enum rl_kind {
    RL_KIND_UNKNOWN,
    RL_KIND_CLEAN,
    RL_KIND_DATA_RACE,
    RL_KIND_USE_AFTER_FREE,
    RL_KIND_LOCK_ORDER,
    RL_KIND_UNLOCK_UNLOCKED,
    RL_KIND_UNLOCK_FOREIGN,
    RL_KIND_DOUBLE_LOCK,
    RL_KIND_DESTROY_LOCKED,
    RL_KIND_INVALID_MUTEX,
    RL_KIND_RWLOCK_MISUSE,
    RL_KIND_COND_MISUSE,
    RL_KIND_BARRIER_MISUSE,
    RL_KIND_SEMAPHORE_MISUSE,
    RL_KIND_THREAD_LEAK,
    RL_KIND_HELD_LOCK_AT_EXIT,
    RL_KIND_SIGNAL_UNSAFE,
    RL_KIND_ERRNO_SPOILED,
    RL_KIND_LOCK_CONTENTION,
    RL_KIND_API_MISUSE,
    RL_KIND_HANG,
    RL_KIND_EXIT,
    RL_KIND_SIGNAL,
    RL_KIND_COUNT
} rl_kind;

const char *rl_kind_name(rl_kind kind);
int rl_kind_from_name(const char *name, size_t len, rl_kind *out);

/* The tool's own report name mapped onto the vocabulary. */
rl_kind rl_kind_for_tsan(const char *headline);
rl_kind rl_kind_for_valgrind(rl_tool_id tool, const char *xml_kind, const char *what);

/* ---- Reports ------------------------------------------------------------ */

typedef struct rl_frame {
    char *function; /* NULL when the tool printed none */
    char *file;     /* as the tool printed it; NULL when unknown */
    int line;       /* 0 when unknown */
} rl_frame;

/* One diagnostic, whatever tool gave it. */
typedef struct rl_report {
    rl_kind kind;
    int code;        /* RL_KIND_EXIT: exit status; RL_KIND_SIGNAL: signal number */
    char *tool_kind; /* the tool's name for it: TSan headline, Valgrind <kind> */
    char *headline;  /* the report's first line as the tool printed it */
    rl_frame *frames; /* every frame of every stack of the report */
    size_t nframes;
} rl_report;

typedef struct rl_report_list {
    rl_report *items;
    size_t count, cap;
} rl_report_list;

void rl_report_list_clear(rl_report_list *list);

/* What a ThreadSanitizer log says. The parser is tolerant: it never fails,
 * it takes what it recognises and leaves the rest. */
typedef struct rl_tsan_log {
    rl_report_list reports;
    int started_pid; /* pid in the runtime's start banner; 0 without a banner,
                        -1 for a banner without a pid */
    int warnings;    /* N of "ThreadSanitizer: reported N warnings"; -1 when absent */
    char *fatal;     /* first FATAL / CHECK failed line, or NULL */
} rl_tsan_log;

void rl_tsan_parse(const char *text, size_t len, rl_tsan_log *out);
void rl_tsan_log_clear(rl_tsan_log *log);

/* What a Valgrind --xml=yes log says (protocol 4 and later). */
typedef struct rl_vg_log {
    rl_report_list reports; /* every complete <error> */
    char tool[32];          /* <protocoltool> */
    int protocol;           /* <protocolversion>, 0 when absent */
    int pid;                /* <pid> */
    int running;            /* a <status> with state RUNNING: the program started */
    int finished;           /* a <status> with state FINISHED was seen */
    int complete;           /* the document closed properly */
    int errorcounts;        /* <pair>s in <errorcounts>; -1 when absent */
    char *parse_error;      /* "line N: message" from expat, or NULL */
} rl_vg_log;

/* Returns 0 for a well-formed document, -1 otherwise; what came before the
 * fault is kept either way (a killed run leaves the file truncated). */
int rl_vg_parse(const char *xml, size_t len, rl_tool_id tool, rl_vg_log *out);
void rl_vg_log_clear(rl_vg_log *log);

/* ---- Cases -------------------------------------------------------------- */

typedef struct rl_marker {
    char *name; /* without the @ */
    int line;
} rl_marker;

/* One "// expect TOOL: KIND [@MARKER ...]" line. */
typedef struct rl_expect {
    rl_tool_id tool;
    rl_kind kind;
    int code;       /* the N of "exit N" */
    int line;       /* where the expect line is */
    int *marker_lines; /* the lines the markers name */
    char **markers;
    size_t nmarkers;
} rl_expect;

typedef struct rl_case {
    char *name;        /* file name without .c */
    char *path;        /* absolute, symlinks resolved */
    char *summary;     /* first sentence of the leading comment, or "" */
    char **cflags;     /* from "// cflags:" */
    size_t ncflags;
    double timeout;    /* seconds for a native run; tools scale it */
    rl_expect *expects;
    size_t nexpects;
    rl_marker *markers;
    size_t nmarkers;
} rl_case;

#define RL_DEFAULT_TIMEOUT 10.0

/* Parse case text; path names it in errors and in the result. */
int rl_case_parse(const char *path, const char *text, size_t len, rl_case **out, rl_diag *diag);
int rl_case_load(const char *path, rl_case **out, rl_diag *diag);
void rl_case_free(rl_case *c);
int rl_case_declares(const rl_case *c, rl_tool_id tool);

/* The *.c files of a directory, sorted; NULL-terminated array to free with
 * rl_strv_free. */
int rl_case_dir_scan(const char *dir, char ***paths, rl_diag *diag);
void rl_strv_free(char **v);

/* ---- Running ------------------------------------------------------------ */

typedef enum rl_verdict { RL_PASS, RL_FAIL, RL_ERROR, RL_SKIP } rl_verdict;

const char *rl_verdict_name(rl_verdict v);

typedef struct rl_config {
    const char *work_dir; /* builds go to work_dir/bin, logs to work_dir/logs */
    int jobs;             /* parallel (case, tool) jobs; <= 0: one per CPU */
    /* When non-NULL and it becomes non-zero, running jobs are killed and
     * the rest are skipped. Set it from a signal handler or, from another
     * thread, with an atomic store (__atomic_store_n); it is read so. */
    const volatile sig_atomic_t *cancel;
} rl_config;

/* The outcome of one (case, tool) job. */
typedef struct rl_result {
    const rl_case *rcase;
    rl_tool tool;
    rl_verdict verdict;
    double seconds;      /* the tool run alone */
    double build_seconds;/* 0 when the build was reused */
    char *message;       /* why it failed, errored or was skipped; NULL on pass */
    char *log_path;      /* the tool's raw log, or NULL */
    char *log_dir;       /* everything the run left: logs, stdout, stderr */
    rl_report_list reports;
} rl_result;

void rl_result_clear(rl_result *r);

/* Build and run one (case, tool), matching its reports. Never fails: a tool
 * that could not do its job gives an RL_ERROR result. */
void rl_run_job(const rl_config *cfg, const rl_case *c, const rl_tool *tool, rl_result *out);

/* The tools a case runs under when none are given: tsan and helgrind, and
 * drd and native where the case declares them. Returns how many. */
size_t rl_default_tools(const rl_case *c, rl_tool tools[RL_TOOL_COUNT]);

/* A (case, tool) pair to run. */
typedef struct rl_job {
    const rl_case *rcase;
    rl_tool tool;
} rl_job;

typedef void (*rl_progress_fn)(const rl_result *r, void *ctx);

/* Run jobs in parallel; results[i] belongs to jobs[i]. progress is called
 * (serialised) as each job ends. The caller must not ignore SIGCHLD: the
 * runner waits for its children. */
void rl_run_jobs(const rl_config *cfg, const rl_job *jobs, size_t njobs, rl_result *results,
                 rl_progress_fn progress, void *ctx);

/* Match reports against a case's expectations for one tool. Returns 1 when
 * they agree; otherwise 0 and, when why is non-NULL, an explanation to free. */
int rl_match(const rl_case *c, rl_tool_id tool, const rl_report_list *reports, char **why);

/* One line describing a report: kind, the tool's headline, case-file frames. */
char *rl_report_describe(const rl_report *r, const rl_case *c);

/* ---- Results ------------------------------------------------------------ */

/* Write results (and the input errors met while reading cases) as JSON. */
int rl_results_write_json(const char *path, const rl_result *results, size_t n,
                          const rl_diag *input_errors, size_t nerrors, rl_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
