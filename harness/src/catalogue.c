/* catalogue.c: the cases a run is asked for: every case of the cases
 * directories, or the ones named; duplicates, unknown names and bad case
 * files are input errors, and the rest are still read. */
#define _GNU_SOURCE
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int rl_case_dir_scan(const char *dir, char ***paths, rl_diag *diag)
{
    *paths = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return rl_diag_set(diag, dir, 0, "cannot read the cases directory: %s", strerror(errno));
    rl_strv v = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 2 && strcmp(e->d_name + n - 2, ".c") == 0 && e->d_name[0] != '.')
            rl_strv_pushf(&v, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (v.n)
        qsort(v.v, v.n, sizeof *v.v, compare_strings);
    *paths = rl_strv_steal(&v);
    return 0;
}

void rl_catalogue_error(rl_catalogue *cat, const rl_diag *d)
{
    cat->errors = rl_xrealloc(cat->errors, (cat->nerrors + 1) * sizeof *cat->errors);
    rl_diag *slot = &cat->errors[cat->nerrors++];
    *slot = (rl_diag)RL_DIAG_INIT;
    rl_diag_copy(slot, d);
}

static void add_case(rl_catalogue *cat, rl_case *c)
{
    for (size_t i = 0; i < cat->ncases; i++) {
        if (strcmp(cat->cases[i]->name, c->name) == 0) {
            rl_diag d = RL_DIAG_INIT;
            rl_diag_set(&d, c->path, 0, "a case named '%s' is also at %s", c->name,
                        cat->cases[i]->path);
            rl_catalogue_error(cat, &d);
            rl_diag_clear(&d);
            rl_case_free(c);
            return;
        }
    }
    cat->cases = rl_xrealloc(cat->cases, (cat->ncases + 1) * sizeof *cat->cases);
    cat->cases[cat->ncases++] = c;
}

static void load_case(rl_catalogue *cat, const char *path)
{
    rl_case *c;
    rl_diag d = RL_DIAG_INIT;
    if (rl_case_load(path, &c, &d) < 0)
        rl_catalogue_error(cat, &d);
    else
        add_case(cat, c);
    rl_diag_clear(&d);
}

/* A path to a case file rather than the name of one. */
static int is_path(const char *arg)
{
    size_t n = strlen(arg);
    return strchr(arg, '/') || (n > 2 && strcmp(arg + n - 2, ".c") == 0);
}

/* Twins come in pairs: each names the other, both in the catalogue. */
static void check_twins(rl_catalogue *cat)
{
    for (size_t i = 0; i < cat->ncases; i++) {
        const rl_case *c = cat->cases[i];
        if (!c->twin)
            continue;
        const rl_case *t = NULL;
        for (size_t k = 0; k < cat->ncases && !t; k++)
            if (strcmp(cat->cases[k]->name, c->twin) == 0)
                t = cat->cases[k];
        rl_diag d = RL_DIAG_INIT;
        if (!t)
            rl_diag_set(&d, c->path, c->twin_line, "its twin '%s' is not in the catalogue", c->twin);
        else if (t == c)
            rl_diag_set(&d, c->path, c->twin_line, "a case is not its own twin");
        else if (!t->twin || strcmp(t->twin, c->name) != 0)
            rl_diag_set(&d, c->path, c->twin_line, "its twin '%s' does not name it back (%s)",
                        c->twin, t->twin ? t->twin : "it names no twin");
        if (d.message)
            rl_catalogue_error(cat, &d);
        rl_diag_clear(&d);
    }
}

void rl_catalogue_load(rl_catalogue *cat, char *const *dirs, size_t ndirs, char *const *names,
                       size_t nnames)
{
    int named = 0;
    for (size_t i = 0; i < nnames; i++) {
        if (is_path(names[i]))
            load_case(cat, names[i]);
        else
            named = 1;
    }
    if (nnames && !named)
        return;
    int *found = rl_xcalloc(nnames + 1, sizeof *found);
    for (size_t i = 0; i < ndirs; i++) {
        char **paths;
        rl_diag d = RL_DIAG_INIT;
        if (rl_case_dir_scan(dirs[i], &paths, &d) < 0) {
            rl_catalogue_error(cat, &d);
            rl_diag_clear(&d);
            continue;
        }
        for (char **p = paths; *p; p++) {
            const char *base = strrchr(*p, '/') + 1;
            int wanted = !named;
            for (size_t k = 0; k < nnames; k++) {
                size_t n = strlen(names[k]);
                if (!is_path(names[k]) && strncmp(base, names[k], n) == 0 &&
                    strcmp(base + n, ".c") == 0) {
                    wanted = 1;
                    found[k] = 1;
                }
            }
            if (wanted)
                load_case(cat, *p);
        }
        rl_strv_free(paths);
    }
    if (!nnames)
        check_twins(cat);
    for (size_t k = 0; k < nnames; k++) {
        if (!is_path(names[k]) && !found[k]) {
            rl_diag d = RL_DIAG_INIT;
            rl_diag_set(&d, NULL, 0, "no case named '%s' in the cases directories", names[k]);
            rl_catalogue_error(cat, &d);
            rl_diag_clear(&d);
        }
    }
    free(found);
}

void rl_catalogue_clear(rl_catalogue *cat)
{
    for (size_t i = 0; i < cat->ncases; i++)
        rl_case_free(cat->cases[i]);
    free(cat->cases);
    for (size_t i = 0; i < cat->nerrors; i++)
        rl_diag_clear(&cat->errors[i]);
    free(cat->errors);
    memset(cat, 0, sizeof *cat);
}
