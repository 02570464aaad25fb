/* tsan_audit.c: ask the compiler what it made of the case.
 *
 * Names in the source prove nothing (a macro can paste them together, an
 * #if 0 can hold them harmlessly), and the object alone cannot tell an
 * uninstrumented access from one ThreadSanitizer may skip. The compiler
 * can: the case is compiled again, with the very command of its build, to
 * the compiler's own account of each function. clang's LLVM IR marks every
 * function it instruments "sanitize_thread"; GCC's final tree dump prints
 * no_sanitize (thread) above a function it does not. Both show inline
 * assembly, whose accesses TSan never sees. Every function symbol of the
 * object must then be one of the functions the compiler made from C: code
 * written in assembly at file scope is not. */
#define _GNU_SOURCE
#include "elf.h"
#include "fs.h"
#include "tsan_runtime.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the compiler says: its functions (by symbol name), those it did not
 * instrument, and those that hold inline assembly. */
typedef struct account {
    rl_map functions;
    rl_strv uninstrumented, assembly;
    int module_assembly;
} account;

static void account_clear(account *a)
{
    rl_map_clear(&a->functions);
    rl_strv_clear(&a->uninstrumented);
    rl_strv_clear(&a->assembly);
}

/* An LLVM name after '@': plain, or quoted with \XX escapes. */
static char *ir_name(const char *p)
{
    rl_buf b = {0};
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
                char hex[3] = {p[1], p[2], 0};
                char c = (char)strtol(hex, NULL, 16);
                rl_buf_add(&b, &c, 1);
                p += 2;
            } else
                rl_buf_add(&b, p, 1);
        }
    } else
        while (*p && (isalnum((unsigned char)*p) || strchr("._$-", *p)))
            rl_buf_add(&b, p++, 1);
    return rl_buf_steal(&b);
}

/* Whether an inline-asm template at p (just past its opening quote) is
 * empty: a compiler barrier, asm volatile("" ::: "memory"), touches
 * nothing. */
static int empty_template(const char *p)
{
    return *p == '"';
}

static void read_ir(const char *ir, account *acc)
{
    rl_map groups = {0}; /* attribute group number -> instrumented */
    rl_map resolvers = {0};
    for (const char *line = ir; *line;) {
        size_t n = strcspn(line, "\n");
        if (strncmp(line, "attributes #", 12) == 0) {
            char key[24];
            snprintf(key, sizeof key, "%d", atoi(line + 12));
            char *text = rl_xstrndup(line, n);
            int sanitized = strstr(text, " sanitize_thread") != NULL &&
                            strstr(text, "disable_sanitizer_instrumentation") == NULL;
            rl_map_put(&groups, key, (size_t)sanitized);
            free(text);
        } else if (strncmp(line, "module asm \"", 12) == 0 && !empty_template(line + 12))
            acc->module_assembly = 1;
        else if (line[0] == '@') {
            /* "@f.ifunc = internal ifunc TYPE, TYPE @f.resolver": the loader
             * runs a resolver once, before any thread, to pick a version of
             * f (target_clones makes them); it need not be instrumented. */
            char *text = rl_xstrndup(line, n);
            const char *ifunc = strstr(text, " ifunc ");
            const char *at = ifunc ? strrchr(ifunc, '@') : NULL;
            if (at) {
                char *name = ir_name(at + 1);
                rl_map_put(&resolvers, name, 1);
                free(name);
            }
            free(text);
        }
        line += n + (line[n] == '\n');
    }
    char *current = NULL;
    for (const char *line = ir; *line;) {
        size_t n = strcspn(line, "\n");
        char *text = rl_xstrndup(line, n);
        if (strncmp(text, "define ", 7) == 0) {
            const char *at = strchr(text, '@');
            free(current);
            current = at ? ir_name(at + 1) : rl_xstrdup("?");
            rl_map_put(&acc->functions, current, 1);
            /* The function's attribute group: the last " #N" before "{". */
            const char *brace = strrchr(text, '{'), *group = NULL;
            for (const char *q = text; (q = strstr(q, " #")) && (!brace || q < brace); q++)
                if (isdigit((unsigned char)q[2]))
                    group = q + 2;
            char key[24];
            snprintf(key, sizeof key, "%d", group ? atoi(group) : -1);
            size_t sanitized = 0;
            rl_map_get(&groups, key, &sanitized);
            /* The module constructor the TSan pass adds calls __tsan_init. */
            size_t unused;
            if (!sanitized && strcmp(current, "tsan.module_ctor") != 0 &&
                strcmp(current, "tsan.module_dtor") != 0 &&
                rl_map_get(&resolvers, current, &unused) < 0)
                rl_strv_push(&acc->uninstrumented, current);
        } else if (current) {
            const char *asm_at = strstr(text, " asm ");
            if (asm_at) {
                const char *q = strchr(asm_at, '"');
                if (q && !empty_template(q + 1))
                    rl_strv_push(&acc->assembly, current);
            }
        }
        free(text);
        line += n + (line[n] == '\n');
    }
    free(current);
    rl_map_clear(&groups);
    rl_map_clear(&resolvers);
}

/* GCC's -fdump-tree-optimized: ";; Function NAME (ASMNAME, funcdef_no=...)",
 * the function's attributes above its body. */
static void read_gcc_dump(const char *dump, account *acc)
{
    char *current = NULL;
    int in_head = 0;
    for (const char *line = dump; *line;) {
        size_t n = strcspn(line, "\n");
        char *text = rl_xstrndup(line, n);
        if (strncmp(text, ";; Function ", 12) == 0) {
            const char *open = strchr(text + 12, '(');
            free(current);
            current = open ? rl_xstrndup(open + 1, strcspn(open + 1, ",)")) : rl_xstrdup("?");
            rl_map_put(&acc->functions, current, 1);
            in_head = 1;
        } else if (current && in_head && strcmp(text, "{") == 0)
            in_head = 0;
        else if (current && in_head && strstr(text, "__attribute__") &&
                 strstr(text, "no_sanitize") && strstr(text, "thread"))
            rl_strv_push(&acc->uninstrumented, current);
        else if (current && !in_head) {
            const char *asm_at = strstr(text, "__asm__");
            const char *q = asm_at ? strchr(asm_at, '"') : NULL;
            if (q && !empty_template(q + 1))
                rl_strv_push(&acc->assembly, current);
        }
        free(text);
        line += n + (line[n] == '\n');
    }
    free(current);
}

/* The compile command again, to the compiler's account in out. */
static int ask(const rl_tool *tool, char *const *compile_argv, const char *dir, const char *out,
               rl_diag *diag)
{
    int clang = strcmp(tool->compiler.family, "clang") == 0;
    rl_strv argv = {0};
    for (size_t i = 0; compile_argv[i]; i++) {
        const char *w = compile_argv[i];
        if (strcmp(w, "-MF") == 0 || strcmp(w, "-o") == 0) {
            i += compile_argv[i + 1] ? 1 : 0;
            continue;
        }
        if (strcmp(w, "-MD") == 0 || (clang && strcmp(w, "-c") == 0))
            continue;
        rl_strv_push(&argv, w);
    }
    if (clang) {
        const char *more[] = {"-S", "-emit-llvm", "-o", out};
        for (size_t i = 0; i < 4; i++)
            rl_strv_push(&argv, more[i]);
    } else {
        rl_strv_pushf(&argv, "-fdump-tree-optimized=%s", out);
        rl_strv_push(&argv, "-o");
        rl_strv_push(&argv, "/dev/null");
    }
    char *log = rl_xasprintf("%s/audit.log", dir);
    char **envp = rl_compiler_env(NULL);
    rl_spawn s = {.argv = argv.v, .envp = envp, .cwd = dir, .stdout_path = log, .stderr_path = log,
                  .timeout = 300};
    rl_outcome o;
    rl_diag problem = RL_DIAG_INIT;
    int rc = 0;
    if (rl_spawn_wait(&s, &o, &problem) < 0 || !o.exited || o.status != 0 ||
        access(out, R_OK) != 0) {
        rc = rl_diag_set(diag, NULL, 0,
                         "'%s' cannot say which functions of the case it instrumented (%s): ",
                         tool->program, clang ? "-S -emit-llvm" : "-fdump-tree-optimized");
        rl_diag_append_raw(diag, problem.message ? problem.message : "it failed");
        rl_diag_add_excerpt(diag, "compiler output", log);
    }
    rl_diag_clear(&problem);
    rl_outcome_clear(&o);
    rl_strv_free(envp);
    rl_strv_clear(&argv);
    free(log);
    return rc;
}

/* A function symbol GCC split off a function after its tree dump. */
static int split_part(const char *name, const account *acc)
{
    const char *cold = strstr(name, ".cold");
    if (!cold)
        return 0;
    char *base = rl_xstrndup(name, (size_t)(cold - name));
    size_t unused;
    int known = rl_map_get(&acc->functions, base, &unused) == 0;
    free(base);
    return known;
}

int rl_tsan_audit(const rl_tool *tool, char *const *compile_argv, const char *object,
                  rl_diag *diag)
{
    const char *family = tool->compiler.family;
    if (strcmp(family, "clang") != 0 && strcmp(family, "gcc") != 0)
        return rl_diag_set(diag, NULL, 0,
                           "'%s' is not a compiler racelab recognises (clang or gcc): it cannot "
                           "ask it which functions of the case it instrumented",
                           tool->program);
    const char *tmp = getenv("TMPDIR");
    char *dir = rl_xasprintf("%s/racelab-audit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        int rc = rl_diag_set(diag, NULL, 0, "cannot create a directory for the audit: %s",
                             strerror(errno));
        free(dir);
        return rc;
    }
    char *out = rl_xasprintf("%s/account", dir);
    account acc = {0};
    int rc = ask(tool, compile_argv, dir, out, diag);
    char *text = rc == 0 ? rl_read_file(out, NULL, diag) : NULL;
    if (rc == 0 && !text)
        rc = -1;
    if (text) {
        if (strcmp(family, "clang") == 0)
            read_ir(text, &acc);
        else
            read_gcc_dump(text, &acc);
        free(text);
    }
    if (rc == 0 && acc.functions.count == 0)
        rc = rl_diag_set(diag, NULL, 0, "'%s' accounted for no function of the case",
                         tool->program);
    if (rc == 0 && acc.uninstrumented.n)
        rc = rl_diag_set(diag, NULL, 0,
                         "the function %s is compiled without ThreadSanitizer's instrumentation "
                         "(an attribute, pragma or macro asked for it): its accesses would go "
                         "unchecked, and a case may not switch the tool off",
                         acc.uninstrumented.v[0]);
    if (rc == 0 && acc.assembly.n)
        rc = rl_diag_set(diag, NULL, 0,
                         "the function %s holds inline assembly, whose memory accesses "
                         "ThreadSanitizer never sees: a case may not use it under tsan",
                         acc.assembly.v[0]);
    if (rc == 0 && acc.module_assembly)
        rc = rl_diag_set(diag, NULL, 0,
                         "the case holds assembly at file scope, whose accesses ThreadSanitizer "
                         "never sees: a case may not use it under tsan");
    rl_elf_symbols syms = {0};
    if (rc == 0)
        rc = rl_elf_read_symbols(object, &syms, diag);
    for (size_t i = 0; rc == 0 && i < syms.count; i++) {
        const rl_elf_symbol *s = &syms.items[i];
        size_t unused;
        if (!s->defined || !s->func || rl_map_get(&acc.functions, s->name, &unused) == 0 ||
            split_part(s->name, &acc))
            continue;
        rc = rl_diag_set(diag, NULL, 0,
                         "the object defines the function %s, which the compiler made from no C "
                         "function of the case (assembly?): ThreadSanitizer would see none of "
                         "its accesses",
                         s->name);
    }
    rl_elf_symbols_clear(&syms);
    account_clear(&acc);
    rl_empty_dir(dir, NULL);
    rmdir(dir);
    free(out);
    free(dir);
    return rc;
}
