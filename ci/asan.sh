#!/usr/bin/env bash
# ci/asan.sh: configure + build the `asan` preset (AddressSanitizer +
# UndefinedBehaviorSanitizer; every UBSan report is fatal through
# -fno-sanitize-recover=all), then run under it: ctest -L unit, ctest -L
# robustness, the lit suite (which includes `tandem run` over the WASI C
# programs), and `tandem wast` over the whole corpus: core/ on interp, jit,
# tiered and --differential, proposals/ (-W all) and component-model/ on
# interp, jit and --differential, with their expected-failures lists, and
# the project's own scripts (spec-tests/{component,isolation,wast}) on
# interp, jit and --differential (about two minutes on 2 cores in all).
# Without the suites that part is skipped, said so.
# Build dir: $TANDEM_ASAN_BUILD (default the preset's build/asan). Suites:
# $TANDEM_TESTSUITE (default ../shared/testsuite). Jobs: $TANDEM_JOBS (nproc).
# Exit status: non-zero if any step failed; a summary line per step at the end.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
build="${TANDEM_ASAN_BUILD:-build/asan}"
suite="${TANDEM_TESTSUITE:-$(cd .. && pwd)/shared/testsuite}"
jobs="${TANDEM_JOBS:-$(nproc)}"
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
  local xf=spec-tests/expected-failures/$name.txt args=()
  [ -f "$xf" ] && args=(--expected-failures "$xf")
  if [ "$tier" = differential ]; then args+=(--differential); else args+=("--tier=$tier"); fi
  "$build/harness/tandem" wast --quiet -j "$jobs" "${args[@]}" "$@" "$dir"
}
if [ -d "$suite/core" ]; then
  for tier in interp jit tiered differential; do
    step "tandem wast ($tier) core/" wast core "$tier" "$suite/core"
  done
  for tier in interp jit differential; do
    step "tandem wast ($tier) -W all proposals/" wast proposals "$tier" "$suite/proposals" -W all
    step "tandem wast ($tier) component-model/" \
      wast component-model "$tier" "$suite/component-model"
  done
else
  echo "== suites: none at $suite (set TANDEM_TESTSUITE): the corpus run is SKIPPED"
  summary+=("SKIPPED corpus run (no suites at $suite)")
fi
# The project's own scripts (components, isolation, core extras).
for tier in interp jit differential; do
  step "tandem wast ($tier) spec-tests/" wast local "$tier" spec-tests/component spec-tests/isolation \
    spec-tests/wast
done
printf '%s\n' "${summary[@]}"
echo "== total: $((SECONDS - start)) s"
! printf '%s\n' "${summary[@]}" | grep -q '^FAIL'
