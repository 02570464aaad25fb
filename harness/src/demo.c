/* demo.c: plain runs of a case's native build, again and again (racelab
 * demo): how each ended and what it printed, against its twin's runs and
 * beside each detector's verdict: a race a test rarely shows, a detector
 * shows every time. */
#define _GNU_SOURCE
#include "adapter.h"
#include "fs.h"
#include "render.h"
#include "run.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rl_demo_clear(rl_demo *d)
{
    for (size_t i = 0; i < d->done; i++)
        free(d->outcomes[i]);
    free(d->outcomes);
    free(d->values);
    free(d->has_value);
    memset(d, 0, sizeof *d);
}

/* The first number of a line, if it has one. */
static int first_number(const char *s, long long *out)
{
    for (const char *p = s; *p; p++) {
        if ((*p >= '0' && *p <= '9') || (*p == '-' && p[1] >= '0' && p[1] <= '9')) {
            char *end;
            *out = strtoll(p, &end, 10);
            return 1;
        }
    }
    return 0;
}

int rl_demo_run(const rl_config *cfg, const rl_result *native, size_t runs, rl_demo *out,
                rl_demo_progress_fn progress, void *ctx, rl_diag *diag)
{
    memset(out, 0, sizeof *out);
    if (!native->run.argv || !native->log_dir)
        return rl_diag_set(diag, native->rcase->path, 0, "the native run did not start: %s",
                           rl_diag_message(&native->problem));
    out->outcomes = rl_xcalloc(runs, sizeof *out->outcomes);
    out->values = rl_xcalloc(runs, sizeof *out->values);
    out->has_value = rl_xcalloc(runs, sizeof *out->has_value);
    char **envp = rl_command_env(&native->run);
    char *out_path = rl_xasprintf("%s/demo-stdout.txt", native->log_dir);
    char *err_path = rl_xasprintf("%s/demo-stderr.txt", native->log_dir);
    const rl_adapter *a = rl_adapter_for(native->tool->id);
    int rc = 0;
    for (size_t i = 0; i < runs && rc == 0; i++) {
        if (rl_cancelled(cfg->cancel)) {
            rc = rl_diag_set(diag, NULL, 0, "interrupted after %zu runs", i);
            break;
        }
        rl_spawn s = {.argv = native->run.argv,
                      .envp = envp,
                      .cwd = native->run.cwd,
                      .stdout_path = out_path,
                      .stderr_path = err_path,
                      .out_cap = 1 << 20,
                      .timeout = rl_time_limit(native->rcase, a),
                      .cancel = cfg->cancel};
        rl_outcome o;
        if (rl_spawn_wait(&s, &o, diag) < 0) {
            rc = -1;
            break;
        }
        rl_ending e = {0};
        rl_ending_from_outcome(&o, &e);
        rl_outcome_clear(&o);
        char *text = rl_read_file(out_path, NULL, NULL);
        char *first = rl_xstrndup(text ? text : "", text ? strcspn(text, "\n") : 0);
        char *safe = rl_escape(first);
        out->has_value[i] = first_number(first, &out->values[i]);
        out->outcomes[i] = rl_xasprintf("%s%s%s", e.detail ? e.detail : "?", *safe ? ": " : "",
                                        safe);
        out->done = i + 1;
        free(safe);
        free(first);
        free(text);
        free(e.detail);
        if (progress)
            progress(out->done, runs, ctx);
    }
    out->runs = runs;
    free(out_path);
    free(err_path);
    rl_strv_free(envp);
    return rc;
}

static int in_list(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* Each distinct outcome and how many runs had it, most frequent first. */
static void add_outcomes(rl_buf *b, const rl_demo *d)
{
    size_t *count = rl_xcalloc(d->done + 1, sizeof *count);
    size_t *first = rl_xcalloc(d->done + 1, sizeof *first), ndistinct = 0;
    for (size_t i = 0; i < d->done; i++) {
        size_t k = 0;
        while (k < ndistinct && strcmp(d->outcomes[first[k]], d->outcomes[i]) != 0)
            k++;
        if (k == ndistinct)
            first[ndistinct++] = i;
        count[k]++;
    }
    for (size_t shown = 0; shown < ndistinct && shown < 5; shown++) {
        size_t best = 0;
        for (size_t k = 1; k < ndistinct; k++)
            if (count[k] > count[best])
                best = k;
        rl_buf_printf(b, "  %5zu x  %s\n", count[best], d->outcomes[first[best]]);
        count[best] = 0;
    }
    if (ndistinct > 5)
        rl_buf_printf(b, "  ... and %zu other outcomes\n", ndistinct - 5);
    free(count);
    free(first);
}

/* A plain-text histogram of the first numbers, in ten bins. */
static void add_histogram(rl_buf *b, const rl_demo *d)
{
    long long lo = 0, hi = 0;
    size_t n = 0;
    for (size_t i = 0; i < d->done; i++) {
        if (!d->has_value[i])
            continue;
        if (!n++ || d->values[i] < lo)
            lo = d->values[i];
        if (n == 1 || d->values[i] > hi)
            hi = d->values[i];
    }
    if (n < 2 || lo == hi)
        return;
    /* In unsigned arithmetic: the span of two long longs can exceed one. */
    enum { MAX_BINS = 10, WIDTH = 40 };
    unsigned long long span = (unsigned long long)hi - (unsigned long long)lo;
    unsigned long long width = span / MAX_BINS + 1;
    size_t nbins = (size_t)(span / width + 1), bins[MAX_BINS] = {0}, most = 0;
    for (size_t i = 0; i < d->done; i++) {
        if (!d->has_value[i])
            continue;
        size_t k = (size_t)(((unsigned long long)d->values[i] - (unsigned long long)lo) / width);
        if (++bins[k] > most)
            most = bins[k];
    }
    int digits = snprintf(NULL, 0, "%lld", lo), more = snprintf(NULL, 0, "%lld", hi);
    digits = more > digits ? more : digits;
    rl_buf_puts(b, "\n  the first number each run printed:\n");
    for (size_t k = 0; k < nbins; k++) {
        unsigned long long from = k * width, to = span - from < width - 1 ? span : from + width - 1;
        rl_buf_printf(b, "  %*lld .. %-*lld |", digits, (long long)((unsigned long long)lo + from),
                      digits, (long long)((unsigned long long)lo + to));
        size_t bar = most ? (bins[k] * WIDTH + most - 1) / most : 0;
        for (size_t j = 0; j < bar; j++)
            rl_buf_puts(b, "#");
        rl_buf_printf(b, " %zu\n", bins[k]);
    }
}

char *rl_render_demo(const rl_case *c, const rl_demo *d, const rl_demo *twin,
                     const rl_result *verdicts, size_t n)
{
    rl_buf b = {0};
    rl_buf_printf_escaped(&b, "%s, run natively %zu times:\n", c->name, d->done);
    add_outcomes(&b, d);
    add_histogram(&b, d);
    if (twin && twin->done) {
        size_t differ = 0;
        for (size_t i = 0; i < d->done; i++)
            differ += !in_list(twin->outcomes, twin->done, d->outcomes[i]);
        rl_buf_printf_escaped(&b, "\n%s (its twin), run natively %zu times:\n", c->twin,
                              twin->done);
        add_outcomes(&b, twin);
        if (c->bug_known && c->nbugs)
            rl_buf_printf(&b, "\nThe bug showed itself in %zu of %zu runs (an outcome no run of "
                              "the fix had).\n",
                          differ, d->done);
        else
            rl_buf_printf(&b, "\n%zu of %zu runs ended in a way no run of the twin did.\n",
                          differ, d->done);
    }
    if (n) {
        rl_buf_puts(&b, "\nEach detector, once:\n");
        for (size_t i = 0; i < n; i++) {
            const rl_result *r = &verdicts[i];
            char *head = rl_render_result_line(r, 0);
            /* What a pass found; what went wrong with anything else. */
            char *more = r->verdict == RL_PASS ? rl_render_result_found(r)
                                               : rl_render_result_details(r);
            rl_buf_printf(&b, "%s\n%s", head, more);
            free(head);
            free(more);
        }
    }
    return rl_buf_steal(&b);
}
