// On-stack replacement: an interpreted call of a function that becomes hot
// moves to the compiled code at a back-edge to a loop head with an empty
// operand stack. Every module here runs on the interpreter alone for the
// expected results, then tiered (synchronous counting with low thresholds,
// and the random per-function mode with delayed compiles), and the results,
// traps and exceptions must agree; JitStats::osr_entries proves that the
// transfers happened.
#include "jit/tests/tier_rig.h"
#include "jit/tier_up.h"
#include "runtime/store.h"

using namespace tandem;
using namespace tandem::jit::testing;

namespace {

constexpr const char* kModule = R"((module
  (memory 1)
  (tag $e (param i32))
  ;; Every kind of local is live across the OSR point, and memory is used.
  (func (export "mix") (param $n i32) (result i64)
    (local $a i64) (local $f f32) (local $d f64) (local $v v128) (local $i i32)
    (local.set $v (v128.const i32x4 1 2 3 4))
    (loop $top
      (local.set $a (i64.add (i64.mul (local.get $a) (i64.const 31))
                             (i64.extend_i32_u (local.get $i))))
      (local.set $f (f32.add (local.get $f) (f32.const 0.5)))
      (local.set $d (f64.add (local.get $d) (f64.convert_i32_u (local.get $i))))
      (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get $i))))
      (i32.store (i32.and (i32.mul (local.get $i) (i32.const 4)) (i32.const 0xfffc))
                 (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (i64.add (local.get $a)
      (i64.add (i64.trunc_f32_u (local.get $f))
        (i64.add (i64.trunc_f64_u (local.get $d))
          (i64.add (i64.extend_i32_u (i32x4.extract_lane 3 (local.get $v)))
                   (i64.extend_i32_u (i32.load (i32.const 400))))))))
  ;; Nested loops; the callee runs below a caller with a live operand.
  (func $inner (param $n i32) (result i32 i32) (local $i i32) (local $j i32) (local $s i32)
    (loop $outer
      (local.set $j (i32.const 0))
      (loop $l
        (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $j) (i32.const 7))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s) (local.get $i))
  (func (export "caller") (param $n i32) (result i32)
    (i32.add (i32.const 7) (i32.xor (call $inner (local.get $n)))))
  ;; Loops that are no OSR points: a value below, and loop parameters.
  (func (export "not_points") (param $n i32) (result i32) (local $i i32)
    (i32.add (local.get $n)
      (loop $l (result i32)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))
        (local.get $i)))
    (i32.const 0)
    (loop $p (param i32) (result i32)
      (i32.add (i32.const 3))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $p (local.get $i)))
    (i32.add))
  ;; A trap after the transfer, at the bottom of the activation and below a caller.
  (func $trap_after (export "trap_after") (param $n i32) (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (drop (i32.div_u (i32.const 1) (i32.sub (local.get $n) (local.get $i))))
      (br $l))
    (i32.const 0))
  (func (export "trap_below") (param $n i32) (result i32)
    (i32.add (i32.const 1) (call $trap_after (local.get $n))))
  ;; Exceptions after the transfer: caught by an interpreted caller, and
  ;; inside the transferred function itself.
  (func $thrower (param $n i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.eq (local.get $i) (local.get $n)) (then (throw $e (local.get $i))))
      (br $l)))
  (func (export "catch_outer") (param $n i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $thrower (local.get $n)))
      (i32.const -1)))
  (func (export "uncaught") (param $n i32) (call $thrower (local.get $n)))
  (func (export "catch_inner") (param $n i32) (result i32) (local $i i32) (local $c i32)
    (loop $outer
      (local.set $c (i32.add (local.get $c)
        (block $h (result i32)
          (try_table (catch $e $h)
            (loop $l
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 100)))
                (then (throw $e (local.get $i))))
              (br $l)))
          (i32.const 0))))
      (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $c))
  ;; Deep recursion through functions that each ran a loop.
  (func $rec (export "rec") (param $d i32) (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (if (result i32) (i32.eqz (local.get $d))
      (then (i32.const 0))
      (else (i32.add (call $rec (i32.sub (local.get $d) (i32.const 1))) (local.get $i)))))
))";

struct Case {
  const char* name;
  std::vector<Value> args;
};

// The calls every rig makes, in order (later calls see earlier side effects).
std::vector<Case> cases() {
  return {{"mix", {i32(5000)}}, {"caller", {i32(300)}},      {"not_points", {i32(2000)}},
          {"mix", {i32(70)}},   {"catch_outer", {i32(900)}}, {"catch_inner", {i32(2000)}},
          {"caller", {i32(3)}}, {"rec", {i32(200)}},         {"catch_outer", {i32(5)}}};
}

// One call's outcome as text: the result bits, or the error kind and message.
std::string outcome(TierRig& rig, const std::string& name, std::vector<Value> args) {
  auto r = rig.call(name, std::move(args));
  if (!r.ok())
    return name + " error " + std::to_string(int(r.error().kind)) + " " + r.error().message;
  if (r->size() != 1) return name + " results " + std::to_string(r->size());
  const Value& v = (*r)[0];
  uint64_t bits = v.type().kind() == ValKind::I64 ? v.i64() : v.i32();
  return name + " = " + std::to_string(bits);
}

// Runs the cases and the failing calls; returns a transcript to compare.
std::vector<std::string> transcript(TierRig& rig) {
  std::vector<std::string> out;
  for (const Case& c : cases()) out.push_back(outcome(rig, c.name, c.args));
  out.push_back(outcome(rig, "trap_after", {i32(3000)}));
  out.push_back(outcome(rig, "trap_below", {i32(2500)}));
  out.push_back(outcome(rig, "uncaught", {i32(1500)}));
  out.push_back(outcome(rig, "rec", {i32(10000000)}));
  out.push_back(outcome(rig, "rec", {i32(10)})); // the store still works
  out.push_back(outcome(rig, "trap_after", {i32(40)}));
  return out;
}

std::vector<std::string> expected_transcript() {
  TierRig ref(Tier::Interp);
  EXPECT_TRUE(ref.load(kModule));
  return transcript(ref);
}

EngineConfig tiered_config() {
  EngineConfig c;
  c.tier = Tier::Tiered;
  return c;
}

// A tiered rig whose store uses the policy `cfg`.
#define TIERED_RIG(rig, cfg)                                                                       \
  TierRig rig(tiered_config());                                                                    \
  rig.store.impl()->exec.tierup = jit::tier_up_hook(cfg)

TEST(Osr, CountingTransfersAtLoopHeadsAndAgreesWithTheInterpreter) {
  std::vector<std::string> expected = expected_transcript();
  for (uint32_t threshold : {1u, 7u, 50u, 1000u}) {
    uint64_t before = jit::stats().osr_entries;
    TIERED_RIG(rig, (jit::TierUpConfig{jit::TierUpMode::Counting, threshold, 0, false}));
    ASSERT_TRUE(rig.load(kModule));
    EXPECT_EQ(transcript(rig), expected) << threshold;
    if (threshold > 1) { // at 1 every function compiles at its first call
      EXPECT_GT(jit::stats().osr_entries, before) << threshold;
    }
    EXPECT_TRUE(jit::is_compiled(rig.func("mix").raw()));
  }
}

TEST(Osr, OneLongCallMovesToCompiledCode) {
  TIERED_RIG(rig, (jit::TierUpConfig{jit::TierUpMode::Counting, 100, 0, false}));
  ASSERT_TRUE(rig.load(kModule));
  uint64_t before = jit::stats().osr_entries;
  TierRig ref(Tier::Interp);
  ASSERT_TRUE(ref.load(kModule));
  EXPECT_EQ(rig.bits("mix", {i32(20000)}), ref.bits("mix", {i32(20000)}));
  EXPECT_EQ(jit::stats().osr_entries, before + 1); // the first call, at back-edge 100
  EXPECT_EQ(rig.bits("mix", {i32(20000)}), ref.bits("mix", {i32(20000)})); // an ordinary call
  EXPECT_EQ(jit::stats().osr_entries, before + 1);
}

TEST(Osr, DisabledByConfiguration) {
  TIERED_RIG(rig, (jit::TierUpConfig{jit::TierUpMode::Counting, 100, 0, false, /*osr=*/false}));
  ASSERT_TRUE(rig.load(kModule));
  uint64_t before = jit::stats().osr_entries;
  TierRig ref(Tier::Interp);
  ASSERT_TRUE(ref.load(kModule));
  EXPECT_EQ(rig.bits("mix", {i32(20000)}), ref.bits("mix", {i32(20000)}));
  EXPECT_EQ(jit::stats().osr_entries, before);
}

TEST(Osr, RandomPerFunctionModeWithDelayedCompiles) {
  std::vector<std::string> expected = expected_transcript();
  uint64_t before = jit::stats().osr_entries;
  for (uint64_t seed : {1ull, 2ull, 3ull, 4ull, 5ull, 6ull, 7ull, 42ull}) {
    TIERED_RIG(rig, (jit::TierUpConfig{jit::TierUpMode::Random, 1, seed, false}));
    ASSERT_TRUE(rig.load(kModule));
    EXPECT_EQ(transcript(rig), expected) << seed;
  }
  EXPECT_GT(jit::stats().osr_entries, before);
}

TEST(Osr, BackgroundCompilesAgree) {
  std::vector<std::string> expected = expected_transcript();
  TIERED_RIG(rig, (jit::TierUpConfig{jit::TierUpMode::Counting, 20, 0, true}));
  ASSERT_TRUE(rig.load(kModule));
  EXPECT_EQ(transcript(rig), expected);
  jit::wait_for_background_compiles();
  EXPECT_EQ(transcript(rig), expected);
}

} // namespace
