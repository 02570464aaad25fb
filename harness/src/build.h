/* build.h: compiling a case, once per distinct input (not public). */
#ifndef RL_BUILD_H
#define RL_BUILD_H

#include "adapter.h"

#include <pthread.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The builds made afresh in one run (--rebuild builds each once a run). */
typedef struct rl_build_memo {
    pthread_mutex_t mutex;
    rl_map built;
} rl_build_memo;

/* Build a case with compiler and flags into bin_dir, reusing an identical
 * earlier build. Preprocesses, compiles the text to an object, then links.
 * 0 and *binary, or -1 and why. preprocess, compile and link receive the
 * command lines. */
typedef struct rl_build_request {
    const rl_adapter *adapter;
    const rl_tool *tool;
    const rl_toolchain *compiler;
    const rl_case *rcase;
    const char *bin_dir;
    const char *log_path; /* the compiler's output */
    const volatile sig_atomic_t *cancel;
    int rebuild;          /* build afresh even when an earlier build holds... */
    rl_build_memo *memo;  /* ...unless this memo has it built afresh already; or NULL */
} rl_build_request;

int rl_build(const rl_build_request *req, char **binary, double *seconds, rl_command *preprocess,
             rl_command *compile, rl_command *link, rl_diag *diag);

/* A case's cflags word: 0, or -1 and why it is refused. Only flags that
 * cannot switch a tool's checking off are taken (docs/case-format.md). */
int rl_check_cflag(const char *word, rl_diag *diag);

void rl_command_clear(rl_command *c);

#ifdef __cplusplus
}
#endif

#endif
