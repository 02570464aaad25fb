/* util.h: memory, strings, maps and hashes shared inside the library (not
 * public). */
#ifndef RL_UTIL_H
#define RL_UTIL_H

#include "racelab.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Allocation that cannot fail: racelab has nothing useful to do without
 * memory, so running out aborts with a message. */
void rl_out_of_memory(void) __attribute__((noreturn));
void *rl_xmalloc(size_t n);
void *rl_xcalloc(size_t n, size_t size);
void *rl_xrealloc(void *p, size_t n);
/* Grow an array of *cap elements of size to hold at least need. */
void *rl_xgrow(void *p, size_t *cap, size_t need, size_t size);
char *rl_xstrdup(const char *s);
char *rl_xstrndup(const char *s, size_t n);
char *rl_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable string. */
typedef struct rl_buf {
    char *data;
    size_t len, cap;
} rl_buf;

void rl_buf_add(rl_buf *b, const char *s, size_t n);
void rl_buf_puts(rl_buf *b, const char *s);
void rl_buf_printf(rl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rl_buf_vprintf(rl_buf *b, const char *fmt, va_list ap);
char *rl_buf_steal(rl_buf *b); /* the string, never NULL; b is emptied */
/* Text for a terminal or a CI log from bytes anyone may have written (a
 * tool's log, a file name, a symbol): every control character, a backslash,
 * bytes that are not UTF-8, and characters that reorder or hide text are
 * written as escapes (\n, \x1b, \u{202E}), so that the text can neither
 * act on the terminal nor forge a line. */
void rl_buf_add_escaped(rl_buf *b, const char *s, size_t n);
/* printf into b, each %s argument escaped as rl_buf_add_escaped does: the
 * format's own text (racelab's) is kept as is. */
void rl_buf_vprintf_escaped(rl_buf *b, const char *fmt, va_list ap);
void rl_buf_printf_escaped(rl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s for HTML or XML: escaped as rl_buf_add_escaped does (no control
 * character survives, which XML 1.0 could not hold anyway), then & < > " '
 * as entities. */
void rl_buf_add_markup(rl_buf *b, const char *s);
/* The same for several lines, keeping the line breaks. */
void rl_buf_add_markup_lines(rl_buf *b, const char *s);
void rl_buf_free(rl_buf *b);

/* A growable NULL-terminated array of owned strings. */
typedef struct rl_strv {
    char **v;
    size_t n, cap;
} rl_strv;

void rl_strv_push(rl_strv *s, const char *str);
void rl_strv_pushn(rl_strv *s, const char *str, size_t n);
void rl_strv_pushf(rl_strv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rl_strv_clear(rl_strv *s);
/* The array, never NULL (an empty one when nothing was pushed); s is emptied. */
char **rl_strv_steal(rl_strv *s);
char **rl_strv_dup(char *const *v);
size_t rl_strv_len(char *const *v);
/* Split s on blanks (spaces and tabs) into s's words. */
void rl_strv_split(rl_strv *out, const char *s);

double rl_now(void); /* monotonic seconds */

/* Whether the run was cancelled: the flag is set by a signal handler or by
 * another thread, so it is read atomically. */
int rl_cancelled(const volatile sig_atomic_t *cancel);

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0. s is NUL-terminated. */
size_t rl_utf8_sequence(const unsigned char *s);
/* Decode the UTF-8 sequence at s of length n (from rl_utf8_sequence). */
uint32_t rl_utf8_decode(const unsigned char *s, size_t n);

uint64_t rl_hash(uint64_t h, const void *data, size_t n); /* FNV-1a */
uint64_t rl_hash_str(uint64_t h, const char *s);          /* with its NUL */
#define RL_HASH_INIT 14695981039346656037ULL

/* A string -> index map (open addressing), for linear-time look-ups. */
typedef struct rl_map {
    char **keys;
    size_t *values;
    size_t cap, count;
} rl_map;

int rl_map_get(const rl_map *m, const char *key, size_t *value); /* 0 when found */
void rl_map_put(rl_map *m, const char *key, size_t value);       /* replaces */
void rl_map_clear(rl_map *m);

/* Errors (diag.c). A message is text for people: every %s argument of
 * rl_diag_set, rl_diag_append and rl_diag_set_first is escaped
 * (rl_buf_add_escaped), so a file name or a tool's output can never put a
 * control character or a line of its own into racelab's output. */
/* Add to d's message. */
void rl_diag_append(rl_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Add text that is already safe (escaped, or racelab's own) as it is. */
void rl_diag_append_raw(rl_diag *d, const char *text);
/* Set d only when it holds no error yet; returns -1 either way. */
int rl_diag_set_first(rl_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Give d a file and line, when it has none (an adapter's word about an
 * options line, placed by the case parser). */
void rl_diag_locate(rl_diag *d, const char *file, int line);

#ifdef __cplusplus
}
#endif

#endif
