/* valgrind.c: what Valgrind's thread tools share (tool_helgrind.c,
 * tool_drd.c): the run, read through --xml=yes.
 *
 * The run proves itself by its XML log, which must be this run's and
 * whole: it names the tool, the pid racelab started, the program racelab
 * built with the case's arguments, and exactly the options racelab passed
 * (a wrapper that adds --suppressions is caught); it is complete with a
 * FINISHED status and an <errorcounts> that agrees with the errors read; no
 * suppression outside valgrind's own default file was used. A run racelab
 * killed at its time limit leaves the log cut short; then the errors
 * completed before the kill are the program's, and nothing the kill
 * provoked is read (SIGKILL leaves valgrind no time to write any).
 *
 * A program that dies of a signal makes valgrind finish (FINISHED in the
 * XML) and then kill itself with the same signal: that is the program's
 * ending. Valgrind killed before it finished is an error. */
#define _GNU_SOURCE
#include "valgrind.h"
#include "fs.h"
#include "vg_log.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const rl_valgrind_flags[] = {"-g", "-O0", NULL};
const char *const rl_valgrind_env_unset[] = {
    "VALGRIND_LIB", /* it says where valgrind's tools are: another "helgrind" could run */
    NULL,
};

/* Options a case may give; everything else is refused. */
/* Options every valgrind tool takes; a tool's own are in its adapter. */
const rl_option_rule rl_valgrind_shared_options[] = {
    {"--num-callers", "int", NULL},
    {"--read-var-info", "yes|no", NULL},
    {"--fair-sched", "no|yes|try", NULL},
    {"--error-limit", "yes|no", NULL},
    {"--max-threads", "int", NULL},
    {"--max-stackframe", "int", NULL},
    {"--main-stacksize", "int", NULL},
    {"--show-below-main", "yes|no", NULL},
    {"--suppressions", NULL, "suppressions hide errors"},
    {"--default-suppressions", NULL, "valgrind's own suppressions stay on"},
    {"--gen-suppressions", NULL, "racelab reads the XML, which suppression entries would clutter"},
    {"--trace-children", NULL, "the program's children are not checked (--child-silent-after-fork)"},
    {"--error-exitcode", NULL, "racelab reads the program's own exit status"},
    {"--exit-on-first-error", NULL, "a first error must not hide the next"},
    {NULL, NULL, NULL},
};

int rl_valgrind_check_options(const rl_adapter *a, char *const *words, size_t n, rl_diag *diag)
{
    const rl_option_rule *own = a->options;
    char *what = rl_xasprintf("%s option", a->name);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const char *w = words[i];
        size_t k = strcspn(w, "=");
        int in_own = 0;
        for (const rl_option_rule *r = own; r->name && !in_own; r++)
            in_own = strlen(r->name) == k && strncmp(r->name, w, k) == 0;
        const rl_option_rule *table = in_own ? own : a->shared_options;
        if (rc == 0 && rl_check_option_words((char *const *)&words[i], 1, table, what, diag) < 0)
            rc = -1;
    }
    free(what);
    return rc;
}

const char *rl_valgrind_compiler(const rl_adapter *a, const rl_tool *tool)
{
    (void)a, (void)tool;
    return "cc";
}

void rl_valgrind_command(const rl_adapter *a, const rl_tool *tool, const rl_case *c,
                         const rl_options *options, const char *binary, const char *log_dir,
                         rl_strv *argv, rl_env *env)
{
    (void)log_dir, (void)env;
    rl_strv_push(argv, tool->program);
    /* Only these options: VALGRIND_OPTS or a .valgrindrc could suppress
     * errors or switch checks off, and the expectations were measured with
     * the tools' defaults and the case's own options. */
    rl_strv_push(argv, "--command-line-only=yes");
    rl_strv_pushf(argv, "--tool=%s", a->name);
    for (size_t i = 0; options && i < options->nwords; i++)
        rl_strv_push(argv, options->words[i]);
    for (size_t i = 0; a->forced_options && a->forced_options[i]; i++)
        rl_strv_push(argv, a->forced_options[i]);
    /* Relative to the run's working directory, its log directory: valgrind
     * expands % in these names, which a path might hold. It opens them
     * before the program starts, so a program that changes directory
     * changes nothing. */
    rl_strv_push(argv, "--xml=yes");
    rl_strv_push(argv, "--xml-file=valgrind.xml");
    rl_strv_push(argv, "--log-file=valgrind.log");
    rl_strv_push(argv, "--child-silent-after-fork=yes");
    rl_strv_push(argv, binary);
    for (size_t i = 0; i < c->nargs; i++)
        rl_strv_push(argv, c->args[i]);
}

void rl_valgrind_text_command(const rl_adapter *a, char *const *argv, const char *text_path,
                              rl_strv *out)
{
    (void)a;
    for (size_t i = 0; argv[i]; i++) {
        if (strcmp(argv[i], "--xml=yes") == 0 || strncmp(argv[i], "--xml-file=", 11) == 0)
            continue;
        if (strncmp(argv[i], "--log-file=", 11) == 0)
            rl_strv_pushf(out, "--log-file=%s", text_path);
        else
            rl_strv_push(out, argv[i]);
    }
}

/* The instructions every Valgrind client request starts with on amd64
 * (valgrind.h's __SPECIAL_INSTRUCTION_PREAMBLE): a case that makes them can
 * tell Helgrind or DRD to stop checking (VALGRIND_HG_DISABLE_CHECKING,
 * DRD_IGNORE_VAR). */
static const char client_request[] = "\x48\xc1\xc7\x03\x48\xc1\xc7\x0d\x48\xc1\xc7\x3d\x48\xc1\xc7\x33";

int rl_valgrind_check_object(const rl_adapter *a, const rl_tool *tool, const char *object,
                             rl_diag *diag)
{
    (void)tool;
    size_t len;
    char *bytes = rl_read_file(object, &len, diag);
    if (!bytes)
        return -1;
    int found = memmem(bytes, len, client_request, sizeof client_request - 1) != NULL;
    free(bytes);
    if (!found)
        return 0;
    return rl_diag_set(diag, NULL, 0,
                       "the case makes Valgrind client requests (valgrind.h's special "
                       "instructions), which can tell %s to stop checking",
                       a->name);
}

/* The names of the suppressions in valgrind's default file, beside the
 * installation (PREFIX/libexec/valgrind or PREFIX/lib/valgrind), or NULL
 * when it cannot be found. */
static char **default_suppressions(const rl_toolchain *t)
{
    char *copy = rl_xstrdup(t->path);
    char *prefix = dirname(dirname(copy));
    const char *places[] = {"libexec/valgrind/default.supp", "lib/valgrind/default.supp",
                            "lib/x86_64-linux-gnu/valgrind/default.supp"};
    char *text = NULL;
    for (size_t i = 0; i < 3 && !text; i++) {
        char *p = rl_xasprintf("%s/%s", prefix, places[i]);
        text = rl_read_file(p, NULL, NULL);
        free(p);
    }
    free(copy);
    if (!text)
        return NULL;
    /* A suppression's name is the line after its opening "{". */
    rl_strv names = {0};
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *s = line + strspn(line, " \t");
        if (*s == '{' && next) {
            const char *name = next + strspn(next, " \t");
            size_t n = strcspn(name, "\n");
            while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t' || name[n - 1] == '\r'))
                n--;
            rl_strv_pushn(&names, name, n);
        }
        line = next;
    }
    free(text);
    return rl_strv_steal(&names);
}

/* argv as valgrind's own arguments: between the program and the binary. */
static int same_words(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

static void join_words(rl_buf *b, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rl_buf_printf(b, "%s%s", i ? " " : "", v[i]);
}

int rl_valgrind_collect(const rl_adapter *a, const rl_tool *tool, char *const *argv,
                        const char *log_dir, const rl_outcome *o, rl_report_list *reports,
                        rl_ending *ending, char **log_path, rl_diag *diag)
{
    const char *name = a->name;
    char *xml_path = rl_xasprintf("%s/valgrind.xml", log_dir);
    char *text_path = rl_xasprintf("%s/valgrind.log", log_dir);
    char *stderr_path = rl_xasprintf("%s/stderr.txt", log_dir);
    *log_path = rl_xstrdup(xml_path);
    size_t len;
    char *xml = rl_read_file(xml_path, &len, NULL);
    rl_vg_log log;
    memset(&log, 0, sizeof log);
    int parsed = xml ? rl_vg_parse(xml, len, a->kinds, &log) : -1;
    /* What racelab asked of valgrind: its own options, the binary, the
     * program's arguments. */
    size_t nargv = rl_strv_len(argv), binary_at = 1;
    while (binary_at < nargv && strncmp(argv[binary_at], "--", 2) == 0)
        binary_at++;
    const rl_file_events *events = rl_outcome_file(o, "valgrind.xml");
    char **defaults = log.suppressions && log.suppressions[0] ? default_suppressions(&tool->toolchain)
                                                              : NULL;
    const char *foreign = NULL;
    for (char **s = log.suppressions; s && *s && !foreign; s++) {
        int known = 0;
        for (char **d = defaults; d && *d && !known; d++)
            known = strcmp(*s, *d) == 0;
        if (!known)
            foreign = *s;
    }
    int rc = -1;
    if (!xml)
        rl_diag_set(diag, NULL, 0, "%s wrote no XML log (%s): did '%s' run valgrind?", name, xml_path,
                      tool->program);
    else if (!o->watched)
        rl_diag_set(diag, NULL, 0, "racelab could not watch %s during the run (inotify unavailable or "
                           "overwhelmed), so it cannot tell whether the XML log is valgrind's own",
                      log_dir);
    else if (events && events->deleted)
        rl_diag_set(diag, NULL, 0, "the XML log %s was deleted or moved during the run", xml_path);
    else if (!events || events->created != 1 || events->opened != 1)
        rl_diag_set(diag, NULL, 0,
                      "the XML log %s was created %d and opened %d times during the run; "
                      "valgrind does each once (was it replaced, or valgrind started again?)",
                      xml_path, events ? events->created : 0, events ? events->opened : 0);
    else if (strcmp(log.tool, name) != 0)
        rl_diag_set(diag, NULL, 0, "the XML log %s is not %s's (tool '%s')%s%s", xml_path, name, log.tool,
                      log.parse_error ? ": " : "", log.parse_error ? log.parse_error : "");
    else if (!log.preamble || strncasecmp(log.preamble, name, strlen(name)) != 0 ||
             log.preamble[strlen(name)] != ',')
        rl_diag_set(diag, NULL, 0, "the XML log %s was written by \"%s\", not by %s", xml_path,
                      log.preamble ? log.preamble : "nobody it names", name)
            ;
    else if (!log.version || strcmp(log.version, tool->toolchain.version) != 0)
        rl_diag_set(diag, NULL, 0,
                    "the XML log %s was written by Valgrind %s, but '%s --version' said %s: the "
                    "toolchain is not what it says it is",
                    xml_path, log.version ? log.version : "(it says no version)", tool->program,
                    tool->toolchain.version[0] ? tool->toolchain.version : "nothing racelab reads");
    else if (log.pid != o->pid)
        rl_diag_set(diag, NULL, 0, "the XML log %s is another process's (pid %d; racelab ran pid %d)",
                      xml_path, log.pid, o->pid);
    else if (!log.exe || binary_at >= nargv || strcmp(log.exe, argv[binary_at]) != 0)
        rl_diag_set(diag, NULL, 0, "the XML log %s is of another program (%s; racelab ran %s)", xml_path,
                      log.exe ? log.exe : "none named", binary_at < nargv ? argv[binary_at] : "?");
    else if (!same_words(log.argv, rl_strv_len(log.argv), argv + binary_at + 1,
                         nargv - binary_at - 1))
        rl_diag_set(diag, NULL, 0, "the XML log %s shows other program arguments than racelab gave",
                      xml_path);
    else if (!log.vargv || !log.vargv[0] ||
             !same_words(log.vargv + 1, rl_strv_len(log.vargv) - 1, argv + 1, binary_at - 1)) {
        rl_buf ran = {0}, gave = {0};
        if (log.vargv && log.vargv[0])
            join_words(&ran, log.vargv + 1, rl_strv_len(log.vargv) - 1);
        join_words(&gave, argv + 1, binary_at - 1);
        rl_diag_set(diag, NULL, 0, "valgrind ran with other options than racelab gave: %s\n  "
                                   "instead of: %s",
                    ran.data ? ran.data : "", gave.data ? gave.data : "");
        rl_buf_free(&ran);
        rl_buf_free(&gave);
    } else if (o->timed_out && !log.running)
        rl_diag_set(diag, NULL, 0,
                      "%s had not started the program when its time limit was reached: give "
                      "the case a longer timeout",
                      name);
    else if (o->timed_out)
        rc = 0; /* cut short by the kill: keep what was complete */
    else if (parsed < 0)
        rl_diag_set(diag, NULL, 0, "%s's XML log %s is unreadable: %s", name, xml_path, log.parse_error);
    else if (!log.finished)
        rl_diag_set(diag, NULL, 0, "%s's XML log %s has no FINISHED status%s", name, xml_path,
                      o->signal ? ": valgrind itself was killed" : "");
    else if (log.errorcounts < 0)
        rl_diag_set(diag, NULL, 0, "%s's XML log %s has no <errorcounts>", name, xml_path);
    else if ((size_t)log.errorcounts != log.reports.count)
        rl_diag_set(diag, NULL, 0, "%s counted %d errors but racelab read %zu from %s", name,
                      log.errorcounts, log.reports.count, xml_path);
    else if (foreign)
        rl_diag_set(diag, NULL, 0, "%s used the suppression '%s', which is not one of valgrind's defaults",
                      name, foreign);
    else
        rc = 0;
    if (rc < 0) {
        rl_diag_add_excerpt(diag, "valgrind's own log", text_path);
        rl_diag_add_excerpt(diag, "stderr", stderr_path);
    }
    if (rc == 0) {
        rl_report_list_move(reports, &log.reports);
        if (!o->timed_out && o->signal) {
            /* Valgrind finished, then died of the program's signal. */
            const char *sig = rl_signal_name(o->signal);
            rl_ending_set(ending, RL_KIND_SIGNAL, o->signal, 0, "killed by signal %d (%s)",
                          o->signal, sig ? sig : "?");
        } else
            rl_ending_from_outcome(o, ending);
    }
    if (xml)
        rl_vg_log_clear(&log);
    rl_strv_free(defaults);
    free(xml);
    free(xml_path);
    free(text_path);
    free(stderr_path);
    return rc;
}

