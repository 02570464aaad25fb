/* adapter.c: what adapters share: the ending of a plain run, checking
 * options against a table, and asking an object what it calls. */
#define _GNU_SOURCE
#include "adapter.h"
#include "elf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void rl_ending_from_outcome(const rl_outcome *o, rl_ending *e)
{
    if (o->timed_out)
        rl_ending_set(e, RL_KIND_HANG, 0, 0, "no exit within %.1f s: killed", o->seconds);
    else if (o->exited)
        rl_ending_set(e, RL_KIND_EXIT, o->status, 0, "exit %d", o->status);
    else if (o->signal) {
        const char *name = rl_signal_name(o->signal);
        rl_ending_set(e, RL_KIND_SIGNAL, o->signal, 0, "killed by signal %d (%s)", o->signal,
                      name ? name : "?");
    }
}

int rl_check_option_words(char *const *words, size_t n, const rl_option_rule *rules,
                          const char *what, rl_diag *diag)
{
    for (size_t i = 0; i < n; i++) {
        const char *w = words[i];
        size_t klen = strcspn(w, "=");
        const char *value = w[klen] ? w + klen + 1 : NULL;
        const rl_option_rule *r = rules;
        while (r->name && !(strlen(r->name) == klen && strncmp(r->name, w, klen) == 0))
            r++;
        if (!r->name)
            return rl_diag_set(diag, NULL, 0,
                               "%s '%.*s' is not one racelab accepts (docs/case-format.md "
                               "lists them)",
                               what, (int)klen, w);
        if (r->why)
            return rl_diag_set(diag, NULL, 0, "%s '%s' is refused: %s", what, w, r->why);
        if (!value || !*value)
            return rl_diag_set(diag, NULL, 0, "%s '%s' needs a value: write %.*s=VALUE", what, w,
                               (int)klen, w);
        int ok = 1;
        if (!r->values)
            ok = 1;
        else if (strcmp(r->values, "int") == 0) {
            char *end;
            errno = 0;
            long v = strtol(value, &end, 10);
            ok = !*end && !errno && v >= 0 && v <= 1000000000L;
        } else {
            ok = 0;
            for (const char *p = r->values; *p && !ok;) {
                size_t len = strcspn(p, "|");
                ok = strlen(value) == len && strncmp(p, value, len) == 0;
                p += len + (p[len] == '|');
            }
        }
        if (!ok)
            return rl_diag_set(diag, NULL, 0, "%s '%s': the value must be %s", what, w,
                               strcmp(r->values, "int") == 0 ? "a whole number" : r->values);
    }
    return 0;
}

int rl_object_calls_one_of(const char *object, const char *const *names, int *found,
                           rl_diag *diag)
{
    rl_elf_symbols syms;
    if (rl_elf_read_symbols(object, &syms, diag) < 0)
        return -1;
    *found = 0;
    for (size_t i = 0; i < syms.count && !*found; i++)
        for (const char *const *n = names; *n && !*found && !syms.items[i].defined; n++)
            *found = strcmp(syms.items[i].name, *n) == 0;
    rl_elf_symbols_clear(&syms);
    return 0;
}
