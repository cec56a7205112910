// Tests of the differential agreement rule: NaN patterns for floats and v128
// lanes (in the expected pattern's shape, or any float shape), bit-exact
// everything else, and the "interp: ... | jit: ..." report of a disagreement.
#include "differential_compare.h"

#include <gtest/gtest.h>

namespace tandem::harness {
namespace {

constexpr uint32_t kF32Canonical = 0x7fc00000u;
constexpr uint64_t kF64Canonical = 0x7ff8000000000000ull;

V128 f64x2(uint64_t lo, uint64_t hi) {
  V128 v;
  for (int i = 0; i < 8; ++i) {
    v.bytes[i] = uint8_t(lo >> (8 * i));
    v.bytes[8 + i] = uint8_t(hi >> (8 * i));
  }
  return v;
}

Observation values(std::vector<Value> vs, std::string text) {
  Observation o;
  o.text = std::move(text);
  o.has_values = true;
  o.value_texts.assign(vs.size(), "v");
  o.values = std::move(vs);
  return o;
}

TEST(DifferentialCompare, NonNanFloatsAreBitExact) {
  EXPECT_TRUE(f32_agree(0x3f800000u, 0x3f800000u));
  EXPECT_FALSE(f32_agree(0x3f800000u, 0x3f800001u));
  EXPECT_FALSE(f32_agree(0x00000000u, 0x80000000u));                     // +0 vs -0
  EXPECT_FALSE(f64_agree(0x7ff0000000000000ull, 0xfff0000000000000ull)); // +inf vs -inf
}

TEST(DifferentialCompare, NansAgreeByPattern) {
  // Canonical NaNs of either sign agree.
  EXPECT_TRUE(f32_agree(kF32Canonical, kF32Canonical | 0x80000000u));
  EXPECT_TRUE(f64_agree(kF64Canonical, kF64Canonical | 0x8000000000000000ull));
  // Arithmetic (non-canonical) NaNs agree whatever their payload.
  EXPECT_TRUE(f32_agree(0x7fc00001u, 0xffc12345u));
  EXPECT_TRUE(f64_agree(0x7ff8000000000001ull, 0x7ffc000000000000ull));
  // Canonical against arithmetic: different patterns.
  EXPECT_FALSE(f32_agree(kF32Canonical, 0x7fc00001u));
  EXPECT_FALSE(f64_agree(kF64Canonical, 0x7ff8000000000001ull));
  // A NaN against a number.
  EXPECT_FALSE(f64_agree(kF64Canonical, 0x3ff0000000000000ull));
  // Signalling NaNs come from no arithmetic: bit for bit.
  EXPECT_TRUE(f32_agree(0x7f800001u, 0x7f800001u));
  EXPECT_FALSE(f32_agree(0x7f800001u, 0x7f800002u));
  EXPECT_FALSE(f64_agree(0x7ff0000000000001ull, 0xfff0000000000001ull));
}

TEST(DifferentialCompare, V128LanesInTheExpectedShape) {
  V128 a = f64x2(kF64Canonical, 0x3ff0000000000000ull);
  V128 b = f64x2(kF64Canonical | 0x8000000000000000ull, 0x3ff0000000000000ull);
  EXPECT_TRUE(v128_agree(a, b, wast::LaneShape::F64x2));
  EXPECT_TRUE(v128_agree(a, b, std::nullopt)); // some float shape explains it
  // In an integer shape the sign bit is data.
  EXPECT_FALSE(v128_agree(a, b, wast::LaneShape::I64x2));
  EXPECT_FALSE(v128_agree(a, b, wast::LaneShape::I32x4));
  // A payload difference in an f64 NaN lane is not an f32x4 agreement.
  V128 c = f64x2(0x7ff8000000000001ull, 0);
  V128 d = f64x2(0x7ff8000000000002ull, 0);
  EXPECT_TRUE(v128_agree(c, d, wast::LaneShape::F64x2));
  EXPECT_FALSE(v128_agree(c, d, wast::LaneShape::F32x4));
  // A non-NaN lane differs: no shape explains it.
  EXPECT_FALSE(v128_agree(f64x2(kF64Canonical, 1), f64x2(kF64Canonical, 2), std::nullopt));
}

TEST(DifferentialCompare, ExpectedNanPatternDecides) {
  // nan:arithmetic expected: a canonical and a non-canonical arithmetic NaN
  // are both allowed, so the tiers agree; a number on one side does not.
  wast::ResultPattern scalar;
  scalar.kind = wast::ResultPattern::Kind::F64;
  scalar.nan = wast::NanPattern::Arithmetic;
  Observation a = values({Value::f64_bits(kF64Canonical | 0x8000000000000000ull)}, "a");
  Observation b = values({Value::f64_bits(0x7ffc000000000000ull)}, "b");
  EXPECT_FALSE(observations_agree(a, b, {}));
  EXPECT_TRUE(observations_agree(a, b, {&scalar, 1}));
  Observation c = values({Value::f64_bits(0x3ff0000000000000ull)}, "c");
  EXPECT_FALSE(observations_agree(a, c, {&scalar, 1}));
  // nan:canonical expected: an arithmetic NaN on one side is a mismatch.
  scalar.nan = wast::NanPattern::Canonical;
  EXPECT_FALSE(observations_agree(a, b, {&scalar, 1}));

  wast::ResultPattern vec;
  vec.kind = wast::ResultPattern::Kind::V128;
  vec.shape = wast::LaneShape::F64x2;
  vec.lane_nan[0] = wast::NanPattern::Arithmetic;
  V128 x = f64x2(0x7ffc000000000000ull, 0x4000000000000000ull);
  V128 y = f64x2(0xfff8000000000000ull, 0x4000000000000000ull);
  EXPECT_TRUE(v128_agree_with(x, y, vec));
  EXPECT_FALSE(v128_agree(x, y, wast::LaneShape::F64x2));
  // The second lane expects a number: it stays bit for bit.
  EXPECT_FALSE(v128_agree_with(x, f64x2(0xfff8000000000000ull, 0x4000000000000001ull), vec));
}

TEST(DifferentialCompare, ObservationsAndReport) {
  Observation a = values({Value::f64_bits(kF64Canonical), Value::i32(3)}, "nan 3");
  Observation b =
      values({Value::f64_bits(kF64Canonical | 0x8000000000000000ull), Value::i32(3)}, "-nan 3");
  EXPECT_TRUE(observations_agree(a, b, {}));
  Observation c = values({Value::f64_bits(kF64Canonical), Value::i32(2)}, "nan 2");
  c.value_texts[1] = "other";
  EXPECT_FALSE(observations_agree(a, c, {}));
  EXPECT_FALSE(observations_agree(Observation{"compiled"}, Observation{"compile Invalid: x"}, {}));

  std::vector<Observation> left{Observation{"compiled"}, a};
  std::vector<Observation> right{Observation{"compiled"}, c};
  auto diff = first_disagreement(left, right, {}, "interp", "jit");
  ASSERT_TRUE(diff.has_value());
  EXPECT_EQ(*diff, "interp: nan 3 | jit: nan 2");
  EXPECT_FALSE(first_disagreement(left, left, {}, "interp", "jit").has_value());
  // A missing observation on one side is a disagreement.
  auto shorter = first_disagreement(left, {Observation{"compiled"}}, {}, "interp", "jit");
  ASSERT_TRUE(shorter.has_value());
  EXPECT_EQ(*shorter, "interp: nan 3 | jit: (nothing)");
}

} // namespace
} // namespace tandem::harness
