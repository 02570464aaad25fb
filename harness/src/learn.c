/* learn.c: a run as a learner reads it: each tool's own output with every
 * report labelled by the expect line that took it (racelab show), a case's
 * lesson (racelab explain); demo.c has the plain runs (racelab demo). */
#define _GNU_SOURCE
#include "adapter.h"
#include "fs.h"
#include "render.h"
#include "run.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Text from a file or a tool, for a terminal: as rl_buf_add_escaped makes
 * it safe, but with backslashes and tabs kept, so that source reads as
 * source (a "\n" in a string stays so). Neither can act on a terminal. */
static void add_text(rl_buf *b, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' && s[i] != '\t')
            continue;
        rl_buf_add_escaped(b, s + from, i - from);
        rl_buf_add(b, s + i, 1);
        from = i + 1;
    }
    rl_buf_add_escaped(b, s + from, n - from);
}

/* Text of many lines, each through add_text; a line holding skip (when not
 * NULL) left out. */
static void add_lines(rl_buf *b, const char *text, const char *skip)
{
    for (const char *p = text ? text : ""; *p;) {
        size_t n = strcspn(p, "\n");
        if (!skip || !memmem(p, n, skip, strlen(skip))) {
            add_text(b, p, n);
            rl_buf_puts(b, "\n");
        }
        p += n + (p[n] == '\n');
    }
}

/* ---- The case file's own lines ------------------------------------------ */

typedef struct lines {
    char *text;
    char **v; /* v[k] is line k + 1 */
    size_t n;
} lines;

static void lines_read(lines *l, const char *path)
{
    memset(l, 0, sizeof *l);
    size_t len;
    l->text = rl_read_file(path, &len, NULL);
    if (!l->text)
        return;
    size_t cap = 0;
    for (char *p = l->text; *p;) {
        char *nl = strchr(p, '\n');
        l->v = rl_xgrow(l->v, &cap, l->n + 1, sizeof *l->v);
        l->v[l->n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
}

static const char *line_at(const lines *l, int line)
{
    return line >= 1 && (size_t)line <= l->n ? l->v[line - 1] : "";
}

static void lines_free(lines *l)
{
    free(l->text);
    free(l->v);
}

/* "report 2 of 3, data-race: met line 14 (// expect tsan: data-race @store)" */
static void label(rl_buf *b, const rl_result *r, const lines *src, size_t i)
{
    const rl_report *rep = &r->reports.items[i];
    rl_buf_printf(b, "report %zu of %zu, %s: ", i + 1, r->reports.count, rl_kind_name(rep->kind));
    if (!r->match.report_line || r->match.nreports != r->reports.count) {
        rl_buf_puts(b, "not matched (the job did not get as far as its verdict)");
        return;
    }
    long k = r->match.report_line[i];
    if (k < 0) {
        rl_buf_puts(b, "UNEXPECTED (no line of the case takes it)");
        return;
    }
    const rl_expect *e = &r->rcase->expects[r->match.lines[k].expect];
    rl_buf_printf(b, "%s line %d: ", e->type == RL_LINE_ALLOW ? "allowed by" : "met", e->line);
    const char *text = line_at(src, e->line);
    add_text(b, text, strlen(text));
}

/* ---- racelab show ------------------------------------------------------- */

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* TSan's log, less the runtime's statistics and banners racelab asked for,
 * with a label before each report. */
/* Whether a line of TSan's log starts a report: "WARNING: ThreadSanitizer:
 * ...", or "ERROR: ThreadSanitizer: ..." after an optional "==PID==". */
static int report_start(const char *line)
{
    if (starts(line, "==")) {
        const char *end = strstr(line + 2, "==");
        line = end ? end + 2 : line;
    }
    return starts(line, "WARNING: ThreadSanitizer: ") || starts(line, "ERROR: ThreadSanitizer: ");
}

static void show_tsan(rl_buf *b, const rl_result *r, const lines *src, const char *log)
{
    size_t blocks = 0;
    for (const char *p = log; *p;) {
        size_t n = strcspn(p, "\n");
        char *line = rl_xstrndup(p, n);
        blocks += report_start(line);
        free(line);
        p += n + (p[n] == '\n');
    }
    size_t next = 0, shown = 0;
    int in_stats = 0;
    for (const char *p = log; *p;) {
        size_t n = strcspn(p, "\n");
        char *line = rl_xstrndup(p, n);
        p += n + (p[n] == '\n');
        if (starts(line, "Stats: "))
            in_stats = 1;
        else if (!starts(line, "  ") || !strstr(line, "): mapped:"))
            in_stats = 0;
        int banner = starts(line, "***** Running under ThreadSanitizer") ||
                     starts(line, "ThreadSanitizer: forked new process") ||
                     starts(line, "LLVMSymbolizer: error reading file");
        if (!in_stats && !banner) {
            if (report_start(line) && next < r->reports.count && blocks == r->reports.count) {
                rl_buf_puts(b, ">>> racelab: ");
                label(b, r, src, next++);
                rl_buf_puts(b, "\n");
            }
            add_text(b, line, strlen(line));
            rl_buf_puts(b, "\n");
            shown++;
        }
        free(line);
    }
    if (!shown)
        rl_buf_puts(b, "(only the runtime's banner and statistics: no report)\n");
    if (blocks != r->reports.count) {
        rl_buf_printf(b, ">>> racelab read %zu reports from this log:\n", r->reports.count);
        for (size_t i = 0; i < r->reports.count; i++) {
            rl_buf_puts(b, "  ");
            label(b, r, src, i);
            rl_buf_puts(b, "\n");
        }
    }
}

/* A second run of the same command, in the tool's text mode. */
static char *text_rerun(const rl_config *cfg, const rl_result *r, const rl_adapter *a,
                        rl_diag *diag)
{
    rl_strv argv = {0};
    a->text_command(a, r->run.argv, "valgrind.txt", &argv);
    char **envp = rl_command_env(&r->run);
    char *out = rl_xasprintf("%s/show-stdout.txt", r->log_dir);
    char *text_path = rl_xasprintf("%s/valgrind.txt", r->run.cwd ? r->run.cwd : r->log_dir);
    rl_spawn s = {.argv = argv.v,
                  .envp = envp,
                  .cwd = r->run.cwd ? r->run.cwd : r->log_dir,
                  .stdout_path = out,
                  .stderr_path = out,
                  .timeout = rl_time_limit(r->rcase, a),
                  .cancel = cfg->cancel};
    rl_outcome o;
    char *text = NULL;
    if (unlink(text_path) < 0 && errno != ENOENT)
        rl_diag_set(diag, text_path, 0, "cannot remove: %s", strerror(errno));
    else if (rl_spawn_wait(&s, &o, diag) == 0) {
        text = rl_read_file(text_path, NULL, diag);
        rl_outcome_clear(&o);
    }
    free(text_path);
    free(out);
    rl_strv_free(envp);
    rl_strv_clear(&argv);
    return text;
}

static void add_file(rl_buf *b, const char *title, const char *dir, const char *name)
{
    char *path = rl_xasprintf("%s/%s", dir, name);
    size_t len = 0;
    char *text = rl_read_file(path, &len, NULL);
    rl_buf_printf(b, "--- %s (%s)%s\n", title, name, text && len ? ":" : ": nothing");
    /* Less TSan's word at verbosity=1, which racelab asks for: not the
     * program's. */
    add_lines(b, text, "==Installed the sigaction for signal ");
    free(text);
    free(path);
}

char *rl_render_show(const rl_config *cfg, const rl_result *r, rl_diag *diag)
{
    rl_buf b = {0};
    char *head = rl_render_result_line(r, 0);
    rl_buf_printf(&b, "%s\n", head);
    free(head);
    if (!r->log_dir || !r->run.argv) {
        char *problem = rl_render_problem(r);
        rl_buf_printf(&b, "  it did not run: %s\n", problem);
        free(problem);
        return rl_buf_steal(&b);
    }
    lines src;
    lines_read(&src, r->rcase->path);
    const rl_adapter *a = rl_adapter_for(r->tool->id);
    int rc = 0;
    if (a->text_command) {
        char *text = text_rerun(cfg, r, a, diag);
        if (!text)
            rc = -1;
        else {
            rl_buf_printf_escaped(&b, "--- %s's own text (a second run of the same command "
                                      "without --xml, to %s/valgrind.txt):\n",
                                  rl_tool_name(r->tool->id), r->run.cwd ? r->run.cwd : r->log_dir);
            add_lines(&b, text, NULL);
            rl_buf_puts(&b, "--- what racelab read from the XML log of the run it judged");
            rl_buf_printf_escaped(&b, " (%s):\n", r->log_path ? r->log_path : "none");
            for (size_t i = 0; i < r->reports.count; i++) {
                char *rep = rl_render_report(&r->reports.items[i], r->rcase);
                rl_buf_puts(&b, "  ");
                label(&b, r, &src, i);
                rl_buf_printf(&b, "\n      %s\n", rep);
                free(rep);
            }
            if (!r->reports.count)
                rl_buf_puts(&b, "  no report\n");
        }
        free(text);
    } else if (a->kinds) {
        char *log = r->log_path ? rl_read_file(r->log_path, NULL, diag) : NULL;
        if (!log && r->log_path)
            rc = -1;
        else {
            rl_buf_printf_escaped(&b, "--- %s's log (%s), without the runtime's statistics:\n",
                                  rl_tool_name(r->tool->id), r->log_path ? r->log_path : "none");
            if (log)
                show_tsan(&b, r, &src, log);
        }
        free(log);
    }
    if (rc == 0) {
        add_file(&b, "the program's output", r->log_dir, "stdout.txt");
        add_file(&b, "its errors", r->log_dir, "stderr.txt");
        char *ending = rl_escape(r->ending.detail ? r->ending.detail : "not known");
        rl_buf_printf(&b, "--- ended: %s\n", ending);
        free(ending);
    }
    lines_free(&src);
    if (rc < 0) {
        rl_buf_free(&b);
        return NULL;
    }
    return rl_buf_steal(&b);
}

char *rl_render_result_found(const rl_result *r)
{
    rl_buf b = {0};
    lines src;
    lines_read(&src, r->rcase->path);
    for (size_t i = 0; i < r->reports.count; i++) {
        char *rep = rl_render_report(&r->reports.items[i], r->rcase);
        rl_buf_puts(&b, "  found ");
        label(&b, r, &src, i);
        rl_buf_printf(&b, "\n    %s\n", rep);
        free(rep);
    }
    if (r->verdict == RL_PASS || r->verdict == RL_FAIL) {
        if (!r->reports.count)
            rl_buf_puts(&b, "  found no report\n");
        char *ending = rl_escape(r->ending.detail ? r->ending.detail : "not known");
        rl_buf_printf(&b, "  ended: %s\n", ending);
        free(ending);
    }
    if (!rl_adapter_for(r->tool->id)->kinds && r->log_dir) {
        char *path = rl_xasprintf("%s/stdout.txt", r->log_dir);
        char *text = rl_read_file(path, NULL, NULL);
        const char *p = text ? text : "";
        for (int k = 0; *p && k < 5; k++) {
            size_t n = strcspn(p, "\n");
            rl_buf_puts(&b, k ? "          " : "  output: ");
            add_text(&b, p, n);
            rl_buf_puts(&b, "\n");
            p += n + (p[n] == '\n');
        }
        if (*p)
            rl_buf_printf(&b, "          (more in %s)\n", path);
        free(text);
        free(path);
    }
    lines_free(&src);
    return rl_buf_steal(&b);
}

/* ---- racelab explain ---------------------------------------------------- */

/* The leading comment, without its comment marks. */
static void add_lesson(rl_buf *b, const lines *src);

char *rl_case_lesson(const rl_case *c)
{
    lines src;
    lines_read(&src, c->path);
    rl_buf b = {0};
    add_lesson(&b, &src);
    lines_free(&src);
    return rl_buf_steal(&b);
}

static void add_lesson(rl_buf *b, const lines *src)
{
    if (src->n == 0 || !starts(src->v[0], "/*"))
        return;
    for (size_t k = 0; k < src->n; k++) {
        const char *l = src->v[k];
        const char *end = strstr(l, "*/");
        if (k == 0)
            l += 2;
        else if (starts(l, " * "))
            l += 3;
        else if (starts(l, " *"))
            l += 2;
        size_t n = !end ? strlen(l) : end >= l ? (size_t)(end - l) : 0;
        while (n && l[n - 1] == ' ')
            n--;
        if (!(k == 0 && n == 0) && !(end && n == 0)) {
            add_text(b, l, n);
            rl_buf_puts(b, "\n");
        }
        if (end)
            break;
    }
}

static int same_file(const char *frame_file, const rl_case *c)
{
    if (!frame_file)
        return 0;
    const char *base = strrchr(frame_file, '/');
    base = base ? base + 1 : frame_file;
    const char *mine = strrchr(c->path, '/') + 1;
    return strcmp(base, mine) == 0;
}

char *rl_render_explain(const rl_case *c, const rl_result *results, size_t n,
                        const char *twin_diff)
{
    rl_buf b = {0};
    lines src;
    lines_read(&src, c->path);
    rl_buf_printf_escaped(&b, "=== %s (%s)\n\n", c->name, c->path);
    add_lesson(&b, &src);

    /* Which lines the reports point at, and which tools. */
    char **pointed = rl_xcalloc(src.n + 1, sizeof *pointed);
    for (size_t i = 0; i < n; i++) {
        const rl_result *r = &results[i];
        for (size_t k = 0; k < r->reports.count; k++) {
            const rl_report *rep = &r->reports.items[k];
            for (size_t s = 0; s < rep->nstacks; s++) {
                for (size_t f = 0; f < rep->stacks[s].nframes; f++) {
                    const rl_frame *fr = &rep->stacks[s].frames[f];
                    if (!same_file(fr->file, c) || fr->line < 1 || (size_t)fr->line > src.n)
                        continue;
                    char **p = &pointed[fr->line];
                    if (*p && strstr(*p, r->tool->spec))
                        continue;
                    char *more = rl_xasprintf("%s%s%s", *p ? *p : "", *p ? ", " : "",
                                              r->tool->spec);
                    free(*p);
                    *p = more;
                }
            }
        }
    }
    rl_buf_puts(&b, "\n--- the source after that comment (=> a line a marker names; <- the "
                    "tools whose reports point at it)\n");
    size_t start = 0;
    if (src.n && starts(src.v[0], "/*"))
        while (start < src.n && !strstr(src.v[start++], "*/"))
            ;
    for (size_t k = start; k < src.n; k++) {
        const char *marker = NULL;
        for (size_t m = 0; m < c->nmarkers && !marker; m++)
            if ((size_t)c->markers[m].line == k + 1)
                marker = c->markers[m].name;
        rl_buf_printf(&b, "%4zu %s ", k + 1, marker ? "=>" : "  ");
        add_text(&b, src.v[k], strlen(src.v[k]));
        if (pointed[k + 1])
            rl_buf_printf(&b, "   <- %s", pointed[k + 1]);
        rl_buf_puts(&b, "\n");
    }

    rl_buf_puts(&b, "\n--- what each tool reports\n");
    for (size_t i = 0; i < n; i++) {
        const rl_result *r = &results[i];
        char *head = rl_render_result_line(r, 0);
        rl_buf_printf(&b, "%s\n", head);
        free(head);
        if (r->verdict == RL_ERROR || r->verdict == RL_SKIP) {
            char *problem = rl_render_problem(r);
            rl_buf_printf(&b, "  %s\n", problem);
            free(problem);
            continue;
        }
        for (size_t k = 0; k < r->reports.count; k++) {
            const rl_report *rep = &r->reports.items[k];
            rl_buf_puts(&b, "  ");
            label(&b, r, &src, k);
            rl_buf_printf_escaped(&b, "\n    \"%s\"\n", rep->headline ? rep->headline : "");
            for (size_t s = 0; s < rep->nstacks; s++) {
                const rl_stack *st = &rep->stacks[s];
                int shown = 0;
                for (size_t f = 0; f < st->nframes; f++) {
                    const rl_frame *fr = &st->frames[f];
                    if (!same_file(fr->file, c) || fr->line < 1)
                        continue;
                    if (!shown++)
                        rl_buf_printf_escaped(&b, "    %s%s\n", st->access ? "" : "(context) ",
                                              st->title && *st->title ? st->title : "a stack");
                    const char *text = line_at(&src, fr->line);
                    while (*text == ' ')
                        text++;
                    rl_buf_printf_escaped(&b, "      line %d in %s: %s\n", fr->line,
                                          fr->function ? fr->function : "?", text);
                }
            }
        }
        if (!r->reports.count)
            rl_buf_puts(&b, "  no report\n");
        char *ending = rl_escape(r->ending.detail ? r->ending.detail : "not known");
        rl_buf_printf(&b, "  ended: %s\n", ending);
        free(ending);
    }

    if (c->twin) {
        rl_buf_printf_escaped(&b, "\n--- the twin, %s: what the fix changes (diff -u)\n", c->twin);
        rl_buf_puts(&b, twin_diff ? twin_diff : "(no diff)\n");
    }
    for (size_t k = 0; k <= src.n; k++)
        free(pointed[k]);
    free(pointed);
    lines_free(&src);
    return rl_buf_steal(&b);
}

char *rl_case_twin_diff(const rl_case *c, rl_diag *diag)
{
    if (!c->twin)
        return NULL;
    char *dir = rl_xstrndup(c->path, (size_t)(strrchr(c->path, '/') - c->path));
    char *twin = rl_xasprintf("%s/%s.c", dir, c->twin);
    char *argv[] = {(char *)"diff", (char *)"-u", c->path, twin, NULL};
    int status;
    char *out = NULL;
    rl_case *t = NULL;
    if (rl_case_load(twin, &t, diag) < 0)
        ;
    else if (!t->twin || strcmp(t->twin, c->name) != 0)
        rl_diag_set(diag, c->path, c->twin_line, "its twin '%s' does not name it back (%s)",
                    c->twin, t->twin ? t->twin : "it names no twin");
    else if (rl_run_capture(argv, NULL, 30, &status, &out, diag) < 0)
        ;
    else if (status != 0 && status != 1) {
        rl_diag_set(diag, twin, 0, "diff ended with status %d: %s", status, out ? out : "");
        free(out);
        out = NULL;
    }
    if (t)
        rl_case_free(t);
    free(twin);
    free(dir);
    if (!out)
        return NULL;
    rl_buf b = {0};
    add_lines(&b, out, NULL);
    free(out);
    return rl_buf_steal(&b);
}
