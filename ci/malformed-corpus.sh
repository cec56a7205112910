#!/usr/bin/env bash
# ci/malformed-corpus.sh [FLIPS] [BUILD]: the long malformed-corpus run of
# issue 9: every module of every .wast in the suites (core, proposals,
# component-model), cut at every length plus FLIPS (default 64) random bit
# flips each, through decode + validate; each input must be a clean error or
# a valid result within 1 s. Builds tandem-malformed-corpus in BUILD (default
# build/release, the release preset). Use an asan-preset BUILD to also catch
# memory errors (inputs get the 1 s limit scaled by --limit, see below).
# Exit status: 0 when every input finished in time (a crash is non-zero).
set -euo pipefail
cd "$(dirname "$0")/.."
flips="${1:-64}"
build="${2:-build/release}"
suite="${TANDEM_TESTSUITE:-$(cd .. && pwd)/shared/testsuite}"
limit=1
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake --preset release -B "$build" >/dev/null
fi
grep -q 'TANDEM_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" && limit=8
cmake --build "$build" -j "$(nproc)" --target tandem-malformed-corpus >/dev/null
exec "$build/spec-tests/robustness/tandem-malformed-corpus" --flips "$flips" --limit "$limit" \
  "$suite/core" "$suite/proposals" "$suite/component-model"
