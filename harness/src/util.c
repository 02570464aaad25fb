/* util.c: memory, strings, files and paths for the rest of the library. */
#define _GNU_SOURCE
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void out_of_memory(void)
{
    fputs("racelab: out of memory\n", stderr);
    abort();
}

void *rl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *rl_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *rl_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *rl_xstrdup(const char *s)
{
    return rl_xstrndup(s, strlen(s));
}

char *rl_xstrndup(const char *s, size_t n)
{
    char *p = rl_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *rl_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        out_of_memory();
    va_end(ap);
    return s;
}

void rl_buf_add(rl_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 128;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = rl_xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void rl_buf_puts(rl_buf *b, const char *s)
{
    rl_buf_add(b, s, strlen(s));
}

void rl_buf_printf(rl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        out_of_memory();
    rl_buf_add(b, s, (size_t)n);
    free(s);
}

char *rl_buf_steal(rl_buf *b)
{
    char *s = b->data ? b->data : rl_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void rl_buf_free(rl_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void rl_strv_push(rl_strv *s, const char *str)
{
    if (s->n + 2 > s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = rl_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = rl_xstrdup(str);
    s->v[s->n] = NULL;
}

void rl_strv_pushf(rl_strv *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *str;
    if (vasprintf(&str, fmt, ap) < 0)
        out_of_memory();
    va_end(ap);
    rl_strv_push(s, str);
    free(str);
}

void rl_strv_clear(rl_strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

void rl_strv_free(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

void rl_diag_set(rl_diag *d, const char *file, int line, const char *fmt, ...)
{
    if (!d)
        return;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    va_end(ap);
}

const char *rl_diag_format(const rl_diag *d, char *buf, size_t size)
{
    if (d->file[0] && d->line > 0)
        snprintf(buf, size, "%s:%d: %s", d->file, d->line, d->message);
    else if (d->file[0])
        snprintf(buf, size, "%s: %s", d->file, d->message);
    else
        snprintf(buf, size, "%s", d->message);
    return buf;
}

char *rl_read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
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
            errno = e;
            return NULL;
        }
        if (n == 0)
            break;
        rl_buf_add(&b, chunk, (size_t)n);
    }
    close(fd);
    if (len)
        *len = b.len;
    return rl_buf_steal(&b);
}

int rl_mkdirs(const char *path)
{
    char *p = rl_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0755);
    free(p);
    return rc < 0 && errno != EEXIST ? -1 : 0;
}

int rl_empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int rc = 0, saved = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_type == DT_DIR)
            continue;
        if (unlinkat(dirfd(d), e->d_name, 0) < 0 && errno != ENOENT) {
            rc = -1;
            saved = errno;
        }
    }
    closedir(d);
    errno = saved;
    return rc;
}

char *rl_which(const char *program)
{
    if (!program || !*program)
        return NULL;
    if (strchr(program, '/'))
        return access(program, X_OK) == 0 ? rl_xstrdup(program) : NULL;
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *end = strchr(path, ':');
        size_t n = end ? (size_t)(end - path) : strlen(path);
        char *candidate = n ? rl_xasprintf("%.*s/%s", (int)n, path, program)
                            : rl_xasprintf("./%s", program);
        struct stat st;
        if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode) && access(candidate, X_OK) == 0)
            return candidate;
        free(candidate);
        path += n;
        if (*path == ':')
            path++;
    }
    return NULL;
}

int rl_cancelled(const volatile sig_atomic_t *cancel)
{
    return cancel && __atomic_load_n(cancel, __ATOMIC_RELAXED);
}

double rl_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

char *rl_file_excerpt(const char *path, int max_lines)
{
    size_t len;
    char *text = rl_read_file(path, &len);
    if (!text)
        return rl_xstrdup("");
    rl_buf b = {0};
    int lines = 0;
    for (char *p = text; *p && lines < max_lines; lines++) {
        char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        rl_buf_puts(&b, "    | ");
        rl_buf_add(&b, p, n);
        rl_buf_puts(&b, "\n");
        p += n + (nl ? 1 : 0);
        if (!nl)
            break;
    }
    if (lines == max_lines && text[0])
        rl_buf_puts(&b, "    | ...\n");
    free(text);
    return rl_buf_steal(&b);
}

void rl_buf_add_excerpt(rl_buf *b, const char *title, const char *path)
{
    char *excerpt = rl_file_excerpt(path, 12);
    if (*excerpt)
        rl_buf_printf(b, "\n  %s (%s):\n%s", title, path, excerpt);
    free(excerpt);
}

void rl_report_init(rl_report *r, rl_kind kind, const char *tool_kind, const char *headline)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->tool_kind = rl_xstrdup(tool_kind ? tool_kind : "");
    r->headline = rl_xstrdup(headline ? headline : "");
}

rl_report *rl_report_list_add(rl_report_list *list)
{
    if (list->count == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 8;
        list->items = rl_xrealloc(list->items, list->cap * sizeof *list->items);
    }
    rl_report *r = &list->items[list->count++];
    memset(r, 0, sizeof *r);
    return r;
}

void rl_report_add_frame(rl_report *r, const char *function, const char *file, int line)
{
    r->frames = rl_xrealloc(r->frames, (r->nframes + 1) * sizeof *r->frames);
    rl_frame *f = &r->frames[r->nframes++];
    f->function = function && *function ? rl_xstrdup(function) : NULL;
    f->file = file && *file ? rl_xstrdup(file) : NULL;
    f->line = line;
}

void rl_report_list_clear(rl_report_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        rl_report *r = &list->items[i];
        for (size_t j = 0; j < r->nframes; j++) {
            free(r->frames[j].function);
            free(r->frames[j].file);
        }
        free(r->frames);
        free(r->tool_kind);
        free(r->headline);
    }
    free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
}
