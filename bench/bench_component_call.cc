// Google Benchmark: component-to-component call cost (not a test; never
// asserts times), next to a plain core wasm-to-wasm call, on a tier.
//  BM_CoreCall/<tier>:       core loop calling a core leaf (x + 1).
//  BM_ComponentU32/<tier>:   component $caller's core loop calling
//                            `id: func(x: u32) -> u32` lifted by sibling
//                            component $callee (canon lower -> call_adapter
//                            -> canon lift), ns per call.
//  BM_ComponentString/<tier>: the same with `strlen: func(s: string) -> u32`
//                            and a 1 KiB string (copied through the callee's
//                            realloc each call).
// Each counter `ns_per_call` is (cpu(loop with calls) - cpu(same loop without
// the call)) / n, process CPU time.
#include "bench/cpu_time.h"
#include "tandem/component.h"
#include "tandem/tandem.h"
#include "wast/component_encoder.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace tandem::bench {
namespace {

[[noreturn]] void die(const std::string& what, const Error& e) {
  std::fprintf(stderr, "bench: %s: %s\n", what.c_str(), e.message.c_str());
  std::exit(1);
}

// The loops take n and return an accumulator; `plain-*` are the same loops
// with the call replaced by its result computed inline.
const char* kComponent = R"((component
  (component $Callee
    (core module $m
      (memory (export "mem") 1)
      (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 1024))
      (func (export "id") (param i32) (result i32) (local.get 0))
      (func (export "strlen") (param i32 i32) (result i32) (local.get 1)))
    (core instance $i (instantiate $m))
    (func (export "id") (param "x" u32) (result u32) (canon lift (core func $i "id")))
    (func (export "strlen") (param "s" string) (result u32)
      (canon lift (core func $i "strlen") (memory $i "mem") (realloc (func $i "realloc")))))
  (component $Caller
    (import "id" (func $id (param "x" u32) (result u32)))
    (import "strlen" (func $strlen (param "s" string) (result u32)))
    (core module $libc (memory (export "mem") 1))
    (core instance $libc (instantiate $libc))
    (core func $id_c (canon lower (func $id)))
    (core func $strlen_c (canon lower (func $strlen) (memory $libc "mem")))
    (core module $m
      (import "libc" "mem" (memory 1))
      (import "" "id" (func $id (param i32) (result i32)))
      (import "" "strlen" (func $strlen (param i32 i32) (result i32)))
      (func (export "loop-u32") (param $n i32) (result i32) (local $acc i32) (local $k i32)
        (block $done (loop $l
          (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
          (local.set $acc (i32.add (local.get $acc) (call $id (local.get $k))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $l)))
        (local.get $acc))
      (func (export "plain-u32") (param $n i32) (result i32) (local $acc i32) (local $k i32)
        (block $done (loop $l
          (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
          (local.set $acc (i32.add (local.get $acc) (local.get $k)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $l)))
        (local.get $acc))
      (func (export "loop-str") (param $n i32) (result i32) (local $acc i32) (local $k i32)
        (block $done (loop $l
          (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
          (local.set $acc (i32.add (local.get $acc) (call $strlen (i32.const 0) (i32.const 1024))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $l)))
        (local.get $acc))
      (func (export "plain-str") (param $n i32) (result i32) (local $acc i32) (local $k i32)
        (block $done (loop $l
          (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
          (local.set $acc (i32.add (local.get $acc) (i32.const 1024)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $l)))
        (local.get $acc))
      ;; 1 KiB of ASCII at 0
      (data (i32.const 0) "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
      (func $fill (local $k i32)
        (block $done (loop $l
          (br_if $done (i32.ge_u (local.get $k) (i32.const 1024)))
          (i32.store8 (local.get $k) (i32.add (i32.const 97) (i32.rem_u (local.get $k) (i32.const 26))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $l))))
      (start $fill))
    (core instance $i (instantiate $m (with "libc" (instance $libc))
      (with "" (instance (export "id" (func $id_c)) (export "strlen" (func $strlen_c))))))
    (func (export "loop-u32") (param "n" u32) (result u32) (canon lift (core func $i "loop-u32")))
    (func (export "plain-u32") (param "n" u32) (result u32) (canon lift (core func $i "plain-u32")))
    (func (export "loop-str") (param "n" u32) (result u32) (canon lift (core func $i "loop-str")))
    (func (export "plain-str") (param "n" u32) (result u32) (canon lift (core func $i "plain-str"))))
  (instance $callee (instantiate $Callee))
  (instance $caller (instantiate $Caller
    (with "id" (func $callee "id")) (with "strlen" (func $callee "strlen"))))
  (export "loop-u32" (func $caller "loop-u32"))
  (export "plain-u32" (func $caller "plain-u32"))
  (export "loop-str" (func $caller "loop-str"))
  (export "plain-str" (func $caller "plain-str")))
)";

const char* kCore = R"((component
  (core module $m
    (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func (export "loop") (param $n i32) (result i32) (local $acc i32) (local $k i32)
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $leaf (local.get $k))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))
      (local.get $acc))
    (func (export "plain") (param $n i32) (result i32) (local $acc i32) (local $k i32)
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.add (local.get $k) (i32.const 1))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))
      (local.get $acc)))
  (core instance $i (instantiate $m))
  (func (export "loop") (param "n" u32) (result u32) (canon lift (core func $i "loop")))
  (func (export "plain") (param "n" u32) (result u32) (canon lift (core func $i "plain"))))
)";

struct Loaded {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Store> store;
  ComponentInstance instance;

  Loaded(const char* text, Tier tier) {
    EngineConfig config;
    config.tier = tier;
    engine = std::make_unique<Engine>(config);
    store = std::make_unique<Store>(*engine);
    auto bytes = wast::component_text_to_binary(text);
    if (!bytes) die("encode", bytes.error());
    auto c = Component::compile(*engine, *bytes);
    if (!c) die("compile", c.error());
    auto i = ComponentInstance::instantiate(*store, *c);
    if (!i) die("instantiate", i.error());
    instance = *i;
  }
  ~Loaded() {
    instance = ComponentInstance();
    store.reset();
  }
  uint64_t call(const char* name, uint32_t n) {
    ComponentValue v;
    v.kind = ComponentValue::Kind::U32;
    v.bits = n;
    auto r = instance.call(*store, name, std::span(&v, 1));
    if (!r) die(name, r.error());
    return (*r)[0].bits;
  }
};

void run(benchmark::State& state, const char* text, const char* with_call, const char* without,
         uint32_t n) {
  Tier tier = state.range(0) == 0 ? Tier::Interp : Tier::Jit;
  Loaded l(text, tier);
  l.call(with_call, 10);
  l.call(without, 10);
  double call_s = 0, plain_s = 0;
  for (auto _ : state) {
    double t0 = process_cpu_seconds();
    benchmark::DoNotOptimize(l.call(with_call, n));
    double t1 = process_cpu_seconds();
    benchmark::DoNotOptimize(l.call(without, n));
    double t2 = process_cpu_seconds();
    call_s += t1 - t0;
    plain_s += t2 - t1;
  }
  double calls = double(state.iterations()) * n;
  state.counters["ns_per_call"] = (call_s - plain_s) * 1e9 / calls;
  state.SetLabel(tier == Tier::Interp ? "interp" : "jit");
}

void BM_CoreCall(benchmark::State& s) {
  run(s, kCore, "loop", "plain", 1'000'000);
}
void BM_ComponentU32(benchmark::State& s) {
  run(s, kComponent, "loop-u32", "plain-u32", 100'000);
}
void BM_ComponentString(benchmark::State& s) {
  run(s, kComponent, "loop-str", "plain-str", 20'000);
}

BENCHMARK(BM_CoreCall)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ComponentU32)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ComponentString)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace tandem::bench

BENCHMARK_MAIN();
