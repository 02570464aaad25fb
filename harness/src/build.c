/* build.c: compile a case, once per distinct input.
 *
 * A build is compiled to an object, then linked, so that the object can be
 * checked on its own (a compiler that instruments only when linking is
 * caught there). It is named by a hash of what goes into it besides the
 * files it reads: the compiler's identity (toolchain.c: its files, version
 * and runtime), the flags, the source path (it ends up in the debug info
 * the reports quote). An existing binary of that name is reused while its manifest holds: the
 * digests of the binary and its object as they were built, and of every
 * file the compiler read (its -MD dependency list: the case, what it
 * includes from beside it, the system headers). Outputs are written under
 * temporary names and renamed, so concurrent racelab runs sharing a build
 * tree never see a half-written one. */
#define _GNU_SOURCE
#include "build.h"
#include "fs.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* cflags a case may give; anything else is refused. The refusals that
 * explain themselves come first. */
static const struct {
    const char *prefix;
    int exact; /* the whole word, not a prefix */
    const char *why; /* NULL: accepted */
} cflag_rules[] = {
    /* The first rule that fits wins: these two cannot hide an access
     * (compiler-rt's and GCC's own TSan tests use them). */
    {"-fno-sanitize-thread-func-entry-exit", 1, NULL},
    {"-fno-ipa-modref", 1, NULL},
    {"-fno-sanitize", 0, "it would switch the sanitizer's checking off"},
    {"-fsanitize", 0, "racelab chooses the sanitizer itself; this could switch checking off"},
    {"-mllvm", 1, "it passes options to the compiler's passes, which can switch instrumentation off"},
    {"-Xclang", 1, "it passes options to the compiler proper, which can switch instrumentation off"},
    {"--param", 0, "GCC's tsan-* parameters switch instrumentation off"},
    {"-Wl,", 0, "linker options can replace the sanitizer's functions"},
    {"-Xlinker", 1, "linker options can replace the sanitizer's functions"},
    {"-Wa,", 0, "assembler options are not a case's business"},
    {"-Wp,", 0, "preprocessor options are given as -D, -U and -I"},
    {"-B", 0, "it changes which compiler programs run"},
    {"-fplugin", 0, "a plugin can change what is compiled"},
    {"@", 0, "a response file can hold any flag"},
    {"-o", 0, "racelab names the outputs itself"},
    {"-D", 0, NULL},
    {"-U", 0, NULL},
    {"-I", 0, NULL},
    {"-std=", 0, NULL},
    {"-O", 0, NULL},
    {"-g", 0, NULL},
    {"-W", 0, NULL},
    {"-w", 1, NULL},
    {"-pedantic", 0, NULL},
    {"-pthread", 1, NULL},
    {"-l", 0, NULL},
    {"-fno-inline", 0, NULL},
    {"-finline", 0, NULL},
    {"-fno-omit-frame-pointer", 1, NULL},
    {"-fomit-frame-pointer", 1, NULL},
    {"-fno-builtin", 0, NULL},
    {"-fPIC", 1, NULL},
    {"-fPIE", 1, NULL},
    {"-fpic", 1, NULL},
    {"-fpie", 1, NULL},
    {"-fno-strict-aliasing", 1, NULL},
    {"-fwrapv", 1, NULL},
    {"-fno-common", 1, NULL},
    {"-fcommon", 1, NULL},
    {"-fno-optimize-sibling-calls", 1, NULL},
    {"-fstack-protector", 0, NULL},
    {"-fno-stack-protector", 1, NULL},
    {"-funroll-loops", 1, NULL},
    {"-fno-unroll-loops", 1, NULL},
    {"-fsigned-char", 1, NULL},
    {"-funsigned-char", 1, NULL},
    {"-fno-tree-vectorize", 1, NULL},
    {"-fno-vectorize", 1, NULL},
};

int rl_check_cflag(const char *word, rl_diag *diag)
{
    for (size_t i = 0; i < sizeof cflag_rules / sizeof *cflag_rules; i++) {
        const char *p = cflag_rules[i].prefix;
        size_t n = strlen(p);
        int hit = cflag_rules[i].exact ? strcmp(word, p) == 0 : strncmp(word, p, n) == 0;
        if (!hit)
            continue;
        if (cflag_rules[i].why) {
            return rl_diag_set(diag, NULL, 0, "cflags '%s' is refused: %s", word,
                               cflag_rules[i].why);
        }
        /* -D, -I, -l, -O, -g, -W... name something right after them. */
        if (!cflag_rules[i].exact && strlen(word) == n && strcmp(p, "-g") != 0 &&
            strcmp(p, "-W") != 0 && strcmp(p, "-pedantic") != 0) {
            return rl_diag_set(diag, NULL, 0,
                               "cflags '%s' needs its value in the same word (e.g. %sNAME)", word,
                               word);
        }
        return 0;
    }
    return rl_diag_set(diag, NULL, 0,
                       "cflags '%s' is not one racelab accepts: a case may give -D, -U, -I, "
                       "-std=, -O, -g, -W, -l, -pthread and the few -f flags "
                       "docs/case-format.md lists",
                       word);
}

/* Link-time words of a case's cflags: the libraries. */
static int link_flag(const char *w)
{
    return strncmp(w, "-l", 2) == 0 || strcmp(w, "-pthread") == 0;
}

static void fill_command(rl_command *cmd, rl_strv *argv, const char *cwd)
{
    cmd->argv = rl_strv_dup(argv->v);
    cmd->env_set = rl_xcalloc(1, sizeof(char *));
    cmd->env_unset = rl_xcalloc(1, sizeof(char *));
    cmd->cwd = cwd ? rl_xstrdup(cwd) : NULL;
}

/* Run one compiler command that must produce out; 0, or -1 and why. */
static int run_compiler(rl_strv *argv, const char *out, const char *log_path, const char *what,
                        const volatile sig_atomic_t *cancel, double *seconds, rl_diag *diag)
{
    rl_spawn s = {.argv = argv->v, .stdout_path = log_path, .stderr_path = log_path,
                  .timeout = 300, .cancel = cancel};
    rl_outcome o;
    int rc = -1;
    const char *cc = argv->v[0];
    if (rl_spawn_wait(&s, &o, diag) < 0)
        ;
    else if (o.cancelled)
        rl_diag_set(diag, NULL, 0, "interrupted while compiling");
    else if (o.lost)
        rl_diag_set(diag, NULL, 0, "lost track of compiler %s", cc);
    else if (o.timed_out)
        rl_diag_set(diag, NULL, 0, "compiler %s did not finish in %.0f s", cc, s.timeout);
    else if (!o.exited || o.status != 0) {
        char *excerpt = rl_file_excerpt(log_path, 20);
        if (o.exited)
            rl_diag_set(diag, NULL, 0, "%s failed (%s exited with %d):\n", what, cc, o.status);
        else
            rl_diag_set(diag, NULL, 0, "%s failed (%s killed by signal %d):\n", what, cc,
                        o.signal);
        rl_diag_append_raw(diag, excerpt);
        rl_diag_append(diag, "    build log: %s", log_path);
        free(excerpt);
    } else if (access(out, F_OK) != 0)
        rl_diag_set(diag, NULL, 0, "%s: %s exited with 0 but wrote nothing at %s", what, cc, out);
    else {
        rc = 0;
        *seconds += o.seconds;
    }
    rl_outcome_clear(&o);
    return rc;
}

/* The digest of a file's content, or -1 when it cannot be read. */
static int digest_file(const char *path, uint64_t *h)
{
    size_t len;
    char *data = rl_read_file(path, &len, NULL);
    if (!data)
        return -1;
    *h = rl_hash(RL_HASH_INIT, data, len);
    free(data);
    return 0;
}

/* The files a compile read, from its make-style dependency output
 * (-MD -MF): "target: dep dep \ <newline> dep", spaces in names escaped. */
static int read_deps(const char *dfile, rl_strv *deps, rl_diag *diag)
{
    char *text = rl_read_file(dfile, NULL, diag);
    if (!text)
        return -1;
    rl_buf word = {0};
    int target_done = 0;
    for (const char *p = text;; p++) {
        int end = *p == '\0' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
        if (*p == '\\' && (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n'))) {
            p += p[1] == '\r' ? 2 : 1;
            end = 1;
        } else if (*p == '\\' && (p[1] == ' ' || p[1] == '#' || p[1] == '\\')) {
            rl_buf_add(&word, ++p, 1);
            continue;
        } else if (*p == '$' && p[1] == '$') {
            rl_buf_add(&word, ++p, 1);
            continue;
        }
        if (!end) {
            rl_buf_add(&word, p, 1);
            continue;
        }
        if (word.len) {
            if (!target_done && word.data[word.len - 1] == ':')
                target_done = 1;
            else if (target_done)
                rl_strv_push(deps, word.data);
            word.len = 0;
            word.data[0] = '\0';
        }
        if (*p == '\0')
            break;
    }
    rl_buf_free(&word);
    free(text);
    if (!target_done || deps->n == 0)
        return rl_diag_set(diag, dfile, 0, "the compiler's list of the files it read is empty");
    return 0;
}

/* A #line directive (or a GNU line marker) moves the lines reports name,
 * and so the lines markers are matched on: refused in every file a build
 * reads (docs/case-format.md). */
static int refuse_line_directives(const char *path, const char *text, rl_diag *diag)
{
    int line = 1;
    for (const char *p = text; *p; line++) {
        const char *s = p;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '#') {
            s++;
            while (*s == ' ' || *s == '\t')
                s++;
            if ((strncmp(s, "line", 4) == 0 && (s[4] == ' ' || s[4] == '\t')) ||
                (*s >= '0' && *s <= '9'))
                return rl_diag_set(diag, path, line,
                                   "a #line directive moves the lines reports name, which markers "
                                   "are matched on: a case and the files it includes may not "
                                   "use it");
        }
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

/* What a build is: the digests of its binary and object, and of every
 * file the compiler read. It is reused only while all of them hold. */
typedef struct manifest {
    uint64_t binary, object;
    rl_strv deps;
    uint64_t *dep_digest;
} manifest;

static void manifest_clear(manifest *m)
{
    rl_strv_clear(&m->deps);
    free(m->dep_digest);
    memset(m, 0, sizeof *m);
}

static int manifest_read(const char *path, manifest *m)
{
    memset(m, 0, sizeof *m);
    char *text = rl_read_file(path, NULL, NULL);
    if (!text)
        return -1;
    int rc = strncmp(text, "racelab-build 1\n", 16) == 0 ? 0 : -1;
    for (char *line = text + 16; rc == 0 && *line;) {
        char *nl = strchr(line, '\n');
        if (!nl) {
            rc = -1;
            break;
        }
        *nl = '\0';
        unsigned long long h;
        int n = 0;
        if (sscanf(line, "binary %llx%n", &h, &n) == 1 && !line[n])
            m->binary = h;
        else if (sscanf(line, "object %llx%n", &h, &n) == 1 && !line[n])
            m->object = h;
        else if (sscanf(line, "dep %llx %n", &h, &n) == 1 && line[n]) {
            m->dep_digest = rl_xrealloc(m->dep_digest, (m->deps.n + 1) * sizeof *m->dep_digest);
            m->dep_digest[m->deps.n] = h;
            rl_strv_push(&m->deps, line + n);
        } else
            rc = -1;
        line = nl + 1;
    }
    free(text);
    if (rc == 0 && (!m->binary || !m->object || !m->deps.n))
        rc = -1;
    if (rc < 0)
        manifest_clear(m);
    return rc;
}

static int manifest_write(const char *path, const manifest *m, rl_diag *diag)
{
    rl_buf b = {0};
    rl_buf_printf(&b, "racelab-build 1\nbinary %016" PRIx64 "\nobject %016" PRIx64 "\n", m->binary,
                  m->object);
    for (size_t i = 0; i < m->deps.n; i++)
        rl_buf_printf(&b, "dep %016" PRIx64 " %s\n", m->dep_digest[i], m->deps.v[i]);
    int rc = rl_write_atomic(path, b.data, b.len, "the build's manifest", diag);
    rl_buf_free(&b);
    return rc;
}

static int regular_file(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Whether the build at out (with its object and manifest) is whole and
 * still what its inputs make: the binary and object are the ones built,
 * and no file the compiler read has changed. */
static int reusable(const char *out, const char *object, const char *manifest_path)
{
    manifest m;
    if (!regular_file(out) || !regular_file(object) || manifest_read(manifest_path, &m) < 0)
        return 0;
    uint64_t h;
    int ok = digest_file(out, &h) == 0 && h == m.binary && digest_file(object, &h) == 0 &&
             h == m.object;
    for (size_t i = 0; ok && i < m.deps.n; i++)
        ok = digest_file(m.deps.v[i], &h) == 0 && h == m.dep_digest[i];
    manifest_clear(&m);
    return ok;
}

/* The digests of the build just made, and the line-directive check of
 * every file the compiler read. */
static int describe_build(const char *dfile, const char *binary, const char *object, manifest *m,
                          rl_diag *diag)
{
    memset(m, 0, sizeof *m);
    if (read_deps(dfile, &m->deps, diag) < 0)
        return -1;
    m->dep_digest = rl_xcalloc(m->deps.n + 1, sizeof *m->dep_digest);
    for (size_t i = 0; i < m->deps.n; i++) {
        size_t len;
        char *text = rl_read_file(m->deps.v[i], &len, diag);
        if (!text)
            return -1;
        int rc = refuse_line_directives(m->deps.v[i], text, diag);
        m->dep_digest[i] = rl_hash(RL_HASH_INIT, text, len);
        free(text);
        if (rc < 0)
            return -1;
    }
    if (digest_file(binary, &m->binary) < 0 || digest_file(object, &m->object) < 0)
        return rl_diag_set(diag, binary, 0, "cannot read the build just made");
    return 0;
}

int rl_build(const rl_build_request *req, char **binary, double *seconds, rl_command *compile,
             rl_command *link, rl_diag *diag)
{
    *binary = NULL;
    *seconds = 0;
    const rl_case *c = req->rcase;
    const rl_adapter *a = req->adapter;
    const rl_toolchain *cc = req->compiler;
    /* The name: everything that goes into the build but the files it
     * reads, whose digests its manifest keeps. */
    uint64_t h = RL_HASH_INIT;
    h = rl_hash_str(h, cc->identity);
    h = rl_hash_str(h, a->build_name);
    for (size_t i = 0; a->build_flags[i]; i++)
        h = rl_hash_str(h, a->build_flags[i]);
    for (size_t i = 0; i < c->ncflags; i++)
        h = rl_hash_str(h, c->cflags[i]);
    h = rl_hash_str(h, c->path);

    const char *tag = strrchr(cc->path, '/');
    tag = tag ? tag + 1 : cc->path;
    char *out = rl_xasprintf("%s/%s.%s-%s.%016" PRIx64, req->bin_dir, c->name, a->build_name, tag, h);
    char *object = rl_xasprintf("%s.o", out);
    char *deps = rl_xasprintf("%s.d", out);
    char *manifest_path = rl_xasprintf("%s.manifest", out);
    char *tmp = rl_xasprintf("%s.tmp.%ld.%ld", out, (long)getpid(), (long)gettid());
    char *tmp_object = rl_xasprintf("%s.o", tmp);
    char *tmp_deps = rl_xasprintf("%s.d", tmp);

    rl_strv cargv = {0}, largv = {0};
    rl_strv_push(&cargv, cc->path);
    rl_strv_push(&largv, cc->path);
    for (size_t i = 0; a->build_flags[i]; i++) {
        rl_strv_push(&cargv, a->build_flags[i]);
        rl_strv_push(&largv, a->build_flags[i]);
    }
    rl_strv_push(&cargv, "-pthread");
    rl_strv_push(&largv, "-pthread");
    const char *compile_only[] = {"-c", "-MD", "-MF", tmp_deps, "-o", tmp_object, c->path};
    for (size_t i = 0; i < sizeof compile_only / sizeof *compile_only; i++)
        rl_strv_push(&cargv, compile_only[i]);
    rl_strv_push(&largv, "-o");
    rl_strv_push(&largv, tmp);
    rl_strv_push(&largv, tmp_object);
    for (size_t i = 0; i < c->ncflags; i++)
        rl_strv_push(link_flag(c->cflags[i]) ? &largv : &cargv, c->cflags[i]);
    /* What is recorded is what a person would run: the final names. */
    fill_command(compile, &cargv, NULL);
    fill_command(link, &largv, NULL);
    const char *temporary[] = {tmp, tmp_object, tmp_deps}, *final[] = {out, object, deps};
    for (rl_command *cmd = compile; cmd; cmd = cmd == compile ? link : NULL)
        for (size_t i = 0; cmd->argv[i]; i++)
            for (size_t k = 0; k < 3; k++)
                if (strcmp(cmd->argv[i], temporary[k]) == 0) {
                    free(cmd->argv[i]);
                    cmd->argv[i] = rl_xstrdup(final[k]);
                }

    int fresh = 0;
    if (req->rebuild && req->memo) {
        size_t unused;
        pthread_mutex_lock(&req->memo->mutex);
        fresh = rl_map_get(&req->memo->built, out, &unused) < 0;
        if (fresh)
            rl_map_put(&req->memo->built, out, 1);
        pthread_mutex_unlock(&req->memo->mutex);
    } else
        fresh = req->rebuild;
    int rc = 0;
    if (fresh || !reusable(out, object, manifest_path)) {
        manifest m = {0};
        rc = run_compiler(&cargv, tmp_object, req->log_path, "compile", req->cancel, seconds, diag);
        if (rc == 0 && a->check_build)
            rc = a->check_build(a, req->tool, cargv.v, tmp_object, diag);
        if (rc == 0)
            rc = run_compiler(&largv, tmp, req->log_path, "link", req->cancel, seconds, diag);
        if (rc == 0)
            rc = describe_build(tmp_deps, tmp, tmp_object, &m, diag);
        /* Into place, then the manifest that vouches for them: a build
         * without its manifest, or with another's, is never reused. */
        if (rc == 0 && (rename(tmp_object, object) < 0 || rename(tmp, out) < 0 ||
                        rename(tmp_deps, deps) < 0))
            rc = rl_diag_set(diag, NULL, 0, "cannot move the build into place at %s: %s", out,
                             strerror(errno));
        if (rc == 0)
            rc = manifest_write(manifest_path, &m, diag);
        manifest_clear(&m);
        unlink(tmp_object);
        unlink(tmp);
        unlink(tmp_deps);
    }
    if (rc == 0 && a->check_object && a->check_object(a, req->tool, object, diag) < 0)
        rc = -1;
    rl_strv_clear(&cargv);
    rl_strv_clear(&largv);
    free(tmp);
    free(tmp_object);
    free(tmp_deps);
    free(object);
    free(deps);
    free(manifest_path);
    if (rc < 0) {
        free(out);
        return -1;
    }
    *binary = out;
    return 0;
}

void rl_command_clear(rl_command *c)
{
    rl_strv_free(c->argv);
    rl_strv_free(c->env_set);
    rl_strv_free(c->env_unset);
    free(c->cwd);
    memset(c, 0, sizeof *c);
}
