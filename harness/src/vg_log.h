/* vg_log.h: what a Valgrind --xml=yes log says, protocol 4 and later (not
 * public; the tests and fuzzers include it). */
#ifndef RL_VG_LOG_H
#define RL_VG_LOG_H

#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rl_vg_log {
    rl_report_list reports; /* every complete <error> */
    char tool[32];          /* <protocoltool> */
    char *preamble;         /* the first <preamble><line>: "Helgrind, a thread error detector" */
    char *version;          /* of the <preamble><line> "Using Valgrind-3.19.0 and LibVEX...", or NULL */
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
 * fault is kept either way (a killed run leaves the file truncated). kinds
 * maps each error's <kind> and text (the adapter's table). */
int rl_vg_parse(const char *xml, size_t len, const rl_kind_rule *kinds, rl_vg_log *out);
void rl_vg_log_clear(rl_vg_log *log);

#ifdef __cplusplus
}
#endif

#endif
