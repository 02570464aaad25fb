/* fuzz_valgrind_xml: Valgrind's --xml=yes parser (rl_vg_parse), as Helgrind
 * and as DRD.
 *
 * The first byte chooses the tool whose kind mapping is applied:
 *   '<'             the input is a raw document (as every seed is, and as a
 *                   log file is): it is parsed whole, once as helgrind and
 *                   once as drd;
 *   any other byte  even: helgrind, odd: drd; the document is the rest.
 * A document never starts with another byte than '<' or a byte order mark,
 * so the selector costs the fuzzer nothing. The input is not NUL-terminated.
 * Seeds: RACELAB_FUZZ_SEEDS_VALGRIND in CMakeLists.txt. */
#include "fuzz_common.h"
#include "adapter.h"
#include "vg_log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse_one(const char *xml, size_t len, const char *tool_name)
{
    rl_tool_id tool;
    RL_FUZZ_CHECK(rl_tool_from_name(tool_name, strlen(tool_name), &tool) == 0);

    rl_vg_log log;
    int rc = rl_vg_parse(xml, len, rl_adapter_for(tool)->kinds, &log);

    /* rl_vg_parse fills log whether or not the document was well-formed. */
    RL_FUZZ_CHECK(rc == 0 || rc == -1);
    RL_FUZZ_CHECK(rc == 0 ? log.parse_error == NULL : log.parse_error != NULL);
    RL_FUZZ_CHECK(memchr(log.tool, '\0', sizeof log.tool) != NULL);
    rl_fuzz_touch(log.parse_error);
    RL_FUZZ_CHECK(log.errorcounts >= -1);
    rl_fuzz_check_reports(&log.reports);

    rl_vg_log_clear(&log);
    RL_FUZZ_CHECK(log.reports.count == 0 && log.parse_error == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] == '<') {
        parse_one((const char *)data, size, "helgrind");
        parse_one((const char *)data, size, "drd");
    } else {
        parse_one((const char *)data + 1, size - 1, (data[0] & 1) ? "drd" : "helgrind");
    }
    return 0;
}
