// The x86-64 instruction-set level the JIT may use for SIMD code, chosen
// once per process from CPUID (and XGETBV for AVX state) the first time it
// is asked for.
//
// Levels (each includes the ones below):
//   Baseline  SSE2 only (every x86-64 CPU); v128 operators that need more,
//             and clz/ctz/popcnt, call their helpers (runtime_calls.h)
//   Sse41     SSE3, SSSE3 and SSE4.1 (SSE4.2 too when present: pcmpgtq),
//             and POPCNT, LZCNT and TZCNT (BMI1) where the CPU has them
//   Avx2      AVX and AVX2 with OS support for the ymm state: VEX encodings
//             (three operands, unaligned memory operands)
// TANDEM_JIT_CPU=baseline|sse41|avx2 in the environment lowers the level
// (never raises it above what the CPU has), to test the fallback paths.
// Invariant: the level only changes through set_jit_cpu_level_for_testing,
// and each function is compiled under one level.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tandem::jit {

enum class CpuLevel : uint8_t { Baseline, Sse41, Avx2 };

// What the CPU (and OS) supports, from CPUID/XGETBV.
struct CpuFeatures {
  bool sse3 = false, ssse3 = false, sse41 = false, sse42 = false, popcnt = false;
  bool lzcnt = false, bmi1 = false;            // bmi1: tzcnt
  bool avx = false, avx2 = false, fma = false; // avx: CPU and OS (XCR0 xmm|ymm)
  CpuLevel level = CpuLevel::Baseline;         // the highest level all of whose parts are here
};

// The instructions JIT code may use: the detected level, lowered by the
// environment or the test override.
struct JitIsa {
  CpuLevel level = CpuLevel::Baseline;
  bool ssse3 = false, sse41 = false, sse42 = false, avx = false;
  bool popcnt = false, lzcnt = false, bmi1 = false;
};

// Detected once (thread-safe).
const CpuFeatures& cpu_features();
// The effective instruction set for code compiled from now on.
JitIsa jit_isa();
// Parses a TANDEM_JIT_CPU value; nullopt when unknown.
std::optional<CpuLevel> parse_cpu_level(std::string_view s);
std::string_view cpu_level_name(CpuLevel l);
// Tests only: caps the level (nullopt: back to the environment's choice).
void set_jit_cpu_level_for_testing(std::optional<CpuLevel> cap);

} // namespace tandem::jit
