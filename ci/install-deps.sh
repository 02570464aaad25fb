#!/usr/bin/env bash
# Installs what racelab needs, and only what is missing: Debian 12 packages,
# and one npm package for a test. Non-interactive and safe to run again. Run
# as root, or with sudo available.
#
#   cmake g++ make pkg-config   build the harness and its tests
#   clang libclang-rt-14-dev    the default TSan toolchain (clang and its TSan runtime);
#                               also the harness's own compiler and its libFuzzer
#   llvm                        llvm-symbolizer: TSan's frames get files and lines
#   gcc libtsan2                GCC and its TSan runtime (tsan:gcc-12)
#   valgrind                    Helgrind and DRD
#   libexpat1-dev               reads Valgrind's XML logs
#   libjansson-dev              writes the JSON results
#   libgtest-dev                the test suite (ctest runs it)
#   python3-jsonschema          tests check results and SARIF against their schemas
#   python3-junitparser         a test reads the JUnit report as a JUnit consumer does
#   npm                         installs the SARIF Multitool (below), when no npm is there
#   stress-ng                   keeps the cores busy while cases are measured (ci/measure.py)
#
#   npm packages, pinned, into ci/.tools (not committed), for tests:
#   @microsoft/sarif-multitool  validates the SARIF report, and ships the SARIF 2.1.0 schema
#   @action-validator/cli       checks ci/github-actions.yml against GitHub's workflow schema
#   gitlab-ci-local             checks ci/gitlab-ci.yml against GitLab's CI schema
#
# With --all, also every other TSan toolchain Debian 12 packages, for
# --tool tsan:all and the capability matrix: clang 13, 15, 16 and 19 with
# their TSan runtimes and symbolizers, and GCC 11 with its runtime.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make pkg-config clang libclang-rt-14-dev llvm gcc libtsan2 valgrind
          libexpat1-dev libjansson-dev libgtest-dev python3-jsonschema python3-junitparser
          stress-ng)
# npm: Debian's package, unless the machine has one already (Node.js's own
# packages bring theirs, and conflict with Debian's).
command -v npm >/dev/null || packages+=(npm)
if [ "${1:-}" = "--all" ]; then
    # The TSan runtime is in libclang-common-N-dev up to 15 (13's here), in
    # libclang-rt-N-dev from 16 (and Debian's 14).
    for v in 13 15; do
        packages+=("clang-$v" "libclang-common-$v-dev" "llvm-$v")
    done
    for v in 16 19; do
        packages+=("clang-$v" "libclang-rt-$v-dev" "llvm-$v")
    done
    packages+=(gcc-11 libtsan0)
fi

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
fi
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
else
    if [ ${#as_root[@]} -ne 0 ] && ! command -v sudo >/dev/null; then
        echo "install-deps: run as root (missing: ${missing[*]})" >&2
        exit 1
    fi
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -q
    "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The npm tools, pinned, into the checkout's ci/.tools (not committed).
npm_tools=(@microsoft/sarif-multitool@5.7.0 @action-validator/cli@0.6.0 @action-validator/core@0.6.0
           gitlab-ci-local@4.52.0)
multitool=ci/.tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -x "$multitool" ] || [ ! -x ci/.tools/node_modules/.bin/action-validator ] ||
   [ ! -x ci/.tools/node_modules/.bin/gitlab-ci-local ]; then
    echo "install-deps: installing ${npm_tools[*]} into ci/.tools"
    npm install --silent --no-audit --no-fund --prefix ci/.tools "${npm_tools[@]}"
    chmod u+x "$multitool"
fi
