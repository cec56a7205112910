#!/bin/sh
# The cost of the isolation audit (issue 7 acceptance): times one call-heavy
# component script (isolation_cost.wast.in: a child reads through a
# virtualizer N times from core code, 2 crossings per read) with
# `tandem wast --isolation=off` and `--isolation=full`, best of R runs each,
# and prints both times (wall and CPU) and the ratios full/off.
# Usage: isolation_cost.sh TANDEM [N=100000] [TIER=interp] [R=3]
# (target `bench-isolation-cost` runs it with the build's tandem; Release
# builds give the meaningful numbers).
set -eu
tandem=${1:?usage: isolation_cost.sh TANDEM [N] [TIER] [R]}
n=${2:-100000}
tier=${3:-interp}
runs=${4:-3}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Expected spin sum: offsets i mod 4096 below 256 hold the byte i mod 4096.
sum=$(awk -v n="$n" 'BEGIN { full = int(n / 4096); rest = n % 4096; if (rest > 256) rest = 256;
  printf "%d", (full * 32640 + rest * (rest - 1) / 2) % 4294967296 }')
sed -e "s/@N@/$n/g" -e "s/@SUM@/$sum/g" "$here/isolation_cost.wast.in" > "$work/isolation_cost.wast"

# One run: prints "WALL CPU" in seconds (CPU = user + sys, the steadier number
# on a loaded machine; it needs /usr/bin/time, else it is the wall time).
# Fails if the script does not pass.
measure() {
  mode=$1
  start=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    set -- /usr/bin/time -f "%U %S" -o "$work/cpu.txt"
  else
    set --
  fi
  rm -f "$work/cpu.txt"
  if ! "$@" "$tandem" wast --tier="$tier" --quiet --isolation="$mode" \
      "$work/isolation_cost.wast" > "$work/out.txt" 2>&1; then
    echo "isolation_cost: the script failed with --isolation=$mode:" >&2
    cat "$work/out.txt" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  cpu=$wall
  if [ -s "$work/cpu.txt" ]; then cpu=$(awk '{ printf "%.3f", $1 + $2 }' "$work/cpu.txt"); fi
  echo "$wall $cpu"
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b + 0 < a + 0) print b; else print a }'; }

# Runs alternate off/full so that load changes hit both modes alike; the best
# (smallest) time of each mode is kept.
off_wall=""
off_cpu=""
full_wall=""
full_cpu=""
i=0
while [ "$i" -lt "$runs" ]; do
  r=$(measure off) || exit 1
  off_wall=$(min "$off_wall" "${r% *}")
  off_cpu=$(min "$off_cpu" "${r#* }")
  r=$(measure full) || exit 1
  full_wall=$(min "$full_wall" "${r% *}")
  full_cpu=$(min "$full_cpu" "${r#* }")
  i=$((i + 1))
done
ratio() { awk -v f="$1" -v o="$2" 'BEGIN { printf "%.2f", (o > 0 ? f / o : 0) }'; }
echo "isolation cost: tier=$tier reads=$n crossings=$((2 * n)) best of $runs (wall / cpu seconds)"
echo "  --isolation=off   ${off_wall} / ${off_cpu}"
echo "  --isolation=full  ${full_wall} / ${full_cpu}"
echo "  ratio full/off    $(ratio "$full_wall" "$off_wall") / $(ratio "$full_cpu" "$off_cpu")"
