#!/usr/bin/env bash
# ci/matrix.sh [BUILD_DIR]: regenerate docs/matrix.md, the capability matrix
# of the catalogue under every TSan toolchain on PATH (tsan:all), Helgrind
# and DRD, from a real run on this machine. ci/install-deps.sh --all
# installs every toolchain Debian 12 packages. The page is this script's
# output, never edited by hand; a test checks its cells against the case
# files. Exits with racelab's status: anything but 0 means a case did not get
# what it declares under some toolchain (fix the case, then run this again).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
racelab="$build/racelab"
[ -x "$racelab" ] || { echo "matrix.sh: no $racelab (build racelab first)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
"$racelab" run --tool tsan:all --tool helgrind --tool drd --quiet --work "$work" \
    --json "$work/results.json" | tee "$work/run.txt" || status=${PIPESTATUS[0]}
"$racelab" matrix "$work/results.json" --markdown "$work/table.md"
toolchains=$(sed -n 's/^toolchains: //p' "$work/run.txt")
cases=$(($(grep -c '^| ' "$work/table.md") - 3)) # less the heading and the two score rows

{
    cat <<'EOF'
# Capability matrix

What each race and deadlock detector does with each case of the catalogue,
from a real run of every toolchain Debian 12 packages. Regenerate it with

    ci/install-deps.sh --all && ci/matrix.sh

which runs `racelab run --tool tsan:all --tool helgrind --tool drd` and
`racelab matrix`; do not edit it by hand (a test checks every cell against
the case files). The same table, sortable and with every job's report, is
`racelab run --matrix matrix.html` (or `racelab matrix results.json --html
matrix.html`); [ci.md](ci.md) builds it in CI.

A cell says what the tool did with what the program really does (the case's
`// bug:` line): on a program with a bug, **caught** (a report of the bug's
kind) or **missed**; on a correct program, **clean** or a **false alarm**.
Every cell here is also what the case declares for that toolchain (its
job passed); a regression would be marked FAIL. **Recall** is caught over
bugs, **precision** clean over correct programs, per toolchain, as
DataRaceBench reports tools. A miss or a false alarm is a measured fact about
the tool, explained in the case's notes, not a failure of racelab.

EOF
    echo "Measured on $(date -u +%Y-%m-%d), $cases cases; $toolchains."
    echo
    cat "$work/table.md"
} > docs/matrix.md
echo "matrix.sh: wrote docs/matrix.md ($cases cases)"
exit "$status"
