/* list.c: racelab list (the catalogue, its tables, the kinds and options)
 * and racelab matrix (the capability matrix of results files). */
#define _GNU_SOURCE
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_list(const options *o)
{
    if (o->kinds || o->options) {
        char *text = o->kinds ? rl_render_kinds() : rl_render_options();
        say("%s", text);
        free(text);
        return EXIT_PASSED;
    }
    rl_catalogue cat = RL_CATALOGUE_INIT;
    load_catalogue(o, &cat);
    if (o->table || o->coverage || o->catalogue) {
        char *table = o->coverage    ? rl_render_coverage(cat.cases, cat.ncases)
                      : o->catalogue ? rl_render_catalogue(cat.cases, cat.ncases)
                                     : rl_render_cases_table(cat.cases, cat.ncases);
        say("%s", table);
        free(table);
    }
    for (size_t i = 0; i < cat.ncases && !o->table && !o->coverage && !o->catalogue; i++) {
        const rl_case *c = cat.cases[i];
        char tools[128] = "";
        for (size_t t = 0; t < rl_tool_count(); t++)
            if (rl_case_declares(c, (rl_tool_id)t))
                snprintf(tools + strlen(tools), sizeof tools - strlen(tools), "%s%s",
                         tools[0] ? "," : "", rl_tool_name((rl_tool_id)t));
        /* A file name and the case's own text: escaped like all output. */
        char *name = rl_escape(c->name), *summary = rl_escape(c->summary);
        say("%-24s %-26s %s\n", name, tools, summary);
        free(name);
        free(summary);
    }
    int rc = cat.nerrors ? EXIT_INPUT : EXIT_PASSED;
    rl_catalogue_clear(&cat);
    return rc;
}

int cmd_matrix(const options *o)
{
    if (!o->nnames) {
        fprintf(stderr, "racelab: matrix needs one or more results files (racelab run --json)\n");
        return EXIT_INPUT;
    }
    rl_matrix m = RL_MATRIX_INIT;
    int rc = EXIT_PASSED;
    for (size_t i = 0; i < o->nnames; i++) {
        rl_diag d = RL_DIAG_INIT;
        if (rl_matrix_add_file(&m, o->names[i], &d) < 0) {
            print_diag(&d);
            rc = EXIT_INPUT;
        }
        rl_diag_clear(&d);
    }
    rl_diag incomplete = RL_DIAG_INIT;
    if (rc == EXIT_PASSED && rl_matrix_check(&m, &incomplete) < 0) {
        print_diag(&incomplete);
        rc = EXIT_INPUT; /* the matrix is still written: what it holds is not lost */
    }
    rl_diag_clear(&incomplete);
    if (o->baseline) {
        rl_matrix before = RL_MATRIX_INIT;
        rl_diag d = RL_DIAG_INIT;
        if (rl_matrix_add_file(&before, o->baseline, &d) < 0) {
            print_diag(&d);
            rc = EXIT_INPUT;
        } else {
            rl_comparison cmp;
            rl_matrix_compare(&before, &m, &cmp);
            char *text = rl_render_comparison(&cmp);
            say("%s", text);
            free(text);
            if (cmp.nregressions && rc != EXIT_INPUT)
                rc = EXIT_REGRESSED;
            rl_comparison_clear(&cmp);
        }
        rl_diag_clear(&d);
        rl_matrix_clear(&before);
    }
    if (m.ncells || rc != EXIT_INPUT) {
        const char *outputs[] = {o->markdown, o->html, o->json};
        int any = 0;
        for (size_t i = 0; i < 3; i++) {
            if (!outputs[i])
                continue;
            any = 1;
            char *text = i == 0   ? rl_render_matrix_markdown(&m)
                         : i == 1 ? rl_render_matrix_html(&m)
                                  : rl_render_matrix_json(&m);
            if (write_text(outputs[i], "the matrix", text) < 0)
                rc = EXIT_INPUT;
        }
        if (!any) {
            char *text = rl_render_matrix_markdown(&m);
            say("%s", text);
            free(text);
        }
    }
    rl_matrix_clear(&m);
    return rc;
}
