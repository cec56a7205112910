#!/usr/bin/env bash
# ci/asan.sh: configure + build the `asan` preset (AddressSanitizer +
# UndefinedBehaviorSanitizer, UB aborts), then run under it: ctest -L unit,
# the robustness tests, the lit suite, and `tandem wast` over core/ on the
# interpreter and the JIT (with their expected-failures lists).
# Build dir: $TANDEM_ASAN_BUILD (default the preset's build/asan).
# Exit status: non-zero if any step failed; a summary line per step at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
build="${TANDEM_ASAN_BUILD:-build/asan}"
suite="${TANDEM_TESTSUITE:-$(cd .. && pwd)/shared/testsuite}"
jobs="$(nproc)"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

cmake --preset asan -B "$build" >/dev/null || exit 1
cmake --build "$build" -j "$jobs" || exit 1

summary=()
step() {
  local name="$1"
  shift
  echo "== $name"
  if "$@"; then summary+=("PASS $name"); else summary+=("FAIL $name"); fi
}
step "ctest -L unit" ctest --test-dir "$build" -L unit -j "$jobs" --output-on-failure
step "ctest -L robustness" ctest --test-dir "$build" -L robustness -j "$jobs" --output-on-failure
step "lit" ctest --test-dir "$build" -R '^lit$' --output-on-failure
for tier in interp jit; do
  xf=spec-tests/expected-failures/core-$tier.txt
  xf_args=()
  [ -f "$xf" ] && xf_args=(--expected-failures "$xf")
  step "tandem wast --tier=$tier core/" \
    "$build/harness/tandem" wast --tier="$tier" --quiet -j "$jobs" "${xf_args[@]}" "$suite/core"
done
printf '%s\n' "${summary[@]}"
! printf '%s\n' "${summary[@]}" | grep -q '^FAIL'
