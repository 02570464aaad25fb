/* tool_valgrind.c: Valgrind's Helgrind and DRD, read through --xml=yes.
 *
 * The run proves itself by its XML log: it must exist, name the tool, and
 * be complete with a FINISHED status, and its error count must agree with
 * the errors read. A run racelab killed at its time limit leaves the log
 * cut short; then the errors completed before the kill are the program's,
 * and nothing the kill provoked is read (SIGKILL leaves valgrind no time to
 * write any). */
#define _GNU_SOURCE
#include "adapter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const valgrind_flags[] = {"-g", "-O0", NULL};

static const char *valgrind_compiler(const rl_tool *tool)
{
    (void)tool;
    return "cc";
}

static void valgrind_command(const rl_tool *tool, const char *binary, const char *log_dir,
                             rl_strv *argv, rl_strv *env)
{
    (void)log_dir, (void)env;
    rl_strv_push(argv, tool->program);
    /* Only these options: VALGRIND_OPTS or a .valgrindrc could suppress
     * errors or switch checks off, and the expectations were measured with
     * the tools' defaults. */
    rl_strv_push(argv, "--command-line-only=yes");
    rl_strv_pushf(argv, "--tool=%s", rl_tool_name(tool->id));
    /* Relative to the run's working directory, its log directory: valgrind
     * expands % in these names, which a path might hold. */
    rl_strv_push(argv, "--xml=yes");
    rl_strv_push(argv, "--xml-file=valgrind.xml");
    rl_strv_push(argv, "--log-file=valgrind.log");
    rl_strv_push(argv, "--child-silent-after-fork=yes");
    rl_strv_push(argv, binary);
}

static int valgrind_collect(const rl_tool *tool, const char *log_dir, const rl_outcome *o,
                            rl_report_list *reports, char **log_path, rl_buf *why)
{
    const char *name = rl_tool_name(tool->id);
    char *xml_path = rl_xasprintf("%s/valgrind.xml", log_dir);
    char *text_path = rl_xasprintf("%s/valgrind.log", log_dir);
    char *stderr_path = rl_xasprintf("%s/stderr.txt", log_dir);
    *log_path = rl_xstrdup(xml_path);
    size_t len;
    char *xml = rl_read_file(xml_path, &len);
    rl_vg_log log;
    int parsed = xml ? rl_vg_parse(xml, len, tool->id, &log) : -1;
    int rc = -1;
    if (!xml)
        rl_buf_printf(why, "%s wrote no XML log (%s): did '%s' run valgrind?", name, xml_path,
                      tool->program);
    else if (strcmp(log.tool, name) != 0)
        rl_buf_printf(why, "the XML log %s is not %s's (tool '%s')%s%s", xml_path, name, log.tool,
                      log.parse_error ? ": " : "", log.parse_error ? log.parse_error : "");
    else if (o->timed_out && !log.running)
        rl_buf_printf(why,
                      "%s had not started the program when its time limit was reached: give "
                      "the case a longer timeout",
                      name);
    else if (o->timed_out)
        rc = 0; /* cut short by the kill: keep what was complete */
    else if (parsed < 0)
        rl_buf_printf(why, "%s's XML log %s is unreadable: %s", name, xml_path, log.parse_error);
    else if (!log.finished)
        rl_buf_printf(why, "%s's XML log %s has no FINISHED status", name, xml_path);
    else if (log.errorcounts >= 0 && (size_t)log.errorcounts != log.reports.count)
        rl_buf_printf(why, "%s counted %d errors but racelab read %zu from %s", name,
                      log.errorcounts, log.reports.count, xml_path);
    else if (o->signal)
        rl_buf_printf(why, "%s was killed by signal %d (%s)", name, o->signal,
                      strsignal(o->signal));
    else
        rc = 0;
    if (rc < 0) {
        rl_buf_add_excerpt(why, "valgrind's own log", text_path);
        rl_buf_add_excerpt(why, "stderr", stderr_path);
    }
    if (xml) {
        for (size_t i = 0; rc == 0 && i < log.reports.count; i++)
            *rl_report_list_add(reports) = log.reports.items[i];
        if (rc == 0) {
            free(log.reports.items);
            log.reports.items = NULL;
            log.reports.count = 0;
        }
        rl_vg_log_clear(&log);
    }
    if (rc == 0)
        rl_add_hang_report(o, reports);
    free(xml);
    free(xml_path);
    free(text_path);
    free(stderr_path);
    return rc;
}

/* Helgrind and DRD differ only in the tool valgrind runs. */
#define VALGRIND_ADAPTER(tool)                                                                   \
    {                                                                                            \
        .id = tool, .default_program = "valgrind", .build_name = "vg",                           \
        .build_flags = valgrind_flags, .timeout_factor = 10, .startup_seconds = 2,                \
        .compiler = valgrind_compiler,                                                           \
        .command = valgrind_command, .collect = valgrind_collect,                                \
    }

const rl_adapter rl_helgrind_adapter = VALGRIND_ADAPTER(RL_TOOL_HELGRIND);
const rl_adapter rl_drd_adapter = VALGRIND_ADAPTER(RL_TOOL_DRD);
