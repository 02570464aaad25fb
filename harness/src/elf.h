/* elf.h: the symbols of an ELF object, shared library or archive (not
 * public). */
#ifndef RL_ELF_H
#define RL_ELF_H

#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rl_elf_symbol {
    char *name;
    int defined; /* 0: undefined, taken from elsewhere at link time */
    int global;  /* global or weak: seen by the link (a local one is not) */
    int func;    /* a function */
} rl_elf_symbol;

typedef struct rl_elf_symbols {
    rl_elf_symbol *items;
    size_t count, cap;
} rl_elf_symbols;

/* Every symbol of a relocatable object, a shared library (its dynamic
 * symbols when stripped) or each object of an ar archive. */
int rl_elf_read_symbols(const char *path, rl_elf_symbols *out, rl_diag *diag);
void rl_elf_symbols_clear(rl_elf_symbols *s);

#ifdef __cplusplus
}
#endif

#endif
