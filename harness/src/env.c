/* env.c: the environment a run gets. */
#define _GNU_SOURCE
#include "proc.h"

#include <stdlib.h>
#include <string.h>

extern char **environ;

void rl_env_set(rl_env *e, const char *name, const char *value)
{
    rl_strv_pushf(&e->set, "%s=%s", name, value);
}

void rl_env_unset(rl_env *e, const char *name)
{
    rl_strv_push(&e->unset, name);
}

static int env_named(const char *entry, char *const *names, size_t n, int with_value)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = with_value ? strcspn(names[i], "=") : strlen(names[i]);
        if (strncmp(entry, names[i], k) == 0 && entry[k] == '=')
            return 1;
    }
    return 0;
}

char **rl_env_build(const rl_env *e)
{
    rl_strv v = {0};
    for (char **p = environ; p && *p; p++)
        if (!env_named(*p, e->unset.v, e->unset.n, 0) && !env_named(*p, e->set.v, e->set.n, 1))
            rl_strv_push(&v, *p);
    for (size_t i = 0; i < e->set.n; i++)
        rl_strv_push(&v, e->set.v[i]);
    return rl_strv_steal(&v);
}

void rl_env_clear(rl_env *e)
{
    rl_strv_clear(&e->set);
    rl_strv_clear(&e->unset);
}


/* A compiler reads more of its environment than a case's flags say:
 * CCC_OVERRIDE_OPTIONS rewrites clang's command line, CPATH and
 * C_INCLUDE_PATH add headers, GCC_EXEC_PREFIX and COMPILER_PATH choose its
 * programs, LD_PRELOAD replaces its functions. So every compiler racelab
 * runs gets these and nothing else. */
const char *const rl_compiler_env_kept[] = {"PATH", "HOME", "TMPDIR", NULL};

char **rl_compiler_env(const char *tmpdir)
{
    rl_strv v = {0};
    for (size_t i = 0; rl_compiler_env_kept[i]; i++) {
        const char *name = rl_compiler_env_kept[i];
        const char *value = strcmp(name, "TMPDIR") == 0 && tmpdir ? tmpdir : getenv(name);
        if (value)
            rl_strv_pushf(&v, "%s=%s", name, value);
    }
    rl_strv_push(&v, "LC_ALL=C"); /* its messages, which racelab quotes, in one language */
    return rl_strv_steal(&v);
}

/* The environment of the run again: the process's own, less what racelab
 * removed, plus what it set. */
char **rl_command_env(const rl_command *cmd)
{
    rl_env env = {0};
    for (char **n = cmd->env_unset; n && *n; n++)
        rl_env_unset(&env, *n);
    for (char **s = cmd->env_set; s && *s; s++) {
        char *name = rl_xstrndup(*s, strcspn(*s, "="));
        rl_env_set(&env, name, *s + strlen(name) + (strchr(*s, '=') != NULL));
        free(name);
    }
    char **envp = cmd->env_only ? rl_strv_dup(cmd->env_set) : rl_env_build(&env);
    rl_env_clear(&env);
    return envp;
}
