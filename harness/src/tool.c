/* tool.c: the tool registry, "TOOL[:PROGRAM]" specs, and resolving a tool
 * into its toolchains.
 *
 * Adding a tool is one adapter file and one row here. */
#define _GNU_SOURCE
#include "fs.h"
#include "toolchain.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The registry: one row a tool, NAME for the adapter rl_NAME_adapter of
 * tool_NAME.c, in the order tools are listed, run and documented. */
#define RL_TOOLS(ROW) ROW(tsan) ROW(helgrind) ROW(drd) ROW(native)

#define DECLARE(name) extern const rl_adapter rl_##name##_adapter;
RL_TOOLS(DECLARE)
#define POINT(name) &rl_##name##_adapter,
static const rl_adapter *const registry[] = {RL_TOOLS(POINT)};

#define NTOOLS (sizeof registry / sizeof *registry)

size_t rl_tool_count(void)
{
    return NTOOLS;
}

const rl_adapter *rl_adapter_for(rl_tool_id id)
{
    return id >= 0 && (size_t)id < NTOOLS ? registry[id] : NULL;
}

const char *rl_tool_name(rl_tool_id id)
{
    const rl_adapter *a = rl_adapter_for(id);
    return a ? a->name : "?";
}

int rl_tool_from_name(const char *name, size_t len, rl_tool_id *out)
{
    for (size_t i = 0; i < NTOOLS; i++) {
        if (strlen(registry[i]->name) == len && memcmp(registry[i]->name, name, len) == 0) {
            *out = (rl_tool_id)i;
            return 0;
        }
    }
    return -1;
}

static pthread_once_t names_once = PTHREAD_ONCE_INIT;
static char *names, *usage;

static void make_names(void)
{
    rl_buf n = {0}, u = {0};
    for (size_t i = 0; i < NTOOLS; i++) {
        rl_buf_printf(&n, "%s%s", i ? ", " : "", registry[i]->name);
        rl_buf_printf(&u, "%s%s[:%s]", i ? ", " : "", registry[i]->name,
                      registry[i]->role == RL_ROLE_COMPILER ? "COMPILER" : "VALGRIND");
    }
    names = rl_buf_steal(&n);
    usage = rl_buf_steal(&u);
}

const char *rl_tool_names(void)
{
    pthread_once(&names_once, make_names);
    return names;
}

const char *rl_tool_usage(void)
{
    pthread_once(&names_once, make_names);
    return usage;
}

int rl_tool_parse(const char *spec, rl_tool *out, rl_diag *diag)
{
    memset(out, 0, sizeof *out);
    const char *colon = strchr(spec, ':');
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    if (rl_tool_from_name(spec, n, &out->id) < 0)
        return rl_diag_set(diag, NULL, 0, "unknown tool '%.*s' (tools: %s)", (int)n, spec,
                           rl_tool_names());
    const char *program = colon ? colon + 1 : registry[out->id]->default_program;
    if (!*program)
        return rl_diag_set(diag, NULL, 0, "tool '%s' names an empty program", spec);
    if (strlen(program) >= RL_PATH_SIZE)
        return rl_diag_set(diag, NULL, 0, "tool '%.40s...' names a program longer than a path",
                           spec);
    out->spec = rl_xstrdup(colon ? spec : registry[out->id]->name);
    out->program = rl_xstrdup(program);
    return 0;
}

void rl_tool_clear(rl_tool *tool)
{
    free(tool->spec);
    free(tool->program);
    rl_diag_clear(&tool->error);
    memset(tool, 0, sizeof *tool);
}

void rl_tool_resolve(rl_tool *tool)
{
    if (tool->resolved)
        return;
    tool->resolved = 1;
    const rl_adapter *a = rl_adapter_for(tool->id);
    const char *compiler = a->compiler(a, tool);
    int same = strcmp(compiler, tool->program) == 0;
    /* Only a compiler has build flags; a valgrind's identity is its own. */
    char *found = rl_which(tool->program);
    tool->missing = found == NULL;
    free(found);
    int rc = rl_toolchain_probe(tool->program, same ? a->build_flags : NULL, &tool->toolchain,
                                &tool->error);
    if (rc == 0 && same)
        tool->compiler = tool->toolchain;
    else if (rc == 0)
        rl_toolchain_probe(compiler, a->build_flags, &tool->compiler, &tool->error);
}

rl_tool *rl_default_tools(size_t *n)
{
    size_t count = 0;
    for (size_t i = 0; i < NTOOLS; i++) {
        count++;
        for (const char *const *p = registry[i]->more_default_programs; p && *p; p++)
            count++;
    }
    rl_tool *tools = rl_xcalloc(count, sizeof *tools);
    size_t k = 0;
    for (size_t i = 0; i < NTOOLS; i++) {
        rl_tool_parse(registry[i]->name, &tools[k], NULL);
        tools[k++].by_default = 1;
        for (const char *const *p = registry[i]->more_default_programs; p && *p; p++) {
            char *spec = rl_xasprintf("%s:%s", registry[i]->name, *p);
            rl_tool_parse(spec, &tools[k], NULL);
            tools[k++].by_default = 1;
            free(spec);
        }
    }
    *n = count;
    return tools;
}

void rl_tools_free(rl_tool *tools, size_t n)
{
    for (size_t i = 0; tools && i < n; i++)
        rl_tool_clear(&tools[i]);
    free(tools);
}

/* A compiler's name on PATH: "clang", "gcc", or either with "-N". */
static int compiler_name(const char *n)
{
    const char *rest = strncmp(n, "clang", 5) == 0 ? n + 5 : strncmp(n, "gcc", 3) == 0 ? n + 3 : NULL;
    if (!rest)
        return 0;
    if (!*rest)
        return 1;
    if (*rest++ != '-' || !*rest)
        return 0;
    return strspn(rest, "0123456789") == strlen(rest);
}

/* clang before gcc, then by version, the bare name last of its family. */
static int compare_compilers(const void *x, const void *y)
{
    const char *a = *(char *const *)x, *b = *(char *const *)y;
    int fa = a[0] == 'g', fb = b[0] == 'g';
    if (fa != fb)
        return fa - fb;
    const char *da = strchr(a, '-'), *db = strchr(b, '-');
    long va = da ? atol(da + 1) : 1000000, vb = db ? atol(db + 1) : 1000000;
    return va < vb ? -1 : va > vb ? 1 : strcmp(a, b);
}

int rl_tools_expand(const char *spec, rl_tool **tools, size_t *n, rl_diag *diag)
{
    *tools = NULL;
    *n = 0;
    const char *colon = strchr(spec, ':');
    rl_tool_id id;
    if (!colon || strcmp(colon + 1, "all") != 0) {
        rl_tool *one = rl_xcalloc(1, sizeof *one);
        if (rl_tool_parse(spec, one, diag) < 0) {
            free(one);
            return -1;
        }
        *tools = one;
        *n = 1;
        return 0;
    }
    if (rl_tool_from_name(spec, (size_t)(colon - spec), &id) < 0)
        return rl_diag_set(diag, NULL, 0, "unknown tool '%.*s' (tools: %s)", (int)(colon - spec),
                           spec, rl_tool_names());
    if (registry[id]->role != RL_ROLE_COMPILER)
        return rl_diag_set(diag, NULL, 0,
                           "'%s': 'all' names every installed compiler; %s runs with valgrind",
                           spec, registry[id]->name);
    /* Every clang and gcc on PATH, one per real program. */
    rl_strv names = {0};
    rl_map seen = {0};
    const char *path = getenv("PATH");
    char *dirs = rl_xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
    char *save = NULL;
    for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (!compiler_name(e->d_name))
                continue;
            char *full = rl_xasprintf("%s/%s", dir, e->d_name);
            char *real = realpath(full, NULL);
            size_t unused;
            if (real && access(real, X_OK) == 0 && rl_map_get(&seen, e->d_name, &unused) < 0) {
                rl_map_put(&seen, e->d_name, 1);
                rl_strv_push(&names, e->d_name);
            }
            free(real);
            free(full);
        }
        if (d)
            closedir(d);
    }
    free(dirs);
    rl_map_clear(&seen);
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, compare_compilers);
    /* The bare name is one of the versioned ones (clang is clang-14): each
     * real program once, under its versioned name. */
    rl_map programs = {0};
    rl_tool *out = rl_xcalloc(names.n + 1, sizeof *out);
    size_t count = 0;
    for (size_t i = 0; i < names.n; i++) {
        char *real = NULL;
        char *found = rl_which(names.v[i]);
        if (found)
            real = realpath(found, NULL);
        free(found);
        size_t unused;
        if (real && rl_map_get(&programs, real, &unused) < 0) {
            rl_map_put(&programs, real, 1);
            char *one = rl_xasprintf("%s:%s", registry[id]->name, names.v[i]);
            if (rl_tool_parse(one, &out[count], NULL) == 0)
                count++;
            free(one);
        }
        free(real);
    }
    rl_map_clear(&programs);
    rl_strv_clear(&names);
    if (!count) {
        free(out);
        return rl_diag_set(diag, NULL, 0, "'%s': no clang or gcc on PATH", spec);
    }
    *tools = out;
    *n = count;
    return 0;
}
