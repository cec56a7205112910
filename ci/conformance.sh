#!/usr/bin/env bash
# The main job: set up, build the release preset, and run the conformance
# suites with `tandem wast` on each tier, printing a summary per suite and tier.
# Usage: ci/conformance.sh [TIER...]   (TIER: interp, jit, tiered or differential;
# default: interp, jit and differential)
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
if ((${#tiers[@]} == 0)); then tiers=(interp jit differential); fi
summary=()
status=0
mkdir -p build/release/reports
for tier in "${tiers[@]}"; do
  for s in core proposals component-model; do
    echo "== $s, --tier=$tier"
    # One expected-failures list per suite, with the tiers of each entry.
    xf="spec-tests/expected-failures/$s.txt"
    if [ "$tier" = differential ]; then
      # Both tiers in separate stores, compared after every directive.
      args=(--differential --tier=jit)
    else
      args=(--tier="$tier")
    fi
    args+=(-j "$(nproc)" --quiet --report "build/release/reports/$s-$tier.json")
    [ -f "$xf" ] && args+=(--expected-failures "$xf")
    # The proposals need their features switched on, as the ctest registration does.
    [ "$s" = proposals ] && args+=(-W all)
    out=$("$tandem" wast "${args[@]}" "$suite/$s")
    rc=$?
    printf '%s\n' "$out"
    ((rc == 0)) || status=1
    summary+=("$(printf '%-16s %-7s %s' "$s" "$tier" "$(printf '%s\n' "$out" | tail -n 1)")")
  done
done
echo
echo "== Summary (suite, tier, result)"
printf '%s\n' "${summary[@]}"
python3 ci/summarize.py --suite-root "$suite" --stage "Stage A=spec-tests/stages/stage-a.txt" \
  --stage "Stage B=spec-tests/stages/stage-b.txt" build/release/reports/*.json || true
exit $status
