// Shared set-up for the Google Benchmark programs: an engine + store +
// instance of a generated module on a chosen tier, and the small modules the
// tier-up and call-overhead benchmarks run. Failures abort with a message
// (benchmarks never continue on a broken module).
#pragma once

#include "bench/wasm_gen.h"
#include "jit/jit.h"
#include "jit/tier_up.h"
#include "tandem/tandem.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace tandem::bench {

inline const char* tier_name(Tier t) {
  switch (t) {
  case Tier::Interp: return "interp";
  case Tier::Jit: return "jit";
  case Tier::Tiered: return "tiered";
  }
  return "?";
}

[[noreturn]] inline void die(const std::string& what, const Error& e) {
  std::fprintf(stderr, "bench: %s: %s\n", what.c_str(), e.message.c_str());
  std::exit(1);
}

// One instance of `bytes` in its own engine and store.
struct Loaded {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Store> store;
  Module module;
  Instance instance;

  Loaded(const Bytes& bytes, Tier tier) {
    EngineConfig config;
    config.tier = tier;
    engine = std::make_unique<Engine>(config);
    store = std::make_unique<Store>(*engine);
    auto m = Module::compile(*engine, bytes);
    if (!m.ok()) die("compile", m.error());
    module = *m;
    auto i = Instance::instantiate(*store, module, {});
    if (!i.ok()) die("instantiate", i.error());
    instance = *i;
  }
  ~Loaded() {
    instance = Instance();
    store.reset(); // before the engine it refers to
  }
  Func func(const std::string& name) const {
    auto e = instance.get_export(*store, name);
    if (!e || e->kind != ExternKind::Func) {
      std::fprintf(stderr, "bench: no exported function %s\n", name.c_str());
      std::exit(1);
    }
    return e->func;
  }
  uint32_t call(const Func& f, uint32_t arg) {
    Value args[1] = {Value::i32(arg)};
    auto r = f.call(*store, args);
    if (!r.ok()) die("call", r.error());
    return (*r)[0].i32();
  }
};

// Body of `for (i = 0; i < n; ++i) acc = STEP(acc, i); return acc;` for a
// function (param n i32) (local acc i32) (local i i32); `step` appends the
// instructions that turn [acc] into the new acc (local 2 is i).
template <typename Step> Bytes counted_loop(Step step) {
  BodyWriter w;
  w.op(Op::block).byte(0x40).op(Op::loop).byte(0x40);
  w.local_get(2).local_get(0).op(Op::i32_ge_u).op(Op::br_if).u(1);
  w.local_get(1);
  step(w);
  w.local_set(1);
  w.local_get(2).i32_const(1).op(Op::i32_add).local_set(2);
  w.op(Op::br).u(0).op(Op::end).op(Op::end);
  w.local_get(1);
  return w.bytes();
}

// Exports: leaf(x) = x + 1; hot(n): an arithmetic loop of n iterations;
// call_loop(n): n calls of leaf; plain_loop(n): the same loop with leaf's
// body inlined (the baseline that call_loop's per-call cost is measured
// against). All (i32) -> i32.
inline Bytes small_benchmark_module() {
  std::vector<FuncSig> types = {{{kI32Byte}, {kI32Byte}}};
  std::vector<FuncDef> funcs(4);
  BodyWriter leaf;
  leaf.local_get(0).i32_const(1).op(Op::i32_add);
  funcs[0].body = leaf.bytes();
  funcs[0].export_name = "leaf";
  funcs[1].body = counted_loop([](BodyWriter& w) {
    w.i32_const(31).op(Op::i32_mul).local_get(2).op(Op::i32_add);
    w.local_get(1).i32_const(3).op(Op::i32_shr_u).op(Op::i32_xor);
  });
  funcs[1].export_name = "hot";
  funcs[2].body = counted_loop([](BodyWriter& w) { w.call(0); });
  funcs[2].export_name = "call_loop";
  funcs[3].body = counted_loop([](BodyWriter& w) { w.i32_const(1).op(Op::i32_add); });
  funcs[3].export_name = "plain_loop";
  for (uint32_t i = 1; i < 4; ++i) funcs[i].locals = {{2, kI32Byte}};
  return assemble_module(types, funcs, 0);
}

} // namespace tandem::bench
