/* tsan_runtime.c: what a toolchain's ThreadSanitizer runtime offers a
 * case, learnt from the toolchain itself rather than from a list of names.
 *
 * - The runtime: the archive or library the driver links for
 *   -fsanitize=thread (its -### listing names it), and every global name it
 *   defines.
 * - Its interceptors, the libc and pthread functions it wraps: a name X
 *   with a twin __interceptor_X (LLVM up to 16, GCC), ___interceptor_X
 *   (LLVM 17 and later), or __interception::real_X (what every version
 *   keeps, the setjmp family of LLVM 19 included).
 * - What the compiler's instrumentation calls: the __tsan_ names a canary
 *   that makes every kind of access a C program can make is compiled to,
 *   at several optimisation levels, and their siblings of other access
 *   sizes the runtime defines.
 *
 * A case's object may call an interceptor, an instrumentation entry point
 * and the test-only barrier (__tsan_testonly_*, which TSan does not take as
 * synchronisation: it can only add reports); anything else of the
 * runtime's (annotations, ignores, the mutex and fiber APIs, hooks) could
 * tell it to look away, and is refused. It may define none of the
 * runtime's names. */
#define _GNU_SOURCE
#include "elf.h"
#include "fs.h"
#include "toolchain.h"
#include "tsan_runtime.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every kind of access a C case can make, for the compiler to name every
 * instrumentation function it can emit. */
static const char canary[] =
    "#include <stdint.h>\n"
    "#include <string.h>\n"
    "#include <stdatomic.h>\n"
    "typedef int8_t i8; typedef int16_t i16; typedef int32_t i32; typedef int64_t i64;\n"
    "typedef __int128 i128;\n"
    "struct __attribute__((packed)) un { char c; i16 s; i32 i; i64 l; i128 q; };\n"
    "i8 g8; i16 g16; i32 g32; i64 g64; i128 g128; float gf; double gd; long double gld;\n"
    "volatile i8 v8; volatile i16 v16; volatile i32 v32; volatile i64 v64; volatile i128 v128;\n"
    "struct big { char b[200]; } gb1, gb2;\n"
    "typedef double v2d __attribute__((vector_size(16)));\n"
    "typedef int v8i __attribute__((vector_size(32)));\n"
    "v2d gv; v8i gv8;\n"
    "void canary_plain(void) { g8++; g16++; g32++; g64++; g128++; gf += 1; gd += 1; gld += 1;\n"
    "  gv += gv; gv8 += gv8; }\n"
    "long canary_reads(void) { return g8 + g16 + g32 + g64 + (long)g128 + (long)gf + (long)gd\n"
    "  + (long)gld + (long)gv[0] + gv8[1]; }\n"
    "long canary_unaligned_reads(struct un *u) { return u->s + u->i + u->l + (long)u->q; }\n"
    "long canary_volatile_reads(void) { return v8 + v16 + v32 + v64 + (long)v128; }\n"
    "void canary_volatile(void) { v8++; v16++; v32++; v64++; v128++; }\n"
    "void canary_unaligned(struct un *u) { u->s++; u->i++; u->l++; u->q++; }\n"
    "void canary_mem(void *d, const void *s, unsigned long n) {\n"
    "  memcpy(d, s, n); memmove(d, s, n); memset(d, 1, n);\n"
    "  __builtin_memcpy(d, s, n); __builtin_memmove(d, s, n); __builtin_memset(d, 0, n);\n"
    "  gb1 = gb2; }\n"
    "#define ATOMICS(T, v) \\\n"
    "  __atomic_load_n(&v, __ATOMIC_SEQ_CST); __atomic_store_n(&v, 1, __ATOMIC_SEQ_CST); \\\n"
    "  __atomic_exchange_n(&v, 2, __ATOMIC_SEQ_CST); \\\n"
    "  { T e = 0; __atomic_compare_exchange_n(&v, &e, 3, 0, __ATOMIC_SEQ_CST, "
    "__ATOMIC_SEQ_CST); } \\\n"
    "  { T e = 0; __atomic_compare_exchange_n(&v, &e, 3, 1, __ATOMIC_SEQ_CST, "
    "__ATOMIC_RELAXED); } \\\n"
    "  __atomic_fetch_add(&v, 1, 0); __atomic_fetch_sub(&v, 1, 0); \\\n"
    "  __atomic_fetch_and(&v, 1, 0); __atomic_fetch_or(&v, 1, 0); \\\n"
    "  __atomic_fetch_xor(&v, 1, 0); __atomic_fetch_nand(&v, 1, 0); \\\n"
    "  __atomic_add_fetch(&v, 1, 0); __atomic_sub_fetch(&v, 1, 0); \\\n"
    "  __atomic_and_fetch(&v, 1, 0); __atomic_or_fetch(&v, 1, 0); \\\n"
    "  __atomic_xor_fetch(&v, 1, 0); __atomic_nand_fetch(&v, 1, 0); \\\n"
    "  __sync_fetch_and_add(&v, 1); __sync_val_compare_and_swap(&v, 1, 2); \\\n"
    "  __sync_bool_compare_and_swap(&v, 1, 2); __sync_lock_test_and_set(&v, 1); \\\n"
    "  __sync_lock_release(&v);\n"
    "i8 a8; i16 a16; i32 a32; i64 a64; i128 a128;\n"
    "void canary_atomic(void) {\n"
    "  ATOMICS(i8, a8) ATOMICS(i16, a16) ATOMICS(i32, a32) ATOMICS(i64, a64) "
    "ATOMICS(i128, a128)\n"
    "  __atomic_thread_fence(__ATOMIC_SEQ_CST); __atomic_signal_fence(__ATOMIC_SEQ_CST);\n"
    "  atomic_thread_fence(memory_order_acquire); __sync_synchronize();\n"
    "  _Atomic float af; atomic_store(&af, 1.0f); (void)atomic_load(&af); }\n"
    "struct S { int a[40]; };\n"
    "struct S canary_ret_struct(struct S *p) { return *p; }\n"
    "void canary_calls(void (*f)(void)) { f(); }\n"
    "void *canary_frame(void) { return __builtin_return_address(0); }\n";

static const char *const canary_levels[] = {"-O0", "-O1", "-O2", NULL};

/* The runtime the driver links for the build: a libclang_rt.tsan archive
 * or library named whole, or -ltsan found in its -L directories. */
static char *find_runtime(const rl_tool *tool, const char *const *flags, rl_diag *diag)
{
    char *listing = rl_toolchain_listing(&tool->compiler, flags, diag);
    if (!listing)
        return NULL;
    rl_strv words = {0}, dirs = {0};
    rl_listing_words(listing, &words);
    free(listing);
    char *found = NULL;
    int wants_ltsan = 0;
    for (size_t i = 0; i < words.n && !found; i++) {
        const char *w = words.v[i];
        const char *base = strrchr(w, '/');
        if (w[0] == '/' && base && strncmp(base + 1, "libclang_rt.tsan", 16) == 0 &&
            !strstr(base, "cxx"))
            found = rl_xstrdup(w);
        else if (strncmp(w, "-L", 2) == 0 && w[2] == '/')
            rl_strv_push(&dirs, w + 2);
        else if (strcmp(w, "-ltsan") == 0)
            wants_ltsan = 1;
    }
    for (size_t d = 0; !found && wants_ltsan && d < dirs.n; d++) {
        const char *names[] = {"libtsan.so", "libtsan.a"};
        for (size_t k = 0; k < 2 && !found; k++) {
            char *path = rl_xasprintf("%s/%s", dirs.v[d], names[k]);
            char *real = realpath(path, NULL);
            free(path);
            if (real)
                found = real;
        }
    }
    rl_strv_clear(&words);
    rl_strv_clear(&dirs);
    if (!found)
        rl_diag_set(diag, NULL, 0,
                    "cannot find the ThreadSanitizer runtime '%s' links for -fsanitize=thread "
                    "(neither a libclang_rt.tsan file nor -ltsan in its -### listing)",
                    tool->program);
    return found;
}

/* The name X a runtime symbol intercepts, or NULL. */
static const char *intercepted(const char *name, char *buf, size_t size)
{
    if (strncmp(name, "___interceptor_", 15) == 0)
        return name + 15;
    if (strncmp(name, "__interceptor_", 14) == 0 &&
        strncmp(name, "__interceptor_trampoline_", 25) != 0)
        return name + 14;
    /* _ZN14__interception<len>real_XE: __interception::real_X */
    if (strncmp(name, "_ZN14__interception", 19) == 0) {
        const char *p = name + 19;
        size_t len = 0;
        while (isdigit((unsigned char)*p))
            len = len * 10 + (size_t)(*p++ - '0');
        if (len > 5 && strncmp(p, "real_", 5) == 0 && strlen(p) == len + 1 && p[len] == 'E' &&
            len - 5 < size) {
            snprintf(buf, size, "%.*s", (int)(len - 5), p + 5);
            return buf;
        }
    }
    return NULL;
}

/* The names the canary is compiled to call, at each level. */
static int canary_names(const rl_tool *tool, const char *const *flags, rl_strv *names,
                        rl_diag *diag)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = rl_xasprintf("%s/racelab-canary.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        int rc = rl_diag_set(diag, NULL, 0, "cannot create a directory for the canary: %s",
                             strerror(errno));
        free(dir);
        return rc;
    }
    char *src = rl_xasprintf("%s/canary.c", dir), *obj = rl_xasprintf("%s/canary.o", dir);
    char *log = rl_xasprintf("%s/build.log", dir);
    int rc = rl_write_atomic(src, canary, sizeof canary - 1, "the canary", diag);
    for (const char *const *level = canary_levels; rc == 0 && *level; level++) {
        rl_strv argv = {0};
        rl_strv_push(&argv, tool->compiler.path);
        for (size_t i = 0; flags[i]; i++)
            if (strncmp(flags[i], "-O", 2) != 0)
                rl_strv_push(&argv, flags[i]);
        const char *rest[] = {*level, "-pthread", "-c", "-o", obj, src};
        for (size_t i = 0; i < sizeof rest / sizeof *rest; i++)
            rl_strv_push(&argv, rest[i]);
        char **envp = rl_compiler_env(NULL);
        rl_spawn s = {.argv = argv.v, .envp = envp, .cwd = dir, .stdout_path = log, .stderr_path = log,
                      .timeout = 120};
        rl_outcome o;
        rl_diag problem = RL_DIAG_INIT;
        if (rl_spawn_wait(&s, &o, &problem) < 0 || !o.exited || o.status != 0) {
            rc = rl_diag_set(diag, NULL, 0, "'%s' cannot compile ThreadSanitizer's canary at %s",
                             tool->program, *level);
            rl_diag_add_excerpt(diag, "compiler output", log);
        } else {
            rl_elf_symbols syms;
            rc = rl_elf_read_symbols(obj, &syms, diag);
            for (size_t i = 0; rc == 0 && i < syms.count; i++)
                if (!syms.items[i].defined && strncmp(syms.items[i].name, "__tsan_", 7) == 0)
                    rl_strv_push(names, syms.items[i].name);
            rl_elf_symbols_clear(&syms);
        }
        rl_diag_clear(&problem);
        rl_outcome_clear(&o);
        rl_strv_free(envp);
        rl_strv_clear(&argv);
        unlink(obj);
    }
    rl_empty_dir(dir, NULL);
    rmdir(dir);
    free(src);
    free(obj);
    free(log);
    free(dir);
    return rc;
}

/* "__tsan_read4" -> the same call for every access size the runtime has;
 * "__tsan_atomic32_load" -> every width. */
static void add_siblings(rl_map *emitted, const rl_map *runtime, const char *name)
{
    rl_map_put(emitted, name, 1);
    const char *digits = name + strcspn(name, "0123456789");
    if (!*digits)
        return;
    size_t n = strspn(digits, "0123456789");
    static const char *const sizes[] = {"1", "2", "4", "8", "16", "32", "64", "128"};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        char *sibling = rl_xasprintf("%.*s%s%s", (int)(digits - name), name, sizes[i], digits + n);
        size_t unused;
        if (rl_map_get(runtime, sibling, &unused) == 0)
            rl_map_put(emitted, sibling, 1);
        free(sibling);
    }
}

static int learn(const rl_tool *tool, const char *const *flags, rl_tsan_runtime *rt,
                 rl_diag *diag)
{
    rt->path = find_runtime(tool, flags, diag);
    if (!rt->path)
        return -1;
    rl_elf_symbols syms;
    if (rl_elf_read_symbols(rt->path, &syms, diag) < 0)
        return -1;
    char buf[256];
    for (size_t i = 0; i < syms.count; i++) {
        const rl_elf_symbol *s = &syms.items[i];
        if (!s->defined || !s->global)
            continue;
        rl_map_put(&rt->defines, s->name, 1);
        const char *x = intercepted(s->name, buf, sizeof buf);
        if (x)
            rl_map_put(&rt->interceptors, x, 1);
    }
    rl_elf_symbols_clear(&syms);
    if (rt->defines.count == 0)
        return rl_diag_set(diag, rt->path, 0, "the ThreadSanitizer runtime defines nothing");
    rl_strv names = {0};
    int rc = canary_names(tool, flags, &names, diag);
    for (size_t i = 0; rc == 0 && i < names.n; i++)
        add_siblings(&rt->emitted, &rt->defines, names.v[i]);
    rl_strv_clear(&names);
    if (rc == 0 && rt->emitted.count == 0)
        rc = rl_diag_set(diag, NULL, 0,
                         "'%s' compiled ThreadSanitizer's canary to no call into the runtime",
                         tool->program);
    return rc;
}

/* Learnt once per compiler identity in a process. */
static pthread_mutex_t cache_mutex = PTHREAD_MUTEX_INITIALIZER;
static rl_tsan_runtime **cache;
static size_t ncache, cache_cap;

const rl_tsan_runtime *rl_tsan_runtime_for(const rl_tool *tool, const char *const *flags,
                                           rl_diag *diag)
{
    pthread_mutex_lock(&cache_mutex);
    rl_tsan_runtime *rt = NULL;
    for (size_t i = 0; i < ncache && !rt; i++)
        if (strcmp(cache[i]->identity, tool->compiler.identity) == 0)
            rt = cache[i];
    if (!rt) {
        rl_tsan_runtime *fresh = rl_xcalloc(1, sizeof *fresh);
        snprintf(fresh->identity, sizeof fresh->identity, "%s", tool->compiler.identity);
        if (learn(tool, flags, fresh, &fresh->error) < 0 && !fresh->error.message)
            rl_diag_set(&fresh->error, NULL, 0, "cannot learn the ThreadSanitizer runtime");
        cache = rl_xgrow(cache, &cache_cap, ncache + 1, sizeof *cache);
        cache[ncache++] = rt = fresh;
    }
    pthread_mutex_unlock(&cache_mutex);
    if (rt->error.message) {
        rl_diag_copy(diag, &rt->error);
        return NULL;
    }
    return rt;
}

int rl_tsan_runtime_allows(const rl_tsan_runtime *rt, const char *name)
{
    size_t unused;
    if (strncmp(name, "__tsan_testonly_", 16) == 0)
        return 1;
    if (rl_map_get(&rt->defines, name, &unused) < 0)
        return 1; /* not the runtime's */
    return rl_map_get(&rt->emitted, name, &unused) == 0 ||
           rl_map_get(&rt->interceptors, name, &unused) == 0;
}

int rl_tsan_runtime_intercepts(const rl_tsan_runtime *rt, const char *name)
{
    size_t unused;
    return rl_map_get(&rt->interceptors, name, &unused) == 0;
}

int rl_tsan_runtime_defines(const rl_tsan_runtime *rt, const char *name)
{
    size_t unused;
    return rl_map_get(&rt->defines, name, &unused) == 0;
}
