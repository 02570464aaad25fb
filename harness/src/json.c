/* json.c: racelab's values as JSON, over jansson, for the results and for
 * recorded runs. */
#define _GNU_SOURCE
#include "json.h"
#include "fs.h"
#include "toolchain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A JSON string of any bytes: paths, tool output and case text need not be
 * UTF-8, and jansson refuses what is not; bad bytes become U+FFFD. */
json_t *rl_json_text(const char *s)
{
    if (!s)
        return json_null();
    rl_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = rl_utf8_sequence(p);
        if (n)
            rl_buf_add(&b, (const char *)p, n);
        else
            rl_buf_puts(&b, "\xEF\xBF\xBD");
        p += n ? n : 1;
    }
    char *str = rl_buf_steal(&b);
    json_t *j = json_string(str);
    free(str);
    return j ? j : json_string("\xEF\xBF\xBD");
}

json_t *rl_json_text_list(char *const *v)
{
    json_t *a = json_array();
    for (; v && *v; v++)
        json_array_append_new(a, rl_json_text(*v));
    return a;
}

json_t *rl_json_toolchain(const rl_toolchain *t)
{
    return json_pack("{s:o, s:o, s:o}", "family", rl_json_text(t->family[0] ? t->family : NULL),
                     "version", rl_json_text(t->version[0] ? t->version : NULL), "path",
                     rl_json_text(t->path[0] ? t->path : NULL));
}

void rl_json_read_toolchain(json_t *j, rl_toolchain *t)
{
    const char *family = json_string_value(json_object_get(j, "family"));
    const char *version = json_string_value(json_object_get(j, "version"));
    const char *path = json_string_value(json_object_get(j, "path"));
    memset(t, 0, sizeof *t);
    snprintf(t->family, sizeof t->family, "%s", family ? family : "");
    snprintf(t->path, sizeof t->path, "%s", path ? path : "");
    rl_toolchain_set_version(t, version ? version : "");
}

int rl_json_write(const char *path, json_t *doc, size_t flags, const char *what, rl_diag *diag)
{
    char *text = doc ? json_dumps(doc, flags) : NULL;
    if (!text)
        return rl_diag_set(diag, path, 0, "cannot write %s: cannot build the JSON document",
                           what);
    size_t n = strlen(text);
    char *with_newline = rl_xasprintf("%s\n", text);
    free(text);
    int rc = rl_write_atomic(path, with_newline, n + 1, what, diag);
    free(with_newline);
    return rc;
}
