// Tandem kernel runner for bench/compare: loads a module (kernels.wasm),
// instantiates it on one tier and times ONE call of an exported kernel
// `(func (param i32) (result i32))` in-process, like bench/node_runner.mjs and
// the native driver. Output, one line each:
//   KERNEL ARG CHECKSUM SECONDS CPU-SECONDS   (best of REPEAT calls, default 1)
//   # compile S instantiate S tier T jit-compiled N jit-fallbacks M
// The first line has the same shape for every runner so bench/compare can
// parse them alike. Compile (decode + validate) and instantiate are timed
// separately and never included in SECONDS (wall clock) or CPU-SECONDS
// (process CPU time, all threads: includes background tier-up compiles).
// Usage: tandem_kernels MODULE.wasm KERNEL ARG interp|jit|tiered [REPEAT]
#include "bench/cpu_time.h"
#include "jit/jit.h"
#include "tandem/tandem.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace tandem;
using tandem::bench::process_cpu_seconds;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool parse_tier(const char* text, Tier* tier) {
  if (std::strcmp(text, "interp") == 0)
    *tier = Tier::Interp;
  else if (std::strcmp(text, "jit") == 0)
    *tier = Tier::Jit;
  else if (std::strcmp(text, "tiered") == 0)
    *tier = Tier::Tiered;
  else
    return false;
  return true;
}

} // namespace

int main(int argc, char** argv) {
  Tier tier = Tier::Interp;
  if (argc < 5 || argc > 6 || !parse_tier(argv[4], &tier)) {
    std::fprintf(stderr, "usage: %s MODULE.wasm KERNEL ARG interp|jit|tiered [REPEAT]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read the file\n", argv[1]);
    return 2;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  char* end = nullptr;
  unsigned long arg = std::strtoul(argv[3], &end, 10);
  int repeat = argc > 5 ? std::atoi(argv[5]) : 1;
  if (*end != '\0' || arg > 0xffffffffUL || repeat < 1) {
    std::fprintf(stderr, "bad ARG or REPEAT\n");
    return 2;
  }

  EngineConfig config;
  config.tier = tier;
  Engine engine(config);
  Store store(engine);

  auto t0 = std::chrono::steady_clock::now();
  auto module = Module::compile(engine, bytes);
  double compile_s = seconds_since(t0);
  if (!module.ok()) {
    std::fprintf(stderr, "compile: %s\n", module.error().message.c_str());
    return 1;
  }
  t0 = std::chrono::steady_clock::now();
  auto inst = Instance::instantiate(store, *module, {});
  double instantiate_s = seconds_since(t0);
  if (!inst.ok()) {
    std::fprintf(stderr, "instantiate: %s\n", inst.error().message.c_str());
    return 1;
  }
  auto ext = inst->get_export(store, argv[2]);
  if (!ext || ext->kind != ExternKind::Func) {
    std::fprintf(stderr, "no exported function %s\n", argv[2]);
    return 1;
  }

  double best = 1e30, best_cpu = 1e30;
  uint32_t checksum = 0;
  std::vector<Value> args{Value::i32(uint32_t(arg))};
  for (int i = 0; i < repeat; ++i) {
    double c0 = process_cpu_seconds();
    t0 = std::chrono::steady_clock::now();
    auto r = ext->func.call(store, args);
    double s = seconds_since(t0);
    double cpu = process_cpu_seconds() - c0;
    if (!r.ok()) {
      std::fprintf(stderr, "call: %s\n", r.error().message.c_str());
      return 1;
    }
    if (r->size() != 1 || r->front().type() != kI32) {
      std::fprintf(stderr, "kernel %s does not return one i32\n", argv[2]);
      return 1;
    }
    checksum = r->front().i32();
    best = std::min(best, s);
    best_cpu = std::min(best_cpu, cpu);
  }
  jit::JitStats stats = jit::stats();
  std::printf("%s %lu %u %.6f %.6f\n", argv[2], arg, checksum, best, best_cpu);
  std::printf("# compile %.6f instantiate %.6f tier %s jit-compiled %llu jit-fallbacks %llu\n",
              compile_s, instantiate_s, argv[4], (unsigned long long)stats.compiled,
              (unsigned long long)stats.fallbacks);
  return 0;
}
