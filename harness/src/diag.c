/* diag.c: racelab's one error convention. A function that can fail returns
 * -1 and fills an rl_diag: where the error is (a file, a line) and what it
 * is, in words for a person. */
#define _GNU_SOURCE
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rl_diag_set(rl_diag *d, const char *file, int line, const char *fmt, ...)
{
    if (!d)
        return -1;
    rl_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    rl_buf_vprintf_escaped(&b, fmt, ap);
    va_end(ap);
    char *message = rl_buf_steal(&b);
    rl_diag_clear(d);
    d->file = file && *file ? rl_xstrdup(file) : NULL;
    d->line = line;
    d->message = message;
    return -1;
}

void rl_diag_clear(rl_diag *d)
{
    if (!d)
        return;
    free(d->file);
    free(d->message);
    d->file = d->message = NULL;
    d->line = 0;
}

const char *rl_diag_message(const rl_diag *d)
{
    return d && d->message ? d->message : "";
}

char *rl_diag_format(const rl_diag *d)
{
    const char *m = rl_diag_message(d); /* escaped when it was set */
    if (!d || !d->file)
        return rl_xstrdup(m);
    char *file = rl_escape(d->file);
    char *text = d->line > 0 ? rl_xasprintf("%s:%d: %s", file, d->line, m)
                             : rl_xasprintf("%s: %s", file, m);
    free(file);
    return text;
}

void rl_diag_copy(rl_diag *to, const rl_diag *from)
{
    rl_diag_clear(to);
    to->file = from->file ? rl_xstrdup(from->file) : NULL;
    to->line = from->line;
    to->message = from->message ? rl_xstrdup(from->message) : NULL;
}

void rl_diag_append(rl_diag *d, const char *fmt, ...)
{
    if (!d)
        return;
    rl_buf b = {0};
    if (d->message)
        rl_buf_puts(&b, d->message);
    va_list ap;
    va_start(ap, fmt);
    rl_buf_vprintf_escaped(&b, fmt, ap);
    va_end(ap);
    free(d->message);
    d->message = rl_buf_steal(&b);
}

void rl_diag_append_raw(rl_diag *d, const char *text)
{
    if (!d)
        return;
    char *joined = rl_xasprintf("%s%s", d->message ? d->message : "", text);
    free(d->message);
    d->message = joined;
}

int rl_diag_set_first(rl_diag *d, const char *fmt, ...)
{
    if (!d || d->message)
        return -1;
    rl_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    rl_buf_vprintf_escaped(&b, fmt, ap);
    va_end(ap);
    d->message = rl_buf_steal(&b);
    return -1;
}

void rl_diag_locate(rl_diag *d, const char *file, int line)
{
    if (!d || d->file)
        return;
    d->file = file && *file ? rl_xstrdup(file) : NULL;
    d->line = line;
}
