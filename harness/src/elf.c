/* elf.c: the undefined symbols of an ELF object file.
 *
 * An object compiled with -fsanitize=thread calls the runtime's hooks
 * (__tsan_func_entry, __tsan_read4, ...), which it leaves undefined for the
 * link; an uninstrumented one has none. Reading the object's symbol table
 * is how racelab proves the compile step instrumented the case. Every
 * offset is checked: the file comes from a compiler racelab does not
 * trust. */
#define _GNU_SOURCE
#include "elf.h"
#include "fs.h"

#include <errno.h>
#include <stdlib.h>

#include <stdint.h>
#include <string.h>

static uint64_t get(const char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = (v << 8) | (unsigned char)p[i]; /* little-endian */
    return v;
}

static int in_bounds(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

static char **symbols(const char *data, size_t len, const char *prefix, int defined, rl_diag *diag);

char **rl_elf_undefined(const char *data, size_t len, const char *prefix, rl_diag *diag)
{
    return symbols(data, len, prefix, 0, diag);
}

char **rl_elf_defined(const char *data, size_t len, const char *prefix, rl_diag *diag)
{
    return symbols(data, len, prefix, 1, diag);
}

static char **symbols(const char *data, size_t len, const char *prefix, int defined, rl_diag *diag)
{
    if (len < 64 || memcmp(data, "\x7f" "ELF", 4) != 0) {
        rl_diag_set(diag, NULL, 0, "not an ELF file");
        return NULL;
    }
    if (data[4] != 2 || data[5] != 1) {
        rl_diag_set(diag, NULL, 0, "not a 64-bit little-endian ELF file");
        return NULL;
    }
    uint64_t shoff = get(data + 0x28, 8);
    uint64_t shentsize = get(data + 0x3A, 2), shnum = get(data + 0x3C, 2);
    if (shentsize < 64 || !in_bounds(shoff, shentsize * shnum, len)) {
        rl_diag_set(diag, NULL, 0, "its section headers lie outside the file");
        return NULL;
    }
    rl_strv names = {0};
    size_t plen = strlen(prefix);
    int symtabs = 0;
    for (uint64_t i = 0; i < shnum; i++) {
        const char *sh = data + shoff + i * shentsize;
        if (get(sh + 4, 4) != 2) /* SHT_SYMTAB */
            continue;
        symtabs++;
        uint64_t off = get(sh + 0x18, 8), size = get(sh + 0x20, 8);
        uint64_t link = get(sh + 0x28, 4), entsize = get(sh + 0x38, 8);
        if (entsize < 24 || link >= shnum || !in_bounds(off, size, len)) {
            rl_diag_set(diag, NULL, 0, "its symbol table lies outside the file");
            rl_strv_clear(&names);
            return NULL;
        }
        const char *strsh = data + shoff + link * shentsize;
        uint64_t stroff = get(strsh + 0x18, 8), strsize = get(strsh + 0x20, 8);
        if (!in_bounds(stroff, strsize, len)) {
            rl_diag_set(diag, NULL, 0, "its string table lies outside the file");
            rl_strv_clear(&names);
            return NULL;
        }
        for (uint64_t s = 0; s + entsize <= size; s += entsize) {
            const char *sym = data + off + s;
            uint64_t name = get(sym, 4), shndx = get(sym + 6, 2);
            if ((shndx != 0) != defined || name >= strsize) /* SHN_UNDEF: undefined */
                continue;
            const char *str = data + stroff + name;
            size_t max = (size_t)(strsize - name);
            size_t n = strnlen(str, max);
            if (n == max) /* not terminated inside the table */
                continue;
            if (n >= plen && memcmp(str, prefix, plen) == 0)
                rl_strv_pushn(&names, str, n);
        }
    }
    if (!symtabs) {
        rl_diag_set(diag, NULL, 0, "it has no symbol table");
        return NULL;
    }
    return rl_strv_steal(&names);
}

int rl_elf_file_symbols(const char *path, char ***undefined, char ***defined, rl_diag *diag)
{
    *undefined = *defined = NULL;
    size_t len;
    char *bytes = rl_read_file(path, &len, diag);
    if (!bytes)
        return -1;
    rl_diag problem = RL_DIAG_INIT;
    *undefined = rl_elf_undefined(bytes, len, "", &problem);
    *defined = *undefined ? rl_elf_defined(bytes, len, "", &problem) : NULL;
    free(bytes);
    if (!*defined) {
        rl_diag_set(diag, NULL, 0, "cannot read the object %s: ", path);
        rl_diag_append_raw(diag, rl_diag_message(&problem));
        rl_strv_free(*undefined);
        *undefined = NULL;
    }
    rl_diag_clear(&problem);
    return *defined ? 0 : -1;
}
