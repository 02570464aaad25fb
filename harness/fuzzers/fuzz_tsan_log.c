/* fuzz_tsan_log: ThreadSanitizer's text log parser (rl_tsan_parse).
 *
 * The input is a whole log, as the runtime writes it to log_path. It is
 * passed as libFuzzer hands it over: not NUL-terminated, so a read past len
 * is a heap-buffer-overflow. Seeds: the recorded TSan logs in
 * harness/tests/fixtures (RACELAB_FUZZ_SEEDS_TSAN in CMakeLists.txt). */
#include "fuzz_common.h"
#include "adapter.h"
#include "tsan_log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rl_tool_id tsan;
    RL_FUZZ_CHECK(rl_tool_from_name("tsan", 4, &tsan) == 0);
    rl_tsan_log log;
    rl_tsan_parse((const char *)data, size, rl_adapter_for(tsan)->kinds, &log);

    /* What tool_tsan.c and rl_match read of it. (warnings is whatever
     * number the log says, negative ones too: no invariant there.) */
    rl_fuzz_check_reports(&log.reports);
    rl_fuzz_touch(log.fatal);

    rl_tsan_log_clear(&log);
    RL_FUZZ_CHECK(log.reports.count == 0 && log.fatal == NULL);
    return 0;
}
