/* vg_parse.c: read Valgrind's --xml=yes output with expat.
 *
 * Only what racelab needs is kept: each <error>'s kind, its first line of
 * text and the frames of all its stacks, plus the facts that prove the tool
 * ran to the end (protocol, tool, FINISHED status, error counts). */
#include "util.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

typedef struct parse_state {
    rl_vg_log *out;
    rl_tool_id tool;
    const char *path[MAX_DEPTH];
    int depth;
    rl_buf text; /* character data of the innermost open element */

    int in_error; /* depth of the open <error>, or 0 */
    rl_buf kind, what;
    char *headline;
    rl_report pending; /* frames of the open error */
    int in_frame;
    char *fn, *dir, *file;
    int line;
} parse_state;

static const char *parent(const parse_state *s, int up)
{
    int i = s->depth - 1 - up;
    return i >= 0 ? s->path[i] : "";
}

static const char *intern(const char *name)
{
    /* Element names we act on; anything else is only counted for depth. */
    static const char *const known[] = {
        "valgrindoutput", "protocolversion", "protocoltool", "pid",    "status",
        "state",          "error",           "kind",         "xwhat",  "what",
        "text",           "frame",           "fn",           "dir",    "file",
        "line",           "errorcounts",     "pair",         "suppression",
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i], name) == 0)
            return known[i];
    return "";
}

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
    (void)attrs;
    parse_state *s = data;
    const char *n = intern(name);
    if (s->depth < MAX_DEPTH)
        s->path[s->depth] = n;
    s->depth++;
    s->text.len = 0;
    if (s->text.data)
        s->text.data[0] = '\0';

    if (strcmp(n, "error") == 0 && s->depth == 2) {
        s->in_error = s->depth;
        s->kind.len = s->what.len = 0;
        free(s->headline);
        s->headline = NULL;
        memset(&s->pending, 0, sizeof s->pending);
    } else if (s->in_error && strcmp(n, "frame") == 0) {
        s->in_frame = 1;
        s->fn = s->dir = s->file = NULL;
        s->line = 0;
    } else if (strcmp(n, "pair") == 0 && strcmp(parent(s, 1), "errorcounts") == 0) {
        s->out->errorcounts = s->out->errorcounts < 0 ? 1 : s->out->errorcounts + 1;
    } else if (strcmp(n, "errorcounts") == 0 && s->out->errorcounts < 0) {
        s->out->errorcounts = 0;
    }
}

static void take_what(parse_state *s, const char *t)
{
    if (!s->headline)
        s->headline = rl_xstrdup(t);
    if (s->what.len)
        rl_buf_puts(&s->what, "\n");
    rl_buf_puts(&s->what, t);
}

static void commit_error(parse_state *s)
{
    const char *kind = s->kind.data ? s->kind.data : "";
    rl_report *r = rl_report_list_add(&s->out->reports);
    rl_report_init(r, rl_kind_for_valgrind(s->tool, kind, s->what.data), kind,
                   s->headline ? s->headline : kind);
    r->frames = s->pending.frames;
    r->nframes = s->pending.nframes;
    memset(&s->pending, 0, sizeof s->pending);
    s->in_error = 0;
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
    parse_state *s = data;
    (void)name;
    const char *n = s->depth - 1 < MAX_DEPTH ? s->path[s->depth - 1] : "";
    const char *t = s->text.data ? s->text.data : "";
    const char *up = parent(s, 1);

    if (s->depth == 2 && strcmp(n, "protocolversion") == 0)
        s->out->protocol = atoi(t);
    else if (s->depth == 2 && strcmp(n, "protocoltool") == 0)
        snprintf(s->out->tool, sizeof s->out->tool, "%s", t);
    else if (s->depth == 2 && strcmp(n, "pid") == 0)
        s->out->pid = atoi(t);
    else if (strcmp(n, "state") == 0 && strcmp(up, "status") == 0) {
        s->out->running |= strcmp(t, "RUNNING") == 0;
        s->out->finished |= strcmp(t, "FINISHED") == 0;
    }
    else if (s->depth == 1 && strcmp(n, "valgrindoutput") == 0)
        s->out->complete = 1;
    else if (s->in_error) {
        int in_supp = 0;
        for (int i = s->in_error; i < s->depth && i < MAX_DEPTH; i++)
            in_supp |= strcmp(s->path[i], "suppression") == 0;
        if (in_supp)
            ; /* --gen-suppressions output: not part of the report */
        else if (s->depth == s->in_error + 1 && strcmp(n, "kind") == 0)
            rl_buf_puts(&s->kind, t);
        else if (strcmp(n, "text") == 0 && strcmp(up, "xwhat") == 0 &&
                 s->depth == s->in_error + 2)
            take_what(s, t);
        else if (strcmp(n, "what") == 0 && s->depth == s->in_error + 1)
            take_what(s, t);
        else if (s->in_frame && strcmp(up, "frame") == 0) {
            char **slot = strcmp(n, "fn") == 0     ? &s->fn
                          : strcmp(n, "dir") == 0  ? &s->dir
                          : strcmp(n, "file") == 0 ? &s->file
                                                   : NULL;
            if (slot) {
                free(*slot);
                *slot = rl_xstrdup(t);
            } else if (strcmp(n, "line") == 0)
                s->line = atoi(t);
        } else if (strcmp(n, "frame") == 0 && s->in_frame) {
            char *path = s->file && s->dir ? rl_xasprintf("%s/%s", s->dir, s->file)
                                           : s->file ? rl_xstrdup(s->file)
                                                     : NULL;
            rl_report_add_frame(&s->pending, s->fn, path, s->line);
            free(path);
            free(s->fn);
            free(s->dir);
            free(s->file);
            s->fn = s->dir = s->file = NULL;
            s->in_frame = 0;
        } else if (strcmp(n, "error") == 0 && s->depth == s->in_error)
            commit_error(s);
    }
    s->depth--;
    s->text.len = 0;
    if (s->text.data)
        s->text.data[0] = '\0';
}

static void XMLCALL on_text(void *data, const XML_Char *text, int len)
{
    parse_state *s = data;
    rl_buf_add(&s->text, text, (size_t)len);
}

int rl_vg_parse(const char *xml, size_t len, rl_tool_id tool, rl_vg_log *out)
{
    memset(out, 0, sizeof *out);
    out->errorcounts = -1;
    parse_state s = {.out = out, .tool = tool};
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p) {
        out->parse_error = rl_xstrdup("cannot create an XML parser");
        return -1;
    }
    XML_SetUserData(p, &s);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);

    int rc = 0;
    /* expat takes an int length; feed big logs in pieces. */
    const size_t piece = 1 << 20;
    size_t done = 0;
    do {
        size_t n = len - done < piece ? len - done : piece;
        int last = done + n == len;
        if (XML_Parse(p, xml + done, (int)n, last) == XML_STATUS_ERROR) {
            out->parse_error = rl_xasprintf("line %lu: %s", (unsigned long)XML_GetCurrentLineNumber(p),
                                            XML_ErrorString(XML_GetErrorCode(p)));
            rc = -1;
            break;
        }
        done += n;
    } while (done < len);
    if (rc == 0 && !out->complete) {
        out->parse_error = rl_xstrdup("the document ends before </valgrindoutput>");
        rc = -1;
    }
    XML_ParserFree(p);

    /* An <error> cut off by the end of input is not a report. */
    for (size_t i = 0; i < s.pending.nframes; i++) {
        free(s.pending.frames[i].function);
        free(s.pending.frames[i].file);
    }
    free(s.pending.frames);
    free(s.fn);
    free(s.dir);
    free(s.file);
    free(s.headline);
    rl_buf_free(&s.text);
    rl_buf_free(&s.kind);
    rl_buf_free(&s.what);
    return rc;
}

void rl_vg_log_clear(rl_vg_log *log)
{
    rl_report_list_clear(&log->reports);
    free(log->parse_error);
    memset(log, 0, sizeof *log);
    log->errorcounts = -1;
}
