#!/usr/bin/env bash
# Installs the Debian 12 packages racelab needs, and only those missing.
# Non-interactive and safe to run again. Run as root, or with sudo available.
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
#   python3-jsonschema          a test checks results against docs/results.schema.json
set -euo pipefail

packages=(cmake g++ make pkg-config clang libclang-rt-14-dev llvm gcc libtsan2 valgrind
          libexpat1-dev libjansson-dev libgtest-dev python3-jsonschema)

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
    as_root=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
