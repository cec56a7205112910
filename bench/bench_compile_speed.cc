// Google Benchmark: compile speed on a large generated module (thousands of
// functions, several MB of code section; bench/wasm_gen.h). Not a test.
//  BM_DecodeValidate: Module::compile (decode + validate), MB/s of the whole
//    module.
//  BM_JitCompileAll: jit::compile_instance on a fresh Tier::Jit instance (no
//    function has been called, so none is compiled yet): the whole module in
//    batches, as the first call under Tier::Jit compiles it, on as many
//    threads as compile_instance uses (TANDEM_COMPILE_THREADS, default one per
//    core); MB/s of the code section by wall-clock time, and
//    MB_per_cpu_s by the CPU time of all threads (the single-core rate).
//  BM_JitCompileEach: jit::compile_function on every function, one at a time
//    (a code mapping each, as tier-up compiles); MB/s of the code section.
//  BM_InterpLowerAll: interp::code_for (lowering to interpreter code) on every
//    function of a fresh instance; MB/s of the code section.
// Instantiation is outside the timed region (PauseTiming).
// TANDEM_BENCH_FUNCS / TANDEM_BENCH_CHUNKS override the module's shape;
// TANDEM_BENCH_SKIP_KINDS=MASK leaves chunk kinds out (see wasm_gen.h);
// TANDEM_BENCH_MODULE_OUT=FILE also writes the module there, for the peer
// measurement of bench/compare_compile (node's Liftoff on the same bytes).
#include "bench/bench_support.h"
#include "bench/cpu_time.h"
#include "interp/interp.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

namespace tandem::bench {
namespace {

uint32_t env_or(const char* name, uint32_t fallback) {
  const char* v = std::getenv(name);
  return v ? uint32_t(std::strtoul(v, nullptr, 10)) : fallback;
}

struct Generated {
  Bytes bytes;
  size_t code_bytes = 0;
  uint32_t funcs = 0;
};

const Generated& generated() {
  static const Generated g = [] {
    Generated r;
    r.funcs = env_or("TANDEM_BENCH_FUNCS", 6000);
    r.bytes = generate_large_module(r.funcs, env_or("TANDEM_BENCH_CHUNKS", 60),
                                    env_or("TANDEM_BENCH_SKIP_KINDS", 0), &r.code_bytes);
    if (const char* out = std::getenv("TANDEM_BENCH_MODULE_OUT"); out && *out) {
      std::FILE* f = std::fopen(out, "wb");
      if (!f || std::fwrite(r.bytes.data(), 1, r.bytes.size(), f) != r.bytes.size())
        std::fprintf(stderr, "bench_compile_speed: cannot write %s\n", out);
      if (f) std::fclose(f);
    }
    return r;
  }();
  return g;
}

void set_module_counters(benchmark::State& state) {
  const Generated& g = generated();
  state.counters["funcs"] = g.funcs;
  state.counters["code_MB"] = double(g.code_bytes) / 1e6;
}

void BM_DecodeValidate(benchmark::State& state) {
  const Generated& g = generated();
  Engine engine;
  for (auto _ : state) {
    auto m = Module::compile(engine, g.bytes);
    if (!m.ok()) die("compile", m.error());
    benchmark::DoNotOptimize(m->impl().get());
  }
  state.SetBytesProcessed(int64_t(state.iterations() * g.bytes.size()));
  set_module_counters(state);
}

template <typename CompileOne>
void compile_every_function(benchmark::State& state, Tier tier, CompileOne compile_one) {
  const Generated& g = generated();
  uint64_t failures = 0;
  double cpu_seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto l = std::make_unique<Loaded>(g.bytes, tier);
    std::vector<rt::FuncInst*> funcs;
    funcs.reserve(g.funcs);
    for (uint32_t i = 0; i < g.funcs; ++i) funcs.push_back(l->func(generated_func_name(i)).raw());
    state.ResumeTiming();
    double cpu_start = process_cpu_seconds();
    for (rt::FuncInst* f : funcs) failures += compile_one(f) ? 0 : 1;
    cpu_seconds += process_cpu_seconds() - cpu_start;
    state.PauseTiming();
    l.reset();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(int64_t(state.iterations() * g.code_bytes));
  set_module_counters(state);
  state.counters["failed"] = double(failures) / double(state.iterations());
  state.counters["MB_per_cpu_s"] =
      double(g.code_bytes) / 1e6 * double(state.iterations()) / cpu_seconds;
}

void BM_JitCompileAll(benchmark::State& state) {
  jit::reset_stats();
  // The first function's call compiles the instance: time it once per run.
  compile_every_function(state, Tier::Jit, [](rt::FuncInst* f) {
    if (!jit::is_compiled(f)) jit::compile_instance(f->module);
    return jit::is_compiled(f);
  });
  jit::JitStats s = jit::stats();
  state.counters["machine_code_MB_per_run"] =
      double(s.code_bytes) / 1e6 / double(state.iterations());
}

void BM_JitCompileEach(benchmark::State& state) {
  jit::reset_stats();
  compile_every_function(state, Tier::Jit, [](rt::FuncInst* f) {
    return jit::compile_function(f).ok() && jit::is_compiled(f);
  });
  jit::JitStats s = jit::stats();
  state.counters["machine_code_MB_per_run"] =
      double(s.code_bytes) / 1e6 / double(state.iterations());
}

void BM_InterpLowerAll(benchmark::State& state) {
  compile_every_function(state, Tier::Interp,
                         [](rt::FuncInst* f) { return interp::code_for(f).ok(); });
}

BENCHMARK(BM_DecodeValidate)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_JitCompileAll)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();
BENCHMARK(BM_JitCompileEach)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_InterpLowerAll)->Unit(benchmark::kMillisecond)->Iterations(5);

} // namespace
} // namespace tandem::bench

BENCHMARK_MAIN();
