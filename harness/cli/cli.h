/* cli.h: what the files of the racelab command share. The command is a
 * thin front over the library: it reads its arguments, calls the library,
 * prints what the renderers make, and decides its exit status. */
#ifndef RACELAB_CLI_H
#define RACELAB_CLI_H

#include "racelab.h"

#include <signal.h>
#include <stdio.h>

enum {
    EXIT_PASSED = 0,
    EXIT_FAILED = 1,
    EXIT_INPUT = 2,
    EXIT_SKIPPED = 3,
    EXIT_REGRESSED = 4,
    EXIT_INTERRUPTED = 130
};

typedef struct options {
    const char *command;
    const char **names; /* cases, or results files for matrix */
    size_t nnames;
    const char **dirs;
    size_t ndirs;
    rl_tool *tools; /* as named (TOOL:all expanded), or the defaults */
    size_t ntools, tools_cap;
    const char **specs; /* the --tool arguments as given, NULL-terminated */
    size_t nspecs;
    const char **required; /* --require TOOL: a default tool that must be installed */
    size_t nrequired;
    int jobs;
    unsigned shard, shards; /* --shard I/N; 0: all */
    const char *json, *junit, *sarif, *matrix, *baseline, *html, *markdown;
    const char *work;
    const char *out;
    int table, kinds, options, coverage, catalogue, rebuild, quiet, verbose;
    long runs; /* demo: how many native runs; 0: the default */
} options;

extern char default_cases[], default_work[];
extern volatile sig_atomic_t interrupted;

void find_defaults(void);
void print_usage(FILE *f);
int parse_options(int argc, char **argv, options *o);
void free_options(options *o);

void print_diag(const rl_diag *d);
/* Printing never stops a run: with stdout gone (racelab | head -1), the
 * results are still written to the files asked for. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Shared by the commands (common.c). */
void load_catalogue(const options *o, rl_catalogue *cat);
/* Write text (freed) to path whole; -1 (told) when it cannot be. */
int write_text(const char *path, const char *what, char *text);
int write_matrix(const rl_matrix *m, const char *path);
void catch_signals(void);
/* The tools named, or the defaults; -1 (told) for a bad --require. */
int choose_tools(options *o);

int cmd_list(const options *o);
int cmd_run(options *o);
int cmd_record(options *o);
int cmd_matrix(const options *o);
int cmd_show(options *o);
int cmd_explain(options *o);
int cmd_demo(options *o);

#endif
