#!/usr/bin/env bash
# ci/fuzz-smoke.sh [TOTAL_SECONDS]: the CI fuzz smoke test of issue 9, at most
# TOTAL_SECONDS (default 300) of wall time including the clang-14 ASan+UBSan
# fuzz build. Builds the five libFuzzer targets at once, makes the seed
# corpora from the suites (once), then gives each target an equal share of
# the time left (at least 10 s) through ci/fuzz.sh, which also replays the
# regression inputs in fuzz/regressions/TARGET/. Build dir: $TANDEM_FUZZ_BUILD
# (default build/fuzz; keep it between CI runs so the build is incremental).
# Without clang-14 it prints a message and exits 0 (skipped).
# Exit status: non-zero if any target found a crash, leak, timeout or UB.
set -uo pipefail
cd "$(dirname "$0")/.."
total="${1:-300}"
start=$SECONDS
build="${TANDEM_FUZZ_BUILD:-build/fuzz}"
export TANDEM_FUZZ_BUILD="$build"
targets=(decode_validate instantiate_run wat wast component)
if ! command -v clang++-14 >/dev/null; then
  echo "fuzz-smoke: clang++-14 not found; skipped"
  exit 0
fi
# Configure + build every target in one build (ci/fuzz.sh then finds them built).
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DTANDEM_FUZZ=ON -DTANDEM_WERROR=OFF \
    "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" >/dev/null || exit 1
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}" tandem-fuzz-seeds >/dev/null || exit 1
echo "fuzz-smoke: build done at $((SECONDS - start)) s"
left=$((total - (SECONDS - start) - 15))
share=$((left / ${#targets[@]}))
[ "$share" -lt 10 ] && share=10
status=0
for t in "${targets[@]}"; do
  log="$build/fuzz-smoke-$t.log"
  if ci/fuzz.sh "$t" "$share" >"$log" 2>&1; then
    echo "fuzz-smoke: $t ${share}s: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}') executions, ok"
  else
    echo "fuzz-smoke: $t FAILED (log $log):"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20
    status=1
  fi
done
echo "fuzz-smoke: total $((SECONDS - start)) s"
exit $status
