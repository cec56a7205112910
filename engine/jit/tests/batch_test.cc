// Batches: Tier::Jit compiles a module's functions into one assembler buffer
// per batch. A function the JIT rejects in the middle of a batch (here a
// legacy `try`, left to the interpreter) is abandoned with forward branches
// still pending; the functions after it must still be right, including the
// trap sites of their memory accesses (offsets are per function). A module
// of many batches is compiled on several threads (compile_pending), each
// batch into its own mapping, and installed in order.
#include "tier_rig.h"

#include <string>

namespace tandem::jit::testing {
namespace {

constexpr const char* kMixedBatch = R"(
  (module
    (memory 1)
    (tag $e)
    (func (export "before") (param i32) (result i32)
      (block $b (result i32)
        (br_if $b (i32.const 7) (local.get 0))
        (drop)
        (i32.const 9)))
    (func (export "rejected") (param i32) (result i32)
      (block $out (result i32)
        (br_if $out (i32.const 1) (local.get 0))
        (drop)
        (try (result i32)
          (do (throw $e))
          (catch $e (i32.const 2)))))
    (func (export "after") (param i32) (result i32)
      (block $b (result i32)
        (br_if $b (i32.const 5) (i32.eqz (local.get 0)))
        (drop)
        (i32.load (local.get 0))))
    (func (export "store") (param i32 i32)
      (i32.store (local.get 0) (local.get 1)))
    (func (export "both") (param i32) (result i32)
      (i32.add (call 1 (local.get 0)) (call 0 (local.get 0)))))
)";

TEST(JitBatch, FunctionsAfterARejectedOneStayCorrect) {
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    SCOPED_TRACE(tier_name(tier));
    EngineConfig config = config_for(tier);
    config.features.set(Feature::legacy_exceptions);
    TierRig rig(config);
    ASSERT_TRUE(rig.load(kMixedBatch));
    EXPECT_EQ(rig.bits("before", {Value::i32(1)}), 7u);
    EXPECT_EQ(rig.bits("before", {Value::i32(0)}), 9u);
    EXPECT_EQ(rig.bits("rejected", {Value::i32(1)}), 1u);
    EXPECT_EQ(rig.bits("rejected", {Value::i32(0)}), 2u);
    EXPECT_EQ(rig.bits("after", {Value::i32(0)}), 5u);
    rig.run("store", {Value::i32(16), Value::i32(1234)});
    EXPECT_EQ(rig.bits("after", {Value::i32(16)}), 1234u);
    // Out of bounds: the guard-page trap site of `after` and of `store`.
    EXPECT_EQ(rig.error("after", {Value::i32(65535)}), "out of bounds memory access");
    EXPECT_EQ(rig.error("store", {Value::i32(65533), Value::i32(1)}),
              "out of bounds memory access");
    EXPECT_EQ(rig.bits("both", {Value::i32(0)}), 11u);
    rig.expect_compiled("before");
    rig.expect_compiled("after");
    rig.expect_compiled("store");
    rig.expect_compiled("both");
    if (tier == Tier::Jit) {
      EXPECT_FALSE(jit::is_compiled(rig.func("rejected").raw()));
    }
  }
}

// 700 functions: six batches, compiled in parallel where the machine has
// more than one core. Every function reads memory (a trap site of its
// batch), calls one in another batch, and every 97th is rejected (a legacy
// `try`) and left to the interpreter. A call with 1 adds the callee's
// result; any other argument is an address.
TEST(JitBatch, ManyBatchesAllCompiledAndRight) {
  constexpr int kFuncs = 700;
  std::string wat = "(module (memory 1) (tag $e)\n";
  for (int i = 0; i < kFuncs; ++i) {
    std::string n = std::to_string(i);
    std::string callee = std::to_string((i + 300) % kFuncs);
    if (i % 97 == 0) {
      wat += "(func $f" + n + " (export \"f" + n +
             "\") (param i32) (result i32)"
             " (try (result i32) (do (throw $e)) (catch $e (i32.const " +
             n + "))))\n";
      continue;
    }
    wat += "(func $f" + n + " (export \"f" + n +
           "\") (param i32) (result i32)"
           " (if (result i32) (i32.eq (local.get 0) (i32.const 1))"
           " (then (i32.add (i32.const " +
           n + ") (call $f" + callee +
           " (i32.const 0))))"
           " (else (i32.add (i32.const " +
           n + ") (i32.load offset=" + std::to_string(4 * i) + " (local.get 0))))))\n";
  }
  wat += "(data (i32.const 0) \"\\01\\00\\00\\00\"))";
  EngineConfig config = config_for(Tier::Jit);
  config.features.set(Feature::legacy_exceptions);
  TierRig rig(config);
  ASSERT_TRUE(rig.load(wat));
  for (int i = 0; i < kFuncs; ++i) {
    SCOPED_TRACE(i);
    std::string name = "f" + std::to_string(i);
    if (i % 97 == 0) {
      EXPECT_EQ(rig.bits(name, {Value::i32(1)}), uint32_t(i));
      EXPECT_FALSE(jit::is_compiled(rig.func(name).raw()));
      continue;
    }
    // Memory is zero but for byte 0, which no compiled function reads.
    EXPECT_EQ(rig.bits(name, {Value::i32(0)}), uint32_t(i));
    EXPECT_EQ(rig.bits(name, {Value::i32(1)}), uint32_t(i + (i + 300) % kFuncs));
    EXPECT_TRUE(jit::is_compiled(rig.func(name).raw()));
  }
  // Guard-page trap sites in functions of every batch.
  for (int i : {1, 130, 260, 390, 520, 699})
    EXPECT_EQ(rig.error("f" + std::to_string(i), {Value::i32(65535)}),
              "out of bounds memory access")
        << i;
}

} // namespace
} // namespace tandem::jit::testing
