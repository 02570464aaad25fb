/* util.h: small helpers shared inside the library (not public). */
#ifndef RL_UTIL_H
#define RL_UTIL_H

#include "racelab.h"

#include <stdarg.h>
#include <stddef.h>

/* Allocation that cannot fail: racelab has nothing useful to do without
 * memory, so running out aborts with a message. */
void *rl_xmalloc(size_t n);
void *rl_xcalloc(size_t n, size_t size);
void *rl_xrealloc(void *p, size_t n);
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
void rl_strv_pushf(rl_strv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rl_strv_clear(rl_strv *s);


/* Read a whole file; NUL-terminated. Returns NULL with errno set. */
char *rl_read_file(const char *path, size_t *len);

/* mkdir -p. */
int rl_mkdirs(const char *path);
/* Remove the files directly inside dir (not recursive); -1 with errno when
 * one cannot be removed. */
int rl_empty_dir(const char *dir);

/* Find an executable: a name with a slash is taken as is, otherwise PATH is
 * searched. Returns an allocated absolute or given path, or NULL. */
char *rl_which(const char *program);

double rl_now(void); /* monotonic seconds */

/* Whether the run was cancelled: the flag is set by a signal handler or by
 * another thread, so it is read atomically. */
int rl_cancelled(const volatile sig_atomic_t *cancel);

/* The first max_lines lines of a file, indented, for error messages. */
char *rl_file_excerpt(const char *path, int max_lines);
/* Append "\n  title (path):" and the excerpt, when the file has any text. */
void rl_buf_add_excerpt(rl_buf *b, const char *title, const char *path);

void rl_report_init(rl_report *r, rl_kind kind, const char *tool_kind, const char *headline);
rl_report *rl_report_list_add(rl_report_list *list);
void rl_report_add_frame(rl_report *r, const char *function, const char *file, int line);

#endif
