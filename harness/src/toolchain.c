/* toolchain.c: what a tool's program is, asked of the program itself.
 *
 * A family is one row below: how its --version output names it and where
 * the version is. The identity of a compiler is what a build by it depends
 * on: its resolved path and file, its --version output, and every file its
 * driver would use for a link with the build's flags (the real compiler
 * proper behind a wrapper, the linker, the sanitizer runtime, the crt
 * files), as the driver lists them for -###. An upgrade of any of them
 * changes the identity, and so the build cache key. */
#define _GNU_SOURCE
#include "toolchain.h"
#include "fs.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct family {
    const char *name;
    rl_role role;
    /* The line of the program's answer that states what it is: the version
     * follows marker, which begins the line, after words of letters (a
     * vendor: "Debian clang version 14.0.6") where vendor is set. */
    const char *marker;
    int vendor;
    int alone; /* the version is the rest of the line, nothing after it */
} family;

/* Compilers answer "-v -###"; other programs "--version". */
static const family families[] = {
    {"clang", RL_ROLE_COMPILER, "clang version ", 1, 0},
    {"gcc", RL_ROLE_COMPILER, "gcc version ", 0, 0},
    {"valgrind", RL_ROLE_VALGRIND, "valgrind-", 0, 1},
};

#define NFAMILIES (sizeof families / sizeof *families)

static const char *role_names[2][NFAMILIES + 1];
static pthread_once_t role_names_once = PTHREAD_ONCE_INIT;

static void make_role_names(void)
{
    size_t n[2] = {0, 0};
    for (size_t i = 0; i < NFAMILIES; i++)
        role_names[families[i].role][n[families[i].role]++] = families[i].name;
}

const char *const *rl_toolchain_families(rl_role role)
{
    pthread_once(&role_names_once, make_role_names);
    return role_names[role];
}

void rl_toolchain_set_version(rl_toolchain *t, const char *s)
{
    size_t n = 0;
    while (s[n] && (isdigit((unsigned char)s[n]) || s[n] == '.') && n + 1 < sizeof t->version)
        n++;
    while (n > 0 && s[n - 1] == '.')
        n--;
    snprintf(t->version, sizeof t->version, "%.*s", (int)n, s);
    const char *p = t->version;
    for (int i = 0; i < 3 && *p; i++) {
        t->numbers[i] = atoi(p);
        p += strcspn(p, ".");
        if (*p == '.')
            p++;
    }
}

/* Whether line (of n bytes) states family f's version: the version, at
 * least "N.N", where the family's marker says. */
static const char *states_version(const family *f, const char *line, size_t n)
{
    const char *p = line, *end = line + n;
    if (f->vendor)
        while (p < end && isalpha((unsigned char)*p)) {
            const char *w = p;
            while (w < end && isalpha((unsigned char)*w))
                w++;
            if (w < end && *w == ' ' && (size_t)(end - p) >= strlen(f->marker) &&
                strncmp(p, f->marker, strlen(f->marker)) != 0)
                p = w + 1; /* a vendor word */
            else
                break;
        }
    size_t m = strlen(f->marker);
    if ((size_t)(end - p) <= m || strncmp(p, f->marker, m) != 0)
        return NULL;
    const char *v = p + m, *q = v;
    while (q < end && isdigit((unsigned char)*q))
        q++;
    if (q == v || q >= end || *q != '.' || q + 1 >= end || !isdigit((unsigned char)q[1]))
        return NULL;
    while (q < end && (isdigit((unsigned char)*q) || *q == '.'))
        q++;
    if (f->alone && q != end)
        return NULL;
    /* After the version: a space and more, or a distribution's revision
     * ("13.0.1-11+b2", Debian's clang 13). */
    if (!f->alone && q != end && *q != ' ' && *q != '-')
        return NULL;
    return v;
}

/* The family and version from the line of the answer that states them,
 * never from text elsewhere (a path, a command line). Two such lines that
 * disagree (a wrapper that prints a version of its own before the real
 * compiler's) make it a toolchain that is not what it says: -1 and why. */
static int recognise(const char *output, rl_toolchain *t, rl_diag *diag)
{
    const char *first = NULL;
    size_t first_len = 0;
    for (const char *line = output; *line;) {
        size_t n = strcspn(line, "\n");
        size_t len = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
        for (size_t i = 0; i < NFAMILIES; i++) {
            const char *v = states_version(&families[i], line, len);
            if (!v)
                continue;
            rl_toolchain seen;
            memset(&seen, 0, sizeof seen);
            rl_toolchain_set_version(&seen, v);
            if (!first) {
                first = line;
                first_len = len;
                snprintf(t->family, sizeof t->family, "%s", families[i].name);
                rl_toolchain_set_version(t, v);
            } else if (strcmp(t->family, families[i].name) != 0 ||
                       strcmp(t->version, seen.version) != 0) {
                t->family[0] = t->version[0] = '\0';
                return rl_diag_set(diag, NULL, 0,
                                   "it states two versions, \"%.*s\" and \"%.*s\": the toolchain "
                                   "is not what it says it is",
                                   (int)first_len, first, (int)len, line);
            }
            break;
        }
        line += n + (line[n] == '\n');
    }
    return 0;
}

static uint64_t hash_file(uint64_t h, const char *path)
{
    char *real = realpath(path, NULL);
    struct stat st;
    if (!real || stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
        free(real);
        return h;
    }
    /* ctime too: a file rewritten with its old size and mtime put back
     * still has a new ctime. */
    uint64_t id[7] = {(uint64_t)st.st_dev,          (uint64_t)st.st_ino,
                      (uint64_t)st.st_size,         (uint64_t)st.st_mtim.tv_sec,
                      (uint64_t)st.st_mtim.tv_nsec, (uint64_t)st.st_ctim.tv_sec,
                      (uint64_t)st.st_ctim.tv_nsec};
    h = rl_hash_str(h, real);
    h = rl_hash(h, id, sizeof id);
    free(real);
    return h;
}

/* The words of a -### listing that say what a build uses: all but the
 * temporary files the driver would make in the directory temporary (the
 * TMPDIR it was given), whose names change every time; and every existing
 * file it names, wherever it lives, with each -lNAME found in its -L
 * directories. */
static uint64_t hash_listing(uint64_t h, const char *listing, const char *temporary)
{
    rl_strv words = {0}, dirs = {0}, libs = {0};
    rl_listing_words(listing, &words);
    for (size_t i = 0; i < words.n; i++) {
        const char *w = words.v[i];
        if (strstr(w, temporary))
            continue;
        h = rl_hash_str(h, w);
        if (strncmp(w, "-L", 2) == 0 && w[2] == '/')
            rl_strv_push(&dirs, w + 2);
        else if (strncmp(w, "-l", 2) == 0 && w[2])
            rl_strv_push(&libs, w + 2);
        const char *eq = strchr(w, '=');
        const char *path = w[0] == '/' ? w : eq && eq[1] == '/' ? eq + 1 : NULL;
        if (path)
            h = hash_file(h, path);
    }
    for (size_t i = 0; i < libs.n; i++) {
        for (size_t d = 0; d < dirs.n; d++) {
            char *so = rl_xasprintf("%s/lib%s.so", dirs.v[d], libs.v[i]);
            char *a = rl_xasprintf("%s/lib%s.a", dirs.v[d], libs.v[i]);
            struct stat st;
            int found = stat(so, &st) == 0 || stat(a, &st) == 0;
            h = hash_file(hash_file(h, so), a);
            free(so);
            free(a);
            if (found)
                break;
        }
    }
    rl_strv_clear(&words);
    rl_strv_clear(&dirs);
    rl_strv_clear(&libs);
    return h;
}

int rl_toolchain_probe(const char *program, const char *const *build_flags, rl_toolchain *out,
                       rl_diag *diag)
{
    memset(out, 0, sizeof *out);
    char *found = rl_which(program);
    if (!found) {
        return rl_diag_set(diag, NULL, 0, "'%s' not found%s", program,
                           strchr(program, '/') ? "" : " on PATH");
    }
    char *real = realpath(found, NULL);
    snprintf(out->path, sizeof out->path, "%s", real ? real : found);
    free(real);

    /* One question: a compiler's -v -### names its version and every
     * program and file a build with these flags would use. */
    rl_strv argv = {0};
    rl_strv_push(&argv, found);
    if (build_flags) {
        rl_strv_push(&argv, "-v");
        rl_strv_push(&argv, "-###");
        for (size_t i = 0; build_flags[i]; i++)
            rl_strv_push(&argv, build_flags[i]);
        const char *rest[] = {"-pthread", "-x", "c", "/dev/null", "-o", "/dev/null"};
        for (size_t i = 0; i < sizeof rest / sizeof *rest; i++)
            rl_strv_push(&argv, rest[i]);
    } else
        rl_strv_push(&argv, "--version");
    /* The driver's temporary files go to a directory of this probe's own,
     * so that they alone are left out of the identity. */
    const char *tmp = getenv("TMPDIR");
    char *temporary = rl_xasprintf("%s/racelab-probe.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(temporary)) {
        int rc = rl_diag_set(diag, NULL, 0, "cannot create a directory for the probe: %s",
                             strerror(errno));
        free(temporary);
        free(found);
        rl_strv_clear(&argv);
        return rc;
    }
    char **envp = rl_compiler_env(temporary);
    char *answer = NULL;
    int status;
    int rc = rl_run_capture(argv.v, envp, 60, &status, &answer, diag);
    rl_strv_free(envp);
    if (rc == 0 && status != 0) {
        char *line = rl_xstrndup(answer, strcspn(answer, "\n"));
        rl_diag_set(diag, NULL, 0, "'%s %s' failed (status %d): %s", program, argv.v[1], status,
                    line);
        free(line);
        rc = -1;
    }
    rl_strv_clear(&argv);
    if (rc < 0) {
        rl_empty_dir(temporary, NULL);
        rmdir(temporary);
        free(temporary);
        free(found);
        free(answer);
        return -1;
    }
    if (recognise(answer, out, diag) < 0) {
        rl_empty_dir(temporary, NULL);
        rmdir(temporary);
        free(temporary);
        free(found);
        free(answer);
        return -1;
    }
    uint64_t h = RL_HASH_INIT;
    h = rl_hash_str(h, found);
    h = hash_file(h, found);
    char *prefix = rl_xasprintf("%s/", temporary);
    h = hash_listing(h, answer, prefix);
    free(prefix);
    rl_empty_dir(temporary, NULL);
    rmdir(temporary);
    free(temporary);
    free(answer);
    snprintf(out->identity, sizeof out->identity, "%016" PRIx64, h);
    free(found);
    return 0;
}

const char *rl_toolchain_describe(const rl_toolchain *t, char *buf, size_t size)
{
    if (t->family[0])
        snprintf(buf, size, "%s %s", t->family, t->version[0] ? t->version : "(version unknown)");
    else
        snprintf(buf, size, "%s (not recognised)", t->path[0] ? t->path : "?");
    return buf;
}

void rl_listing_words(const char *listing, rl_strv *words)
{
    for (const char *p = listing; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        char quote = *p == '"' || *p == '\'' ? *p++ : 0;
        size_t n = 0;
        while (p[n] && (quote ? p[n] != quote : !isspace((unsigned char)p[n])))
            n++;
        if (n)
            rl_strv_pushn(words, p, n);
        p += n;
        if (quote && *p)
            p++;
    }
}

char *rl_toolchain_listing(const rl_toolchain *compiler, const char *const *flags, rl_diag *diag)
{
    rl_strv argv = {0};
    rl_strv_push(&argv, compiler->path);
    rl_strv_push(&argv, "-###");
    for (size_t i = 0; flags && flags[i]; i++)
        rl_strv_push(&argv, flags[i]);
    const char *rest[] = {"-pthread", "-x", "c", "/dev/null", "-o", "/dev/null"};
    for (size_t i = 0; i < sizeof rest / sizeof *rest; i++)
        rl_strv_push(&argv, rest[i]);
    char *answer = NULL;
    int status;
    char **envp = rl_compiler_env(NULL);
    int rc = rl_run_capture(argv.v, envp, 60, &status, &answer, diag);
    rl_strv_free(envp);
    if (rc == 0 && status != 0)
        rc = rl_diag_set(diag, NULL, 0, "'%s -###' failed (status %d)", compiler->path, status);
    rl_strv_clear(&argv);
    if (rc < 0) {
        free(answer);
        return NULL;
    }
    return answer;
}
