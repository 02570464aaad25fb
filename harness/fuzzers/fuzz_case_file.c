/* fuzz_case_file: the case file parser (rl_case_parse).
 *
 * The input is the text of a case file; it is parsed as "/fuzz/case.c", a
 * path that does not exist (realpath fails and the path is kept as given).
 * The input is not NUL-terminated. Seeds: RACELAB_FUZZ_SEEDS_CASES in
 * CMakeLists.txt (the catalogue and the test fixtures' case files). */
#include "fuzz_common.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rl_case *c = (rl_case *)(uintptr_t)1; /* must be overwritten */
    rl_diag diag = RL_DIAG_INIT;
    int rc = rl_case_parse("/fuzz/case.c", (const char *)data, size, &c, &diag);

    RL_FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc < 0) {
        /* A malformed case is refused with a message naming the file (and,
         * LeakSanitizer checks, without leaking what was read before the
         * fault). */
        RL_FUZZ_CHECK(c == NULL);
        RL_FUZZ_CHECK(diag.message != NULL && diag.message[0] != '\0');
        RL_FUZZ_CHECK(diag.file != NULL);
        rl_fuzz_touch(diag.message);
        rl_diag_clear(&diag);
        return 0;
    }
    RL_FUZZ_CHECK(diag.message == NULL);
    RL_FUZZ_CHECK(c != NULL);
    RL_FUZZ_CHECK(c->name && c->path && c->summary);
    rl_fuzz_touch(c->name);
    rl_fuzz_touch(c->path);
    rl_fuzz_touch(c->summary);
    rl_case_free(c);
    return 0;
}
