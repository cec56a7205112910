#!/usr/bin/env bash
# ci/difffuzz.sh N [SEED]: differential fuzzing of the interpreter against the
# JIT. Generates N modules with binaryen (`wasm-opt -ttf --denan`, from random
# bytes) restricted to features both binaryen 108 and Tandem implement the same
# way, and runs them through tandem-difffuzz (fuzz/difffuzz.cc), which compares
# logs, results, traps and exported state per export. Divergent modules are
# copied to fuzz/findings/ with a note. Build dir: $TANDEM_DIFFFUZZ_BUILD
# (default build/difffuzz, Release). Exit status 1 if any divergence.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
seed="${2:-$RANDOM}"
build="${TANDEM_DIFFFUZZ_BUILD:-build/difffuzz}"
findings="${TANDEM_FINDINGS:-fuzz/findings}"
# binaryen 108 features whose encoding and semantics match wasm 3.0. Left out:
# exception-handling (binaryen 108 emits the legacy try/catch the interpreter
# lacks), gc and typed-function-references (pre-standard opcodes in 108),
# reference-types (108 still treats funcref as a subtype of externref/anyref:
# its modules fail validation), threads (not implemented), memory64 and
# relaxed-simd (relaxed ops may differ across tiers by design).
features=(--enable-sign-ext --enable-nontrapping-float-to-int --enable-simd
  --enable-bulk-memory --enable-mutable-globals --enable-multivalue
  --enable-tail-call --enable-extended-const)

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTANDEM_FUZZ=ON >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target tandem-difffuzz >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$n" "$seed" <<'PY'
import os, random, sys
work, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
for i in range(n):
    with open(os.path.join(work, "in%05d.bin" % i), "wb") as f:
        f.write(bytes(rng.getrandbits(8) for _ in range(rng.randint(256, 8192))))
PY
echo "difffuzz: $n modules, seed $seed"
status=0
total_div=0
for ((start = 0; start < n; start += 100)); do
  files=()
  for ((i = start; i < start + 100 && i < n; ++i)); do
    in="$(printf '%s/in%05d.bin' "$work" "$i")"
    out="$(printf '%s/s%s_m%05d.wasm' "$work" "$seed" "$i")"
    if wasm-opt "$in" -ttf --denan "${features[@]}" -o "$out" 2>/dev/null; then files+=("$out"); fi
  done
  ((${#files[@]})) || continue
  if ! "$build/fuzz/tandem-difffuzz" --keep "$findings" "${files[@]}" >"$work/report.txt"; then
    status=1
  fi
  grep -A2 '^DIVERGENCE' "$work/report.txt" || true
  tail -1 "$work/report.txt"
  rm -f "${files[@]}"
done
exit $status
