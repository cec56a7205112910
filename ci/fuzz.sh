#!/usr/bin/env bash
# ci/fuzz.sh TARGET SECONDS: builds (if needed) and runs one libFuzzer target
# for SECONDS. TARGET: decode_validate | instantiate_run | wat | wast | component.
# Build dir: $TANDEM_FUZZ_BUILD (default build/fuzz), clang-14 with
# -fsanitize=fuzzer-no-link,address,undefined (UBSan findings abort). The seed
# corpus is generated once from the suites by tandem-fuzz-seeds; the working
# corpus grows in BUILD/corpus/TARGET, crash reproducers go to
# BUILD/artifacts/TARGET/. Regression inputs (fixed crashes) in
# fuzz/regressions/TARGET/ are run first on every invocation (read-only
# corpus). Extra arguments go to libFuzzer (e.g. -jobs=2).
# Exit status: libFuzzer's (0: no crash).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: ci/fuzz.sh decode_validate|instantiate_run|wat|wast|component SECONDS [libFuzzer args]" >&2
  exit 2
fi
target="${1#fuzz_}"
seconds="$2"
shift 2
build="${TANDEM_FUZZ_BUILD:-build/fuzz}"
suite="${TANDEM_TESTSUITE:-$(cd .. && pwd)/shared/testsuite}"
case "$target" in
  decode_validate | instantiate_run) seeds=core-bin; max_len=65536 ;;
  wat) seeds=core-text; max_len=65536 ;;
  wast) seeds=wast; max_len=65536 ;;
  component) seeds=component; max_len=65536 ;;
  *) echo "fuzz.sh: unknown target '$target'" >&2; exit 2 ;;
esac

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DTANDEM_FUZZ=ON -DTANDEM_WERROR=OFF \
    "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" >/dev/null
fi
# TANDEM_FUZZ_NO_BUILD=1: use the binaries as built (e.g. while another build
# of the same dir is running).
if [ -z "${TANDEM_FUZZ_NO_BUILD:-}" ]; then
  cmake --build "$build" -j "${TANDEM_FUZZ_JOBS:-$(nproc)}" --target "fuzz_$target" tandem-fuzz-seeds >/dev/null
fi

seed_root="$build/seeds"
if [ ! -d "$seed_root/$seeds" ] && [ -d "$suite" ]; then
  ASAN_OPTIONS=detect_leaks=0 "$build/fuzz/tandem-fuzz-seeds" "$seed_root" "$suite"
fi
corpus="$build/corpus/$target"
artifacts="$build/artifacts/$target/"
mkdir -p "$corpus" "$artifacts" "$seed_root/$seeds"
regressions=()
[ -d "fuzz/regressions/$target" ] && regressions=("fuzz/regressions/$target")
# The JIT's trap handler and the engine's own SIGSEGV handling are not in
# these targets (interpreter only), so ASan keeps its default signal handling.
exec "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
  -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$artifacts" "$@" \
  "$corpus" "$seed_root/$seeds" "${regressions[@]}"
