/* render_matrix.c: the capability matrix as markdown for people, JSON for
 * programs, one self-contained HTML page, and a comparison with a
 * baseline as text. */
#define _GNU_SOURCE
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "9/10 (90%)", or "-" when the score is undefined. */
static void ratio(rl_buf *b, size_t num, size_t den, double value)
{
    if (value < 0)
        rl_buf_puts(b, "-");
    else
        rl_buf_printf(b, "%zu/%zu (%.0f%%)", num, den, value * 100);
}

static void score_cells(rl_buf *b, const rl_matrix *m, char **columns, int recall,
                        const char *open, const char *sep, const char *close)
{
    for (char **col = columns; *col; col++) {
        rl_score s;
        rl_matrix_score(m, *col, &s);
        rl_buf_puts(b, open);
        if (recall)
            ratio(b, s.count[RL_CELL_CAUGHT], s.count[RL_CELL_CAUGHT] + s.count[RL_CELL_MISSED],
                  s.recall);
        else
            ratio(b, s.count[RL_CELL_CLEAN], s.count[RL_CELL_CLEAN] + s.count[RL_CELL_FALSE_ALARM],
                  s.precision);
        rl_buf_puts(b, col[1] ? sep : close);
    }
}

char *rl_render_matrix_markdown(const rl_matrix *m)
{
    char **cases = rl_matrix_cases(m), **columns = rl_matrix_columns(m);
    rl_buf b = {0};
    rl_buf_puts(&b, "| case |");
    for (char **col = columns; *col; col++)
        rl_buf_printf_escaped(&b, " %s |", *col);
    rl_buf_puts(&b, "\n|---|");
    for (char **col = columns; *col; col++)
        rl_buf_puts(&b, "---|");
    rl_buf_puts(&b, "\n");
    for (char **c = cases; *c; c++) {
        rl_buf_printf_escaped(&b, "| %s |", *c);
        for (char **col = columns; *col; col++) {
            const rl_cell *cell = rl_matrix_cell(m, *c, *col);
            rl_buf_printf(&b, " %s%s |", cell ? rl_cell_state_name(cell->state) : "-",
                          cell && cell->verdict == RL_FAIL ? " (FAIL)" : "");
        }
        rl_buf_puts(&b, "\n");
    }
    if (*columns) {
        rl_buf_puts(&b, "| **recall** (caught of bugs) |");
        score_cells(&b, m, columns, 1, " ", " |", " |\n");
        rl_buf_puts(&b, "| **precision** (clean of correct programs) |");
        score_cells(&b, m, columns, 0, " ", " |", " |\n");
    }
    rl_strv_free(cases);
    rl_strv_free(columns);
    return rl_buf_steal(&b);
}

char *rl_render_matrix_json(const rl_matrix *m)
{
    char **cases = rl_matrix_cases(m), **columns = rl_matrix_columns(m);
    json_t *cells = json_array(), *scores = json_object();
    for (size_t i = 0; i < m->ncells; i++) {
        const rl_cell *c = &m->cells[i];
        json_array_append_new(cells, json_pack("{s:o, s:o, s:o, s:s, s:s, s:o}", "case",
                                               rl_json_text(c->case_name), "spec",
                                               rl_json_text(c->spec), "toolchain",
                                               rl_json_text(c->column), "verdict",
                                               rl_verdict_name(c->verdict), "state",
                                               rl_cell_state_name(c->state), "bug",
                                               c->bug < 0 ? json_null() : json_boolean(c->bug)));
    }
    for (char **col = columns; *col; col++) {
        rl_score s;
        rl_matrix_score(m, *col, &s);
        json_t *counts = json_object();
        for (int k = 0; k < RL_CELL_STATES; k++)
            json_object_set_new(counts, rl_cell_state_name((rl_cell_state)k),
                                json_integer((json_int_t)s.count[k]));
        json_object_set_new(scores, *col,
                            json_pack("{s:o, s:o, s:o}", "cells", counts, "recall",
                                      s.recall < 0 ? json_null() : json_real(s.recall),
                                      "precision",
                                      s.precision < 0 ? json_null() : json_real(s.precision)));
    }
    json_t *doc = json_pack("{s:s, s:i, s:o, s:o, s:o, s:o}", "racelab", RL_VERSION, "matrix", 1,
                            "toolchains", rl_json_text_list(columns), "cases",
                            rl_json_text_list(cases), "cells", cells, "scores", scores);
    char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII) : NULL;
    json_decref(doc);
    rl_strv_free(cases);
    rl_strv_free(columns);
    char *out = rl_xasprintf("%s\n", text ? text : "{}");
    free(text);
    return out;
}

static void html(rl_buf *b, const char *s)
{
    rl_buf_add_markup(b, s);
}

/* Okabe and Ito's palette, which the common colour blindnesses keep apart;
 * every cell also says its state in a word and a symbol. */
static const struct {
    const char *symbol, *background, *foreground;
} looks[RL_CELL_STATES] = {
    [RL_CELL_CAUGHT] = {"&#10003;", "#0072B2", "#ffffff"},      /* blue */
    [RL_CELL_MISSED] = {"&#10007;", "#D55E00", "#ffffff"},      /* vermillion */
    [RL_CELL_FALSE_ALARM] = {"!", "#E69F00", "#000000"},        /* orange */
    [RL_CELL_CLEAN] = {"&#9675;", "#56B4E9", "#000000"},        /* sky blue */
    [RL_CELL_REPORTED] = {"&#9679;", "#009E73", "#ffffff"},     /* bluish green */
    [RL_CELL_QUIET] = {"&#183;", "#F0E442", "#000000"},         /* yellow */
    [RL_CELL_SKIPPED] = {"&#8211;", "#d9d9d9", "#000000"},      /* grey */
    [RL_CELL_ERROR] = {"&#8252;", "#CC79A7", "#000000"},        /* reddish purple */
};

char *rl_render_matrix_html(const rl_matrix *m)
{
    char **cases = rl_matrix_cases(m), **columns = rl_matrix_columns(m);
    rl_buf b = {0};
    rl_buf_puts(&b,
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<title>racelab: capability matrix</title>\n<style>\n"
                "body { font-family: sans-serif; margin: 1.5em; }\n"
                "table { border-collapse: collapse; }\n"
                "th, td { border: 1px solid #999; padding: 0.3em 0.6em; text-align: left; }\n"
                "th { background: #f0f0f0; cursor: pointer; user-select: none; }\n"
                "th[aria-sort=ascending]::after { content: \" \\25B2\"; }\n"
                "th[aria-sort=descending]::after { content: \" \\25BC\"; }\n"
                "td a { color: inherit; text-decoration: none; display: block; }\n"
                "tfoot td { font-weight: bold; background: #fafafa; }\n"
                "pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; }\n"
                ".legend span { display: inline-block; margin-right: 1em; padding: 0.2em 0.5em; }\n");
    for (int k = 0; k < RL_CELL_STATES; k++)
        rl_buf_printf(&b, ".s%d { background: %s; color: %s; }\n", k, looks[k].background,
                      looks[k].foreground);
    rl_buf_puts(&b, "</style>\n</head>\n<body>\n<h1>racelab: capability matrix</h1>\n"
                    "<p>Cases down, toolchains across. On a program with a bug, the tool "
                    "<em>caught</em> it (a report of the bug's kind) or <em>missed</em> it; on "
                    "a correct program it stayed <em>clean</em> or raised a <em>false "
                    "alarm</em>; on a case that does not say which it is, it <em>reported</em> "
                    "or stayed <em>quiet</em>. A cell marked FAIL is not what the case declares "
                    "for the tool (a regression, or an expectation to measure again). Click a "
                    "heading to sort; click a cell for its job's report.</p>\n"
                    "<p class=\"legend\">");
    for (int k = 0; k < RL_CELL_STATES; k++)
        rl_buf_printf(&b, "<span class=\"s%d\">%s %s</span>", k, looks[k].symbol,
                      rl_cell_state_name((rl_cell_state)k));
    rl_buf_puts(&b, "</p>\n<table id=\"matrix\">\n<thead><tr><th>case</th>");
    for (char **col = columns; *col; col++) {
        rl_buf_puts(&b, "<th>");
        html(&b, *col);
        rl_buf_puts(&b, "</th>");
    }
    rl_buf_puts(&b, "</tr></thead>\n<tbody>\n");
    size_t job = 0;
    for (char **c = cases; *c; c++) {
        rl_buf_puts(&b, "<tr><td>");
        html(&b, *c);
        rl_buf_puts(&b, "</td>");
        for (char **col = columns; *col; col++) {
            const rl_cell *cell = rl_matrix_cell(m, *c, *col);
            if (!cell) {
                rl_buf_puts(&b, "<td data-sort=\"9\">-</td>");
                continue;
            }
            rl_buf_printf(&b,
                          "<td class=\"s%d\" data-sort=\"%d\"><a href=\"#job-%zu\">%s %s%s</a></td>",
                          cell->state, cell->state, job++, looks[cell->state].symbol,
                          rl_cell_state_name(cell->state),
                          cell->verdict == RL_FAIL ? " <strong>FAIL</strong>" : "");
        }
        rl_buf_puts(&b, "</tr>\n");
    }
    rl_buf_puts(&b, "</tbody>\n<tfoot>\n<tr><td>recall (caught of bugs)</td>");
    score_cells(&b, m, columns, 1, "<td>", "</td>", "</td>");
    rl_buf_puts(&b, "</tr>\n<tr><td>precision (clean of correct programs)</td>");
    score_cells(&b, m, columns, 0, "<td>", "</td>", "</td>");
    rl_buf_puts(&b, "</tr>\n</tfoot>\n</table>\n<h2>Each job</h2>\n");
    job = 0;
    for (char **c = cases; *c; c++)
        for (char **col = columns; *col; col++) {
            const rl_cell *cell = rl_matrix_cell(m, *c, *col);
            if (!cell)
                continue;
            rl_buf_printf(&b, "<section id=\"job-%zu\">\n<h3>", job++);
            html(&b, cell->case_name);
            rl_buf_puts(&b, " under ");
            html(&b, cell->column);
            rl_buf_printf(&b, ": %s (%s)</h3>\n", rl_cell_state_name(cell->state),
                          rl_verdict_name(cell->verdict));
            if (cell->detail) {
                rl_buf_puts(&b, "<pre>");
                rl_buf_add_markup_lines(&b, cell->detail);
                rl_buf_puts(&b, "</pre>\n");
            }
            if (cell->log) {
                rl_buf_puts(&b, "<p>log: <code>");
                html(&b, cell->log);
                rl_buf_puts(&b, "</code></p>\n");
            }
            rl_buf_puts(&b, "</section>\n");
        }
    rl_buf_puts(&b,
                "<script>\n"
                "document.querySelectorAll('#matrix thead th').forEach(function (th, column) {\n"
                "  th.addEventListener('click', function () {\n"
                "    var body = document.querySelector('#matrix tbody');\n"
                "    var up = th.getAttribute('aria-sort') !== 'ascending';\n"
                "    document.querySelectorAll('#matrix thead th').forEach(function (h) {\n"
                "      h.removeAttribute('aria-sort'); });\n"
                "    th.setAttribute('aria-sort', up ? 'ascending' : 'descending');\n"
                "    var rows = Array.prototype.slice.call(body.rows);\n"
                "    rows.sort(function (a, b) {\n"
                "      var x = a.cells[column], y = b.cells[column];\n"
                "      var p = x.dataset.sort || x.textContent, q = y.dataset.sort || y.textContent;\n"
                "      return (p < q ? -1 : p > q ? 1 : 0) * (up ? 1 : -1); });\n"
                "    rows.forEach(function (r) { body.appendChild(r); });\n"
                "  });\n"
                "});\n"
                "</script>\n</body>\n</html>\n");
    rl_strv_free(cases);
    rl_strv_free(columns);
    return rl_buf_steal(&b);
}

char *rl_render_comparison(const rl_comparison *c)
{
    rl_buf b = {0};
    if (c->nregressions)
        rl_buf_printf(&b, "REGRESSIONS against the baseline: %zu\n", c->nregressions);
    for (size_t i = 0; i < c->nregressions; i++) {
        const rl_change *ch = &c->regressions[i];
        if (!ch->now) {
            rl_buf_printf_escaped(&b,
                                  "  REGRESSED %s/%s: not run (was pass with %s; the toolchain is "
                                  "gone, or the case has no lines for the tool)\n",
                                  ch->before->case_name, ch->before->spec, ch->before->column);
            continue;
        }
        rl_buf_printf_escaped(&b, "  REGRESSED %s/%s: %s (was pass with %s, now %s with %s)\n",
                              ch->now->case_name, ch->now->spec, rl_cell_state_name(ch->now->state),
                              ch->before->column, rl_verdict_name(ch->now->verdict),
                              ch->now->column);
    }
    if (c->nfixed)
        rl_buf_printf(&b, "fixed since the baseline: %zu\n", c->nfixed);
    for (size_t i = 0; i < c->nfixed; i++) {
        const rl_change *ch = &c->fixed[i];
        rl_buf_printf_escaped(&b, "  fixed %s/%s (was %s with %s, now pass with %s)\n",
                              ch->now->case_name, ch->now->spec,
                              rl_verdict_name(ch->before->verdict), ch->before->column,
                              ch->now->column);
    }
    return rl_buf_steal(&b);
}
