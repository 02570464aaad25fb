/* match.h: what the renderers share with matching (not public). */
#ifndef RL_MATCH_H
#define RL_MATCH_H

#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The last part of a path. */
const char *rl_base_name(const char *path);
/* Whether a frame is in the case's own file, at a line. */
int rl_frame_in_case(const rl_frame *f, const rl_case *c);

#ifdef __cplusplus
}
#endif

#endif
