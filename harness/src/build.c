/* build.c: compile a case, once per distinct input.
 *
 * A build is preprocessed, then its preprocessed text compiled to an
 * object, then linked. The text is what the build is: its digest, with the
 * compiler's identity (toolchain.c: its files, version and runtime), the
 * flags and the source path, names the build, so a header that shadows
 * another, a file __has_include finds later, or an edit while racelab
 * builds can never reuse a build made from other text; and the compiler
 * and the audit (tsan_audit.c) read that very text, not the files again.
 * The object is checked on its own (a compiler that instruments only when
 * linking is caught there). An existing build of that name is reused while
 * its manifest holds: the digests of its text, object and binary as they
 * were built. Outputs are written under temporary names and renamed, so
 * concurrent racelab runs sharing a build tree never see a half-written
 * one. Every compiler runs in the case's directory (relative -I flags are
 * relative to it) with the environment rl_compiler_env gives. */
#define _GNU_SOURCE
#include "build.h"
#include "fs.h"
#include "line_directive.h"

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
        /* -lNAME is a library of the system's directories; "-l:FILE" and a
         * path could link any object, beyond the checks and the build's
         * key. */
        if (strcmp(p, "-l") == 0 && (word[2] == ':' || strchr(word, '/'))) {
            return rl_diag_set(diag, NULL, 0,
                               "cflags '%s' is refused: a case links system libraries by name "
                               "(-lNAME); a file could link code racelab does not check",
                               word);
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
    cmd->env_set = rl_compiler_env(NULL);
    cmd->env_only = 1;
    cmd->env_unset = rl_xcalloc(1, sizeof(char *));
    cmd->cwd = cwd ? rl_xstrdup(cwd) : NULL;
}

/* Run one compiler command that must produce out; 0, or -1 and why. */
static int run_compiler(rl_strv *argv, const char *cwd, const char *out, const char *log_path,
                        const char *what, const volatile sig_atomic_t *cancel, double *seconds,
                        rl_diag *diag)
{
    char **envp = rl_compiler_env(NULL);
    rl_spawn s = {.argv = argv->v, .envp = envp, .cwd = cwd, .stdout_path = log_path,
                  .stderr_path = log_path, .timeout = 300, .cancel = cancel};
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
    rl_strv_free(envp);
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

/* The files a preprocessed text came from: the names its line markers
 * give ('# 12 "name" 1'), relative ones taken from dir, once each. */
static void marker_files(const char *text, size_t len, const char *dir, rl_strv *files)
{
    rl_map seen = {0};
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        const char *q = p;
        if (*q == '#') {
            q++;
            while (q < stop && *q == ' ')
                q++;
            if (q < stop && *q >= '0' && *q <= '9') {
                while (q < stop && *q >= '0' && *q <= '9')
                    q++;
                while (q < stop && *q == ' ')
                    q++;
            } else
                q = stop;
        } else
            q = stop;
        if (q < stop && *q == '"') {
            rl_buf name = {0};
            for (q++; q < stop && *q != '"'; q++) {
                if (*q == '\\' && q + 1 < stop && q[1] >= '0' && q[1] <= '7') {
                    int v = 0, k = 0;
                    for (q++; k < 3 && q < stop && *q >= '0' && *q <= '7'; k++, q++)
                        v = v * 8 + (*q - '0');
                    char ch = (char)v;
                    rl_buf_add(&name, &ch, 1);
                    q--;
                    continue;
                }
                if (*q == '\\' && q + 1 < stop)
                    q++;
                rl_buf_add(&name, q, 1);
            }
            size_t unused;
            /* Not "<built-in>" and the like, nor GCC's note of the working
             * directory ("/dir//"). */
            int dir_note = name.len >= 2 && strcmp(name.data + name.len - 2, "//") == 0;
            if (name.len && name.data[0] != '<' && !dir_note &&
                rl_map_get(&seen, name.data, &unused) < 0) {
                rl_map_put(&seen, name.data, 1);
                if (name.data[0] == '/')
                    rl_strv_push(files, name.data);
                else
                    rl_strv_pushf(files, "%s/%s", dir, name.data);
            }
            rl_buf_free(&name);
        }
        p = nl ? nl + 1 : end;
    }
    rl_map_clear(&seen);
}

/* A #line directive (or a GNU line marker) moves the lines reports name,
 * and so the lines markers are matched on: refused in every file a build
 * reads (docs/case-format.md). */
static int refuse_line_directives(const char *source, size_t len, const char *dir, rl_diag *diag)
{
    rl_strv files = {0};
    marker_files(source, len, dir, &files);
    int rc = files.n ? 0 : rl_diag_set(diag, NULL, 0, "the preprocessed case names no file it came from");
    for (size_t i = 0; rc == 0 && i < files.n; i++) {
        size_t n;
        char *text = rl_read_file(files.v[i], &n, diag);
        if (!text) {
            rc = -1;
            break;
        }
        int line = rl_line_directive_at(text, n);
        if (line)
            rc = rl_diag_set(diag, files.v[i], line,
                             "a #line directive moves the lines reports name, which markers are "
                             "matched on: a case and the files it includes may not use it");
        free(text);
    }
    rl_strv_clear(&files);
    return rc;
}

/* What a build is: the digests of its preprocessed text, object and
 * binary. It is reused only while all of them hold. */
typedef struct manifest {
    uint64_t source, object, binary;
} manifest;

static int manifest_read(const char *path, manifest *m)
{
    memset(m, 0, sizeof *m);
    char *text = rl_read_file(path, NULL, NULL);
    if (!text)
        return -1;
    unsigned long long s, o, b;
    int n = 0;
    int rc = sscanf(text, "racelab-build 2\nsource %llx\nobject %llx\nbinary %llx\n%n", &s, &o, &b,
                    &n) == 3 && n > 0 && text[n] == '\0' ? 0 : -1;
    free(text);
    if (rc == 0) {
        m->source = s;
        m->object = o;
        m->binary = b;
    }
    return rc;
}

static int manifest_write(const char *path, const manifest *m, rl_diag *diag)
{
    char *text = rl_xasprintf("racelab-build 2\nsource %016" PRIx64 "\nobject %016" PRIx64
                              "\nbinary %016" PRIx64 "\n",
                              m->source, m->object, m->binary);
    int rc = rl_write_atomic(path, text, strlen(text), "the build's manifest", diag);
    free(text);
    return rc;
}

static int regular_file(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Whether the build at out (with its text, object and manifest) is whole
 * and still the one made from this text. */
static int reusable(const char *out, const char *object, const char *source,
                    const char *manifest_path, uint64_t source_digest)
{
    manifest m;
    uint64_t h;
    return regular_file(out) && regular_file(object) && regular_file(source) &&
           manifest_read(manifest_path, &m) == 0 && m.source == source_digest &&
           digest_file(source, &h) == 0 && h == m.source && digest_file(object, &h) == 0 &&
           h == m.object && digest_file(out, &h) == 0 && h == m.binary;
}

/* An absolute form of path (not resolving links). */
static char *absolute(const char *path)
{
    if (path[0] == '/')
        return rl_xstrdup(path);
    char *cwd = getcwd(NULL, 0);
    char *abs = rl_xasprintf("%s/%s", cwd ? cwd : ".", path);
    free(cwd);
    return abs;
}

/* Put the final names in place of the temporary ones in a recorded command:
 * what is recorded is what a person would run. */
static void final_names(rl_command *cmd, const char *const *temporary, const char *const *final,
                        size_t n)
{
    for (size_t i = 0; cmd->argv[i]; i++)
        for (size_t k = 0; k < n; k++)
            if (strcmp(cmd->argv[i], temporary[k]) == 0) {
                free(cmd->argv[i]);
                cmd->argv[i] = rl_xstrdup(final[k]);
            }
}

/* Preprocess the case into tmp_source; its digest in *digest. */
static int preprocess(const rl_build_request *req, rl_strv *pargv, const char *dir,
                      const char *tmp_source, double *seconds, uint64_t *digest, rl_diag *diag)
{
    if (run_compiler(pargv, dir, tmp_source, req->log_path, "preprocess", req->cancel, seconds,
                     diag) < 0)
        return -1;
    if (digest_file(tmp_source, digest) < 0)
        return rl_diag_set(diag, tmp_source, 0, "cannot read the preprocessed case");
    return 0;
}

/* Compile the preprocessed text, check what the compiler made, link, and
 * move it all into place with the manifest that vouches for it. */
static int build_afresh(const rl_build_request *req, rl_strv *cargv, rl_strv *largv,
                        const char *dir, const char *const *temporary, const char *const *final,
                        const char *manifest_path, uint64_t source_digest, double *seconds,
                        rl_diag *diag)
{
    const rl_adapter *a = req->adapter;
    const char *tmp = temporary[0], *tmp_object = temporary[1], *tmp_source = temporary[2];
    manifest m = {.source = source_digest};
    size_t len;
    char *text = rl_read_file(tmp_source, &len, diag);
    int rc = text ? refuse_line_directives(text, len, dir, diag) : -1;
    free(text);
    if (rc == 0)
        rc = run_compiler(cargv, dir, tmp_object, req->log_path, "compile", req->cancel, seconds,
                          diag);
    if (rc == 0 && a->check_build)
        rc = a->check_build(a, req->tool, cargv->v, tmp_object, diag);
    if (rc == 0)
        rc = run_compiler(largv, dir, tmp, req->log_path, "link", req->cancel, seconds, diag);
    if (rc == 0 && (digest_file(tmp, &m.binary) < 0 || digest_file(tmp_object, &m.object) < 0))
        rc = rl_diag_set(diag, tmp, 0, "cannot read the build just made");
    /* Into place, then the manifest: a build without its manifest, or with
     * another's, is never reused. */
    for (size_t i = 0; rc == 0 && i < 3; i++)
        if (rename(temporary[i], final[i]) < 0)
            rc = rl_diag_set(diag, NULL, 0, "cannot move the build into place at %s: %s",
                             final[i], strerror(errno));
    if (rc == 0)
        rc = manifest_write(manifest_path, &m, diag);
    return rc;
}

int rl_build(const rl_build_request *req, char **binary, double *seconds, rl_command *preprocessed,
             rl_command *compile, rl_command *link, rl_diag *diag)
{
    *binary = NULL;
    *seconds = 0;
    const rl_case *c = req->rcase;
    const rl_adapter *a = req->adapter;
    const rl_toolchain *cc = req->compiler;
    char *bin = absolute(req->bin_dir);
    char *dir = rl_xstrndup(c->path, (size_t)(strrchr(c->path, '/') - c->path));
    char *tmp = rl_xasprintf("%s/%s.tmp.%ld.%ld", bin, c->name, (long)getpid(), (long)gettid());
    char *tmp_object = rl_xasprintf("%s.o", tmp), *tmp_source = rl_xasprintf("%s.i", tmp);

    rl_strv pargv = {0}, cargv = {0}, largv = {0};
    rl_strv *each[] = {&pargv, &cargv, &largv};
    for (size_t k = 0; k < 3; k++) {
        rl_strv_push(each[k], cc->path);
        for (size_t i = 0; a->build_flags[i]; i++)
            rl_strv_push(each[k], a->build_flags[i]);
        rl_strv_push(each[k], "-pthread");
    }
    for (size_t i = 0; i < c->ncflags; i++) {
        if (link_flag(c->cflags[i]))
            rl_strv_push(&largv, c->cflags[i]);
        else {
            rl_strv_push(&pargv, c->cflags[i]);
            rl_strv_push(&cargv, c->cflags[i]);
        }
    }
    const char *pre[] = {"-E", "-o", tmp_source, c->path};
    const char *comp[] = {"-c", "-o", tmp_object, tmp_source};
    for (size_t i = 0; i < 4; i++) {
        rl_strv_push(&pargv, pre[i]);
        rl_strv_push(&cargv, comp[i]);
    }
    rl_strv_push(&largv, "-o");
    rl_strv_push(&largv, tmp);
    rl_strv_push(&largv, tmp_object);

    uint64_t source_digest = 0;
    int rc = preprocess(req, &pargv, dir, tmp_source, seconds, &source_digest, diag);
    char *out = NULL, *object = NULL, *source = NULL, *manifest_path = NULL;
    if (rc == 0) {
        /* The name: everything that goes into the build. */
        uint64_t h = RL_HASH_INIT;
        h = rl_hash_str(h, cc->identity);
        h = rl_hash_str(h, a->build_name);
        for (size_t i = 0; a->build_flags[i]; i++)
            h = rl_hash_str(h, a->build_flags[i]);
        for (size_t i = 0; i < c->ncflags; i++)
            h = rl_hash_str(h, c->cflags[i]);
        h = rl_hash_str(h, c->path);
        h = rl_hash(h, &source_digest, sizeof source_digest);
        const char *tag = strrchr(cc->path, '/');
        tag = tag ? tag + 1 : cc->path;
        out = rl_xasprintf("%s/%s.%s-%s.%016" PRIx64, bin, c->name, a->build_name, tag, h);
        object = rl_xasprintf("%s.o", out);
        source = rl_xasprintf("%s.i", out);
        manifest_path = rl_xasprintf("%s.manifest", out);
    }
    const char *temporary[] = {tmp, tmp_object, tmp_source}, *final[] = {out, object, source};
    fill_command(preprocessed, &pargv, dir);
    fill_command(compile, &cargv, dir);
    fill_command(link, &largv, dir);
    if (rc == 0) {
        final_names(preprocessed, temporary, final, 3);
        final_names(compile, temporary, final, 3);
        final_names(link, temporary, final, 3);
    }

    int fresh = 0;
    if (rc == 0 && req->rebuild && req->memo) {
        size_t unused;
        pthread_mutex_lock(&req->memo->mutex);
        fresh = rl_map_get(&req->memo->built, out, &unused) < 0;
        if (fresh)
            rl_map_put(&req->memo->built, out, 1);
        pthread_mutex_unlock(&req->memo->mutex);
    } else
        fresh = req->rebuild;
    if (rc == 0 && (fresh || !reusable(out, object, source, manifest_path, source_digest)))
        rc = build_afresh(req, &cargv, &largv, dir, temporary, final, manifest_path,
                          source_digest, seconds, diag);
    else if (rc == 0)
        *seconds = 0; /* reused: preprocessing to find it is not a build */
    for (size_t i = 0; i < 3; i++)
        unlink(temporary[i]);
    if (rc == 0 && a->check_object && a->check_object(a, req->tool, object, diag) < 0)
        rc = -1;
    rl_strv_clear(&pargv);
    rl_strv_clear(&cargv);
    rl_strv_clear(&largv);
    free(tmp);
    free(tmp_object);
    free(tmp_source);
    free(object);
    free(source);
    free(manifest_path);
    free(dir);
    free(bin);
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
