#!/usr/bin/env bash
# ci/fuzz-smoke.sh [TOTAL_SECONDS]: the CI fuzz smoke test of issue 9. Runs
# the five fuzz targets for at most TOTAL_SECONDS (default 300) of fuzzing in
# all, an equal share each, under ASan+UBSan. It uses the `asan` preset's
# build (GCC; the targets link fuzz/standalone_driver.cc: corpus replay plus
# random mutations, no coverage feedback), so CI builds once for the unit,
# lit and fuzz runs. Coverage-guided libFuzzer runs are ci/fuzz.sh (clang).
# Each target first replays fuzz/regressions/TARGET/ and its seed corpus
# (made once from the suites by tandem-fuzz-seeds).
# Build dir: $TANDEM_ASAN_BUILD (default build/asan; built if needed).
# Suites: $TANDEM_TESTSUITE (default ../shared/testsuite); without them the
# targets run from the regression inputs and mutations alone (said so).
# Exit status: non-zero if any target crashed, leaked, timed out or hit UB.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
total="${1:-300}"
build="${TANDEM_ASAN_BUILD:-build/asan}"
suite="${TANDEM_TESTSUITE:-$(cd .. && pwd)/shared/testsuite}"
targets=(decode_validate instantiate_run wat wast component)
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake --preset asan -B "$build" >/dev/null || exit 1
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}" tandem-fuzz-seeds \
  >/dev/null || exit 1

seed_root="$build/seeds"
if [ -d "$suite" ]; then
  [ -d "$seed_root/core-bin" ] ||
    ASAN_OPTIONS=detect_leaks=0 "$build/fuzz/tandem-fuzz-seeds" "$seed_root" "$suite" >/dev/null
else
  echo "fuzz-smoke: no suites at $suite: no seed corpora, regression inputs and mutations only"
fi

share=$((total / ${#targets[@]}))
[ "$share" -lt 5 ] && share=5
status=0
start=$SECONDS
for t in "${targets[@]}"; do
  case "$t" in
    decode_validate | instantiate_run) seeds=core-bin ;;
    wat) seeds=core-text ;;
    wast) seeds=wast ;;
    component) seeds=component ;;
  esac
  artifacts="$build/artifacts/$t/"
  mkdir -p "$artifacts"
  inputs=()
  [ -d "fuzz/regressions/$t" ] && inputs+=("fuzz/regressions/$t")
  [ -d "$seed_root/$seeds" ] && inputs+=("$seed_root/$seeds")
  log="$build/fuzz-smoke-$t.log"
  if "$build/fuzz/fuzz_$t" -max_total_time="$share" -timeout=10 -max_len=65536 \
    -artifact_prefix="$artifacts" "${inputs[@]}" >"$log" 2>&1; then
    echo "fuzz-smoke: $t ${share}s: $(grep -o 'Done .*' "$log"), ok"
  else
    echo "fuzz-smoke: $t FAILED (log $log):"
    grep -E 'ERROR|SUMMARY|runtime error|input written|timeout' "$log" | head -20
    status=1
  fi
done
echo "fuzz-smoke: $((SECONDS - start)) s of fuzzing, status $status"
exit $status
