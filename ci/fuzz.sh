#!/usr/bin/env bash
# ci/fuzz.sh: the long fuzz run of racelab's parsers (harness/fuzzers/README.md).
#
#   ci/fuzz.sh [SECONDS] [BUILD_DIR]
#
#   SECONDS    how long each target fuzzes (default 3600)
#   BUILD_DIR  a build directory (default: build-fuzz in this checkout). It is
#              configured with clang when it has no CMakeCache.txt yet, and the
#              three targets are (re)built in it either way.
#
# Environment:
#   FUZZ_JOBS=N           targets fuzzing at once (default 1: one after another;
#                         each is one libFuzzer process, so N=2 on two cores)
#   FUZZ_TARGETS="..."    which targets (default: fuzz_tsan_log fuzz_valgrind_xml
#                         fuzz_case_file)
#   CC, CXX               compilers for a new BUILD_DIR (default clang, clang++)
#
# Each target keeps its corpus in BUILD_DIR/fuzz-corpus/TARGET (kept between
# runs, and topped up with the seeds from the fixtures every run), writes the
# inputs that crash, leak or time out to BUILD_DIR/fuzz-artifacts/TARGET/ and
# its output to BUILD_DIR/fuzz-logs/TARGET.log. At the end it prints, per
# target, the executions (libFuzzer's -print_final_stats) and the corpus size.
#
# Exit status: 0 when no target left an artifact; 1 when any artifact exists
# (from this run or an earlier one: remove it once looked at) or a target
# failed otherwise; 2 for bad usage or a failed build.
set -euo pipefail

usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit "${1:-2}"; }
[ $# -le 2 ] || usage
case "${1:-}" in -h|--help) usage 0 ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-3600}
build=${2:-$root/build-fuzz}
jobs=${FUZZ_JOBS:-1}
read -r -a targets <<< "${FUZZ_TARGETS:-fuzz_tsan_log fuzz_valgrind_xml fuzz_case_file}"
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: SECONDS must be a positive number, not '$seconds'" >&2; exit 2; }
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: FUZZ_JOBS must be a positive number" >&2; exit 2; }

# ---- Build -------------------------------------------------------------------
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_COMPILER="${CC:-clang}" -DCMAKE_CXX_COMPILER="${CXX:-clang++}" \
        || { echo "fuzz.sh: cannot configure $build" >&2; exit 2; }
fi
build=$(cd "$build" && pwd)
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}" \
    || { echo "fuzz.sh: the build failed" >&2; exit 2; }

# A setting of the file CMakeLists.txt writes for each target.
setting() {
    sed -n "s/^set($2 \[==\[\(.*\)\]==\])\$/\1/p" "$build/harness/fuzzers/$1.cmake"
}
for t in "${targets[@]}"; do
    if [ ! -f "$build/harness/fuzzers/$t.cmake" ]; then
        echo "fuzz.sh: no target $t in $build" >&2
        exit 2
    fi
    if [ "$(setting "$t" FUZZ_ENGINE)" != libfuzzer ]; then
        echo "fuzz.sh: $build builds the fuzz targets without libFuzzer (configure it with clang)" >&2
        exit 2
    fi
done

# ---- Fuzz --------------------------------------------------------------------
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$build/fuzz-logs"

run_target() {
    local t=$1
    local corpus="$build/fuzz-corpus/$t" artifacts="$build/fuzz-artifacts/$t"
    local log="$build/fuzz-logs/$t.log" dict exe
    mkdir -p "$corpus" "$artifacts"
    cmake -DCONFIG="$build/harness/fuzzers/$t.cmake" -DMODE=seed -DCORPUS_DIR="$corpus" \
        -P "$root/harness/fuzzers/run_fuzz.cmake" > "$log" 2>&1
    exe=$(setting "$t" FUZZ_EXE)
    dict=$(setting "$t" FUZZ_DICT)
    local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
                -artifact_prefix="$artifacts/")
    [ -z "$dict" ] || args+=(-dict="$dict")
    echo "fuzz.sh: $t for ${seconds}s (log: $log)"
    local rc=0
    "$exe" "${args[@]}" "$corpus" >> "$log" 2>&1 || rc=$?
    echo "$rc" > "$build/fuzz-logs/$t.rc"
    echo "fuzz.sh: $t ended (exit $rc)"
}

running=0
for t in "${targets[@]}"; do
    rm -f "$build/fuzz-logs/$t.rc"
    if [ "$jobs" -eq 1 ]; then
        run_target "$t"
    else
        run_target "$t" &
        running=$((running + 1))
        if [ "$running" -ge "$jobs" ]; then
            wait -n || true
            running=$((running - 1))
        fi
    fi
done
wait

# ---- Report ------------------------------------------------------------------
status=0
printf '\n%-20s %8s %14s %8s %14s\n' target exit executions exec/s corpus
for t in "${targets[@]}"; do
    log="$build/fuzz-logs/$t.log"
    rc=$(cat "$build/fuzz-logs/$t.rc" 2>/dev/null || echo '?')
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    files=$(find "$build/fuzz-corpus/$t" -type f | wc -l)
    kbytes=$(find "$build/fuzz-corpus/$t" -type f -exec cat {} + | wc -c | awk '{ printf "%d", ($1 + 1023) / 1024 }')
    printf '%-20s %8s %14s %8s %14s\n' "$t" "$rc" "${execs:-?}" "${speed:-?}" "$files (${kbytes}K)"
    [ "$rc" = 0 ] || status=1
done
artifacts=$(find "$build/fuzz-artifacts" -type f 2>/dev/null | sort)
if [ -n "$artifacts" ]; then
    echo
    echo "fuzz.sh: inputs that crashed, leaked or timed out (reproduce: BUILD_DIR/harness/fuzzers/TARGET FILE):"
    while IFS= read -r f; do echo "  $f"; done <<< "$artifacts"
    status=1
fi
exit "$status"
