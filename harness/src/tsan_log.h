/* tsan_log.h: what a ThreadSanitizer log says (not public; the tests and
 * fuzzers include it). */
#ifndef RL_TSAN_LOG_H
#define RL_TSAN_LOG_H

#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The parser is tolerant: it never fails, it takes what it recognises and
 * leaves the rest. */
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
    int error_complete; /* an ERROR block ended with "==PID==ABORTING": written whole */
    rl_report_list errors; /* every ERROR block, as a report of kind UNKNOWN */
    char *dying;      /* first runtime line that says it kills the process, or NULL */
    char *unrecognised; /* first line naming ThreadSanitizer racelab cannot place, or NULL */
} rl_tsan_log;

/* Read a log; kinds maps the reports' headlines (the adapter's table). */
void rl_tsan_parse(const char *text, size_t len, const rl_kind_rule *kinds, rl_tsan_log *out);
void rl_tsan_log_clear(rl_tsan_log *log);

#ifdef __cplusplus
}
#endif

#endif
