/* util.c: memory, strings, maps and hashes for the rest of the library. */
#define _GNU_SOURCE
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void rl_out_of_memory(void)
{
    fputs("racelab: out of memory\n", stderr);
    abort();
}

void *rl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        rl_out_of_memory();
    return p;
}

void *rl_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        rl_out_of_memory();
    return p;
}

void *rl_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        rl_out_of_memory();
    return p;
}

void *rl_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2 / size)
            rl_out_of_memory();
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
        rl_out_of_memory();
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

void rl_buf_vprintf(rl_buf *b, const char *fmt, va_list ap)
{
    char *s;
    int n = vasprintf(&s, fmt, ap);
    if (n < 0)
        rl_out_of_memory();
    rl_buf_add(b, s, (size_t)n);
    free(s);
}

void rl_buf_printf(rl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rl_buf_vprintf(b, fmt, ap);
    va_end(ap);
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
        rl_out_of_memory();
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

