/* vg_log.c: read Valgrind's --xml=yes output with expat.
 *
 * Only what racelab needs is kept: each <error>'s kind, its first line of
 * text and its stacks (each marked as one of the error's own events, or as
 * context: where a lock was first observed, a block allocated, a segment
 * began), plus the facts that prove whose run the log is and that the tool
 * ran to the end (protocol, tool, pid, the program and valgrind's own
 * arguments, FINISHED status, error and suppression counts). */
#include "vg_log.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names deeper than this are not remembered: Valgrind's own documents are
 * a handful of levels deep, and nothing racelab reads is deeper. */
#define MAX_DEPTH 64

typedef struct parse_state {
    rl_vg_log *out;
    const rl_kind_rule *kinds;
    const char *path[MAX_DEPTH];
    int depth;
    rl_buf text; /* character data of the innermost open element */

    int in_error; /* depth of the open <error>, or 0 */
    rl_buf kind, what;
    char *headline;
    rl_report pending;  /* stacks of the open error */
    char *title;        /* the text that introduces the error's next stack */
    rl_stack *stack;    /* the open <stack>, or NULL */
    int in_frame;
    char *fn, *dir, *file;
    int line;
    rl_strv vargv, argv;
    rl_strv suppressions;
} parse_state;

/* The name of the element up levels above the innermost open one ("" when
 * there is none, or it was too deep to remember). */
static const char *parent(const parse_state *s, int up)
{
    int i = s->depth - 1 - up;
    return i >= 0 && i < MAX_DEPTH ? s->path[i] : "";
}

static const char *intern(const char *name)
{
    /* Element names we act on; anything else is only counted for depth. */
    static const char *const known[] = {
        "valgrindoutput", "protocolversion", "protocoltool", "pid",         "status",
        "state",          "error",           "kind",         "xwhat",       "what",
        "text",           "frame",           "fn",           "dir",         "file",
        "line",           "errorcounts",     "pair",         "suppression", "args",
        "vargv",          "argv",            "exe",          "arg",         "fatal_signal",
        "signo",          "suppcounts",      "name",         "stack",       "auxwhat",
        "xauxwhat",       "preamble",        "first_observed_at", "other_segment_start", "other_segment_end",
        "allocation_context", "acquired_at", "confl_wait_call",
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i], name) == 0)
            return known[i];
    return "";
}

static int is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* Whether a stack introduced by title, inside element holder, is context
 * rather than one of the error's own events. */
static int context_stack(const char *holder, const char *title)
{
    if (is(holder, "first_observed_at") || is(holder, "other_segment_start") ||
        is(holder, "other_segment_end") || is(holder, "allocation_context"))
        return 1;
    if (!title)
        return 0;
    return strstr(title, "was first observed") || strstr(title, "alloc'd") ||
           strstr(title, "allocated") || strncmp(title, "Address ", 8) == 0;
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

    if (is(n, "error") && s->depth == 2) {
        s->in_error = s->depth;
        s->kind.len = s->what.len = 0;
        if (s->kind.data)
            s->kind.data[0] = '\0';
        if (s->what.data)
            s->what.data[0] = '\0';
        free(s->headline);
        s->headline = NULL;
        free(s->title);
        s->title = NULL;
        rl_report_clear(&s->pending);
        s->stack = NULL;
    } else if (s->in_error && is(n, "stack") && s->depth > s->in_error) {
        const char *holder = parent(s, 1);
        int nested = !is(holder, "error");
        const char *title = nested ? holder : s->title;
        s->stack = rl_report_add_stack(&s->pending, title ? title : "",
                                       !context_stack(holder, nested ? NULL : s->title));
        free(s->title);
        s->title = NULL;
    } else if (s->in_error && s->stack && is(n, "frame")) {
        s->in_frame = 1;
        free(s->fn); /* a <frame> inside a <frame> starts over */
        free(s->dir);
        free(s->file);
        s->fn = s->dir = s->file = NULL;
        s->line = 0;
    } else if (is(n, "pair") && is(parent(s, 1), "errorcounts")) {
        s->out->errorcounts = s->out->errorcounts < 0 ? 1 : s->out->errorcounts + 1;
    } else if (is(n, "errorcounts") && s->depth == 2 && s->out->errorcounts < 0) {
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
    rl_report_init(r, rl_kind_lookup(s->kinds, kind, s->what.data), kind,
                   s->headline ? s->headline : kind);
    r->stacks = s->pending.stacks;
    r->nstacks = s->pending.nstacks;
    s->pending.stacks = NULL;
    s->pending.nstacks = 0;
    s->stack = NULL;
    s->in_error = 0;
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
    parse_state *s = data;
    (void)name;
    const char *n = parent(s, 0);
    const char *t = s->text.data ? s->text.data : "";
    const char *up = parent(s, 1);
    const char *up2 = parent(s, 2);

    if (s->depth == 2 && is(n, "protocolversion"))
        s->out->protocol = atoi(t);
    else if (s->depth == 2 && is(n, "protocoltool"))
        snprintf(s->out->tool, sizeof s->out->tool, "%s", t);
    else if (s->depth == 2 && is(n, "pid"))
        s->out->pid = atoi(t);
    else if (is(n, "state") && is(up, "status") && s->depth == 3) {
        s->out->running |= is(t, "RUNNING");
        s->out->finished |= is(t, "FINISHED");
    } else if (s->depth == 4 && is(up, "vargv") && is(up2, "args") && (is(n, "exe") || is(n, "arg")))
        rl_strv_push(&s->vargv, t);
    else if (s->depth == 4 && is(up, "argv") && is(up2, "args") && is(n, "exe")) {
        free(s->out->exe);
        s->out->exe = rl_xstrdup(t);
    } else if (s->depth == 4 && is(up, "argv") && is(up2, "args") && is(n, "arg"))
        rl_strv_push(&s->argv, t);
    else if (s->depth == 3 && is(n, "line") && is(up, "preamble")) {
        if (!s->out->preamble)
            s->out->preamble = rl_xstrdup(t);
        /* "Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info" */
        if (!s->out->version && strncmp(t, "Using Valgrind-", 15) == 0)
            s->out->version = rl_xstrndup(t + 15, strcspn(t + 15, " "));
    }
    else if (s->depth == 3 && is(n, "signo") && is(up, "fatal_signal"))
        s->out->fatal_signal = atoi(t);
    else if (s->depth == 4 && is(n, "name") && is(up, "pair") && is(up2, "suppcounts"))
        rl_strv_push(&s->suppressions, t);
    else if (s->depth == 1 && is(n, "valgrindoutput"))
        s->out->complete = 1;
    else if (s->in_error) {
        int in_supp = 0;
        for (int i = s->in_error; i < s->depth && i < MAX_DEPTH; i++)
            in_supp |= is(s->path[i], "suppression");
        if (in_supp)
            ; /* --gen-suppressions output: not part of the report */
        else if (s->depth == s->in_error + 1 && is(n, "kind"))
            rl_buf_puts(&s->kind, t);
        else if (is(n, "text") && is(up, "xwhat") && s->depth == s->in_error + 2)
            take_what(s, t);
        else if (is(n, "what") && s->depth == s->in_error + 1)
            take_what(s, t);
        else if (s->depth == s->in_error + 1 && is(n, "auxwhat")) {
            free(s->title);
            s->title = rl_xstrdup(t);
        } else if (s->depth == s->in_error + 2 && is(n, "text") && is(up, "xauxwhat")) {
            free(s->title);
            s->title = rl_xstrdup(t);
        } else if (s->in_frame && is(up, "frame")) {
            char **slot = is(n, "fn") ? &s->fn : is(n, "dir") ? &s->dir : is(n, "file") ? &s->file
                                                                                       : NULL;
            if (slot) {
                free(*slot);
                *slot = rl_xstrdup(t);
            } else if (is(n, "line"))
                s->line = atoi(t);
        } else if (is(n, "frame") && s->in_frame) {
            char *path = s->file && s->dir ? rl_xasprintf("%s/%s", s->dir, s->file)
                         : s->file         ? rl_xstrdup(s->file)
                                           : NULL;
            if (s->stack)
                rl_stack_add_frame(s->stack, s->fn, path, s->line);
            free(path);
            free(s->fn);
            free(s->dir);
            free(s->file);
            s->fn = s->dir = s->file = NULL;
            s->in_frame = 0;
        } else if (is(n, "stack"))
            s->stack = NULL;
        else if (is(n, "error") && s->depth == s->in_error)
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
    if (s->text.len < (1u << 20)) /* no element racelab reads is longer */
        rl_buf_add(&s->text, text, (size_t)len);
}

int rl_vg_parse(const char *xml, size_t len, const rl_kind_rule *kinds, rl_vg_log *out)
{
    memset(out, 0, sizeof *out);
    out->errorcounts = -1;
    parse_state s = {.out = out, .kinds = kinds};
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
    rl_report_clear(&s.pending);
    free(s.fn);
    free(s.dir);
    free(s.file);
    free(s.headline);
    free(s.title);
    rl_buf_free(&s.text);
    rl_buf_free(&s.kind);
    rl_buf_free(&s.what);
    out->vargv = rl_strv_steal(&s.vargv);
    out->argv = rl_strv_steal(&s.argv);
    out->suppressions = rl_strv_steal(&s.suppressions);
    return rc;
}

void rl_vg_log_clear(rl_vg_log *log)
{
    rl_report_list_clear(&log->reports);
    free(log->parse_error);
    free(log->exe);
    free(log->preamble);
    free(log->version);
    rl_strv_free(log->vargv);
    rl_strv_free(log->argv);
    rl_strv_free(log->suppressions);
    memset(log, 0, sizeof *log);
    log->errorcounts = -1;
}
