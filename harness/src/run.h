/* run.h: what pool.c and record.c take from the runner (not public). */
#ifndef RL_RUN_H
#define RL_RUN_H

#include "build.h"

#include <pthread.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Serialises builds that share a binary within this process; other
 * processes are kept apart by build.c's rename. */
#define RL_BUILD_STRIPES 16
typedef struct rl_build_locks {
    pthread_mutex_t stripe[RL_BUILD_STRIPES];
    rl_build_memo memo;
} rl_build_locks;

/* An empty result of a job: an error until the job says otherwise. */
void rl_result_start(rl_result *r, const rl_case *c, const rl_tool *tool);
/* The run's time limit (and the best guess of a job's cost). */
double rl_time_limit(const rl_case *c, const rl_adapter *a);
/* Run a job whose tool is resolved; locks may be NULL; kept, when not
 * NULL, receives the outcome (record.c). */
void rl_run_job_locked(const rl_config *cfg, const rl_case *c, const rl_tool *tool,
                       rl_result *out, rl_build_locks *locks, rl_outcome *kept,
                       int case_cannot_run);
/* Whether the set the tool's toolchain chooses says it cannot run the case. */
int rl_job_unsupported(const rl_case *c, const rl_tool *tool);
/* Collect, match and give the verdict of a run that happened (or was
 * recorded), against the chosen set. */
void rl_judge(const rl_adapter *a, const rl_tool *tool, const rl_case *c, long set,
              char *const *argv, const char *log_dir, const rl_outcome *o, rl_result *out,
              const char *recorded_path);

#ifdef __cplusplus
}
#endif

#endif
