// A small driver for speed checks (not a unit test): loads a module, calls
// one exported kernel `(func (param i32) (result i32))` on the chosen tier
// and prints "tier kernel arg checksum best-seconds".
// Usage: tandem_jit_kernel_timer MODULE.wasm KERNEL ARG interp|jit [REPEAT]
#include "jit/jit.h"
#include "tandem/tandem.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace tandem;

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s MODULE.wasm KERNEL ARG interp|jit [REPEAT]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  EngineConfig config;
  config.tier = std::strcmp(argv[4], "jit") == 0 ? Tier::Jit : Tier::Interp;
  Engine engine(config);
  Store store(engine);
  auto module = Module::compile(engine, bytes);
  if (!module.ok()) {
    std::fprintf(stderr, "compile: %s\n", module.error().message.c_str());
    return 1;
  }
  auto inst = Instance::instantiate(store, *module, {});
  if (!inst.ok()) {
    std::fprintf(stderr, "instantiate: %s\n", inst.error().message.c_str());
    return 1;
  }
  auto ext = inst->get_export(store, argv[2]);
  if (!ext || ext->kind != ExternKind::Func) {
    std::fprintf(stderr, "no exported function %s\n", argv[2]);
    return 1;
  }
  uint32_t arg = uint32_t(std::stoul(argv[3]));
  int repeat = argc > 5 ? std::atoi(argv[5]) : 1;
  double best = 1e30;
  uint32_t checksum = 0;
  for (int i = 0; i < repeat; ++i) {
    std::vector<Value> args{Value::i32(arg)};
    auto t0 = std::chrono::steady_clock::now();
    auto r = ext->func.call(store, args);
    auto t1 = std::chrono::steady_clock::now();
    if (!r.ok()) {
      std::fprintf(stderr, "call: %s\n", r.error().message.c_str());
      return 1;
    }
    checksum = (*r)[0].i32();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  jit::JitStats s = jit::stats();
  std::printf("%s %s %u %u %.6f (jit: %llu compiled, %llu fallbacks)\n", argv[4], argv[2], arg,
              checksum, best, (unsigned long long)s.compiled, (unsigned long long)s.fallbacks);
  return 0;
}
