/* build.c: compile a case, once per distinct input.
 *
 * A build is named by a hash of everything that goes into it: the compiler
 * (its resolved path and file identity, so an upgrade rebuilds), the flags,
 * the source path (it ends up in the debug info the reports quote) and the
 * source text. An existing binary of that name is reused. Binaries are
 * written under a temporary name and renamed, so concurrent racelab runs
 * sharing a build tree never see a half-written one. */
#define _GNU_SOURCE
#include "adapter.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    return fnv1a(h, s, strlen(s) + 1); /* the NUL separates fields */
}

int rl_build(const char *compiler, const char *const *flags, const rl_case *c, const char *bin_dir,
             const char *tag, const char *log_path, const volatile sig_atomic_t *cancel,
             char **binary, double *seconds, rl_buf *why)
{
    *binary = NULL;
    *seconds = 0;
    char *found = rl_which(compiler);
    if (!found) {
        rl_buf_printf(why, "compiler '%s' not found%s", compiler,
                      strchr(compiler, '/') ? "" : " on PATH");
        return -1;
    }
    char *resolved = realpath(found, NULL);
    struct stat st;
    if (!resolved || stat(resolved, &st) < 0) {
        rl_buf_printf(why, "cannot inspect compiler %s: %s", found, strerror(errno));
        free(found);
        free(resolved);
        return -1;
    }
    size_t srclen;
    char *source = rl_read_file(c->path, &srclen);
    if (!source) {
        rl_buf_printf(why, "cannot read %s: %s", c->path, strerror(errno));
        free(found);
        free(resolved);
        return -1;
    }

    uint64_t h = 14695981039346656037ULL;
    h = hash_str(h, resolved);
    uint64_t identity[4] = {(uint64_t)st.st_dev, (uint64_t)st.st_ino, (uint64_t)st.st_size,
                            (uint64_t)st.st_mtime};
    h = fnv1a(h, identity, sizeof identity);
    /* A wrapper script may stand for the compiler: what it runs is
     * unknown, so the name as given counts too. */
    h = hash_str(h, found);
    for (size_t i = 0; flags[i]; i++)
        h = hash_str(h, flags[i]);
    for (size_t i = 0; i < c->ncflags; i++)
        h = hash_str(h, c->cflags[i]);
    h = hash_str(h, c->path);
    h = fnv1a(h, source, srclen);
    free(source);
    free(resolved);

    char *out = rl_xasprintf("%s/%s.%s.%016" PRIx64, bin_dir, c->name, tag, h);
    if (access(out, X_OK) == 0) {
        free(found);
        *binary = out;
        return 0;
    }

    char *tmp = rl_xasprintf("%s.tmp.%ld.%ld", out, (long)getpid(), (long)gettid());
    rl_strv argv = {0};
    rl_strv_push(&argv, found);
    for (size_t i = 0; flags[i]; i++)
        rl_strv_push(&argv, flags[i]);
    rl_strv_push(&argv, "-pthread");
    rl_strv_push(&argv, "-o");
    rl_strv_push(&argv, tmp);
    rl_strv_push(&argv, c->path);
    /* After the source, so that libraries (-lm) link. */
    for (size_t i = 0; i < c->ncflags; i++)
        rl_strv_push(&argv, c->cflags[i]);

    rl_spawn s = {.argv = argv.v,
                  .stdout_path = log_path,
                  .stderr_path = log_path,
                  .timeout = 300,
                  .cancel = cancel};
    rl_outcome o;
    int rc = -1;
    if (rl_spawn_wait(&s, &o) < 0)
        rl_buf_printf(why, "cannot run compiler %s: %s", found, strerror(errno));
    else if (o.cancelled)
        rl_buf_puts(why, "interrupted while compiling");
    else if (o.lost)
        rl_buf_printf(why, "lost the exit status of compiler %s (is SIGCHLD ignored?)", found);
    else if (o.timed_out)
        rl_buf_printf(why, "compiler %s did not finish in %.0f s", found, s.timeout);
    else if (!o.exited || o.status != 0 || access(tmp, X_OK) != 0) {
        char *excerpt = rl_file_excerpt(log_path, 20);
        if (o.exited)
            rl_buf_printf(why, "compile failed (%s exited with %d):\n%s    build log: %s", found,
                          o.status, excerpt, log_path);
        else
            rl_buf_printf(why, "compile failed (%s killed by signal %d):\n%s    build log: %s",
                          found, o.signal, excerpt, log_path);
        free(excerpt);
    } else if (rename(tmp, out) < 0)
        rl_buf_printf(why, "cannot move the build into place at %s: %s", out, strerror(errno));
    else {
        rc = 0;
        *seconds = o.seconds;
    }
    if (rc < 0) {
        unlink(tmp);
        free(out);
    } else
        *binary = out;
    free(tmp);
    free(found);
    rl_strv_clear(&argv);
    return rc;
}
