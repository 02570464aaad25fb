/* common.c: what the commands share: printing that survives a closed
 * stdout, errors on stderr, Ctrl-C, the catalogue and the tools asked for,
 * and writing the matrix. The commands (list.c, run.c, learn.c) call it;
 * it calls none of them. */
#define _GNU_SOURCE
#include "cli.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

volatile sig_atomic_t interrupted;

void print_diag(const rl_diag *d)
{
    char *text = rl_diag_format(d);
    fprintf(stderr, "racelab: %s\n", text);
    free(text);
}

static int stdout_gone; /* a closed pipe: keep running, stop printing */

void say(const char *fmt, ...)
{
    if (stdout_gone)
        return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (fflush(stdout) == EOF || ferror(stdout)) {
        stdout_gone = 1;
        clearerr(stdout);
    }
}

/* The cases asked for; their input errors are told on stderr. */
void load_catalogue(const options *o, rl_catalogue *cat)
{
    rl_catalogue_load(cat, (char *const *)o->dirs, o->ndirs, (char *const *)o->names, o->nnames);
    for (size_t i = 0; i < cat->nerrors; i++)
        print_diag(&cat->errors[i]);
}

/* Write text to path whole; -1 (told) when it cannot be. */
int write_text(const char *path, const char *what, char *text)
{
    rl_diag d = RL_DIAG_INIT;
    int rc = 0;
    if (rl_write_text_file(path, text, what, &d) < 0) {
        print_diag(&d);
        rc = -1;
    }
    rl_diag_clear(&d);
    free(text);
    return rc;
}

int write_matrix(const rl_matrix *m, const char *path)
{
    size_t n = strlen(path);
    int html = n > 5 && strcmp(path + n - 5, ".html") == 0;
    int json = n > 5 && strcmp(path + n - 5, ".json") == 0;
    char *text = html ? rl_render_matrix_html(m) : json ? rl_render_matrix_json(m)
                                                       : rl_render_matrix_markdown(m);
    return write_text(path, "the matrix", text);
}

static void on_signal(int sig)
{
    (void)sig;
    __atomic_store_n(&interrupted, 1, __ATOMIC_RELAXED); /* worker threads read it */
}

void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART; /* a second Ctrl-C must not break writing the results */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* A closed stdout is an EPIPE to notice, not a death. */
    signal(SIGPIPE, SIG_IGN);
    /* Children must stay ours to wait for, whatever we inherited. */
    signal(SIGCHLD, SIG_DFL);
    /* racelab has no children of its own: what a lost supervisor leaves
     * becomes its to kill. */
    rl_adopt_orphans();
}

/* The tools named, or one of each when none is; --require marks the
 * default tools that must be installed. */
int choose_tools(options *o)
{
    if (!o->ntools) {
        free(o->tools);
        o->tools = rl_default_tools(&o->ntools);
        free(o->specs);
        o->specs = calloc(o->ntools + 1, sizeof *o->specs);
        if (!o->specs)
            abort();
        o->nspecs = 0;
        for (size_t t = 0; t < o->ntools; t++)
            o->specs[o->nspecs++] = o->tools[t].spec;
    } else if (o->nrequired) {
        fprintf(stderr, "racelab: --require is for the default tools; a tool named with --tool "
                        "is always required\n");
        return -1;
    }
    for (size_t r = 0; r < o->nrequired; r++)
        for (size_t t = 0; t < o->ntools; t++)
            if (strcmp(rl_tool_name(o->tools[t].id), o->required[r]) == 0)
                o->tools[t].required = 1;
    return 0;
}

