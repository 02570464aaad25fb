/* build.c: compile a case, once per distinct input.
 *
 * A build is compiled to an object, then linked, so that the object can be
 * checked on its own (a compiler that instruments only when linking is
 * caught there). It is named by a hash of everything that goes into it: the
 * compiler's identity (toolchain.c: its files, version and runtime), the
 * flags, the source path (it ends up in the debug info the reports quote)
 * and the source text. An existing binary of that name is reused. Outputs
 * are written under temporary names and renamed, so concurrent racelab runs
 * sharing a build tree never see a half-written one. */
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
            rl_diag_set(diag, NULL, 0, "%s failed (%s exited with %d):\n%s    build log: %s", what, cc,
                          o.status, excerpt, log_path);
        else
            rl_diag_set(diag, NULL, 0, "%s failed (%s killed by signal %d):\n%s    build log: %s", what,
                          cc, o.signal, excerpt, log_path);
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

int rl_build(const rl_build_request *req, char **binary, double *seconds, rl_command *compile,
             rl_command *link, rl_diag *diag)
{
    *binary = NULL;
    *seconds = 0;
    const rl_case *c = req->rcase;
    const rl_adapter *a = req->adapter;
    const rl_toolchain *cc = req->compiler;
    size_t srclen;
    char *source = rl_read_file(c->path, &srclen, diag);
    if (!source)
        return -1;
    uint64_t h = RL_HASH_INIT;
    h = rl_hash_str(h, cc->identity);
    h = rl_hash_str(h, a->build_name);
    for (size_t i = 0; a->build_flags[i]; i++)
        h = rl_hash_str(h, a->build_flags[i]);
    for (size_t i = 0; i < c->ncflags; i++)
        h = rl_hash_str(h, c->cflags[i]);
    h = rl_hash_str(h, c->path);
    h = rl_hash(h, source, srclen);
    free(source);

    const char *tag = strrchr(cc->path, '/');
    tag = tag ? tag + 1 : cc->path;
    char *out = rl_xasprintf("%s/%s.%s-%s.%016" PRIx64, req->bin_dir, c->name, a->build_name, tag, h);
    char *object = rl_xasprintf("%s.o", out);
    char *tmp = rl_xasprintf("%s.tmp.%ld.%ld", out, (long)getpid(), (long)gettid());
    char *tmp_object = rl_xasprintf("%s.o", tmp);

    rl_strv cargv = {0}, largv = {0};
    rl_strv_push(&cargv, cc->path);
    rl_strv_push(&largv, cc->path);
    for (size_t i = 0; a->build_flags[i]; i++) {
        rl_strv_push(&cargv, a->build_flags[i]);
        rl_strv_push(&largv, a->build_flags[i]);
    }
    rl_strv_push(&cargv, "-pthread");
    rl_strv_push(&largv, "-pthread");
    rl_strv_push(&cargv, "-c");
    rl_strv_push(&cargv, "-o");
    rl_strv_push(&cargv, tmp_object);
    rl_strv_push(&cargv, c->path);
    rl_strv_push(&largv, "-o");
    rl_strv_push(&largv, tmp);
    rl_strv_push(&largv, tmp_object);
    for (size_t i = 0; i < c->ncflags; i++)
        rl_strv_push(link_flag(c->cflags[i]) ? &largv : &cargv, c->cflags[i]);
    /* What is recorded is what a person would run: the final names. */
    fill_command(compile, &cargv, NULL);
    fill_command(link, &largv, NULL);
    for (size_t i = 0; compile->argv[i]; i++)
        if (strcmp(compile->argv[i], tmp_object) == 0) {
            free(compile->argv[i]);
            compile->argv[i] = rl_xstrdup(object);
        }
    for (size_t i = 0; link->argv[i]; i++) {
        const char *v = link->argv[i];
        const char *final = strcmp(v, tmp) == 0 ? out : strcmp(v, tmp_object) == 0 ? object : NULL;
        if (final) {
            free(link->argv[i]);
            link->argv[i] = rl_xstrdup(final);
        }
    }

    int rc = 0;
    if (access(out, X_OK) != 0 || access(object, R_OK) != 0) {
        rc = run_compiler(&cargv, tmp_object, req->log_path, "compile", req->cancel, seconds, diag);
        if (rc == 0)
            rc = run_compiler(&largv, tmp, req->log_path, "link", req->cancel, seconds, diag);
        /* The object first: a binary is only reused beside its object. */
        if (rc == 0 && (rename(tmp_object, object) < 0 || rename(tmp, out) < 0)) {
            rl_diag_set(diag, NULL, 0, "cannot move the build into place at %s: %s", out, strerror(errno));
            rc = -1;
        }
        unlink(tmp_object);
        unlink(tmp);
    }
    if (rc == 0 && a->check_object && a->check_object(a, req->tool, object, diag) < 0)
        rc = -1;
    rl_strv_clear(&cargv);
    rl_strv_clear(&largv);
    free(tmp);
    free(tmp_object);
    free(object);
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
