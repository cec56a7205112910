#!/usr/bin/env bash
# The main job: set up, build the release preset, and run the conformance
# suites with `tandem wast` on each tier, printing a summary per suite and tier.
# Usage: ci/conformance.sh [TIER...]   (default: every tier the engine has)
set -uo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh release || exit 2
suite="${TANDEM_TESTSUITE:-$(cd .. && pwd)/shared/testsuite}"
if [ ! -d "$suite/core" ]; then
  echo "conformance: no suites at $suite (set TANDEM_TESTSUITE; see README.md)" >&2
  exit 2
fi
tandem=build/release/harness/tandem
tiers=("$@")
if ((${#tiers[@]} == 0)); then tiers=(interp jit); fi
status=0
mkdir -p build/release/reports
for tier in "${tiers[@]}"; do
  if ! "$tandem" wast --tier="$tier" --check-tier >/dev/null 2>&1; then
    echo "== --tier=$tier: not available in this build (see docs/status.md); skipped"
    continue
  fi
  for s in core proposals component-model; do
    echo "== $s, --tier=$tier"
    xf="spec-tests/expected-failures/$s-$tier.txt"
    args=(--tier="$tier" -j "$(nproc)" --quiet --report "build/release/reports/$s-$tier.json")
    [ -f "$xf" ] && args+=(--expected-failures "$xf")
    "$tandem" wast "${args[@]}" "$suite/$s" || status=1
  done
done
exit $status
