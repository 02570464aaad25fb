/* util.h: small helpers shared inside the library (not public). */
#ifndef RL_UTIL_H
#define RL_UTIL_H

#include "racelab.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Allocation that cannot fail: racelab has nothing useful to do without
 * memory, so running out aborts with a message. */
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
char *rl_buf_steal(rl_buf *b); /* the string, never NULL; b is emptied */
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

/* The most racelab reads of any one file: tools' logs, cases, outputs. */
#define RL_READ_LIMIT ((size_t)64 << 20)

/* Read a whole regular file of at most max bytes; NUL-terminated. Returns
 * NULL with errno set: EINVAL when it is not a regular file (a FIFO or a
 * device is never opened for reading), EFBIG when it is larger than max. */
char *rl_read_file_max(const char *path, size_t max, size_t *len);
/* rl_read_file_max with RL_READ_LIMIT. */
char *rl_read_file(const char *path, size_t *len);
/* Why rl_read_file failed, for a person. */
const char *rl_read_error(int err);

/* mkdir -p. */
int rl_mkdirs(const char *path);
/* Remove the files directly inside dir (not recursive); -1 with errno when
 * one cannot be removed. */
int rl_empty_dir(const char *dir);
/* Copy a regular file. */
int rl_copy_file(const char *from, const char *to);

/* Find an executable: a name with a slash is taken as is, otherwise PATH is
 * searched. Returns an allocated path, or NULL. */
char *rl_which(const char *program);

double rl_now(void); /* monotonic seconds */

/* Whether the run was cancelled: the flag is set by a signal handler or by
 * another thread, so it is read atomically. */
int rl_cancelled(const volatile sig_atomic_t *cancel);

/* The first max_lines lines of a file, indented, for error messages. */
char *rl_file_excerpt(const char *path, int max_lines);
/* Append "\n  title (path):" and the excerpt, when the file has any text. */
void rl_buf_add_excerpt(rl_buf *b, const char *title, const char *path);

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

void rl_report_init(rl_report *r, rl_kind kind, const char *tool_kind, const char *headline);
rl_report *rl_report_list_add(rl_report_list *list);
/* Move every report of from to the end of to; from is emptied. */
void rl_report_list_move(rl_report_list *to, rl_report_list *from);
rl_stack *rl_report_add_stack(rl_report *r, const char *title, int access);
void rl_stack_add_frame(rl_stack *s, const char *function, const char *file, int line);
void rl_report_clear(rl_report *r);
void rl_ending_set(rl_ending *e, rl_kind kind, int code, int by_tool, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void rl_ending_clear(rl_ending *e);

#endif
