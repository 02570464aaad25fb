/*
 * racelab.h: the one public header of the racelab library.
 *
 * It reads case files, resolves each tool into a toolchain, builds each
 * case per tool, runs it under the tool with a time limit and a supervisor
 * that leaves no process behind, reads the tool's output into tool-neutral
 * reports, matches them one to one against the case's expectations, and
 * hands back the verdicts as data, which renderers turn into text, JSON,
 * JUnit, SARIF and tables. The racelab command and the tests are fronts.
 *
 * Conventions:
 * - every name is prefixed rl_;
 * - one error convention: a function that can fail returns 0 on success and
 *   -1 on failure, and then fills the rl_diag it was given. An rl_diag starts
 *   as RL_DIAG_INIT and is freed with rl_diag_clear;
 * - the caller owns what a function hands out and frees it with the matching
 *   *_free or *_clear call;
 * - a struct the caller fills for the library carries its version first and
 *   has an _INIT macro: start from it and set fields by name.
 */
#ifndef RACELAB_H
#define RACELAB_H

#include <signal.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of racelab (CMakeLists.txt reads it from this line). */
#define RL_VERSION "0.3.0"
/* The version of the results JSON document (docs/results.md). */
#define RL_RESULTS_FORMAT 2

/* ---- Errors ------------------------------------------------------------- */

/* An error worth showing a person: where it comes from and what it is. */
typedef struct rl_diag {
    char *file;    /* NULL when not about a file */
    int line;      /* 0 when not about a line */
    char *message; /* NULL while no error was set */
} rl_diag;

#define RL_DIAG_INIT {NULL, 0, NULL}

/* Replace d's error; returns -1, so that "return rl_diag_set(...)" fails. */
int rl_diag_set(rl_diag *d, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void rl_diag_clear(rl_diag *d);
/* The message, or "" when none was set. */
const char *rl_diag_message(const rl_diag *d);
/* "file:line: message", or less when file or line are unknown. To free. */
char *rl_diag_format(const rl_diag *d);
/* A copy of from into to (which is cleared first). */
void rl_diag_copy(rl_diag *to, const rl_diag *from);

/* ---- Vocabulary: kinds, endings, verdicts, signals ---------------------- */

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
    RL_KIND_ATOMICITY,
    RL_KIND_HANG,
    RL_KIND_EXIT,
    RL_KIND_SIGNAL,
    RL_KIND_COUNT
} rl_kind;

const char *rl_kind_name(rl_kind kind);
/* What the kind means, for people (docs/kinds.md's vocabulary table). */
const char *rl_kind_meaning(rl_kind kind);
int rl_kind_from_name(const char *name, size_t len, rl_kind *out);
int rl_kind_is_ending(rl_kind kind); /* exit, signal, hang */

/* Signal names: "SIGABRT" <-> 6. */
const char *rl_signal_name(int signo);                 /* NULL when unknown */
int rl_signal_from_name(const char *name, size_t len); /* -1 when unknown */

typedef enum rl_verdict { RL_PASS, RL_FAIL, RL_ERROR, RL_SKIP } rl_verdict;
#define RL_VERDICT_COUNT 4

const char *rl_verdict_name(rl_verdict v); /* "pass", "fail", "error", "skip" */

/* ---- Tools and toolchains ----------------------------------------------- */

/* A tool is a row of the registry (harness/src/tool.c): its index. */
typedef int rl_tool_id;

size_t rl_tool_count(void);
const char *rl_tool_name(rl_tool_id id); /* "?" for an unknown id */
int rl_tool_from_name(const char *name, size_t len, rl_tool_id *out);
/* "tsan, helgrind, drd, native": the registry's names, for messages. */
const char *rl_tool_names(void);
/* "tsan[:COMPILER], helgrind[:VALGRIND], ...": for usage texts. */
const char *rl_tool_usage(void);

#define RL_PATH_SIZE 4096 /* PATH_MAX: realpath never gives more */

/* What a tool's program turned out to be, found once per run by asking it. */
typedef struct rl_toolchain {
    char family[16];   /* "clang", "gcc", "valgrind"; "" when not recognised */
    char version[32];  /* as the program states it: "14.0.6", "3.19.0" */
    int numbers[3];    /* the version's numbers, 0 where absent */
    char path[RL_PATH_SIZE]; /* the program, resolved (symlinks followed) */
    char identity[17]; /* hex: what a build by it depends on (toolchain.c) */
} rl_toolchain;

/* A tool as the user gives it, TOOL[:PROGRAM] ("tsan:gcc-12",
 * "helgrind:/opt/valgrind/bin/valgrind"), and, once resolved, the toolchain
 * it runs with and the compiler that builds for it. Jobs and results refer
 * to tools by pointer: keep them until the results are freed. */
typedef struct rl_tool {
    rl_tool_id id;
    char *spec;    /* as given, or the bare tool name for the default */
    char *program; /* the PROGRAM part, or the tool's default */
    int by_default; /* not named by the user: when not installed, its jobs are skips */
    int required;  /* a default tool that must be installed: missing, it is an error */
    int resolved;  /* rl_tool_resolve ran; see error */
    int missing;   /* resolved, and its program is not installed (not found) */
    rl_diag error; /* why the toolchain could not be resolved; empty when it was */
    rl_toolchain toolchain; /* what expectations are scoped by */
    rl_toolchain compiler;  /* what builds the case (equal to toolchain for compilers) */
} rl_tool;

int rl_tool_parse(const char *spec, rl_tool *out, rl_diag *diag);
void rl_tool_clear(rl_tool *tool);
/* Find out what the tool's programs are. Never fails: a toolchain that
 * cannot be resolved leaves tool->error set, and every job of the tool is
 * then an error. Idempotent. */
void rl_tool_resolve(rl_tool *tool);
/* The tools that run when none are named: one per registry row with its
 * default program, then one for each of the row's more default programs
 * (tsan:gcc), each marked by_default. *n receives how many. To free with
 * rl_tools_free. */
rl_tool *rl_default_tools(size_t *n);
void rl_tools_free(rl_tool *tools, size_t n);
/* A --tool argument as tools: TOOL[:PROGRAM] is one; TOOL:all for a tool
 * whose program is a compiler is every clang and gcc on PATH (each real
 * program once: clang-13 ... clang-19, gcc-11, gcc-12). To rl_tools_free. */
int rl_tools_expand(const char *spec, rl_tool **tools, size_t *n, rl_diag *diag);
/* "clang 14.0.6" or "valgrind 3.19.0" (or the program when unrecognised). */
const char *rl_toolchain_describe(const rl_toolchain *t, char *buf, size_t size);

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
    int twin_line;     /* the line that names it */
    /* "// bug: KIND...": what the program really does wrong, whatever the
     * tools see (the ground truth of the capability matrix); "none" for a
     * correct program. bug_known is 0 when the case does not say. */
    rl_kind *bugs;
    size_t nbugs;
    int bug_known;
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

/* The *.c files of a directory, sorted; NULL-terminated array to free with
 * rl_strv_free. */
int rl_case_dir_scan(const char *dir, char ***paths, rl_diag *diag);
void rl_strv_free(char **v);

/* The cases a run is asked for, and the input errors met reading them (a
 * bad case is an error, and the others are still read). */
typedef struct rl_catalogue {
    rl_case **cases;
    size_t ncases;
    rl_diag *errors;
    size_t nerrors;
} rl_catalogue;

#define RL_CATALOGUE_INIT {NULL, 0, NULL, 0}

/* Read the cases named (a name from the directories, or a path to a .c
 * file), or, with no names, every case of the directories. Duplicate names
 * and unknown names are input errors; so are, when every case is read, a
 * twin that is not in the catalogue or does not name the case back. */
void rl_catalogue_load(rl_catalogue *cat, char *const *dirs, size_t ndirs, char *const *names,
                       size_t nnames);
/* Record an input error (copied). */
void rl_catalogue_error(rl_catalogue *cat, const rl_diag *d);
void rl_catalogue_clear(rl_catalogue *cat);

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
    long set;              /* the set matched against (rl_case.sets index) */
    rl_line_verdict *lines;
    size_t nlines;
    long *report_line;     /* per report: index into lines, or -1: unexpected */
    size_t nreports;
    long ending_line;      /* index into lines of the ending line, or -1: the default */
    int ending_ok;         /* the ending agrees with the line, or with the default */
} rl_match;

#define RL_MATCH_INIT {0, -1, NULL, 0, NULL, 0, -1, 0}

/* Match a run's reports and ending against one set of the case's lines (as
 * rl_case_select_set chose it). Never fails; out->ok says whether they
 * agree. */
void rl_match_run(const rl_case *c, long set, const rl_report_list *reports,
                  const rl_ending *ending, rl_match *out);
void rl_match_clear(rl_match *m);

/* ---- Running ------------------------------------------------------------ */

typedef struct rl_config {
    unsigned version;     /* RL_CONFIG_VERSION */
    const char *work_dir; /* builds go to work_dir/bin, logs to work_dir/logs */
    int jobs;             /* parallel (case, tool) jobs; <= 0: one per CPU */
    /* When non-NULL and it becomes non-zero, running jobs are killed and
     * the rest are skipped. Set it from a signal handler or, from another
     * thread, with an atomic store (__atomic_store_n); it is read so. */
    const volatile sig_atomic_t *cancel;
    int rebuild;          /* build every case afresh (once a run), whatever was built before */
} rl_config;

#define RL_CONFIG_VERSION 1
#define RL_CONFIG_INIT {RL_CONFIG_VERSION, "racelab-work", 0, NULL, 0}

/* How a job can be done again by hand: what racelab ran, and with what. */
typedef struct rl_command {
    char **argv;     /* NULL-terminated; NULL when not run */
    char **env_set;  /* NAME=VALUE racelab set or changed; NULL-terminated */
    char **env_unset;/* names racelab removed; NULL-terminated */
    char *cwd;
    int env_only;    /* env_set is the whole environment (a compiler's) */
} rl_command;

/* The outcome of one (case, tool) job, as data. */
typedef struct rl_result {
    const rl_case *rcase;
    const rl_tool *tool;
    rl_verdict verdict;
    rl_diag problem;     /* error, skip: why (file and line when about the case) */
    double seconds;      /* the tool run alone */
    double build_seconds;/* 0 when the build was reused */
    char *log_path;      /* the tool's raw log, or NULL */
    char *log_dir;       /* everything the run left: logs, stdout, stderr */
    char *binary;        /* what was built, or NULL */
    rl_command preprocess, compile, link, run;
    rl_report_list reports;
    rl_ending ending;
    rl_match match;      /* pass, fail: which report met which line */
    char **notes;        /* things worth knowing that did not change the verdict
                            (output cut short, processes left behind); NULL-terminated */
    rl_tool *owned_tool; /* a replayed result's own tool (tool points to it) */
} rl_result;

void rl_result_clear(rl_result *r);

/* A (case, tool) pair to run. */
typedef struct rl_job {
    const rl_case *rcase;
    rl_tool *tool; /* resolved by the run when it was not */
} rl_job;

/* The job policy: each case under each tool, named or default (a case
 * without lines for a tool is an input error, and its job an error).
 * Returns the jobs (to free), their count in *njobs. */
rl_job *rl_jobs_make(rl_catalogue *cat, rl_tool *tools, size_t ntools, size_t *njobs);

/* The shard (1..count) a case's jobs belong to: from a hash of its name, so
 * that count machines given the same cases and tools split them between
 * them, and a case keeps its shard whatever other cases there are. */
unsigned rl_case_shard(const char *case_name, unsigned count);
/* Keep the jobs of shard index of count (1 <= index <= count). Returns how
 * many are kept (at the front, in their order). */
size_t rl_jobs_shard(rl_job *jobs, size_t njobs, unsigned index, unsigned count);

/* Build and run one (case, tool), matching its reports. Never fails: a tool
 * that could not do its job gives an RL_ERROR result. The tool is resolved
 * when it was not. */
void rl_run_job(const rl_config *cfg, const rl_case *c, rl_tool *tool, rl_result *out);

typedef void (*rl_progress_fn)(const rl_result *r, void *ctx);

/* Resolve each distinct tool of the jobs once (all at the same time), then
 * run the jobs in parallel; results[i] belongs to jobs[i]. progress is
 * called (serialised) as each job ends. -1 for a config it cannot take. */
int rl_run_jobs(const rl_config *cfg, const rl_job *jobs, size_t njobs, rl_result *results,
                rl_progress_fn progress, void *ctx, rl_diag *diag);

/* Make this process the subreaper of its descendants, so that racelab can
 * kill what a program leaves after killing its supervisor (else init gets
 * them). It changes how the whole process reaps, so the library never does
 * it by itself: the racelab command and its test program call it. */
int rl_adopt_orphans(void);

/* Record a job's logs for replay: run it, then copy its log directory to
 * dest with a record.json that says how it ran (docs/fixtures.md). */
int rl_record_job(const rl_config *cfg, const rl_case *c, rl_tool *tool, const char *dest,
                  rl_result *out, rl_diag *diag);
/* Replay a recorded run: feed the recorded logs through the tool's adapter
 * and match them, as if the run had just happened. */
int rl_replay(const rl_case *c, const char *recorded_dir, rl_result *out, rl_diag *diag);

/* ---- Renderers: the results as text, JSON and tables --------------------- */

/* Counts of a run's verdicts. */
typedef struct rl_summary {
    size_t count[RL_VERDICT_COUNT];
    size_t total;
} rl_summary;

void rl_summarize(const rl_result *results, size_t n, rl_summary *out);

/* One line for a job: "PASS  case/tool  clang 14.0.6  0.29s", name padded
 * to width. To free. */
char *rl_render_result_line(const rl_result *r, int width);
/* What a person needs to know of a job that did not pass: each line met or
 * NOT MET, each report expected or UNEXPECTED, the ending, the log; or why
 * it errored or was skipped; then its notes ("" for a plain pass). */
char *rl_render_result_details(const rl_result *r);
/* The toolchains a run used and its counts, the last lines of a run. */
char *rl_render_summary(const rl_result *results, size_t n);
/* One line describing a report: kind, the tool's headline, case-file frames. */
char *rl_render_report(const rl_report *r, const rl_case *c);
/* Text anyone may have written made safe to print: control characters, a
 * backslash, bytes that are not UTF-8 and characters that reorder or hide
 * text become escapes (\n, \x1b, \u{202E}). To free; "" for NULL. */
char *rl_escape(const char *s);

/* What a set of lines says, in short: "data-race x2, lock-order",
 * "nothing", "hang", "signal SIGABRT", allowed reports as "(maybe
 * data-race)". To free. */
char *rl_render_set(const rl_case *c, long set);
/* A markdown table of cases: name, summary, and what each tool is expected
 * to report (the generic lines, then each scoped set). The README's and
 * docs/kinds.md's tables are this, checked by a test. To free. */
char *rl_render_cases_table(rl_case *const *cases, size_t n);
/* Markdown: the kind vocabulary, and for each tool how its own names map
 * onto it (docs/kinds.md, checked by a test). To free. */
char *rl_render_kinds(void);
/* Why a tool never reports a kind, or NULL (then some case expects it). */
const char *rl_tool_blind_spot(rl_tool_id tool, rl_kind kind);
/* Markdown: each kind under each reporting tool: the cases that expect it,
 * or why the tool never reports it (docs/kinds.md, tested). To free. */
char *rl_render_coverage(rl_case *const *cases, size_t n);
/* Markdown: docs/catalogue.md, an entry per case (tested). To free. */
char *rl_render_catalogue(rl_case *const *cases, size_t n);
/* A case's leading comment without its marks, safe to print. To free. */
char *rl_case_lesson(const rl_case *c);
/* Markdown: the options a case may give each tool, and which are refused
 * and why (docs/case-format.md, checked by a test). To free. */
char *rl_render_options(void);

/* ---- For learners ------------------------------------------------------- */

/* A run as a person reads it (racelab show): the result line, the tool's own
 * output (TSan's log less the runtime's statistics; Valgrind's text from a
 * second run of the same command in text mode, then the reports read from
 * the judged run's XML), each report labelled by the case line that took it
 * or UNEXPECTED, and the program's output and ending. NULL and why. */
char *rl_render_show(const rl_config *cfg, const rl_result *r, rl_diag *diag);
/* What a job found (run --verbose): reports and lines, ending, output. */
char *rl_render_result_found(const rl_result *r);
/* diff -u from a case to its twin beside it (no shell); NULL without a
 * twin, or NULL and why (one that does not name it back). */
char *rl_case_twin_diff(const rl_case *c, rl_diag *diag);
/* A case's lesson (racelab explain): leading comment, source with marked and
 * reported lines picked out, each result's reports, twin_diff (or NULL). */
char *rl_render_explain(const rl_case *c, const rl_result *results, size_t n,
                        const char *twin_diff);

/* Plain runs of a native result's program (racelab demo). */
typedef struct rl_demo {
    size_t runs, done;   /* asked, and run */
    char **outcomes;     /* per run: "exit 0: total 151873 of 200000" */
    long long *values;   /* per run: the first number of the first line */
    int *has_value;
} rl_demo;
typedef void (*rl_demo_progress_fn)(size_t done, size_t runs, void *ctx);
/* Run it runs times as it ran (command, environment, directory); -1, why. */
int rl_demo_run(const rl_config *cfg, const rl_result *native, size_t runs, rl_demo *out,
                rl_demo_progress_fn progress, void *ctx, rl_diag *diag);
void rl_demo_clear(rl_demo *d);
/* Outcomes, a histogram of first numbers, how often it ended as no run of
 * its twin did (twin: NULL for none), and each detector's result. */
char *rl_render_demo(const rl_case *c, const rl_demo *d, const rl_demo *twin,
                     const rl_result *verdicts, size_t n);

/* What a run was asked to cover, written with its results and what a
 * baseline is compared within: a job of the baseline inside it that the
 * run did not run (a toolchain gone) is a regression, one outside it (a case
 * not asked for, another shard's) is not. */
typedef struct rl_run_info {
    unsigned version;
    int interrupted;
    unsigned shard, shards;   /* shard I of N; 0 of 0: the whole run */
    const char *const *cases; /* the cases asked for (in this shard), NULL-terminated */
    const char *const *specs; /* the tools asked for as given (TOOL:all as such) */
} rl_run_info;

#define RL_RUN_INFO_VERSION 1
#define RL_RUN_INFO_INIT {RL_RUN_INFO_VERSION, 0, 0, 0, NULL, NULL}

/* Write results (and the input errors met while reading cases) as JSON;
 * info may be NULL (not interrupted, the whole run, no scope written). The
 * file is replaced whole, never left half written. */
int rl_results_write_json(const char *path, const rl_result *results, size_t n,
                          const rl_diag *input_errors, size_t nerrors, const rl_run_info *info,
                          rl_diag *diag);

/* Write text to a file whole (written beside, then renamed; a link is
 * followed, anything but a regular file refused); what names it in errors. */
int rl_write_text_file(const char *path, const char *text, const char *what, rl_diag *diag);

/* Results as JUnit XML (one testcase a job; what CI systems show as test
 * results) and as SARIF 2.1.0 (a finding at the case's line for each
 * unexpected report, unmet expectation and error; what code-scanning views
 * show). Each file is replaced whole. */
int rl_results_write_junit(const char *path, const rl_result *results, size_t n,
                           const rl_diag *input_errors, size_t nerrors, rl_diag *diag);
int rl_results_write_sarif(const char *path, const rl_result *results, size_t n,
                           const rl_diag *input_errors, size_t nerrors, rl_diag *diag);

/* ---- The capability matrix ---------------------------------------------- */

/* What a toolchain did with a case, against what the program really does
 * ("// bug:"): on a bug, caught (a report of the bug's kind) or missed; on a
 * correct program, clean or a false alarm (any report); on a case that does
 * not say, reported or quiet. Whether that is what the case declares for
 * the tool is the verdict, beside it. */
typedef enum rl_cell_state {
    RL_CELL_CAUGHT,
    RL_CELL_MISSED,
    RL_CELL_FALSE_ALARM,
    RL_CELL_CLEAN,
    RL_CELL_REPORTED,
    RL_CELL_QUIET,
    RL_CELL_SKIPPED,
    RL_CELL_ERROR,
    RL_CELL_STATES
} rl_cell_state;

const char *rl_cell_state_name(rl_cell_state s); /* "caught", "false alarm", ... */

typedef struct rl_cell {
    char *case_name;
    char *spec;    /* the tool as given: "tsan:clang-16" */
    char *column;  /* the toolchain: "tsan:clang-16 clang 16.0.6" */
    rl_verdict verdict;
    rl_cell_state state;
    int bug;       /* the program's ground truth: 1 a bug, 0 correct, -1 not said */
    char *detail;  /* what went wrong, or NULL */
    char *log;     /* the tool's raw log, or NULL */
} rl_cell;

void rl_cell_clear(rl_cell *c);

typedef struct rl_matrix {
    rl_cell *cells;
    size_t ncells, cap;
    /* What the runs were asked to cover ("case\nspec" patterns: a NULL
     * case or spec when a run did not say), and how they went. */
    char **asked_cases, **asked_specs;
    size_t nasked_cases, nasked_specs;
    int whole;              /* a whole run's results were added */
    unsigned shards;        /* N of the shards added (0: none) */
    unsigned char *shard_seen; /* shard_seen[I] for I in 1..N */
    int mixed_shards;       /* shards of different splits were added */
    int interrupted;        /* an interrupted run's results were added */
} rl_matrix;

#define RL_MATRIX_INIT {NULL, 0, 0, NULL, NULL, 0, 0, 0, 0, NULL, 0, 0}

/* Add a run's results; or a results file's (several files, say the shards
 * of one run, merge: a job in two files counts once, the later file's). */
void rl_matrix_add_results(rl_matrix *m, const rl_result *results, size_t n,
                           const rl_run_info *info);
int rl_matrix_add_file(rl_matrix *m, const char *path, rl_diag *diag);
/* Is the matrix the whole of what was run: no shard of a split missing, no
 * interrupted run? -1 and why when not. */
int rl_matrix_check(const rl_matrix *m, rl_diag *diag);
void rl_matrix_clear(rl_matrix *m);
/* The cases and the toolchains, sorted; NULL-terminated, to rl_strv_free. */
char **rl_matrix_cases(const rl_matrix *m);
char **rl_matrix_columns(const rl_matrix *m);
const rl_cell *rl_matrix_cell(const rl_matrix *m, const char *case_name, const char *column);

/* A toolchain's score: its cells by state, recall (caught over bugs) and
 * precision (clean over correct programs); -1 when undefined. */
typedef struct rl_score {
    size_t count[RL_CELL_STATES];
    double recall, precision;
} rl_score;

void rl_matrix_score(const rl_matrix *m, const char *column, rl_score *out);

/* The cell a case should have under a toolchain when its job passes, from
 * its own lines: what a matrix of a green run shows (docs/matrix.md is
 * checked against it). -1 when an allow line leaves it to the schedule (the
 * state without the allowed report in *out). */
int rl_case_expected_state(const rl_case *c, rl_tool_id tool, const rl_toolchain *t,
                           rl_cell_state *out);

/* A run against a baseline (an earlier results file), matched on case and
 * tool spec, so that an upgraded toolchain meets its old self: a job that
 * passed there and does not now is a regression, and so is one the run was
 * asked to cover and did not run (now is NULL: its toolchain is gone, or
 * the case no longer has lines for the tool); one that did not pass there
 * and does now is fixed. */
typedef struct rl_change {
    const rl_cell *before, *now;
} rl_change;

typedef struct rl_comparison {
    rl_change *regressions;
    size_t nregressions;
    rl_change *fixed;
    size_t nfixed;
} rl_comparison;

void rl_matrix_compare(const rl_matrix *baseline, const rl_matrix *now, rl_comparison *out);
void rl_comparison_clear(rl_comparison *c);

/* The matrix for people (markdown), for programs (JSON), and as one
 * self-contained HTML page (sortable; colours a colour-blind reader can tell
 * apart, with words and symbols beside them; each cell links to its job's
 * report). To free. */
char *rl_render_matrix_markdown(const rl_matrix *m);
char *rl_render_matrix_json(const rl_matrix *m);
char *rl_render_matrix_html(const rl_matrix *m);
/* Regressions first, then what was fixed. To free; "" when neither. */
char *rl_render_comparison(const rl_comparison *c);

#ifdef __cplusplus
}
#endif

#endif
