/* fs.c: files, directories and programs on the filesystem. */
#define _GNU_SOURCE
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Why a read failed, for a person. */
static char *read_failed(const char *path, size_t max, int err, rl_diag *diag)
{
    if (err == EINVAL)
        rl_diag_set(diag, path, 0, "cannot read: not a regular file");
    else if (err == EFBIG)
        rl_diag_set(diag, path, 0, "cannot read: larger than %zu MiB", max >> 20);
    else
        rl_diag_set(diag, path, 0, "cannot read: %s", strerror(err));
    errno = err;
    return NULL;
}

char *rl_read_file_max(const char *path, size_t max, size_t *len, rl_diag *diag)
{
    /* O_NONBLOCK: opening a FIFO for reading must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return read_failed(path, max, errno, diag);
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        int e = S_ISREG(st.st_mode) ? errno : EINVAL;
        close(fd);
        return read_failed(path, max, e, diag);
    }
    if ((size_t)st.st_size > max) {
        close(fd);
        return read_failed(path, max, EFBIG, diag);
    }
    rl_buf b = {0};
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            rl_buf_free(&b);
            return read_failed(path, max, e, diag);
        }
        if (n == 0)
            break;
        if (b.len + (size_t)n > max) { /* it grew while being read */
            close(fd);
            rl_buf_free(&b);
            return read_failed(path, max, EFBIG, diag);
        }
        rl_buf_add(&b, chunk, (size_t)n);
    }
    close(fd);
    if (len)
        *len = b.len;
    return rl_buf_steal(&b);
}

char *rl_read_file(const char *path, size_t *len, rl_diag *diag)
{
    return rl_read_file_max(path, RL_READ_LIMIT, len, diag);
}

int rl_mkdirs(const char *path, rl_diag *diag)
{
    char *p = rl_xstrdup(path);
    int rc = 0;
    for (char *s = p + 1; *s && rc == 0; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
            rc = rl_diag_set(diag, p, 0, "cannot create the directory: %s", strerror(errno));
        *s = '/';
    }
    struct stat st;
    if (rc == 0 && mkdir(p, 0755) < 0 && errno != EEXIST)
        rc = rl_diag_set(diag, p, 0, "cannot create the directory: %s", strerror(errno));
    else if (rc == 0 && (stat(p, &st) < 0 || !S_ISDIR(st.st_mode)))
        rc = rl_diag_set(diag, p, 0, "cannot create the directory: %s",
                         strerror(errno ? errno : ENOTDIR));
    free(p);
    return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag;
    if (ftw->level == 0)
        return 0; /* the directory itself stays */
    return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

int rl_empty_dir(const char *dir, rl_diag *diag)
{
    struct stat st;
    if (lstat(dir, &st) < 0)
        return rl_diag_set(diag, dir, 0, "cannot empty the directory: %s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return rl_diag_set(diag, dir, 0, "cannot empty the directory: %s", strerror(ENOTDIR));
    /* Depth first, not following symlinks: a program may leave anything in
     * its working directory, even a link to elsewhere. */
    if (nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        return rl_diag_set(diag, dir, 0, "cannot empty the directory: %s", strerror(errno));
    return 0;
}

int rl_copy_file(const char *from, const char *to, rl_diag *diag)
{
    size_t len;
    char *data = rl_read_file(from, &len, diag);
    if (!data)
        return -1;
    int fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int rc = fd < 0 ? -1 : 0;
    for (size_t done = 0; rc == 0 && done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno != EINTR)
            rc = -1;
        else if (n > 0)
            done += (size_t)n;
    }
    if (rc < 0 || (fd >= 0 && close(fd) < 0))
        rc = rl_diag_set(diag, to, 0, "cannot write the copy: %s", strerror(errno));
    free(data);
    return rc;
}

char *rl_which(const char *program)
{
    if (!program || !*program)
        return NULL;
    struct stat st;
    if (strchr(program, '/'))
        return stat(program, &st) == 0 && S_ISREG(st.st_mode) && access(program, X_OK) == 0
                   ? rl_xstrdup(program)
                   : NULL;
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *end = strchr(path, ':');
        size_t n = end ? (size_t)(end - path) : strlen(path);
        char *candidate = n ? rl_xasprintf("%.*s/%s", (int)n, path, program)
                            : rl_xasprintf("./%s", program);
        if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode) && access(candidate, X_OK) == 0)
            return candidate;
        free(candidate);
        path += n;
        if (*path == ':')
            path++;
    }
    return NULL;
}

char *rl_file_excerpt(const char *path, int max_lines)
{
    /* Only the start of the file is shown, so only the start is read. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    if (fd < 0)
        return rl_xstrdup("");
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return rl_xstrdup("");
    }
    char text[8193];
    ssize_t got = read(fd, text, sizeof text - 1);
    close(fd);
    if (got <= 0)
        return rl_xstrdup("");
    text[got] = '\0';
    rl_buf b = {0};
    int lines = 0;
    char *p = text;
    for (; *p && lines < max_lines; lines++) {
        char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n > 300)
            n = 300;
        rl_buf_puts(&b, "    | ");
        if (n > 0 && p[n - 1] == '\r')
            n--;
        rl_buf_add_escaped(&b, p, n); /* a tool's or the program's text */
        rl_buf_puts(&b, "\n");
        if (!nl)
            break;
        p = nl + 1;
    }
    if ((lines == max_lines && *p) || (size_t)got == sizeof text - 1 || (size_t)st.st_size > (size_t)got)
        rl_buf_puts(&b, "    | ...\n");
    return rl_buf_steal(&b);
}

void rl_diag_add_excerpt(rl_diag *d, const char *title, const char *path)
{
    char *excerpt = rl_file_excerpt(path, 12);
    if (*excerpt) {
        rl_diag_append(d, "\n  %s (%s):\n", title, path);
        rl_diag_append_raw(d, excerpt); /* escaped line by line */
    }
    free(excerpt);
}


int rl_write_atomic(const char *path, const char *data, size_t len, const char *what,
                    rl_diag *diag)
{
    struct stat st;
    char *target = NULL;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        target = realpath(path, NULL);
        if (!target)
            return rl_diag_set(diag, path, 0, "cannot write %s: a link to nowhere", what);
        path = target;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        free(target);
        return rl_diag_set(diag, path, 0, "cannot write %s: not a regular file", what);
    }
    char *dir = rl_xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        rl_mkdirs(dir, NULL);
    }
    free(dir);
    char *tmp = rl_xasprintf("%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    int rc = fd < 0 ? -1 : 0;
    if (fd >= 0) {
        fchmod(fd, 0644); /* mkstemp's 0600 would hide the file from others */
        for (size_t done = 0; rc == 0 && done < len;) {
            ssize_t n = write(fd, data + done, len - done);
            if (n < 0 && errno != EINTR)
                rc = -1;
            else if (n > 0)
                done += (size_t)n;
        }
        if (rc == 0 && fsync(fd) != 0)
            rc = -1;
        if (close(fd) != 0)
            rc = -1;
        if (rc == 0 && rename(tmp, path) < 0)
            rc = -1;
    }
    int e = errno;
    if (rc < 0) {
        rl_diag_set(diag, path, 0, "cannot write %s: %s", what, strerror(e ? e : EIO));
        unlink(tmp);
    }
    free(tmp);
    free(target);
    return rc;
}

int rl_mkdirs_below(const char *root, const char *relative, rl_diag *diag)
{
    if (rl_mkdirs(root, diag) < 0)
        return -1;
    char *path = rl_xasprintf("%s/%s", root, relative);
    size_t from = strlen(root) + 1;
    int rc = 0;
    for (size_t i = from; rc == 0; i++) {
        char c = path[i];
        if (c != '/' && c != '\0')
            continue;
        path[i] = '\0';
        struct stat st;
        if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
            /* A link (or anything else) planted where racelab keeps its own
             * directory is never followed: it goes. */
            if (unlink(path) < 0)
                rc = rl_diag_set(diag, path, 0, "cannot remove what stands in racelab's way: %s",
                                 strerror(errno));
        }
        if (rc == 0 && mkdir(path, 0755) < 0 && errno != EEXIST)
            rc = rl_diag_set(diag, path, 0, "cannot create the directory: %s", strerror(errno));
        if (rc == 0 && (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode)))
            rc = rl_diag_set(diag, path, 0, "cannot create the directory: something else is there");
        path[i] = c;
        if (c == '\0')
            break;
    }
    free(path);
    return rc;
}

int rl_write_text_file(const char *path, const char *text, const char *what, rl_diag *diag)
{
    return rl_write_atomic(path, text, strlen(text), what, diag);
}
