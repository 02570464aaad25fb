/* util.c: memory, strings, files and paths for the rest of the library. */
#define _GNU_SOURCE
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

void *rl_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2 / size)
            out_of_memory();
        c *= 2;
    }
    *cap = c;
    return rl_xrealloc(p, c * size);
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
    b->data = rl_xgrow(b->data, &b->cap, b->len + n + 1, 1);
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

void rl_strv_pushn(rl_strv *s, const char *str, size_t n)
{
    s->v = rl_xgrow(s->v, &s->cap, s->n + 2, sizeof *s->v);
    s->v[s->n++] = rl_xstrndup(str, n);
    s->v[s->n] = NULL;
}

void rl_strv_push(rl_strv *s, const char *str)
{
    rl_strv_pushn(s, str, strlen(str));
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

char **rl_strv_steal(rl_strv *s)
{
    char **v = s->v ? s->v : rl_xcalloc(1, sizeof *v);
    s->v = NULL;
    s->n = s->cap = 0;
    return v;
}

char **rl_strv_dup(char *const *v)
{
    rl_strv s = {0};
    for (; v && *v; v++)
        rl_strv_push(&s, *v);
    return rl_strv_steal(&s);
}

size_t rl_strv_len(char *const *v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

void rl_strv_split(rl_strv *out, const char *s)
{
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            return;
        size_t n = strcspn(s, " \t");
        rl_strv_pushn(out, s, n);
        s += n;
    }
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

char *rl_read_file_max(const char *path, size_t max, size_t *len)
{
    /* O_NONBLOCK: opening a FIFO for reading must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        int e = S_ISREG(st.st_mode) ? errno : EINVAL;
        close(fd);
        errno = e;
        return NULL;
    }
    if ((size_t)st.st_size > max) {
        close(fd);
        errno = EFBIG;
        return NULL;
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
            errno = e;
            return NULL;
        }
        if (n == 0)
            break;
        if (b.len + (size_t)n > max) { /* it grew while being read */
            close(fd);
            rl_buf_free(&b);
            errno = EFBIG;
            return NULL;
        }
        rl_buf_add(&b, chunk, (size_t)n);
    }
    close(fd);
    if (len)
        *len = b.len;
    return rl_buf_steal(&b);
}

char *rl_read_file(const char *path, size_t *len)
{
    return rl_read_file_max(path, RL_READ_LIMIT, len);
}

const char *rl_read_error(int err)
{
    if (err == EINVAL)
        return "not a regular file";
    if (err == EFBIG)
        return "too large (racelab reads at most 64 MiB of a file)";
    return strerror(err);
}

int rl_mkdirs(const char *path)
{
    char *p = rl_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
            int e = errno;
            free(p);
            errno = e;
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0755);
    int e = errno;
    struct stat st;
    if (rc < 0 && e == EEXIST && stat(p, &st) == 0 && !S_ISDIR(st.st_mode)) {
        free(p);
        errno = ENOTDIR;
        return -1;
    }
    free(p);
    errno = e;
    return rc < 0 && e != EEXIST ? -1 : 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag;
    if (ftw->level == 0)
        return 0; /* the directory itself stays */
    return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

int rl_empty_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    /* Depth first, not following symlinks: a program may leave anything in
     * its working directory, even a link to elsewhere. */
    return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

int rl_copy_file(const char *from, const char *to)
{
    size_t len;
    char *data = rl_read_file(from, &len);
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
    int e = errno;
    if (fd >= 0 && close(fd) < 0)
        rc = -1;
    free(data);
    errno = e;
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
        rl_buf_add(&b, p, n);
        rl_buf_puts(&b, "\n");
        if (!nl)
            break;
        p = nl + 1;
    }
    if ((lines == max_lines && *p) || (size_t)got == sizeof text - 1 || (size_t)st.st_size > (size_t)got)
        rl_buf_puts(&b, "    | ...\n");
    return rl_buf_steal(&b);
}

void rl_buf_add_excerpt(rl_buf *b, const char *title, const char *path)
{
    char *excerpt = rl_file_excerpt(path, 12);
    if (*excerpt)
        rl_buf_printf(b, "\n  %s (%s):\n%s", title, path, excerpt);
    free(excerpt);
}

size_t rl_utf8_sequence(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong forms */
        if (c == 0xED)
            hi = 0x9F; /* no UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

uint32_t rl_utf8_decode(const unsigned char *s, size_t n)
{
    if (n == 1)
        return s[0];
    uint32_t c = s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++)
        c = (c << 6) | (s[i] & 0x3F);
    return c;
}

uint64_t rl_hash(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

uint64_t rl_hash_str(uint64_t h, const char *s)
{
    return rl_hash(h, s, strlen(s) + 1); /* the NUL separates fields */
}

static size_t map_slot(const rl_map *m, const char *key)
{
    size_t i = (size_t)rl_hash_str(RL_HASH_INIT, key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

int rl_map_get(const rl_map *m, const char *key, size_t *value)
{
    if (!m->cap)
        return -1;
    size_t i = map_slot(m, key);
    if (!m->keys[i])
        return -1;
    *value = m->values[i];
    return 0;
}

void rl_map_put(rl_map *m, const char *key, size_t value)
{
    if ((m->count + 1) * 2 > m->cap) {
        rl_map old = *m;
        m->cap = old.cap ? old.cap * 2 : 16;
        m->keys = rl_xcalloc(m->cap, sizeof *m->keys);
        m->values = rl_xcalloc(m->cap, sizeof *m->values);
        for (size_t i = 0; i < old.cap; i++) {
            if (!old.keys[i])
                continue;
            size_t j = map_slot(m, old.keys[i]);
            m->keys[j] = old.keys[i];
            m->values[j] = old.values[i];
        }
        free(old.keys);
        free(old.values);
    }
    size_t i = map_slot(m, key);
    if (!m->keys[i]) {
        m->keys[i] = rl_xstrdup(key);
        m->count++;
    }
    m->values[i] = value;
}

void rl_map_clear(rl_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
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
    list->items = rl_xgrow(list->items, &list->cap, list->count + 1, sizeof *list->items);
    rl_report *r = &list->items[list->count++];
    memset(r, 0, sizeof *r);
    return r;
}

void rl_report_list_move(rl_report_list *to, rl_report_list *from)
{
    for (size_t i = 0; i < from->count; i++)
        *rl_report_list_add(to) = from->items[i];
    free(from->items);
    memset(from, 0, sizeof *from);
}

rl_stack *rl_report_add_stack(rl_report *r, const char *title, int access)
{
    r->stacks = rl_xrealloc(r->stacks, (r->nstacks + 1) * sizeof *r->stacks);
    rl_stack *s = &r->stacks[r->nstacks++];
    memset(s, 0, sizeof *s);
    s->title = rl_xstrdup(title ? title : "");
    s->access = access;
    return s;
}

void rl_stack_add_frame(rl_stack *s, const char *function, const char *file, int line)
{
    if (s->nframes % 16 == 0)
        s->frames = rl_xrealloc(s->frames, (s->nframes + 16) * sizeof *s->frames);
    rl_frame *f = &s->frames[s->nframes++];
    f->function = function && *function ? rl_xstrdup(function) : NULL;
    f->file = file && *file ? rl_xstrdup(file) : NULL;
    f->line = line;
}

void rl_report_clear(rl_report *r)
{
    for (size_t s = 0; s < r->nstacks; s++) {
        for (size_t j = 0; j < r->stacks[s].nframes; j++) {
            free(r->stacks[s].frames[j].function);
            free(r->stacks[s].frames[j].file);
        }
        free(r->stacks[s].frames);
        free(r->stacks[s].title);
    }
    free(r->stacks);
    free(r->tool_kind);
    free(r->headline);
    memset(r, 0, sizeof *r);
}

void rl_report_list_clear(rl_report_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        rl_report_clear(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
}

void rl_ending_set(rl_ending *e, rl_kind kind, int code, int by_tool, const char *fmt, ...)
{
    free(e->detail);
    e->kind = kind;
    e->code = code;
    e->by_tool = by_tool;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&e->detail, fmt, ap) < 0)
        out_of_memory();
    va_end(ap);
}

void rl_ending_clear(rl_ending *e)
{
    free(e->detail);
    memset(e, 0, sizeof *e);
}
