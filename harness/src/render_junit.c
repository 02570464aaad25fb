/* render_junit.c: results as JUnit XML, the test-results format CI systems
 * read (Jenkins, GitLab, GitHub actions that publish test reports): one
 * testsuite a tool, one testcase a job; a fail is a <failure>, an error an
 * <error>, a skip <skipped>; the case file's bad input is a testsuite of its
 * own, so that it can never be missed. */
#define _GNU_SOURCE
#include "fs.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void attribute(rl_buf *b, const char *name, const char *value)
{
    rl_buf_printf(b, " %s=\"", name);
    rl_buf_add_markup(b, value);
    rl_buf_puts(b, "\"");
}

/* The first line of a report, for a failure's message attribute. */
static char *first_line(const char *text)
{
    const char *s = text;
    while (*s == ' ' || *s == '\n')
        s++;
    return rl_xstrndup(s, strcspn(s, "\n"));
}

static void testcase(rl_buf *b, const rl_result *r)
{
    char *name = rl_xasprintf("%s/%s", r->rcase->name, r->tool->spec);
    char *classname = rl_xasprintf("racelab.%s", rl_tool_name(r->tool->id));
    rl_buf_puts(b, "    <testcase");
    attribute(b, "classname", classname);
    attribute(b, "name", name);
    attribute(b, "file", r->rcase->path);
    rl_buf_printf(b, " time=\"%.3f\">\n", r->seconds + r->build_seconds);
    if (r->verdict != RL_PASS) {
        static const char *const element[] = {"", "failure", "error", "skipped"};
        char *problem = rl_render_problem(r), *headline = first_line(problem);
        rl_buf_printf(b, "      <%s", element[r->verdict]);
        attribute(b, "message", headline);
        if (r->verdict == RL_SKIP)
            rl_buf_puts(b, "/>\n");
        else {
            attribute(b, "type", rl_verdict_name(r->verdict));
            rl_buf_puts(b, ">");
            rl_buf_add_markup_lines(b, problem);
            rl_buf_printf(b, "</%s>\n", element[r->verdict]);
        }
        free(problem);
        free(headline);
    }
    char chain[RL_PATH_SIZE + 64];
    rl_toolchain_describe(&r->tool->toolchain, chain, sizeof chain);
    rl_buf_puts(b, "      <system-out>toolchain: ");
    rl_buf_add_markup(b, chain);
    if (r->log_path) {
        rl_buf_puts(b, "\nlog: ");
        rl_buf_add_markup(b, r->log_path);
    }
    rl_buf_puts(b, "</system-out>\n    </testcase>\n");
    free(name);
    free(classname);
}

int rl_results_write_junit(const char *path, const rl_result *results, size_t n,
                           const rl_diag *input_errors, size_t nerrors, rl_diag *diag)
{
    rl_buf b = {0};
    rl_summary all;
    rl_summarize(results, n, &all);
    rl_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuites name=\"racelab\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                  "skipped=\"%zu\">\n",
                  n + nerrors, all.count[RL_FAIL], all.count[RL_ERROR] + nerrors,
                  all.count[RL_SKIP]);
    /* One testsuite a tool spec, in the order they first appear. */
    rl_map done = {0};
    for (size_t i = 0; i < n; i++) {
        const char *spec = results[i].tool->spec;
        size_t unused;
        if (rl_map_get(&done, spec, &unused) == 0)
            continue;
        rl_map_put(&done, spec, 1);
        size_t count[RL_VERDICT_COUNT] = {0}, tests = 0;
        double seconds = 0;
        for (size_t k = i; k < n; k++)
            if (strcmp(results[k].tool->spec, spec) == 0) {
                count[results[k].verdict]++;
                tests++;
                seconds += results[k].seconds + results[k].build_seconds;
            }
        char *name = rl_xasprintf("racelab.%s", spec);
        rl_buf_puts(&b, "  <testsuite");
        attribute(&b, "name", name);
        rl_buf_printf(&b, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
                          "time=\"%.3f\">\n",
                      tests, count[RL_FAIL], count[RL_ERROR], count[RL_SKIP], seconds);
        for (size_t k = i; k < n; k++)
            if (strcmp(results[k].tool->spec, spec) == 0)
                testcase(&b, &results[k]);
        rl_buf_puts(&b, "  </testsuite>\n");
        free(name);
    }
    rl_map_clear(&done);
    if (nerrors) {
        rl_buf_printf(&b, "  <testsuite name=\"racelab.input\" tests=\"%zu\" failures=\"0\" "
                          "errors=\"%zu\" skipped=\"0\">\n",
                      nerrors, nerrors);
        for (size_t i = 0; i < nerrors; i++) {
            char *text = rl_diag_format(&input_errors[i]);
            char *name = rl_xasprintf("input error %zu", i + 1);
            rl_buf_puts(&b, "    <testcase classname=\"racelab.input\"");
            attribute(&b, "name", name);
            if (input_errors[i].file)
                attribute(&b, "file", input_errors[i].file);
            rl_buf_puts(&b, ">\n      <error type=\"input\"");
            attribute(&b, "message", text);
            rl_buf_puts(&b, "/>\n    </testcase>\n");
            free(text);
            free(name);
        }
        rl_buf_puts(&b, "  </testsuite>\n");
    }
    rl_buf_puts(&b, "</testsuites>\n");
    int rc = rl_write_atomic(path, b.data, b.len, "the JUnit report", diag);
    rl_buf_free(&b);
    return rc;
}
