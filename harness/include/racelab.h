/*
 * racelab.h: the one public header of the racelab library.
 *
 * The library reads case files, resolves each tool into a toolchain, builds
 * each case per tool, runs it under the tool with a time limit and a
 * supervisor that leaves no process behind, reads the tool's own output into
 * tool-neutral reports, matches them one to one against the case's
 * expectations for that toolchain, and writes the verdicts as data. The
 * racelab command and the Google Test suite are thin fronts over it.
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

#define RL_VERSION "0.3.0"
/* The version of the results JSON document (docs/results.md). */
#define RL_RESULTS_FORMAT 2

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

/* A tool is a row of the registry (harness/src/tool.c): its index. */
typedef int rl_tool_id;

size_t rl_tool_count(void);
const char *rl_tool_name(rl_tool_id id); /* "?" for an unknown id */
int rl_tool_from_name(const char *name, size_t len, rl_tool_id *out);
/* "tsan, helgrind, drd, native": the registry's names, for messages. */
const char *rl_tool_names(void);
/* "tsan[:COMPILER], helgrind[:VALGRIND], ...": for usage texts. */
const char *rl_tool_usage(void);

/* What a tool's program turned out to be, found once per run by asking it
 * (--version and friends). */
typedef struct rl_toolchain {
    char family[16];   /* "clang", "gcc", "valgrind"; "" when not recognised */
    char version[32];  /* as the program reports it: "14.0.6", "3.19.0" */
    int numbers[3];    /* the version's numbers, 0 where absent */
    char path[1024];   /* the program, resolved (symlinks followed) */
    char identity[17]; /* hex: what a build by it depends on (see build.c) */
} rl_toolchain;

/* A tool as the user gives it, TOOL[:PROGRAM] (e.g. "tsan:gcc-12",
 * "helgrind:/opt/valgrind/bin/valgrind"), and, once resolved, the
 * toolchain it runs with and the compiler that builds for it. */
typedef struct rl_tool {
    rl_tool_id id;
    char spec[256];    /* as given, or the bare tool name for the default */
    char program[256]; /* the PROGRAM part, or the tool's default */
    int resolved;      /* rl_tool_resolve ran; see error */
    char error[1024];  /* why the toolchain could not be resolved, or "" */
    rl_toolchain toolchain; /* what expectations are scoped by */
    rl_toolchain compiler;  /* what builds the case (equal to toolchain for compilers) */
} rl_tool;

int rl_tool_parse(const char *spec, rl_tool *out, rl_diag *diag);
/* Find out what the tool's programs are. Never fails: a toolchain that
 * cannot be resolved leaves tool->error set, and every job of the tool is
 * then an error. Idempotent. */
void rl_tool_resolve(rl_tool *tool);
/* "clang 14.0.6" or "valgrind 3.19.0" (or the program when unrecognised). */
const char *rl_toolchain_describe(const rl_toolchain *t, char *buf, size_t size);

/* ---- Kinds -------------------------------------------------------------- */

/* The tool-neutral vocabulary of docs/kinds.md. EXIT, SIGNAL and HANG are
 * endings (how the program ended), the rest reports. RL_KIND_UNKNOWN is a
 * tool report racelab has no mapping for: it never matches an expectation. */
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
int rl_kind_is_ending(rl_kind kind); /* exit, signal, hang */

/* The tool's own report name mapped onto the vocabulary. */
rl_kind rl_kind_for_tsan(const char *headline);
rl_kind rl_kind_for_valgrind(rl_tool_id tool, const char *xml_kind, const char *what);

/* Signal names: "SIGABRT" <-> 6. */
const char *rl_signal_name(int signo); /* NULL when unknown */
int rl_signal_from_name(const char *name, size_t len);   /* -1 when unknown */

/* ---- Reports ------------------------------------------------------------ */

typedef struct rl_frame {
    char *function; /* NULL when the tool printed none */
    char *file;     /* as the tool printed it; NULL when unknown */
    int line;       /* 0 when unknown */
} rl_frame;

/* One stack of a report. An access stack is one of the report's own events
 * (the racing accesses, the lock acquisitions, the unlock); the others give
 * context (where a thread or mutex was created, where memory was
 * allocated, segment bounds). */
typedef struct rl_stack {
    char *title; /* the line that introduces it ("Previous write of size 4 ..."), or "" */
    int access;
    rl_frame *frames;
    size_t nframes;
} rl_stack;

/* One diagnostic, whatever tool gave it. */
typedef struct rl_report {
    rl_kind kind;
    char *tool_kind; /* the tool's name for it: TSan headline, Valgrind <kind> */
    char *headline;  /* the report's first line as the tool printed it */
    rl_stack *stacks;
    size_t nstacks;
} rl_report;

typedef struct rl_report_list {
    rl_report *items;
    size_t count, cap;
} rl_report_list;

void rl_report_list_clear(rl_report_list *list);

/* How the program ended, as the tool lets racelab tell. */
typedef struct rl_ending {
    rl_kind kind;  /* RL_KIND_EXIT, RL_KIND_SIGNAL or RL_KIND_HANG; UNKNOWN when none */
    int code;      /* exit status, or signal number */
    int by_tool;   /* the status is the tool's, not the program's (TSan's exitcode
                      after reports; a signal the tool caught and ended the run on) */
    char *detail;  /* for people: "exit 3", "killed by signal 6 (SIGABRT)" */
} rl_ending;

/* What a ThreadSanitizer log says. The parser is tolerant: it never fails,
 * it takes what it recognises and leaves the rest. */
typedef struct rl_tsan_log {
    rl_report_list reports;   /* WARNING: ThreadSanitizer: blocks */
    int started_pid;  /* pid in the runtime's start banner; 0 without a banner,
                         -1 for a banner without a pid */
    int starts;       /* how many start banners */
    int warnings;     /* N of "ThreadSanitizer: reported N warnings"; -1 when absent */
    int finished;     /* the runtime's end-of-run statistics were printed */
    char *fatal;      /* first FATAL / CHECK failed line, or NULL */
    char *error;      /* first "==PID==ERROR: ..." headline, or NULL */
    int error_signal; /* the signal of a deadly-signal ERROR block, or 0 */
    rl_report_list errors; /* every ERROR block, as a report of kind UNKNOWN */
    char *dying;      /* first runtime line that says it kills the process, or NULL */
    char *unrecognised; /* first line naming ThreadSanitizer racelab cannot place, or NULL */
} rl_tsan_log;

void rl_tsan_parse(const char *text, size_t len, rl_tsan_log *out);
void rl_tsan_log_clear(rl_tsan_log *log);

/* What a Valgrind --xml=yes log says (protocol 4 and later). */
typedef struct rl_vg_log {
    rl_report_list reports; /* every complete <error> */
    char tool[32];          /* <protocoltool> */
    char *preamble;         /* the first <preamble><line>: "Helgrind, a thread error detector" */
    int protocol;           /* <protocolversion>, 0 when absent */
    int pid;                /* <pid> */
    char *exe;              /* <args><argv><exe>: the program run */
    char **vargv;           /* <args><vargv>: valgrind's own exe, then its args; NULL-terminated */
    char **argv;            /* <args><argv> <arg>s: the program's arguments; NULL-terminated */
    int running;            /* a <status> with state RUNNING: the program started */
    int finished;           /* a <status> with state FINISHED was seen */
    int complete;           /* the document closed properly */
    int errorcounts;        /* <pair>s in <errorcounts>; -1 when absent */
    int fatal_signal;       /* <fatal_signal><signo>, 0 when absent */
    char **suppressions;    /* names in <suppcounts>; NULL-terminated */
    char *parse_error;      /* "line N: message" from expat, or NULL */
} rl_vg_log;

/* Returns 0 for a well-formed document, -1 otherwise; what came before the
 * fault is kept either way (a killed run leaves the file truncated). */
int rl_vg_parse(const char *xml, size_t len, rl_tool_id tool, rl_vg_log *out);
void rl_vg_log_clear(rl_vg_log *log);

/* ---- Cases -------------------------------------------------------------- */

/* Which toolchains a line applies to: "(clang<15)", "(gcc)", "(>=3.20)".
 * A family, and a version range [lo, hi) over the version's numbers. */
typedef struct rl_scope {
    char text[128];  /* canonical: "clang>=15.0.0,<17.0.0"; "" for every toolchain */
    char family[16]; /* "" for any */
    int has_lo, has_hi;
    int lo[3], hi[3]; /* lo inclusive, hi exclusive */
    int rank;        /* 0 every toolchain, 1 a family, 2 a version range */
} rl_scope;

typedef enum rl_line_type {
    RL_LINE_EXPECT,      /* // expect TOOL: ... */
    RL_LINE_ALLOW,       /* // allow TOOL: ...   (may appear or not) */
    RL_LINE_UNSUPPORTED, /* // unsupported TOOL: reason */
} rl_line_type;

typedef struct rl_marker_ref {
    char *name;   /* without the @ */
    int line;     /* the line it names */
    int access;   /* @access:NAME: only in the report's own access stacks */
} rl_marker_ref;

/* One expect, allow or unsupported line. */
typedef struct rl_expect {
    rl_tool_id tool;
    rl_line_type type;
    size_t set;      /* index into rl_case.sets */
    rl_kind kind;    /* RL_KIND_UNKNOWN for unsupported */
    int code;        /* exit N, signal number */
    int count;       /* expect: exactly this many reports (xN, default 1);
                        allow: at most this many, 0 for any number */
    int line;
    rl_marker_ref *markers;
    size_t nmarkers;
    char *reason;    /* unsupported: why */
} rl_expect;

/* The lines of one tool with one scope: for a toolchain, the applicable set
 * of highest rank replaces the others (docs/case-format.md). */
typedef struct rl_line_set {
    rl_tool_id tool;
    rl_scope scope;
    int line;        /* its first line */
} rl_line_set;

/* "// options TOOL[(SCOPE)]: ..." */
typedef struct rl_options {
    rl_tool_id tool;
    rl_scope scope;
    int line;
    char **words;
    size_t nwords;
} rl_options;

typedef struct rl_marker {
    char *name; /* without the @ */
    int line;
} rl_marker;

typedef struct rl_case {
    char *name;        /* file name without .c */
    char *path;        /* absolute, symlinks resolved */
    char *summary;     /* first sentence of the leading comment, or "" */
    char *twin;        /* "// twin: NAME": the case that differs only by the fix, or NULL */
    char **cflags;     /* from "// cflags:"; NULL-terminated */
    size_t ncflags;
    char **args;       /* from "// args:"; NULL-terminated */
    size_t nargs;
    double timeout;    /* seconds for a native run; tools scale it */
    rl_expect *expects;
    size_t nexpects;
    rl_line_set *sets;
    size_t nsets;
    rl_options *options;
    size_t noptions;
    rl_marker *markers;
    size_t nmarkers;
} rl_case;

#define RL_DEFAULT_TIMEOUT 10.0

/* Parse case text; path names it in errors and in the result. */
int rl_case_parse(const char *path, const char *text, size_t len, rl_case **out, rl_diag *diag);
int rl_case_load(const char *path, rl_case **out, rl_diag *diag);
void rl_case_free(rl_case *c);
/* Whether the case has any line for the tool, in any scope. */
int rl_case_declares(const rl_case *c, rl_tool_id tool);
/* Whether a scope applies to a toolchain. */
int rl_scope_applies(const rl_scope *s, const rl_toolchain *t);
/* The set of lines for a tool and toolchain: its index, or -1 when no set
 * applies. */
long rl_case_select_set(const rl_case *c, rl_tool_id tool, const rl_toolchain *t);
/* The options for a tool and toolchain, or NULL. */
const rl_options *rl_case_select_options(const rl_case *c, rl_tool_id tool,
                                         const rl_toolchain *t);

/* What a set of lines says, in short: "data-race x2, lock-order",
 * "nothing", "hang", "signal SIGABRT", allowed reports as "(maybe
 * data-race)". To free. */
char *rl_set_describe(const rl_case *c, long set);
/* A markdown table of cases: name, summary, and what each tool is expected
 * to report (the generic lines, then each scoped set). The README's and
 * docs/kinds.md's tables are this, checked by a test. To free. */
char *rl_cases_table(rl_case *const *cases, size_t n);

/* The *.c files of a directory, sorted; NULL-terminated array to free with
 * rl_strv_free. */
int rl_case_dir_scan(const char *dir, char ***paths, rl_diag *diag);
void rl_strv_free(char **v);

/* ---- Matching ----------------------------------------------------------- */

/* How one expect or allow line fared. */
typedef struct rl_line_verdict {
    size_t expect;   /* index into rl_case.expects */
    size_t *reports; /* indices of the reports assigned to it */
    size_t nreports;
    int met;         /* expect: exactly its count; allow: within its count;
                        ending lines: the ending agrees */
} rl_line_verdict;

/* The verdict of one (case, toolchain) as data: which report met which line. */
typedef struct rl_match {
    int ok;
    long set;              /* the chosen set (rl_case.sets index), -1 for none */
    rl_line_verdict *lines;
    size_t nlines;
    long *report_line;     /* per report: index into lines, or -1: unexpected */
    size_t nreports;
    long ending_line;      /* index into lines of the ending line, or -1: the default */
    int ending_ok;         /* the ending agrees with the line, or with the default */
    char *problem;         /* why no set applied, or NULL */
} rl_match;

/* Match a run's reports and ending against the case's lines for the tool and
 * toolchain. Never fails; out->ok says whether they agree. */
void rl_match_run(const rl_case *c, rl_tool_id tool, const rl_toolchain *t,
                  const rl_report_list *reports, const rl_ending *ending, rl_match *out);
void rl_match_clear(rl_match *m);
/* The explanation a person reads: every line, met or NOT MET, and every
 * report, expected or UNEXPECTED. */
char *rl_match_explain(const rl_match *m, const rl_case *c, const rl_report_list *reports,
                       const rl_ending *ending);
/* One line describing a report: kind, the tool's headline, case-file frames. */
char *rl_report_describe(const rl_report *r, const rl_case *c);

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

/* How a job can be done again by hand: what racelab ran, and with what. */
typedef struct rl_command {
    char **argv;     /* NULL-terminated; NULL when not run */
    char **env_set;  /* NAME=VALUE racelab set or changed; NULL-terminated */
    char **env_unset;/* names racelab removed; NULL-terminated */
    char *cwd;
} rl_command;

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
    char *binary;        /* what was built, or NULL */
    rl_command compile, link, run;
    rl_report_list reports;
    rl_ending ending;
    rl_match match;
    char **notes;        /* things worth knowing that did not change the verdict
                            (output cut short, processes left behind); NULL-terminated */
} rl_result;

void rl_result_clear(rl_result *r);

/* Build and run one (case, tool), matching its reports. Never fails: a tool
 * that could not do its job gives an RL_ERROR result. The tool is resolved
 * when it was not. */
void rl_run_job(const rl_config *cfg, const rl_case *c, const rl_tool *tool, rl_result *out);

/* The tools a case runs under when none are given: tsan and helgrind, and
 * drd and native where the case declares them. Returns how many; tools has
 * room for rl_tool_count(). */
size_t rl_default_tools(const rl_case *c, rl_tool *tools);

/* A (case, tool) pair to run. */
typedef struct rl_job {
    const rl_case *rcase;
    rl_tool tool;
} rl_job;

typedef void (*rl_progress_fn)(const rl_result *r, void *ctx);

/* Run jobs in parallel; results[i] belongs to jobs[i]. Each distinct tool is
 * resolved once. progress is called (serialised) as each job ends. */
void rl_run_jobs(const rl_config *cfg, const rl_job *jobs, size_t njobs, rl_result *results,
                 rl_progress_fn progress, void *ctx);

/* Record a job's logs for replay: run it, then copy its log directory to
 * dest with a record.json that says how it ran (docs/fixtures.md). */
int rl_record_job(const rl_config *cfg, const rl_case *c, const rl_tool *tool,
                  const char *dest, rl_result *out, rl_diag *diag);
/* Replay a recorded run: feed the recorded logs through the tool's adapter
 * and match them, as if the run had just happened. */
int rl_replay(const rl_case *c, const char *recorded_dir, rl_result *out, rl_diag *diag);

/* ---- Results ------------------------------------------------------------ */

/* Write results (and the input errors met while reading cases) as JSON.
 * The file is replaced whole, never left half written. */
int rl_results_write_json(const char *path, const rl_result *results, size_t n,
                          const rl_diag *input_errors, size_t nerrors, int interrupted,
                          rl_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
