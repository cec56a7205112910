// Stack-exhaustion matrix: unbounded recursion must end in ErrorKind::Exhaustion
// ("call stack exhausted"), never a crash, and the store must answer the next
// call correctly. Dimensions: tier (interp, jit, tiered with tier-up after one
// call), recursion path (direct call, call_indirect, through a host function
// that calls back into wasm, JIT code <-> interpreted code mutual recursion),
// and thread (main thread; a pthread with a small stack, 256 KiB, the runtime
// deriving its native-stack limit from each thread's real stack bounds).
#include "tandem/tandem.h"
#include "wast/wat_module.h"

#include <gtest/gtest.h>

#include <pthread.h>

#include <functional>
#include <string>

namespace tandem {
namespace {

// f(n) = n == 0 ? 0 : 1 + RECURSE(n - 1); every module exports "f".
const char* const kDirect = R"((module
  (func $f (export "f") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $f (i32.sub (local.get 0) (i32.const 1)))))))))";

const char* const kIndirect = R"((module
  (type $t (func (param i32) (result i32)))
  (table 1 funcref) (elem (i32.const 0) $f)
  (func $f (export "f") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1)
        (call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))))))))";

const char* const kHost = R"((module
  (import "host" "cb" (func $cb (param i32) (result i32)))
  (func $f (export "f") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $cb (i32.sub (local.get 0) (i32.const 1)))))))))";

// $g uses SIMD, which the JIT leaves to the interpreter: f (compiled) and
// g (interpreted) recurse into each other.
const char* const kMixed = R"((module
  (func $f (export "f") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $g (i32.sub (local.get 0) (i32.const 1)))))))
  (func $g (param i32) (result i32)
    (i32x4.extract_lane 0 (i32x4.splat (call $f (local.get 0)))))))";

enum class Path { Direct, Indirect, Host, Mixed };

struct Outcome {
  std::string deep;    // "exhausted" or what the deep call gave instead
  std::string shallow; // result of f(10) afterwards: "10" expected
};

std::string describe(const Result<std::vector<Value>>& r) {
  if (!r.ok()) return std::string(error_kind_name(r.error().kind)) + ": " + r.error().message;
  return r.value().size() == 1 ? std::to_string(r.value()[0].i32()) : "?";
}

Outcome run_case(Tier tier, Path path) {
  EngineConfig config;
  config.tier = tier;
  config.tierup_threshold = 1;
  Engine engine(config);
  const char* text = path == Path::Direct     ? kDirect
                     : path == Path::Indirect ? kIndirect
                     : path == Path::Host     ? kHost
                                              : kMixed;
  Result<std::vector<uint8_t>> bytes = wast::wat_to_binary(text);
  if (!bytes.ok()) return {"encode: " + bytes.error().message, ""};
  Result<Module> module = Module::compile(engine, bytes.value());
  if (!module.ok()) return {"compile: " + module.error().message, ""};
  Store store(engine);
  std::vector<Extern> imports;
  Func f;
  if (path == Path::Host) {
    FuncType type{{kI32}, {kI32}};
    Extern cb;
    cb.kind = ExternKind::Func;
    cb.func = Func::host(store, type,
                         [&](std::span<const Value> args, std::span<Value> results) -> Status {
                           Value arg = args[0];
                           TANDEM_ASSIGN(std::vector<Value> r, f.call(store, {&arg, 1}));
                           results[0] = r[0];
                           return {};
                         });
    imports.push_back(cb);
  }
  Result<Instance> inst = Instance::instantiate(store, module.value(), imports);
  if (!inst.ok()) return {"instantiate: " + inst.error().message, ""};
  f = inst.value().get_export(store, "f")->func;
  Outcome out;
  Value deep = Value::i32(0xFFFFFFFFu);
  Result<std::vector<Value>> r = f.call(store, {&deep, 1});
  out.deep = !r.ok() && r.error().kind == ErrorKind::Exhaustion &&
                     r.error().message == "call stack exhausted"
                 ? "exhausted"
                 : describe(r);
  Value ten = Value::i32(10);
  out.shallow = describe(f.call(store, {&ten, 1}));
  return out;
}

// Runs fn on a new pthread with the given stack size.
void on_thread(size_t stack_size, const std::function<void()>& fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_size);
  pthread_t thread;
  auto trampoline = [](void* p) -> void* {
    (*static_cast<const std::function<void()>*>(p))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, trampoline, const_cast<std::function<void()>*>(&fn)), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

struct MatrixCase {
  Tier tier;
  Path path;
  bool small_thread;
};

std::string case_name(const testing::TestParamInfo<MatrixCase>& info) {
  const char* tiers[] = {"Interp", "Jit", "Tiered"};
  const char* paths[] = {"Direct", "Indirect", "Host", "Mixed"};
  return std::string(tiers[int(info.param.tier)]) + paths[int(info.param.path)] +
         (info.param.small_thread ? "Thread256K" : "MainThread");
}

// The small thread's stack. Under AddressSanitizer every frame carries
// redzones (the interpreter loop's frame grows from 248 bytes to about 64 KiB
// in the GCC asan preset), so ten nested host-to-wasm calls need more: there
// the thread gets 8 times as much, which keeps it far below the main thread's.
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kSmallThreadStack = 8 * 256 * 1024;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr size_t kSmallThreadStack = 8 * 256 * 1024;
#else
constexpr size_t kSmallThreadStack = 256 * 1024;
#endif
#else
constexpr size_t kSmallThreadStack = 256 * 1024;
#endif

class StackMatrix : public testing::TestWithParam<MatrixCase> {};

TEST_P(StackMatrix, ExhaustionIsCleanAndTheStoreRecovers) {
  MatrixCase c = GetParam();
  Outcome out;
  if (c.small_thread)
    on_thread(kSmallThreadStack, [&] { out = run_case(c.tier, c.path); });
  else
    out = run_case(c.tier, c.path);
  EXPECT_EQ(out.deep, "exhausted");
  EXPECT_EQ(out.shallow, "10");
}

std::vector<MatrixCase> all_cases() {
  std::vector<MatrixCase> cases;
  for (Tier t : {Tier::Interp, Tier::Jit, Tier::Tiered})
    for (Path p : {Path::Direct, Path::Indirect, Path::Host, Path::Mixed})
      for (bool small : {false, true}) cases.push_back({t, p, small});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(All, StackMatrix, testing::ValuesIn(all_cases()), case_name);

} // namespace
} // namespace tandem
