/* results.c: results as JSON (docs/results.md describes the format, and
 * docs/results.schema.json is its schema). */
#define _GNU_SOURCE
#include "adapter.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static json_t *command_json(const rl_command *c)
{
    if (!c->argv)
        return json_null();
    json_t *env = json_object();
    for (char *const *e = c->env_set; e && *e; e++) {
        size_t k = strcspn(*e, "=");
        char *name = rl_xstrndup(*e, k);
        json_object_set_new(env, name, rl_json_text((*e)[k] ? *e + k + 1 : ""));
        free(name);
    }
    return json_pack("{s:o, s:o, s:o, s:o}", "argv", rl_json_text_list(c->argv), "env", env, "unset",
                     rl_json_text_list(c->env_unset), "cwd", rl_json_text(c->cwd));
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

static json_t *report_json(const rl_report *r, long line)
{
    json_t *stacks = json_array();
    for (size_t s = 0; s < r->nstacks; s++) {
        const rl_stack *st = &r->stacks[s];
        json_t *frames = json_array();
        for (size_t i = 0; i < st->nframes; i++) {
            const rl_frame *f = &st->frames[i];
            json_array_append_new(frames, json_pack("{s:o, s:o, s:i}", "function",
                                                    rl_json_text(f->function), "file",
                                                    rl_json_text(f->file), "line", f->line));
        }
        json_array_append_new(stacks, json_pack("{s:o, s:b, s:o}", "title", rl_json_text(st->title),
                                                "access", st->access, "frames", frames));
    }
    return json_pack("{s:s, s:o, s:o, s:o, s:o}", "kind", rl_kind_name(r->kind), "tool_kind",
                     rl_json_text(r->tool_kind), "headline", rl_json_text(r->headline), "stacks", stacks,
                     "expectation", line > 0 ? json_integer(line) : json_null());
}

static const char *line_type(rl_line_type t)
{
    return t == RL_LINE_ALLOW ? "allow" : t == RL_LINE_UNSUPPORTED ? "unsupported" : "expect";
}

static json_t *expectation_json(const rl_expect *e, const rl_line_verdict *v, const rl_case *c)
{
    json_t *markers = json_array();
    for (size_t m = 0; m < e->nmarkers; m++)
        json_array_append_new(markers, json_pack("{s:o, s:i, s:b}", "name", rl_json_text(e->markers[m].name),
                                                 "line", e->markers[m].line, "access",
                                                 e->markers[m].access));
    json_t *reports = json_array();
    for (size_t i = 0; v && i < v->nreports; i++)
        json_array_append_new(reports, json_integer((json_int_t)v->reports[i]));
    json_t *o = json_pack("{s:i, s:s, s:s, s:o, s:i, s:o, s:o, s:b}", "line", e->line, "type",
                          line_type(e->type), "kind", rl_kind_name(e->kind), "scope",
                          rl_json_text(c->sets[e->set].scope.text), "count", e->count, "markers", markers,
                          "reports", reports, "met", v ? v->met : 0);
    if (o && (e->kind == RL_KIND_EXIT || e->kind == RL_KIND_SIGNAL))
        json_object_set_new(o, "code", json_integer(e->code));
    return o;
}

static json_t *ending_json(const rl_ending *e)
{
    if (e->kind == RL_KIND_UNKNOWN)
        return json_null();
    return json_pack("{s:s, s:i, s:b, s:o}", "kind", rl_kind_name(e->kind), "code", e->code,
                     "by_tool", e->by_tool, "detail", rl_json_text(e->detail));
}

static json_t *result_json(const rl_result *r)
{
    const rl_match *m = &r->match;
    json_t *reports = json_array();
    for (size_t j = 0; j < r->reports.count; j++) {
        long l = j < m->nreports ? m->report_line[j] : -1;
        long line = l >= 0 ? r->rcase->expects[m->lines[l].expect].line : 0;
        json_array_append_new(reports, report_json(&r->reports.items[j], line));
    }
    json_t *expectations = json_array();
    for (size_t l = 0; l < m->nlines; l++)
        json_array_append_new(expectations, expectation_json(&r->rcase->expects[m->lines[l].expect],
                                                             &m->lines[l], r->rcase));
    json_t *set = json_null();
    if (m->set >= 0 && (size_t)m->set < r->rcase->nsets)
        set = json_pack("{s:o, s:i}", "scope", rl_json_text(r->rcase->sets[m->set].scope.text), "line",
                        r->rcase->sets[m->set].line);
    json_t *ending_ok = m->nlines || m->set >= 0 ? json_boolean(m->ending_ok) : json_null();
    return json_pack(
        "{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:s, s:f, s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
        "s:o, s:o, s:o, s:o, s:o}",
        "case", rl_json_text(r->rcase->name), "file", rl_json_text(r->rcase->path), "tool",
        rl_tool_name(r->tool.id), "spec", rl_json_text(r->tool.spec), "program", rl_json_text(r->tool.program),
        "toolchain", rl_json_toolchain(&r->tool.toolchain), "compiler",
        rl_json_toolchain(&r->tool.compiler), "verdict", rl_verdict_name(r->verdict), "seconds",
        r->seconds, "build_seconds", r->build_seconds, "message", rl_json_text(r->message), "log",
        rl_json_text(r->log_path), "log_dir", rl_json_text(r->log_dir), "binary",
        rl_json_text(r->binary), "compile", command_json(&r->compile), "link",
        command_json(&r->link), "run", command_json(&r->run), "set", set, "expectations",
        expectations, "reports", reports, "ending", ending_json(&r->ending), "ending_ok",
        ending_ok);
}

int rl_results_write_json(const char *path, const rl_result *results, size_t n,
                          const rl_diag *input_errors, size_t nerrors, int interrupted,
                          rl_diag *diag)
{
    size_t counts[RL_SKIP + 1] = {0};
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const rl_result *r = &results[i];
        counts[r->verdict]++;
        json_t *item = result_json(r);
        if (item)
            json_object_set_new(item, "notes", rl_json_text_list(r->notes));
        /* One result that cannot be written must not lose the others: it is
         * written as what could be said of it. */
        if (!item)
            item = json_pack("{s:o, s:s, s:s, s:s}", "case", rl_json_text(r->rcase->name), "tool",
                             rl_tool_name(r->tool.id), "verdict", rl_verdict_name(r->verdict),
                             "message", "racelab could not write this result in full");
        json_array_append_new(list, item);
    }
    json_t *errors = json_array();
    for (size_t i = 0; i < nerrors; i++)
        json_array_append_new(errors, json_pack("{s:o, s:i, s:o}", "file",
                                                rl_json_text(input_errors[i].file), "line",
                                                input_errors[i].line, "message",
                                                rl_json_text(input_errors[i].message)));
    json_t *doc = json_pack("{s:s, s:i, s:b, s:{s:I, s:I, s:I, s:I}, s:o, s:o}", "racelab",
                            RL_VERSION, "format", RL_RESULTS_FORMAT, "interrupted", interrupted,
                            "summary", "passed", (json_int_t)counts[RL_PASS], "failed",
                            (json_int_t)counts[RL_FAIL], "errors", (json_int_t)counts[RL_ERROR],
                            "skipped", (json_int_t)counts[RL_SKIP], "input_errors", errors,
                            "results", list);
    if (!doc) {
        rl_diag_set(diag, path, 0, "cannot build the JSON document");
        return -1;
    }
    /* A link is followed (the file it names is replaced, not the link);
     * anything but a regular file is never replaced. */
    struct stat st;
    char *target = NULL;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        target = realpath(path, NULL);
        if (!target) {
            rl_diag_set(diag, path, 0, "cannot write results: a link to nowhere");
            json_decref(doc);
            return -1;
        }
        path = target;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        rl_diag_set(diag, path, 0, "cannot write results: not a regular file");
        json_decref(doc);
        free(target);
        return -1;
    }
    /* Its directory first: with only bad input no work directory exists. */
    char *dir = rl_xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        rl_mkdirs(dir);
    }
    free(dir);
    /* Written beside under a name of its own, then renamed: a reader never
     * sees half a file, and two runs never write the same temporary. */
    char *tmp = rl_xasprintf("%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    int rc = -1;
    if (fd >= 0) {
        fchmod(fd, 0644); /* mkstemp's 0600 would hide results from others */
        FILE *f = fdopen(fd, "w");
        if (f) {
            rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_ENSURE_ASCII);
            if (fputc('\n', f) == EOF)
                rc = -1;
            if (fflush(f) != 0 || fsync(fileno(f)) != 0)
                rc = -1;
            if (fclose(f) != 0)
                rc = -1;
        } else
            close(fd);
        if (rc == 0 && rename(tmp, path) < 0)
            rc = -1;
    }
    int e = errno;
    json_decref(doc);
    if (rc < 0) {
        rl_diag_set(diag, path, 0, "cannot write results: %s", strerror(e ? e : EIO));
        unlink(tmp);
    }
    free(tmp);
    free(target);
    return rc;
}
