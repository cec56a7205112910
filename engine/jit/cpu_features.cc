// CPU feature detection for the JIT (see cpu_features.h): CPUID leaves 1,
// 7 and 0x80000001, and XGETBV for the OS-enabled register state.
#include "jit/cpu_features.h"

#include <atomic>
#include <cpuid.h>
#include <cstdio>
#include <cstdlib>

namespace tandem::jit {
namespace {

// XCR0 (only called when CPUID reports OSXSAVE).
uint64_t read_xcr0() {
  uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t(hi) << 32) | lo;
}

CpuFeatures detect() {
  CpuFeatures f;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
  f.sse3 = ecx & (1u << 0);
  f.ssse3 = ecx & (1u << 9);
  f.fma = ecx & (1u << 12);
  f.sse41 = ecx & (1u << 19);
  f.sse42 = ecx & (1u << 20);
  f.popcnt = ecx & (1u << 23);
  bool osxsave = ecx & (1u << 27);
  bool avx_cpu = ecx & (1u << 28);
  // AVX needs the OS to save xmm (bit 1) and ymm (bit 2) state.
  f.avx = avx_cpu && osxsave && (read_xcr0() & 6) == 6;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
    f.bmi1 = ebx & (1u << 3);
    f.avx2 = f.avx && (ebx & (1u << 5));
  }
  if (__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx)) f.lzcnt = ecx & (1u << 5); // ABM
  if (!f.avx) f.fma = false;
  if (f.sse3 && f.ssse3 && f.sse41) f.level = CpuLevel::Sse41;
  if (f.level == CpuLevel::Sse41 && f.avx && f.avx2) f.level = CpuLevel::Avx2;
  return f;
}

// The environment's cap, read once.
CpuLevel env_cap() {
  static const CpuLevel cap = [] {
    const char* v = std::getenv("TANDEM_JIT_CPU");
    if (!v || !*v) return CpuLevel::Avx2;
    std::optional<CpuLevel> l = parse_cpu_level(v);
    if (!l) {
      std::fprintf(stderr, "tandem: ignoring unknown TANDEM_JIT_CPU=%s (baseline|sse41|avx2)\n", v);
      return CpuLevel::Avx2;
    }
    return *l;
  }();
  return cap;
}

constexpr int kNoOverride = -1;
std::atomic<int> g_test_cap{kNoOverride};

} // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures f = detect();
  return f;
}

std::optional<CpuLevel> parse_cpu_level(std::string_view s) {
  if (s == "baseline" || s == "sse2") return CpuLevel::Baseline;
  if (s == "sse41" || s == "sse4.1") return CpuLevel::Sse41;
  if (s == "avx2") return CpuLevel::Avx2;
  return std::nullopt;
}

std::string_view cpu_level_name(CpuLevel l) {
  switch (l) {
  case CpuLevel::Baseline: return "baseline";
  case CpuLevel::Sse41: return "sse41";
  case CpuLevel::Avx2: return "avx2";
  }
  return "?";
}

JitIsa jit_isa() {
  const CpuFeatures& f = cpu_features();
  CpuLevel l = f.level;
  CpuLevel cap = env_cap();
  int t = g_test_cap.load(std::memory_order_relaxed);
  if (t != kNoOverride) cap = CpuLevel(t);
  if (cap < l) l = cap;
  JitIsa isa;
  isa.level = l;
  isa.ssse3 = isa.sse41 = l >= CpuLevel::Sse41;
  isa.sse42 = isa.sse41 && f.sse42;
  isa.avx = l >= CpuLevel::Avx2;
  isa.popcnt = isa.sse41 && f.popcnt;
  isa.lzcnt = isa.sse41 && f.lzcnt;
  isa.bmi1 = isa.sse41 && f.bmi1;
  return isa;
}

void set_jit_cpu_level_for_testing(std::optional<CpuLevel> cap) {
  g_test_cap.store(cap ? int(*cap) : kNoOverride, std::memory_order_relaxed);
}

} // namespace tandem::jit
