// Batches: Tier::Jit compiles a module's functions into one assembler buffer
// per batch. A function the JIT rejects in the middle of a batch (here a
// legacy `try`, left to the interpreter) is abandoned with forward branches
// still pending; the functions after it must still be right, including the
// trap sites of their memory accesses (offsets are per function).
#include "tier_rig.h"

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

} // namespace
} // namespace tandem::jit::testing
