/* fs.h: files, directories and programs on the filesystem (not public). */
#ifndef RL_FS_H
#define RL_FS_H

#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most racelab reads of any one file: tools' logs, cases, outputs. */
#define RL_READ_LIMIT ((size_t)64 << 20)

/* Read a whole regular file of at most max bytes; NUL-terminated. Returns
 * NULL and why (diag may be NULL): a FIFO or a device is never opened for
 * reading, and a larger file is refused. errno says why too (EINVAL: not a
 * regular file; EFBIG: too large; ENOENT...). */
char *rl_read_file_max(const char *path, size_t max, size_t *len, rl_diag *diag);
/* rl_read_file_max with RL_READ_LIMIT. */
char *rl_read_file(const char *path, size_t *len, rl_diag *diag);

/* mkdir -p. */
int rl_mkdirs(const char *path, rl_diag *diag);
/* mkdir -p root/relative, where every directory below root is racelab's
 * own: a link or file found there is removed, never followed. */
int rl_mkdirs_below(const char *root, const char *relative, rl_diag *diag);
/* Remove everything inside dir, never following a link (dir itself must
 * be a directory, not a link to one). */
int rl_empty_dir(const char *dir, rl_diag *diag);
/* Copy a regular file. */
int rl_copy_file(const char *from, const char *to, rl_diag *diag);

/* Find an executable: a name with a slash is taken as is, otherwise PATH is
 * searched. Returns an allocated path, or NULL. */
char *rl_which(const char *program);

/* The first max_lines lines of a file, indented and escaped (each line's
 * control characters), for error messages. */
char *rl_file_excerpt(const char *path, int max_lines);
/* Append "\n  title (path):" and the excerpt to d, when the file has any text. */
void rl_diag_add_excerpt(rl_diag *d, const char *title, const char *path);

/* Replace the file at path whole with data: written beside it under a name
 * of its own, then renamed, so a reader never sees half a file and two
 * writers never share a temporary. A link is followed (the file it names is
 * replaced, not the link); anything but a regular file is never replaced.
 * The directory is created when missing. what names the file in errors
 * ("results"). */
int rl_write_atomic(const char *path, const char *data, size_t len, const char *what,
                    rl_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
