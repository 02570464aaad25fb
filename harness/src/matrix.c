/* matrix.c: runs as a capability matrix, cases down and toolchains across,
 * built from results in memory or from results files (several: shards of
 * one run, merged), and compared with a baseline.
 *
 * A cell says what a toolchain did with a case: on a case whose lines for
 * the tool expect a report (a bug, for that tool), caught or missed; on one
 * that expects none (a fix, or a bug the tool cannot see), clean or a false
 * alarm; or skipped, or an error. Recall is caught over caught and missed,
 * precision clean over clean and false alarms, per toolchain, as
 * DataRaceBench reports tools. */
#define _GNU_SOURCE
#include "fs.h"
#include "json.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[RL_CELL_STATES] = {
    "caught", "missed", "false alarm", "clean", "reported", "quiet", "skipped", "error"};

const char *rl_cell_state_name(rl_cell_state s)
{
    return (unsigned)s < RL_CELL_STATES ? state_names[s] : "?";
}

static int from_name(const char *name, const char *const *names, int n)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

/* The state of a cell: what the tool reported against the ground truth
 * (bug: 1, 0, -1 not said); caught when a report is of the bug's kind. */
static rl_cell_state state_of(rl_verdict v, int bug, int caught, int reported)
{
    if (v == RL_SKIP)
        return RL_CELL_SKIPPED;
    if (v == RL_ERROR)
        return RL_CELL_ERROR;
    if (bug > 0)
        return caught ? RL_CELL_CAUGHT : RL_CELL_MISSED;
    if (bug == 0)
        return reported ? RL_CELL_FALSE_ALARM : RL_CELL_CLEAN;
    return reported ? RL_CELL_REPORTED : RL_CELL_QUIET;
}

static rl_cell *add_cell(rl_matrix *m)
{
    m->cells = rl_xgrow(m->cells, &m->cap, m->ncells + 1, sizeof *m->cells);
    rl_cell *c = &m->cells[m->ncells++];
    memset(c, 0, sizeof *c);
    return c;
}

/* A later cell for the same case and toolchain replaces an earlier one
 * (the same job in two shards' files is one job). */
static void settle(rl_matrix *m)
{
    rl_map seen = {0};
    size_t kept = 0;
    for (size_t i = 0; i < m->ncells; i++) {
        char *key = rl_xasprintf("%s\n%s", m->cells[i].case_name, m->cells[i].spec);
        size_t at;
        if (rl_map_get(&seen, key, &at) == 0) {
            rl_cell_clear(&m->cells[at]);
            m->cells[at] = m->cells[i];
        } else {
            m->cells[kept] = m->cells[i];
            rl_map_put(&seen, key, kept++);
        }
        free(key);
    }
    m->ncells = kept;
    rl_map_clear(&seen);
}

void rl_cell_clear(rl_cell *c)
{
    free(c->case_name);
    free(c->spec);
    free(c->column);
    free(c->detail);
    free(c->log);
    memset(c, 0, sizeof *c);
}

static char *column_of(const char *spec, const char *family, const char *version, const char *path)
{
    if (family && *family)
        return rl_xasprintf("%s %s %s", spec, family, version && *version ? version : "?");
    return rl_xasprintf("%s %s", spec, path && *path ? path : "(not found)");
}

/* What one run was asked to cover, and how it went. */
static void add_scope(rl_matrix *m, int interrupted, unsigned shard, unsigned shards,
                      const char *const *cases, const char *const *specs)
{
    m->interrupted |= interrupted;
    if (!shards)
        m->whole = 1;
    else if (m->shards && m->shards != shards)
        m->mixed_shards = 1;
    else if (shard >= 1 && shard <= shards) {
        if (!m->shards) {
            m->shards = shards;
            m->shard_seen = rl_xcalloc(shards + 1, 1);
        }
        m->shard_seen[shard] = 1;
    }
    /* Without a scope, a run covered only what it ran. */
    if (!cases || !specs)
        return;
    for (; *cases; cases++) {
        m->asked_cases = rl_xrealloc(m->asked_cases, (m->nasked_cases + 1) * sizeof(char *));
        m->asked_cases[m->nasked_cases++] = rl_xstrdup(*cases);
    }
    for (; *specs; specs++) {
        m->asked_specs = rl_xrealloc(m->asked_specs, (m->nasked_specs + 1) * sizeof(char *));
        m->asked_specs[m->nasked_specs++] = rl_xstrdup(*specs);
    }
}

int rl_case_expected_state(const rl_case *c, rl_tool_id tool, const rl_toolchain *t,
                           rl_cell_state *out)
{
    long set = rl_case_declares(c, tool) ? rl_case_select_set(c, tool, t) : -1;
    if (set < 0) {
        *out = RL_CELL_ERROR;
        return 0;
    }
    int reported = 0, caught = 0, maybe = 0;
    for (size_t i = 0; i < c->nexpects; i++) {
        const rl_expect *e = &c->expects[i];
        if ((long)e->set != set)
            continue;
        if (e->type == RL_LINE_UNSUPPORTED) {
            *out = RL_CELL_SKIPPED;
            return 0;
        }
        if (e->kind == RL_KIND_CLEAN || rl_kind_is_ending(e->kind))
            continue;
        int of_bug = 0;
        for (size_t b = 0; b < c->nbugs; b++)
            of_bug |= e->kind == c->bugs[b];
        if (e->type == RL_LINE_ALLOW) {
            maybe = 1; /* the schedule may add a report */
            continue;
        }
        reported = 1;
        caught |= of_bug;
    }
    int bug = !c->bug_known ? -1 : c->nbugs > 0;
    *out = state_of(RL_PASS, bug, caught, reported);
    /* An allowed report can only change a state that has no report yet, or
     * no report of the bug. */
    if (maybe && (!reported || (bug > 0 && !caught)))
        return -1;
    return 0;
}

void rl_matrix_add_results(rl_matrix *m, const rl_result *results, size_t n,
                           const rl_run_info *info)
{
    if (info)
        add_scope(m, info->interrupted, info->shard, info->shards, info->cases, info->specs);
    else
        add_scope(m, 0, 0, 0, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        const rl_result *r = &results[i];
        rl_cell *c = add_cell(m);
        c->case_name = rl_xstrdup(r->rcase->name);
        c->spec = rl_xstrdup(r->tool->spec);
        c->column = column_of(r->tool->spec, r->tool->toolchain.family, r->tool->toolchain.version,
                              r->tool->toolchain.path);
        c->verdict = r->verdict;
        const rl_case *rc = r->rcase;
        c->bug = !rc->bug_known ? -1 : rc->nbugs > 0;
        int caught = 0;
        for (size_t k = 0; k < r->reports.count; k++)
            for (size_t b = 0; b < rc->nbugs; b++)
                caught |= r->reports.items[k].kind == rc->bugs[b];
        c->state = state_of(r->verdict, c->bug, caught, r->reports.count > 0);
        if (r->verdict == RL_PASS) {
            /* For a reader of the page: what the tool said. */
            rl_buf b = {0};
            rl_buf_puts(&b, r->reports.count ? "reported:" : "reported: nothing");
            for (size_t k = 0; k < r->reports.count; k++)
                rl_buf_printf(&b, "\n  %s \"%s\"", rl_kind_name(r->reports.items[k].kind),
                              r->reports.items[k].headline ? r->reports.items[k].headline : "");
            c->detail = rl_buf_steal(&b);
        } else
            c->detail = rl_render_problem(r);
        c->log = r->log_path ? rl_xstrdup(r->log_path) : NULL;
    }
    settle(m);
}

static const char *text_of(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The cells of a matrix JSON (racelab matrix --json): a merged run kept as
 * a baseline. What it was asked to cover is what it holds. */
static int add_matrix_cells(rl_matrix *m, const char *path, json_t *doc, rl_diag *diag)
{
    static const char *const verdicts[] = {"pass", "fail", "error", "skip"};
    size_t i;
    json_t *x;
    add_scope(m, 0, 0, 0, NULL, NULL);
    json_array_foreach(json_object_get(doc, "cells"), i, x)
    {
        const char *name = text_of(x, "case"), *spec = text_of(x, "spec"),
                   *column = text_of(x, "toolchain");
        int v = from_name(text_of(x, "verdict"), verdicts, 4);
        int st = from_name(text_of(x, "state"), state_names, RL_CELL_STATES);
        if (!name || !spec || !column || v < 0 || st < 0)
            return rl_diag_set(diag, path, 0, "cell %zu names no case, tool, verdict or state", i);
        rl_cell *c = add_cell(m);
        c->case_name = rl_xstrdup(name);
        c->spec = rl_xstrdup(spec);
        c->column = rl_xstrdup(column);
        c->verdict = (rl_verdict)v;
        c->state = (rl_cell_state)st;
        json_t *bug = json_object_get(x, "bug");
        c->bug = json_is_true(bug) ? 1 : json_is_false(bug) ? 0 : -1;
    }
    return 0;
}

int rl_matrix_add_file(rl_matrix *m, const char *path, rl_diag *diag)
{
    json_error_t err;
    json_t *doc = json_load_file(path, 0, &err);
    if (!doc)
        return rl_diag_set(diag, path, err.line, "not a results file: %s", err.text);
    if (json_integer_value(json_object_get(doc, "matrix")) == 1 &&
        json_is_array(json_object_get(doc, "cells"))) {
        int rc = add_matrix_cells(m, path, doc, diag);
        json_decref(doc);
        settle(m);
        return rc;
    }
    json_t *results = json_object_get(doc, "results");
    json_int_t format = json_integer_value(json_object_get(doc, "format"));
    if (!json_is_array(results) || format != RL_RESULTS_FORMAT) {
        json_decref(doc);
        return rl_diag_set(diag, path, 0,
                           "not a results file of format %d (racelab run --json FILE writes one)",
                           RL_RESULTS_FORMAT);
    }
    json_t *shard = json_object_get(doc, "shard"), *asked = json_object_get(doc, "asked");
    rl_strv cases = {0}, specs = {0};
    size_t k;
    json_t *x;
    json_array_foreach(json_object_get(asked, "cases"), k, x)
        if (json_is_string(x))
            rl_strv_push(&cases, json_string_value(x));
    json_array_foreach(json_object_get(asked, "tools"), k, x)
        if (json_is_string(x))
            rl_strv_push(&specs, json_string_value(x));
    char **case_v = rl_strv_steal(&cases), **spec_v = rl_strv_steal(&specs);
    json_int_t index = json_integer_value(json_object_get(shard, "index")),
               count = json_integer_value(json_object_get(shard, "count"));
    if (json_is_object(shard) && (count < 1 || count > 1000 || index < 1 || index > count)) {
        json_decref(doc);
        rl_strv_free(case_v);
        rl_strv_free(spec_v);
        return rl_diag_set(diag, path, 0, "its shard is not I/N with 1 <= I <= N <= 1000");
    }
    add_scope(m, json_is_true(json_object_get(doc, "interrupted")), (unsigned)index,
              (unsigned)count, json_is_object(asked) ? (const char *const *)case_v : NULL,
              json_is_object(asked) ? (const char *const *)spec_v : NULL);
    rl_strv_free(case_v);
    rl_strv_free(spec_v);
    static const char *const verdicts[] = {"pass", "fail", "error", "skip"};
    size_t i;
    json_t *r;
    int rc = 0;
    json_array_foreach(results, i, r)
    {
        const char *name = text_of(r, "case"), *spec = text_of(r, "spec");
        int v = from_name(text_of(r, "verdict"), verdicts, 4);
        if (!name || !spec || v < 0) {
            rc = rl_diag_set(diag, path, 0, "result %zu names no case, tool or verdict", i);
            break;
        }
        json_t *chain = json_object_get(r, "toolchain");
        rl_cell *c = add_cell(m);
        c->case_name = rl_xstrdup(name);
        c->spec = rl_xstrdup(spec);
        c->column = column_of(spec, text_of(chain, "family"), text_of(chain, "version"),
                              text_of(chain, "path"));
        c->verdict = (rl_verdict)v;
        /* "bug": null (not said), [] (correct), or the bug's kinds. */
        json_t *bug = json_object_get(r, "bug");
        c->bug = json_is_array(bug) ? json_array_size(bug) > 0 : -1;
        int caught = 0;
        json_t *reports = json_object_get(r, "reports");
        json_array_foreach(reports, k, x)
        {
            size_t b;
            json_t *kind;
            json_array_foreach(bug, b, kind)
                caught |= json_is_string(kind) && json_is_string(json_object_get(x, "kind")) &&
                          strcmp(json_string_value(kind), text_of(x, "kind")) == 0;
        }
        c->state = state_of(c->verdict, c->bug, caught, json_array_size(reports) > 0);
        const char *message = text_of(r, "message"), *log = text_of(r, "log");
        if (message)
            c->detail = rl_xstrdup(message);
        else if (c->verdict == RL_PASS) {
            rl_buf b = {0};
            rl_buf_puts(&b, json_array_size(reports) ? "reported:" : "reported: nothing");
            json_array_foreach(reports, k, x)
                rl_buf_printf(&b, "\n  %s \"%s\"", text_of(x, "kind") ? text_of(x, "kind") : "?",
                              text_of(x, "headline") ? text_of(x, "headline") : "");
            c->detail = rl_buf_steal(&b);
        }
        c->log = log ? rl_xstrdup(log) : NULL;
    }
    json_decref(doc);
    settle(m);
    return rc;
}

int rl_matrix_check(const rl_matrix *m, rl_diag *diag)
{
    if (m->interrupted)
        return rl_diag_set(diag, NULL, 0,
                           "the results of an interrupted run: the matrix lacks the jobs it did not finish");
    if (m->mixed_shards)
        return rl_diag_set(diag, NULL, 0, "shards of different splits (--shard I/N with different N)");
    for (unsigned i = 1; i <= m->shards && !m->whole; i++)
        if (!m->shard_seen[i])
            return rl_diag_set(diag, NULL, 0, "shard %u/%u is missing: the matrix lacks its jobs", i,
                               m->shards);
    return 0;
}

void rl_matrix_clear(rl_matrix *m)
{
    for (size_t i = 0; i < m->ncells; i++)
        rl_cell_clear(&m->cells[i]);
    free(m->cells);
    for (size_t i = 0; i < m->nasked_cases; i++)
        free(m->asked_cases[i]);
    for (size_t i = 0; i < m->nasked_specs; i++)
        free(m->asked_specs[i]);
    free(m->asked_cases);
    free(m->asked_specs);
    free(m->shard_seen);
    memset(m, 0, sizeof *m);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct values of a cell field, sorted. */
static char **distinct(const rl_matrix *m, int columns)
{
    rl_map seen = {0};
    rl_strv out = {0};
    for (size_t i = 0; i < m->ncells; i++) {
        const char *v = columns ? m->cells[i].column : m->cells[i].case_name;
        size_t unused;
        if (rl_map_get(&seen, v, &unused) < 0) {
            rl_map_put(&seen, v, 1);
            rl_strv_push(&out, v);
        }
    }
    rl_map_clear(&seen);
    if (out.n)
        qsort(out.v, out.n, sizeof *out.v, compare_strings);
    return rl_strv_steal(&out);
}

char **rl_matrix_cases(const rl_matrix *m)
{
    return distinct(m, 0);
}

char **rl_matrix_columns(const rl_matrix *m)
{
    return distinct(m, 1);
}

const rl_cell *rl_matrix_cell(const rl_matrix *m, const char *case_name, const char *column)
{
    for (size_t i = 0; i < m->ncells; i++)
        if (strcmp(m->cells[i].case_name, case_name) == 0 &&
            strcmp(m->cells[i].column, column) == 0)
            return &m->cells[i];
    return NULL;
}

void rl_matrix_score(const rl_matrix *m, const char *column, rl_score *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < m->ncells; i++)
        if (strcmp(m->cells[i].column, column) == 0)
            out->count[m->cells[i].state]++;
    size_t bugs = out->count[RL_CELL_CAUGHT] + out->count[RL_CELL_MISSED];
    size_t fixes = out->count[RL_CELL_CLEAN] + out->count[RL_CELL_FALSE_ALARM];
    out->recall = bugs ? (double)out->count[RL_CELL_CAUGHT] / (double)bugs : -1;
    out->precision = fixes ? (double)out->count[RL_CELL_CLEAN] / (double)fixes : -1;
}

/* Was a baseline's job one the runs were asked to cover: its case asked for
 * and its tool among those asked (TOOL:all covers every toolchain of the
 * tool)? Runs that did not say what they were asked cover what they ran. */
static int covers(const rl_matrix *now, const rl_cell *b)
{
    int in_cases = 0, in_specs = 0;
    for (size_t i = 0; i < now->nasked_cases && !in_cases; i++)
        in_cases = strcmp(now->asked_cases[i], b->case_name) == 0;
    size_t name = strcspn(b->spec, ":");
    for (size_t i = 0; i < now->nasked_specs && !in_specs; i++) {
        const char *s = now->asked_specs[i];
        in_specs = strcmp(s, b->spec) == 0 ||
                   (strncmp(s, b->spec, name) == 0 && strcmp(s + name, ":all") == 0 &&
                    b->spec[name] == ':');
    }
    return in_cases && in_specs;
}

void rl_matrix_compare(const rl_matrix *baseline, const rl_matrix *now, rl_comparison *out)
{
    memset(out, 0, sizeof *out);
    rl_map current = {0};
    for (size_t i = 0; i < now->ncells; i++) {
        char *key = rl_xasprintf("%s\n%s", now->cells[i].case_name, now->cells[i].spec);
        rl_map_put(&current, key, i);
        free(key);
    }
    for (size_t i = 0; i < baseline->ncells; i++) {
        const rl_cell *b = &baseline->cells[i];
        char *key = rl_xasprintf("%s\n%s", b->case_name, b->spec);
        size_t at;
        int found = rl_map_get(&current, key, &at) == 0;
        free(key);
        if (!found && !covers(now, b))
            continue; /* not asked for this time: neither better nor worse */
        const rl_cell *n = found ? &now->cells[at] : NULL;
        rl_change ch = {b, n};
        if (b->verdict == RL_PASS && (!n || n->verdict != RL_PASS)) {
            out->regressions = rl_xrealloc(out->regressions,
                                           (out->nregressions + 1) * sizeof *out->regressions);
            out->regressions[out->nregressions++] = ch;
        } else if (b->verdict != RL_PASS && n && n->verdict == RL_PASS) {
            out->fixed = rl_xrealloc(out->fixed, (out->nfixed + 1) * sizeof *out->fixed);
            out->fixed[out->nfixed++] = ch;
        }
    }
    rl_map_clear(&current);
}

void rl_comparison_clear(rl_comparison *c)
{
    free(c->regressions);
    free(c->fixed);
    memset(c, 0, sizeof *c);
}
