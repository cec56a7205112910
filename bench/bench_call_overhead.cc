// Google Benchmark: call overhead (not a test; never asserts times).
//  BM_HostToWasm/<mode>: one Func::call of leaf(x) = x + 1 from C++ (argument
//    checking, result vector and entry included), ns per call.
//  BM_WasmToWasm/<mode>: call_loop(n) makes n wasm calls of leaf; the counter
//    `ns_per_call` is (cpu(call_loop) - cpu(plain_loop)) / n (process CPU
//    time), where
//    plain_loop is the same loop with leaf's body inlined.
// Modes: interp, jit, tiered (after tier-up), and across tiers inside one
// Tier::Interp store by compiling chosen functions with jit::compile_function:
//    jit->interp  caller (the loops) compiled, callee (leaf) interpreted;
//    interp->jit  caller interpreted, callee compiled.
#include "bench/bench_support.h"
#include "bench/cpu_time.h"

#include <benchmark/benchmark.h>

#include <ctime>

namespace tandem::bench {
namespace {

enum class Mode : int { Interp, Jit, Tiered, JitCallsInterp, InterpCallsJit };

const char* mode_name(Mode m) {
  switch (m) {
  case Mode::Interp: return "interp";
  case Mode::Jit: return "jit";
  case Mode::Tiered: return "tiered";
  case Mode::JitCallsInterp: return "jit->interp";
  case Mode::InterpCallsJit: return "interp->jit";
  }
  return "?";
}

const Bytes& module_bytes() {
  static const Bytes bytes = small_benchmark_module();
  return bytes;
}

void force_compiled(Loaded& l, const char* name) {
  Func f = l.func(name);
  Status s = jit::compile_function(f.raw());
  if (!s.ok()) die(std::string("jit compile of ") + name, s.error());
  if (!jit::is_compiled(f.raw())) {
    std::fprintf(stderr, "bench: the JIT left %s to the interpreter\n", name);
    std::exit(1);
  }
}

// An instance set up for `mode`, warmed up so every function is in its final tier.
std::unique_ptr<Loaded> prepare(Mode mode) {
  Tier tier = mode == Mode::Jit ? Tier::Jit : mode == Mode::Tiered ? Tier::Tiered : Tier::Interp;
  auto l = std::make_unique<Loaded>(module_bytes(), tier);
  if (mode == Mode::JitCallsInterp) {
    force_compiled(*l, "call_loop");
    force_compiled(*l, "plain_loop");
  } else if (mode == Mode::InterpCallsJit) {
    force_compiled(*l, "leaf");
  }
  for (const char* name : {"leaf", "call_loop", "plain_loop"}) {
    Func f = l->func(name);
    for (int i = 0; i < 20; ++i) l->call(f, 2000); // tiered: past the threshold
  }
  jit::wait_for_background_compiles();
  for (const char* name : {"leaf", "call_loop", "plain_loop"}) l->call(l->func(name), 1);
  return l;
}

void BM_HostToWasm(benchmark::State& state) {
  Mode mode = Mode(state.range(0));
  auto l = prepare(mode);
  Func leaf = l->func("leaf");
  uint32_t x = 0;
  for (auto _ : state) x = l->call(leaf, x);
  benchmark::DoNotOptimize(x);
  state.counters["leaf_compiled"] = jit::is_compiled(leaf.raw()) ? 1 : 0;
  state.SetLabel(mode_name(mode));
}

void BM_WasmToWasm(benchmark::State& state) {
  Mode mode = Mode(state.range(0));
  constexpr uint32_t kN = 1'000'000;
  auto l = prepare(mode);
  Func call_loop = l->func("call_loop"), plain_loop = l->func("plain_loop");
  // Process CPU time: on a loaded machine wall time mostly measures others.
  double call_s = 0, plain_s = 0;
  for (auto _ : state) {
    double t0 = process_cpu_seconds();
    benchmark::DoNotOptimize(l->call(call_loop, kN));
    double t1 = process_cpu_seconds();
    benchmark::DoNotOptimize(l->call(plain_loop, kN));
    double t2 = process_cpu_seconds();
    call_s += t1 - t0;
    plain_s += t2 - t1;
  }
  double calls = double(state.iterations()) * kN;
  state.counters["ns_per_call"] = (call_s - plain_s) * 1e9 / calls;
  state.counters["ns_per_loop_iter"] = plain_s * 1e9 / calls;
  state.counters["caller_compiled"] = jit::is_compiled(call_loop.raw()) ? 1 : 0;
  state.counters["callee_compiled"] = jit::is_compiled(l->func("leaf").raw()) ? 1 : 0;
  state.SetLabel(mode_name(mode));
}

void all_modes(benchmark::internal::Benchmark* b) {
  for (Mode m : {Mode::Interp, Mode::Jit, Mode::Tiered, Mode::JitCallsInterp, Mode::InterpCallsJit})
    b->Arg(int64_t(m));
}

BENCHMARK(BM_HostToWasm)->Apply(all_modes);
BENCHMARK(BM_WasmToWasm)->Apply(all_modes)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace tandem::bench

BENCHMARK_MAIN();
