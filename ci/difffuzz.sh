#!/usr/bin/env bash
# ci/difffuzz.sh N [SEED]: differential fuzzing. Generates N modules with
# binaryen (`wasm-opt -ttf --denan`, from random bytes) restricted to the
# features both binaryen 108 and Tandem implement the same way, and runs them
# through tandem-difffuzz (fuzz/difffuzz.cc): the interpreter against the JIT
# and against tiered execution (random thresholds, per-function random
# tiers), and the interpreter against binaryen's own `--fuzz-exec` and
# against node's V8 (fuzz/difffuzz_node.mjs) when node is installed. It
# compares logging-import calls, results, traps and exported memory/global
# hashes. Divergent modules are copied to fuzz/findings/ with a note.
# Build dir: $TANDEM_DIFFFUZZ_BUILD (default build/difffuzz, Release), or a
# ready binary in $TANDEM_DIFFFUZZ_BIN.
# TANDEM_DIFFFUZZ_NODE=0 skips node; TANDEM_DIFFFUZZ_BINARYEN=0 skips the
# binaryen comparison. Exit status 1 if any divergence.
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
# Batches alternate: even batches enable SIMD and compare the tandem tiers
# only; odd batches leave SIMD out and also compare with binaryen and node.
# Why: --denan removes NaNs from scalar values only, and the spec leaves NaN
# payloads and signs open, so a v128 NaN lane stored to memory and read back
# as integers legitimately differs between engines (binaryen makes positive
# canonical NaNs, x86 negative ones; fuzz/findings/README.md).
scalar_features=(--enable-sign-ext --enable-nontrapping-float-to-int
  --enable-bulk-memory --enable-mutable-globals --enable-multivalue
  --enable-tail-call --enable-extended-const)
features=("${scalar_features[@]}" --enable-simd)

# TANDEM_DIFFFUZZ_BIN=PATH: use that tandem-difffuzz binary as it is (no build).
bin="${TANDEM_DIFFFUZZ_BIN:-}"
if [ -z "$bin" ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTANDEM_FUZZ=ON >/dev/null
  fi
  cmake --build "$build" -j "$(nproc)" --target tandem-difffuzz >/dev/null
  bin="$build/fuzz/tandem-difffuzz"
fi

refs=()
if [ "${TANDEM_DIFFFUZZ_BINARYEN:-1}" != 0 ]; then
  refs+=(--binaryen "wasm-opt ${scalar_features[*]} --fuzz-exec-before")
fi
if [ "${TANDEM_DIFFFUZZ_NODE:-1}" != 0 ] && command -v node >/dev/null; then
  refs+=(--node "timeout 900 node --no-warnings $PWD/fuzz/difffuzz_node.mjs")
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "difffuzz: $n modules, seed $seed"
status=0
for ((start = 0; start < n; start += 100)); do
  files=()
  python3 - "$work" "$start" "$((start + 100 < n ? start + 100 : n))" "$seed" <<'PY'
import os, random, sys
work, lo, hi, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for i in range(lo, hi):
    rng = random.Random(seed * 1000003 + i)
    with open(os.path.join(work, "in%05d.bin" % i), "wb") as f:
        f.write(bytes(rng.getrandbits(8) for _ in range(rng.randint(256, 8192))))
PY
  if (((start / 100) % 2 == 0)); then
    batch_features=("${features[@]}")
    batch_refs=()
  else
    batch_features=("${scalar_features[@]}")
    batch_refs=("${refs[@]}")
  fi
  for ((i = start; i < start + 100 && i < n; ++i)); do
    in="$(printf '%s/in%05d.bin' "$work" "$i")"
    out="$(printf '%s/s%s_m%05d.wasm' "$work" "$seed" "$i")"
    if wasm-opt "$in" -ttf --denan "${batch_features[@]}" -o "$out" 2>/dev/null; then
      files+=("$out")
    fi
    rm -f "$in"
  done
  ((${#files[@]})) || continue
  if ! "$bin" --seed "$((seed * 1000 + start / 100))" --keep "$findings" \
    ${batch_refs[@]+"${batch_refs[@]}"} "${files[@]}" >"$work/report.txt"; then
    status=1
  fi
  grep -A4 '^DIVERGENCE' "$work/report.txt" || true
  echo "[$((start + ${#files[@]}))/$n] $(tail -1 "$work/report.txt")"
  rm -f "${files[@]}"
done
exit $status
