// Google Benchmark: tier-up behaviour (not a test; never asserts times).
//  BM_ColdStart/<tier>/<func>: from nothing (engine, store, compile,
//    instantiate) to the first call that runs compiled code of `func`
//    (leaf: a tiny function made hot by calls; hot: a loop function made hot
//    by back-edges, called with n = 100). Interp never compiles: its row is
//    the time to the first (interpreted) call, labelled so. Counter `calls`:
//    calls it took until the compiled code ran.
//  BM_HotThroughput/<tier>: steady-state loop iterations per second of `hot`
//    after a warm-up (tiered: after its tier-up has installed the code).
#include "bench/bench_support.h"

#include <benchmark/benchmark.h>

namespace tandem::bench {
namespace {

const Bytes& module_bytes() {
  static const Bytes bytes = small_benchmark_module();
  return bytes;
}

void BM_ColdStart(benchmark::State& state) {
  Tier tier = Tier(state.range(0));
  bool use_hot = state.range(1) != 0;
  const char* fname = use_hot ? "hot" : "leaf";
  uint32_t arg = use_hot ? 100 : 1;
  constexpr uint64_t kMaxCalls = 100'000'000;
  uint64_t calls = 0;
  for (auto _ : state) {
    Loaded l(module_bytes(), tier);
    Func f = l.func(fname);
    calls = 0;
    if (tier == Tier::Interp) {
      benchmark::DoNotOptimize(l.call(f, arg));
      calls = 1;
    } else {
      // Call until the entry is compiled code; the call after that is the
      // first compiled execution (tiered installs code at a count check).
      while (!jit::is_compiled(f.raw()) && calls < kMaxCalls) {
        benchmark::DoNotOptimize(l.call(f, arg));
        ++calls;
      }
      benchmark::DoNotOptimize(l.call(f, arg));
      ++calls;
      if (!jit::is_compiled(f.raw())) {
        state.SkipWithError("function never reached compiled code");
        break;
      }
    }
  }
  state.counters["calls"] = double(calls);
  std::string label = std::string(tier_name(tier)) + " " + fname;
  if (tier == Tier::Interp) label += " (no compiled tier: time to first interpreted call)";
  state.SetLabel(label);
}

void BM_HotThroughput(benchmark::State& state) {
  Tier tier = Tier(state.range(0));
  constexpr uint32_t kN = 100'000;
  Loaded l(module_bytes(), tier);
  Func f = l.func("hot");
  for (int i = 0; i < 50; ++i) l.call(f, 1000); // warm-up (tiered: reach the threshold)
  jit::wait_for_background_compiles();
  l.call(f, 1); // installs finished background code
  for (auto _ : state) benchmark::DoNotOptimize(l.call(f, kN));
  state.SetItemsProcessed(int64_t(state.iterations()) * kN);
  state.counters["compiled"] = jit::is_compiled(f.raw()) ? 1 : 0;
  state.SetLabel(std::string(tier_name(tier)) + ", items = loop iterations");
}

void tier_args(benchmark::internal::Benchmark* b) {
  for (Tier t : {Tier::Interp, Tier::Jit, Tier::Tiered})
    for (int hot : {0, 1}) b->Args({int64_t(t), hot});
}

BENCHMARK(BM_ColdStart)->Apply(tier_args)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_HotThroughput)
    ->Arg(int64_t(Tier::Interp))
    ->Arg(int64_t(Tier::Jit))
    ->Arg(int64_t(Tier::Tiered))
    ->Unit(benchmark::kMicrosecond);

} // namespace
} // namespace tandem::bench

BENCHMARK_MAIN();
