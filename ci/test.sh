#!/usr/bin/env bash
# The test command: set up, build the dev preset, then run every registered
# test (unit, lit, and the conformance suites with their expected-failures
# lists) through ctest. Ends with ctest's summary; exit status is ctest's.
# Extra arguments go to ctest (e.g. -L unit, -R core/i32).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${TANDEM_PRESET:-dev}"
bash ci/setup.sh "$preset"
ctest --preset "$preset" -j "$(nproc)" --timeout 600 "$@"
