#!/usr/bin/env bash
# ci/asan.sh: configure + build the `asan` preset (AddressSanitizer +
# UndefinedBehaviorSanitizer; every UBSan report is fatal through
# -fno-sanitize-recover=all), then run under it the CI set of issue 9:
# ctest -L unit, ctest -L robustness and the lit suite (which includes
# `tandem run` over the WASI C programs).
#   ci/asan.sh            the CI set above
#   ci/asan.sh --suites   also `tandem wast` over core/ (interp, jit,
#                         --differential), proposals/ (-W all) and
#                         component-model/, with their expected-failures
#                         lists; long (hours on 2 cores), not for CI
# Build dir: $TANDEM_ASAN_BUILD (default the preset's build/asan). Suites:
# $TANDEM_TESTSUITE (default ../shared/testsuite). Jobs: $TANDEM_JOBS (nproc).
# Exit status: non-zero if any step failed; a summary line per step at the end.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
build="${TANDEM_ASAN_BUILD:-build/asan}"
suite="${TANDEM_TESTSUITE:-$(cd .. && pwd)/shared/testsuite}"
jobs="${TANDEM_JOBS:-$(nproc)}"
suites=0
[ "${1:-}" = "--suites" ] && suites=1
# Leak checking stays on; UBSan halts at the first report with a stack trace.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

start=$SECONDS
if [ -z "${TANDEM_ASAN_BUILD:-}" ]; then
  bash ci/setup.sh asan || exit 1 # packages, configure, build (build/asan)
else
  cmake --preset asan -B "$build" >/dev/null || exit 1
  cmake --build "$build" -j "$jobs" || exit 1
fi
echo "== build: $((SECONDS - start)) s"

summary=()
step() {
  local name="$1" t0=$SECONDS
  shift
  echo "== $name"
  if "$@"; then
    summary+=("PASS $name ($((SECONDS - t0)) s)")
  else
    summary+=("FAIL $name ($((SECONDS - t0)) s)")
  fi
}
step "ctest -L unit" ctest --test-dir "$build" -L unit -j "$jobs" --output-on-failure
step "ctest -L robustness" ctest --test-dir "$build" -L robustness -j "$jobs" --output-on-failure
step "lit" ctest --test-dir "$build" -R '^lit$' --output-on-failure

wast() {
  local name="$1" tier="$2" dir="$3"
  shift 3
  local xf=spec-tests/expected-failures/$name.txt xf_args=()
  [ -f "$xf" ] && xf_args=(--expected-failures "$xf")
  "$build/harness/tandem" wast "--tier=$tier" --quiet -j "$jobs" "${xf_args[@]}" "$@" "$dir"
}
if [ "$suites" = 1 ]; then
  for tier in interp jit; do
    step "tandem wast --tier=$tier core/" wast core "$tier" "$suite/core"
    step "tandem wast --tier=$tier -W all proposals/" wast proposals "$tier" "$suite/proposals" -W all
    step "tandem wast --tier=$tier component-model/" \
      wast component-model "$tier" "$suite/component-model"
  done
  step "tandem wast --differential core/" \
    "$build/harness/tandem" wast --differential --quiet -j "$jobs" "$suite/core"
fi
printf '%s\n' "${summary[@]}"
echo "== total: $((SECONDS - start)) s"
! printf '%s\n' "${summary[@]}" | grep -q '^FAIL'
