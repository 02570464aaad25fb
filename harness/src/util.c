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


/* Whether a code point is one a terminal acts on or that reorders or hides
 * text: C1 controls, the bidirectional controls, zero-width characters, the
 * line and paragraph separators. */
static int hidden_code_point(uint32_t c)
{
    return (c >= 0x80 && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) ||
           (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) || c == 0xfeff;
}

void rl_buf_add_escaped(rl_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x7f && *p != '\\')
            p++;
        rl_buf_add(b, (const char *)run, (size_t)(p - run));
        if (p >= end)
            break;
        unsigned c = *p;
        if (c == '\\') {
            rl_buf_puts(b, "\\\\");
            p++;
        } else if (c < 0x80) {
            if (c == '\n')
                rl_buf_puts(b, "\\n");
            else if (c == '\t')
                rl_buf_puts(b, "\\t");
            else if (c == '\r')
                rl_buf_puts(b, "\\r");
            else
                rl_buf_printf(b, "\\x%02x", c);
            p++;
        } else {
            /* Decode only what lies inside s: it need not end in a NUL. */
            unsigned char seq[5] = {0};
            size_t room = (size_t)(end - p) < 4 ? (size_t)(end - p) : 4;
            memcpy(seq, p, room);
            size_t len = rl_utf8_sequence(seq);
            if (!len) {
                rl_buf_printf(b, "\\x%02x", c);
                p++;
                continue;
            }
            uint32_t cp = rl_utf8_decode(seq, len);
            if (hidden_code_point(cp))
                rl_buf_printf(b, "\\u{%04X}", (unsigned)cp);
            else
                rl_buf_add(b, (const char *)p, len);
            p += len;
        }
    }
}

char *rl_escape(const char *s)
{
    rl_buf b = {0};
    if (s)
        rl_buf_add_escaped(&b, s, strlen(s));
    return rl_buf_steal(&b);
}

void rl_buf_vprintf_escaped(rl_buf *b, const char *fmt, va_list ap)
{
    for (const char *p = fmt; *p;) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            rl_buf_puts(b, p);
            break;
        }
        rl_buf_add(b, p, (size_t)(pct - p));
        /* One conversion: %[flags][width][.precision][length]conv. */
        const char *q = pct + 1;
        char spec[32] = {0}; /* terminated as it grows: strchr reads it */
        size_t k = 0;
        spec[k++] = '%';
        int width = 0, precision = -1, has_width = 0, star_width = 0, star_prec = 0;
        while (*q && strchr("-+ #0", *q) && k < 8)
            spec[k++] = *q++;
        if (*q == '*') {
            star_width = has_width = 1;
            q++;
        } else
            while (*q >= '0' && *q <= '9') {
                width = width * 10 + (*q - '0');
                has_width = 1;
                q++;
            }
        if (*q == '.') {
            q++;
            precision = 0;
            if (*q == '*') {
                star_prec = 1;
                q++;
            } else
                while (*q >= '0' && *q <= '9')
                    precision = precision * 10 + (*q++ - '0');
        }
        char length[3] = "";
        size_t l = 0;
        while (*q && strchr("hlzjt", *q) && l < 2)
            length[l++] = *q++;
        length[l] = '\0';
        char conv = *q ? *q++ : '\0';
        p = q;
        if (star_width)
            width = va_arg(ap, int);
        if (star_prec)
            precision = va_arg(ap, int);
        if (conv == '%') {
            rl_buf_puts(b, "%");
            continue;
        }
        if (conv == '\0') /* a '%' ends the format: nothing to convert */
            break;
        if (conv == 's') {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            size_t n = precision >= 0 ? strnlen(s, (size_t)precision) : strlen(s);
            rl_buf add = {0};
            rl_buf_add_escaped(&add, s, n);
            int left = strchr(spec, '-') != NULL || width < 0;
            size_t want = has_width ? (size_t)(width < 0 ? -width : width) : 0;
            size_t pad = want > add.len ? want - add.len : 0;
            for (size_t i = 0; !left && i < pad; i++)
                rl_buf_puts(b, " ");
            rl_buf_add(b, add.data ? add.data : "", add.len);
            for (size_t i = 0; left && i < pad; i++)
                rl_buf_puts(b, " ");
            rl_buf_free(&add);
            continue;
        }
        /* Anything else is a number or a character: formatted as is. */
        if (has_width)
            k += (size_t)snprintf(spec + k, sizeof spec - k, "%d", width);
        if (precision >= 0)
            k += (size_t)snprintf(spec + k, sizeof spec - k, ".%d", precision);
        k += (size_t)snprintf(spec + k, sizeof spec - k, "%s%c", length, conv);
        if (strchr("diouxXc", conv)) {
            if (strcmp(length, "ll") == 0) {
                long long v = va_arg(ap, long long);
                rl_buf_printf(b, spec, v);
            } else if (strcmp(length, "l") == 0) {
                long v = va_arg(ap, long);
                rl_buf_printf(b, spec, v);
            } else if (strcmp(length, "z") == 0) {
                size_t v = va_arg(ap, size_t);
                rl_buf_printf(b, spec, v);
            } else if (strcmp(length, "j") == 0 || strcmp(length, "t") == 0) {
                long long v = va_arg(ap, long long);
                rl_buf_printf(b, spec, v);
            } else {
                int v = va_arg(ap, int);
                rl_buf_printf(b, spec, v);
            }
        } else if (strchr("fFeEgGaA", conv)) {
            double v = va_arg(ap, double);
            rl_buf_printf(b, spec, v);
        } else if (conv == 'p') {
            void *v = va_arg(ap, void *);
            rl_buf_printf(b, spec, v);
        }
    }
}

void rl_buf_printf_escaped(rl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rl_buf_vprintf_escaped(b, fmt, ap);
    va_end(ap);
}

void rl_buf_add_markup(rl_buf *b, const char *s)
{
    rl_buf safe = {0};
    if (s)
        rl_buf_add_escaped(&safe, s, strlen(s));
    for (const char *p = safe.data ? safe.data : ""; *p; p++) {
        switch (*p) {
        case '&': rl_buf_puts(b, "&amp;"); break;
        case '<': rl_buf_puts(b, "&lt;"); break;
        case '>': rl_buf_puts(b, "&gt;"); break;
        case '"': rl_buf_puts(b, "&quot;"); break;
        case '\'': rl_buf_puts(b, "&#39;"); break;
        default: rl_buf_add(b, p, 1);
        }
    }
    rl_buf_free(&safe);
}

void rl_buf_add_markup_lines(rl_buf *b, const char *s)
{
    for (const char *p = s ? s : ""; *p;) {
        size_t n = strcspn(p, "\n");
        char *line = rl_xstrndup(p, n);
        rl_buf_add_markup(b, line);
        free(line);
        p += n;
        if (*p == '\n') {
            rl_buf_puts(b, "\n");
            p++;
        }
    }
}
