/* fuzz_common.h: checks shared by the fuzz targets.
 *
 * After parsing, each target reads back the strings the parser handed out,
 * as the rest of the library will print them (rl_report_describe, the JSON
 * writer), so that a dangling or unterminated pointer is caught by
 * AddressSanitizer inside the input that made it. A broken invariant
 * aborts, which libFuzzer (and the standalone driver) report as a crash.
 *
 * Only the fields that the public header has long promised are read
 * (rl_report_list, and each report's kind, tool_kind and headline), so
 * that the targets keep building while the library's structures change;
 * the parsers' own structures come from their (internal) headers. */
#ifndef RL_FUZZ_COMMON_H
#define RL_FUZZ_COMMON_H

#include "racelab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RL_FUZZ_CHECK(cond)                                                                     \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond);   \
            abort();                                                                            \
        }                                                                                       \
    } while (0)

/* Read a whole string, so that ASan checks every byte up to the NUL. */
static inline size_t rl_fuzz_touch(const char *s)
{
    return s ? strlen(s) : 0;
}

static inline void rl_fuzz_check_reports(const rl_report_list *list)
{
    RL_FUZZ_CHECK(list->count <= list->cap);
    RL_FUZZ_CHECK(list->count == 0 || list->items != NULL);
    for (size_t i = 0; i < list->count; i++) {
        const rl_report *r = &list->items[i];
        RL_FUZZ_CHECK((int)r->kind >= 0 && r->kind < RL_KIND_COUNT);
        /* Printed with %s by rl_report_describe: never NULL. */
        RL_FUZZ_CHECK(r->headline != NULL);
        RL_FUZZ_CHECK(r->tool_kind != NULL);
        rl_fuzz_touch(r->headline);
        rl_fuzz_touch(r->tool_kind);
    }
}

#endif
