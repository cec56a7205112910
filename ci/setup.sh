#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine: installs the Debian packages
# Tandem needs (only the missing ones), then configures and builds one preset.
# Usage: ci/setup.sh [PRESET]   (PRESET: dev | release | asan; default dev)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"

packages=(
  cmake ninja-build g++ python3 git
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  llvm-14-tools clang-format
  wabt binaryen libasmjit-dev
  clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32
  nodejs
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
