/* elf.c: the symbols of an ELF object, shared library or archive.
 *
 * An object compiled with -fsanitize=thread calls the runtime's hooks
 * (__tsan_func_entry, __tsan_read4, ...), which it leaves undefined for the
 * link; what it defines and what it takes from the runtime is how racelab
 * proves the case was instrumented and tells the runtime nothing. The
 * runtime's own symbols (a static archive or a shared library) say what it
 * offers. Every offset is checked: the files come from a compiler racelab
 * does not trust. */
#define _GNU_SOURCE
#include "elf.h"
#include "fs.h"

#include <stdint.h>
#include <stdlib.h>
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

#define SHT_SYMTAB 2
#define SHT_DYNSYM 11
#define STB_LOCAL 0
#define STT_FUNC 2

static void add_symbol(rl_elf_symbols *out, const char *name, size_t n, int defined, int global,
                       int func)
{
    out->items = rl_xgrow(out->items, &out->cap, out->count + 1, sizeof *out->items);
    out->items[out->count++] =
        (rl_elf_symbol){rl_xstrndup(name, n), defined, global, func};
}

/* The symbols of one ELF file in memory: its symbol table, or its dynamic
 * symbol table when it has none (a stripped shared library). */
static int read_elf(const char *data, size_t len, int member, rl_elf_symbols *out,
                    rl_diag *diag)
{
    if (len < 64 || memcmp(data, "\x7f" "ELF", 4) != 0)
        return rl_diag_set(diag, NULL, 0, "not an ELF file");
    if (data[4] != 2 || data[5] != 1)
        return rl_diag_set(diag, NULL, 0, "not a 64-bit little-endian ELF file");
    uint64_t shoff = get(data + 0x28, 8);
    uint64_t shentsize = get(data + 0x3A, 2), shnum = get(data + 0x3C, 2);
    if (shentsize < 64 || !in_bounds(shoff, shentsize * shnum, len))
        return rl_diag_set(diag, NULL, 0, "its section headers lie outside the file");
    int has_symtab = 0;
    for (uint64_t i = 0; i < shnum; i++)
        has_symtab |= get(data + shoff + i * shentsize + 4, 4) == SHT_SYMTAB;
    int tables = 0;
    for (uint64_t i = 0; i < shnum; i++) {
        const char *sh = data + shoff + i * shentsize;
        if (get(sh + 4, 4) != (has_symtab ? SHT_SYMTAB : SHT_DYNSYM))
            continue;
        tables++;
        uint64_t off = get(sh + 0x18, 8), size = get(sh + 0x20, 8);
        uint64_t link = get(sh + 0x28, 4), entsize = get(sh + 0x38, 8);
        if (entsize < 24 || link >= shnum || !in_bounds(off, size, len))
            return rl_diag_set(diag, NULL, 0, "its symbol table lies outside the file");
        const char *strsh = data + shoff + link * shentsize;
        uint64_t stroff = get(strsh + 0x18, 8), strsize = get(strsh + 0x20, 8);
        if (!in_bounds(stroff, strsize, len))
            return rl_diag_set(diag, NULL, 0, "its string table lies outside the file");
        for (uint64_t s = 0; s + entsize <= size; s += entsize) {
            const char *sym = data + off + s;
            uint64_t name = get(sym, 4), info = get(sym + 4, 1), shndx = get(sym + 6, 2);
            if (name == 0 || name >= strsize)
                continue;
            const char *str = data + stroff + name;
            size_t max = (size_t)(strsize - name);
            size_t n = strnlen(str, max);
            if (n == max) /* not terminated inside the table */
                continue;
            add_symbol(out, str, n, shndx != 0 /* SHN_UNDEF */, (info >> 4) != STB_LOCAL,
                       (info & 0xf) == STT_FUNC);
        }
    }
    if (!tables && !member) /* an archive may hold an object that defines nothing */
        return rl_diag_set(diag, NULL, 0, "it has no symbol table");
    return 0;
}

/* The symbols of every ELF member of an ar archive. */
static int read_archive(const char *data, size_t len, rl_elf_symbols *out, rl_diag *diag)
{
    size_t at = 8; /* "!<arch>\n" */
    while (at + 60 <= len) {
        const char *h = data + at;
        char size_text[11];
        memcpy(size_text, h + 48, 10);
        size_text[10] = '\0';
        char *end;
        unsigned long long size = strtoull(size_text, &end, 10);
        if (end == size_text || !in_bounds(at + 60, size, len))
            return rl_diag_set(diag, NULL, 0, "an archive member lies outside the file");
        const char *member = data + at + 60;
        /* The symbol index ("/") and the long-name table ("//") are not
         * objects; every other member of a runtime's archive is. */
        if (size >= 4 && memcmp(member, "\x7f" "ELF", 4) == 0 &&
            read_elf(member, (size_t)size, 1, out, diag) < 0)
            return -1;
        at += 60 + (size_t)size + (size & 1);
    }
    return 0;
}

int rl_elf_read_symbols(const char *path, rl_elf_symbols *out, rl_diag *diag)
{
    memset(out, 0, sizeof *out);
    size_t len;
    char *bytes = rl_read_file_max(path, (size_t)256 << 20, &len, diag);
    if (!bytes)
        return -1;
    rl_diag problem = RL_DIAG_INIT;
    int rc = len >= 8 && memcmp(bytes, "!<arch>\n", 8) == 0 ? read_archive(bytes, len, out, &problem)
                                                            : read_elf(bytes, len, 0, out, &problem);
    free(bytes);
    if (rc < 0) {
        rl_diag_set(diag, NULL, 0, "cannot read the symbols of %s: ", path);
        rl_diag_append_raw(diag, rl_diag_message(&problem));
        rl_elf_symbols_clear(out);
    }
    rl_diag_clear(&problem);
    return rc;
}

void rl_elf_symbols_clear(rl_elf_symbols *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i].name);
    free(s->items);
    memset(s, 0, sizeof *s);
}
