#!/usr/bin/env bash
# Whole-suite timings against wabt (not a test; prints numbers only).
#  1. Stage A (spec-tests/stages/stage-a.txt): `tandem wast --tier=interp -j1`
#     over every listed file, vs wabt's wast2json + spectest-interp over the
#     files wast2json parses (its assertion count from "N/M tests passed"),
#     and tandem again over exactly that subset.
#  2. Parse + encode of every core/**/*.wast: tandem_wast_encode_timer (one
#     process) vs wast2json (one process per file, writing its .json/.wasm
#     to a temp dir), over the files wast2json parses, and tandem over all.
# Usage: bench/suite_timing.sh BUILD_DIR [TESTSUITE_DIR]
# BUILD_DIR needs the targets `tandem` and `tandem_wast_encode_timer` (Release).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: bench/suite_timing.sh BUILD_DIR [TESTSUITE_DIR]}" && pwd)
suite=${2:-${TANDEM_TESTSUITE:-$here/../../shared/testsuite}}
suite=$(cd "$suite" && pwd)
tandem=$build/harness/tandem
encoder=$build/bench/tandem_wast_encode_timer
for tool in "$tandem" "$encoder"; do
  [[ -x $tool ]] || { echo "missing $tool: build it in $build" >&2; exit 2; }
done
for tool in wast2json spectest-interp; do
  command -v $tool >/dev/null || { echo "wabt's $tool is not installed" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every timing is "real R s, cpu C s" (cpu = user + sys of all child
# processes): on a loaded shared box the CPU figure is the comparable one.
TIMEFORMAT='%R %U %S'
timed() { # timed OUT_VAR command... ; the command's stdout goes to $tmp/last.out
  local t
  t=$( { time "${@:2}" >"$tmp/last.out" 2>&1; } 2>&1 | tail -n 1)
  printf -v "$1" '%s' "$(awk '{ printf "real %.2f s, cpu %.2f s", $1, $2 + $3 }' <<<"$t")"
}
wabt_convert() { # wabt_convert DIR FILE... : wast2json each file; parsable ones to $tmp/ok.txt
  local dir=$1 f name
  shift
  : >"$tmp/ok.txt"
  for f in "$@"; do
    name=$(echo "$f" | tr '/' '_')
    if wast2json "$f" -o "$dir/$name.json" >/dev/null 2>&1; then echo "$f" >>"$tmp/ok.txt"; fi
  done
}
wabt_interp() { # wabt_interp DIR FILE... : spectest-interp each file's JSON; sums to $tmp/counts.txt
  local dir=$1 f name line passed=0 total=0
  shift
  for f in "$@"; do
    name=$(echo "$f" | tr '/' '_')
    line=$( (cd "$dir" && spectest-interp "$name.json" 2>/dev/null) | grep -E '^[0-9]+/[0-9]+ tests passed' || true)
    if [[ $line =~ ^([0-9]+)/([0-9]+) ]]; then
      passed=$((passed + BASH_REMATCH[1])) total=$((total + BASH_REMATCH[2]))
    fi
  done
  echo "$passed/$total" >"$tmp/counts.txt"
}
wabt_encode_only() { # wast2json each file into a scratch dir, deleting outputs as it goes
  local f name
  for f in "$@"; do
    name=$(echo "$f" | tr '/' '_')
    wast2json "$f" -o "$tmp/enc/$name.json" >/dev/null 2>&1 || true
    rm -f "$tmp/enc/"*
  done
}

cd "$suite"
mapfile -t stage_a < <(grep -v '^\s*#' "$here/../spec-tests/stages/stage-a.txt" | grep -v '^\s*$')

echo "== Stage A: ${#stage_a[@]} files (testsuite: $suite)"
timed t_all "$tandem" wast --tier=interp -j1 "${stage_a[@]}"
echo "tandem wast --tier=interp -j1, all files: $t_all; $(tail -n 1 "$tmp/last.out")"

mkdir -p "$tmp/a" "$tmp/enc"
timed t_conv wabt_convert "$tmp/a" "${stage_a[@]}"
mapfile -t wabt_ok <"$tmp/ok.txt"
timed t_interp wabt_interp "$tmp/a" "${wabt_ok[@]}"
echo "wabt: wast2json parses ${#wabt_ok[@]}/${#stage_a[@]} files; wast2json: $t_conv;" \
     "spectest-interp: $t_interp; assertions passed/total: $(cat "$tmp/counts.txt")"
timed t_sub "$tandem" wast --tier=interp -j1 "${wabt_ok[@]}"
echo "tandem on the same ${#wabt_ok[@]} files: $t_sub; $(tail -n 1 "$tmp/last.out")"

mapfile -t core < <(find core -name '*.wast' | sort)
echo
echo "== Parse + encode: ${#core[@]} core/**/*.wast files"
timed t_conv wabt_convert "$tmp/enc" "${core[@]}"
rm -f "$tmp/enc/"*
mapfile -t wabt_core <"$tmp/ok.txt"
echo "wast2json parses ${#wabt_core[@]}/${#core[@]} files"
timed t_w wabt_encode_only "${wabt_core[@]}"
echo "wast2json, the ${#wabt_core[@]} files it parses (one process per file, writes .json/.wasm): $t_w"
timed t_t "$encoder" "${wabt_core[@]}"
echo "tandem_wast_encode_timer, same ${#wabt_core[@]} files (one process): $t_t; $(cat "$tmp/last.out")"
timed t_t "$encoder" "${core[@]}"
echo "tandem_wast_encode_timer, all ${#core[@]} files: $t_t; $(cat "$tmp/last.out")"
