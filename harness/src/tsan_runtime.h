/* tsan_runtime.h: what a toolchain's ThreadSanitizer runtime offers a case
 * (tsan_runtime.c), and the audit of a build (tsan_audit.c). (Internal.) */
#ifndef RL_TSAN_RUNTIME_H
#define RL_TSAN_RUNTIME_H

#include "adapter.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rl_tsan_runtime {
    char identity[17]; /* the compiler's */
    char *path;        /* the runtime the driver links */
    rl_map defines;      /* every global name the runtime defines */
    rl_map interceptors; /* the libc and pthread functions it wraps */
    rl_map emitted;      /* the __tsan_ names the compiler's instrumentation calls */
    rl_diag error;       /* why it could not be learnt */
} rl_tsan_runtime;

/* The runtime of the tool's compiler, learnt once per compiler identity
 * (the build's flags: its canary is compiled with them); NULL and why. */
const rl_tsan_runtime *rl_tsan_runtime_for(const rl_tool *tool, const char *const *flags,
                                           rl_diag *diag);
/* Whether a case may take name from the runtime: an interceptor, an
 * instrumentation entry point, the test-only barrier, or not the runtime's. */
int rl_tsan_runtime_allows(const rl_tsan_runtime *rt, const char *name);
int rl_tsan_runtime_defines(const rl_tsan_runtime *rt, const char *name);
/* Whether the runtime intercepts the libc function name. */
int rl_tsan_runtime_intercepts(const rl_tsan_runtime *rt, const char *name);

/* Ask the compiler that built the case, with the same command, which
 * functions it instrumented: every function must carry ThreadSanitizer's
 * instrumentation, whatever attribute or pragma asked otherwise, none may
 * hold inline assembly (whose accesses TSan never sees), and every
 * function of the object must be one the compiler made from C. */
int rl_tsan_audit(const rl_tool *tool, char *const *compile_argv, const char *object,
                  rl_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
