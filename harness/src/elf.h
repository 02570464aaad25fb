/* elf.h: the symbols of an ELF object file (not public). */
#ifndef RL_ELF_H
#define RL_ELF_H

#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The names of the undefined symbols of an object file that start with
 * prefix, NULL-terminated (to free with rl_strv_free); NULL and why when it
 * is not a readable ELF object. */
char **rl_elf_undefined(const char *data, size_t len, const char *prefix, rl_diag *diag);
/* The same for the symbols it defines. */
char **rl_elf_defined(const char *data, size_t len, const char *prefix, rl_diag *diag);
/* Both lists, whole, of an object file: 0, or -1 and why. */
int rl_elf_file_symbols(const char *path, char ***undefined, char ***defined, rl_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
