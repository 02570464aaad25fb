/* render.h: what the renderers share (not public). */
#ifndef RL_RENDER_H
#define RL_RENDER_H

#include "match.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What went wrong with a job that did not pass, as its JSON "message" and
 * the body of rl_render_result_details: the match explained (fail), or
 * the problem (error, skip), and the log. "" for a pass. To free. */
char *rl_render_problem(const rl_result *r);

#ifdef __cplusplus
}
#endif

#endif
