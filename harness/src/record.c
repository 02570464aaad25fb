/* record.c: keep a job's logs with a record.json that says how it ran
 * (docs/fixtures.md), and replay them: feed the recorded logs through the
 * tool's adapter and judge them as if the run had just happened. */
#define _GNU_SOURCE
#include "fs.h"
#include "json.h"
#include "run.h"
#include "toolchain.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int copy_logs(const char *from_dir, const char *dest, rl_diag *diag)
{
    DIR *d = opendir(from_dir);
    struct dirent *e;
    int rc = 0;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "build.log") == 0)
            continue;
        char *from = rl_xasprintf("%s/%s", from_dir, e->d_name);
        char *to = rl_xasprintf("%s/%s", dest, e->d_name);
        struct stat st;
        /* A FIFO or a device the program left is not a log. */
        if (lstat(from, &st) == 0 && S_ISREG(st.st_mode) && rl_copy_file(from, to, diag) < 0)
            rc = -1;
        free(from);
        free(to);
    }
    if (d)
        closedir(d);
    return rc;
}

int rl_record_job(const rl_config *cfg, const rl_case *c, rl_tool *tool, const char *dest,
                  rl_result *out, rl_diag *diag)
{
    rl_tool_resolve(tool);
    rl_outcome o;
    memset(&o, 0, sizeof o);
    rl_run_job_locked(cfg, c, tool, out, NULL, &o, 0);
    if (!out->run.argv || !out->log_dir) {
        rl_diag_set(diag, c->path, 0, "nothing to record: the job did not run (");
        rl_diag_append_raw(diag, rl_diag_message(&out->problem));
        rl_diag_append_raw(diag, ")");
        rl_outcome_clear(&o);
        return -1;
    }
    if (rl_mkdirs(dest, diag) < 0 || rl_empty_dir(dest, diag) < 0) {
        rl_outcome_clear(&o);
        return -1;
    }
    int rc = copy_logs(out->log_dir, dest, diag);
    json_t *files = json_array();
    for (size_t i = 0; i < o.nfiles; i++)
        json_array_append_new(files, json_pack("{s:o, s:i, s:i, s:i}", "name",
                                               rl_json_text(o.files[i].name), "created",
                                               o.files[i].created, "opened", o.files[i].opened,
                                               "deleted", o.files[i].deleted));
    json_t *doc = json_pack(
        "{s:i, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:i, s:b, s:i, s:i, s:b, s:f, s:b, s:o}}",
        "record", 1, "tool", rl_json_text(tool->spec), "verdict", rl_verdict_name(out->verdict),
        "toolchain", rl_json_toolchain(&tool->toolchain), "compiler",
        rl_json_toolchain(&tool->compiler), "case_path", rl_json_text(c->path), "argv",
        rl_json_text_list(out->run.argv), "env", rl_json_text_list(out->run.env_set), "unset",
        rl_json_text_list(out->run.env_unset), "outcome", "pid", o.pid, "exited", o.exited,
        "status", o.status, "signal", o.signal, "timed_out", o.timed_out, "seconds", o.seconds,
        "watched", o.watched, "files", files);
    char *path = rl_xasprintf("%s/record.json", dest);
    if (rl_json_write(path, doc, JSON_INDENT(2) | JSON_SORT_KEYS, "the record", diag) < 0)
        rc = -1;
    json_decref(doc);
    free(path);
    rl_outcome_clear(&o);
    return rc;
}

/* The outcome a record says the run had. */
static void read_outcome(json_t *outcome, rl_outcome *o)
{
    memset(o, 0, sizeof *o);
    json_t *files = NULL;
    int exited = 0, timed_out = 0, watched = 0;
    double seconds = 0;
    json_unpack(outcome, "{s:i, s:b, s:i, s:i, s:b, s?F, s:b, s:o}", "pid", &o->pid, "exited",
                &exited, "status", &o->status, "signal", &o->signal, "timed_out", &timed_out,
                "seconds", &seconds, "watched", &watched, "files", &files);
    o->exited = exited, o->timed_out = timed_out, o->watched = watched, o->seconds = seconds;
    o->out_cap = RL_OUTPUT_CAP;
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f)
    {
        o->files = rl_xrealloc(o->files, (o->nfiles + 1) * sizeof *o->files);
        rl_file_events *e = &o->files[o->nfiles++];
        const char *name = "";
        memset(e, 0, sizeof *e);
        json_unpack(f, "{s:s, s:i, s:i, s:i}", "name", &name, "created", &e->created, "opened",
                    &e->opened, "deleted", &e->deleted);
        e->name = rl_xstrdup(name);
    }
}

int rl_replay(const rl_case *c, const char *recorded_dir, rl_result *out, rl_diag *diag)
{
    rl_tool *tool = rl_xcalloc(1, sizeof *tool);
    rl_result_start(out, c, tool);
    out->owned_tool = tool;
    char *path = rl_xasprintf("%s/record.json", recorded_dir);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    const char *spec = NULL, *case_path = NULL;
    json_t *toolchain = NULL, *compiler = NULL, *argv = NULL, *outcome = NULL;
    if (!doc || json_unpack_ex(doc, &jerr, 0, "{s:s, s:s, s:o, s:o, s:o, s:o}", "tool", &spec,
                               "case_path", &case_path, "toolchain", &toolchain, "compiler",
                               &compiler, "argv", &argv, "outcome", &outcome) < 0) {
        rl_diag_set(diag, path, jerr.line, "not a record: %s", jerr.text);
        json_decref(doc);
        free(path);
        return -1;
    }
    if (rl_tool_parse(spec, tool, diag) < 0) {
        json_decref(doc);
        free(path);
        return -1;
    }
    tool->resolved = 1;
    rl_json_read_toolchain(toolchain, &tool->toolchain);
    rl_json_read_toolchain(compiler, &tool->compiler);
    rl_outcome o;
    read_outcome(outcome, &o);
    rl_strv args = {0};
    size_t i;
    json_t *a;
    json_array_foreach(argv, i, a)
        rl_strv_push(&args, json_string_value(a) ? json_string_value(a) : "");
    out->run.argv = rl_strv_dup(args.v);
    out->log_dir = rl_xstrdup(recorded_dir);
    /* Judged as a run that just happened, against the set the recorded
     * toolchain chooses, with the frames of the file the case was recorded
     * from taken as frames of this copy of the case. */
    long set = rl_case_select_set(c, tool->id, &tool->toolchain);
    if (set < 0)
        rl_diag_set(&out->problem, c->path, 0, "no line for %s applies to the recorded toolchain",
                    rl_tool_name(tool->id));
    else
        rl_judge(rl_adapter_for(tool->id), tool, c, set, args.v, recorded_dir, &o, out,
                 case_path);
    rl_strv_clear(&args);
    rl_outcome_clear(&o);
    json_decref(doc);
    free(path);
    return 0;
}
