/* toolchain.h: what a tool's program is, asked of the program (not public). */
#ifndef RL_TOOLCHAIN_H
#define RL_TOOLCHAIN_H

#include "adapter.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The families a program of a role can be, NULL-terminated: "clang",
 * "gcc" for compilers; "valgrind". */
const char *const *rl_toolchain_families(rl_role role);

/* Find out family, version and identity of a program. build_flags: for a
 * compiler, the flags of the build its identity is for; NULL for a program
 * that is not a compiler. */
int rl_toolchain_probe(const char *program, const char *const *build_flags, rl_toolchain *out,
                       rl_diag *diag);

/* The words of a driver's -### listing (quoted as the driver quotes them). */
void rl_listing_words(const char *listing, rl_strv *words);
/* What a compiler's driver would run to build with flags: its -###
 * listing (every program and file), to free; NULL and why. */
char *rl_toolchain_listing(const rl_toolchain *compiler, const char *const *flags, rl_diag *diag);

/* Set t's version (and its numbers) from the digits and dots at s. */
void rl_toolchain_set_version(rl_toolchain *t, const char *s);

#ifdef __cplusplus
}
#endif

#endif
