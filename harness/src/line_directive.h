/* line_directive.h: finding #line in C text (not public). */
#ifndef RL_LINE_DIRECTIVE_H
#define RL_LINE_DIRECTIVE_H

#include <stddef.h>

/* The physical line (1-based) of the first #line directive or GNU line
 * marker in text, as the compiler's translation phases 1 to 3 would find
 * it (trigraphs, digraphs, spliced lines and comments included); 0 when
 * there is none. */
int rl_line_directive_at(const char *text, size_t len);

#endif
