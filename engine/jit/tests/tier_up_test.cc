// Tier-up: functions start interpreted, hot ones (calls and loop back-edges
// counted by the interpreter) are compiled - synchronously or on the
// background compiler thread - and switched atomically; random per-function
// tier choice mixes the tiers in one program; destroying a store with
// pending compile jobs is safe.
#include "jit/tests/tier_rig.h"
#include "jit/tier_up.h"
#include "runtime/store.h"

using namespace tandem;
using namespace tandem::jit::testing;

namespace {

TierRig tiered(uint32_t threshold) {
  EngineConfig c;
  c.tier = Tier::Tiered;
  c.tierup_threshold = threshold;
  return TierRig(c);
}

constexpr const char* kModule = R"((module
  (func $sq (export "sq") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func (export "loop") (param i32) (result i32) (local i32)
    (block $done (loop $top
      (br_if $done (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (call $sq (local.get 0))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br $top)))
    (local.get 1))
))";

TEST(TierUp, SynchronousCountingCompilesAtTheThreshold) {
  TierRig rig = tiered(5);
  jit::TierUpConfig cfg{jit::TierUpMode::Counting, 5, 0, false};
  rig.store.impl()->exec.tierup = jit::tier_up_hook(cfg);
  ASSERT_TRUE(rig.load(kModule));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(rig.bits("sq", {i32(7)}), 49u);
    EXPECT_FALSE(jit::is_compiled(rig.func("sq").raw())) << i;
  }
  EXPECT_EQ(rig.bits("sq", {i32(7)}), 49u); // 5th call: compiled, then run compiled
  EXPECT_TRUE(jit::is_compiled(rig.func("sq").raw()));
  EXPECT_EQ(rig.bits("sq", {i32(9)}), 81u);
}

TEST(TierUp, LoopBackEdgesCountAndBackgroundCompilesSwitchLater) {
  TierRig rig = tiered(1000);
  ASSERT_TRUE(rig.load(kModule));
  // One call: 2000 back-edges and 2000 calls of $sq queue both functions.
  EXPECT_EQ(rig.bits("loop", {i32(2000)}), 2668667000u);
  jit::wait_for_background_compiles();
  // Installed at the loop's next count check: later in the first call (a
  // back-edge, then on-stack replacement) if the compile was fast, else at
  // the next call.
  EXPECT_EQ(rig.bits("loop", {i32(2000)}), 2668667000u);
  EXPECT_TRUE(jit::is_compiled(rig.func("loop").raw()));
  EXPECT_TRUE(jit::is_compiled(rig.func("sq").raw()));
  EXPECT_EQ(rig.bits("loop", {i32(1000)}), 333833500u);
}

TEST(TierUp, FusedCompareBranchBackEdgesCount) {
  TierRig rig = tiered(1000);
  jit::TierUpConfig cfg{jit::TierUpMode::Counting, 1000, 0, false};
  rig.store.impl()->exec.tierup = jit::tier_up_hook(cfg);
  ASSERT_TRUE(rig.load(R"((module
    (func (export "count") (param i32) (result i32)
      (loop $top
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (br_if $top (i32.lt_u (local.get 0) (i32.const 5000))))
      (local.get 0))
  ))"));
  EXPECT_EQ(rig.bits("count", {i32(0)}), 5000u); // one call, 5000 back-edges
  EXPECT_TRUE(jit::is_compiled(rig.func("count").raw()));
  EXPECT_EQ(rig.bits("count", {i32(10)}), 5000u);
}

TEST(TierUp, ThresholdZeroIsJitOnly) {
  TierRig rig = tiered(0);
  ASSERT_TRUE(rig.load(kModule));
  EXPECT_EQ(rig.bits("sq", {i32(3)}), 9u);
  EXPECT_TRUE(jit::is_compiled(rig.func("sq").raw()));
}

// The recursion depth of RandomPerFunctionChoiceMixesTiers. Each call from
// compiled code into an interpreted function is a new native activation of
// the interpreter loop: a few hundred bytes normally, but about 100 KiB under
// ASan (its redzoned frame for the large dispatch function), where 400 levels
// of crossings exhaust the thread's native stack and the call traps (cleanly,
// "call stack exhausted"). 48 levels still cross the tiers both ways several
// times over the 16 functions.
#if defined(__SANITIZE_ADDRESS__)
#define TANDEM_TIER_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TANDEM_TIER_TEST_ASAN 1
#endif
#endif
#ifdef TANDEM_TIER_TEST_ASAN
constexpr uint32_t kMixedDepth = 48;
#else
constexpr uint32_t kMixedDepth = 400;
#endif

TEST(TierUp, RandomPerFunctionChoiceMixesTiers) {
  // Mutually recursive functions, each randomly compiled or interpreted:
  // calls cross the tiers in both directions, including tail calls.
  std::string wat = "(module\n";
  const int n = 16;
  for (int i = 0; i < n; ++i) {
    std::string next = std::to_string((i + 1) % n);
    wat += "(func $f" + std::to_string(i) + " (export \"f" + std::to_string(i) +
           "\") (param i32 i64) (result i64)\n"
           "  (if (result i64) (i32.eqz (local.get 0)) (then (local.get 1))\n"
           "    (else " +
           std::string(i % 3 == 0 ? "(return_call $f" : "(call $f") + next +
           " (i32.sub (local.get 0) (i32.const 1))\n"
           "      (i64.add (i64.mul (local.get 1) (i64.const 3)) (i64.const " +
           std::to_string(i) + "))))))\n";
  }
  wat += ")";
  uint64_t expected = 0;
  {
    TierRig ref(Tier::Interp);
    ASSERT_TRUE(ref.load(wat));
    expected = ref.bits("f0", {i32(kMixedDepth), i64(1)});
  }
  int compiled_total = 0;
  for (uint64_t seed : {1ull, 2ull, 3ull, 42ull}) {
    TierRig rig = tiered(1000);
    rig.store.impl()->exec.tierup = jit::tier_up_hook({jit::TierUpMode::Random, 1, seed, false});
    ASSERT_TRUE(rig.load(wat));
    EXPECT_EQ(rig.bits("f0", {i32(kMixedDepth), i64(1)}), expected) << seed;
    int compiled = 0;
    for (int i = 0; i < n; ++i)
      compiled += jit::is_compiled(rig.func("f" + std::to_string(i)).raw());
    EXPECT_GT(compiled, 0) << seed;
    EXPECT_LT(compiled, n) << seed;
    compiled_total += compiled;
  }
  EXPECT_GT(compiled_total, 0);
}

TEST(TierUp, StoreDiesWithPendingJobs) {
  for (int round = 0; round < 20; ++round) {
    TierRig rig = tiered(1);
    std::string wat = "(module\n";
    for (int i = 0; i < 30; ++i)
      wat += "(func (export \"f" + std::to_string(i) + "\") (result i32) (i32.const " +
             std::to_string(i) + "))\n";
    wat += ")";
    ASSERT_TRUE(rig.load(wat));
    for (int i = 0; i < 30; ++i) EXPECT_EQ(rig.bits("f" + std::to_string(i)), uint64_t(i));
    // The rig (and its store, with queued or running jobs) dies here.
  }
  jit::wait_for_background_compiles();
}

} // namespace
