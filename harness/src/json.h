/* json.h: racelab's values as JSON, over jansson (not public). */
#ifndef RL_JSON_H
#define RL_JSON_H

#include "util.h"

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A string of any bytes (bad UTF-8 becomes U+FFFD), or null for NULL. */
json_t *rl_json_text(const char *s);
/* A list of such strings. */
json_t *rl_json_text_list(char *const *v);
json_t *rl_json_toolchain(const rl_toolchain *t);
/* A toolchain back from rl_json_toolchain's JSON (a record's). */
void rl_json_read_toolchain(json_t *j, rl_toolchain *t);
/* Write a document whole (rl_write_atomic), dumped with jansson's flags. */
int rl_json_write(const char *path, json_t *doc, size_t flags, const char *what, rl_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
