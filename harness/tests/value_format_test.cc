// Tests of NaN classes, v128 lane reinterpretation and value spelling.
#include "value_format.h"

#include <gtest/gtest.h>

namespace tandem::harness {
namespace {

TEST(NanClasses, F32) {
  EXPECT_TRUE(f32_matches(0x7fc00000, 0, NanPattern::Canonical));
  EXPECT_TRUE(f32_matches(0xffc00000, 0, NanPattern::Canonical));
  EXPECT_FALSE(f32_matches(0x7fc00001, 0, NanPattern::Canonical));
  EXPECT_FALSE(f32_matches(0x7fa00000, 0, NanPattern::Canonical)); // signalling
  EXPECT_TRUE(f32_matches(0x7fc00001, 0, NanPattern::Arithmetic));
  EXPECT_TRUE(f32_matches(0xffe00000, 0, NanPattern::Arithmetic));
  EXPECT_FALSE(f32_matches(0x7f800001, 0, NanPattern::Arithmetic)); // quiet bit clear
  EXPECT_FALSE(f32_matches(0x7f800000, 0, NanPattern::Arithmetic)); // infinity
  EXPECT_FALSE(f32_matches(0x3f800000, 0, NanPattern::Arithmetic));
  // Literal NaNs compare bit for bit, sign and payload included.
  EXPECT_TRUE(f32_matches(0x7fa00000, 0x7fa00000, NanPattern::None));
  EXPECT_FALSE(f32_matches(0xffc00000, 0x7fc00000, NanPattern::None));
}

TEST(NanClasses, F64) {
  EXPECT_TRUE(f64_matches(0x7ff8000000000000, 0, NanPattern::Canonical));
  EXPECT_TRUE(f64_matches(0xfff8000000000000, 0, NanPattern::Canonical));
  EXPECT_FALSE(f64_matches(0x7ff8000000000001, 0, NanPattern::Canonical));
  EXPECT_TRUE(f64_matches(0x7ff8000000000001, 0, NanPattern::Arithmetic));
  EXPECT_FALSE(f64_matches(0x7ff0000000000001, 0, NanPattern::Arithmetic));
  EXPECT_FALSE(f64_matches(0x7ff0000000000000, 0, NanPattern::Arithmetic));
  EXPECT_TRUE(f64_matches(0x8000000000000000, 0x8000000000000000, NanPattern::None));
  EXPECT_FALSE(f64_matches(0x8000000000000000, 0, NanPattern::None)); // -0 != +0
}

TEST(V128Lanes, ReinterpretedInAnyShape) {
  V128 v;
  for (int i = 0; i < 16; ++i) v.bytes[i] = uint8_t(i + 1);
  EXPECT_EQ(v128_lane(v, LaneShape::I8x16, 15), 16u);
  EXPECT_EQ(v128_lane(v, LaneShape::I16x8, 1), 0x0403u);
  EXPECT_EQ(v128_lane(v, LaneShape::I32x4, 3), 0x100f0e0du);
  EXPECT_EQ(v128_lane(v, LaneShape::F64x2, 0), 0x0807060504030201u);
  EXPECT_EQ(wast::lane_count(LaneShape::I16x8), 8u);
  EXPECT_EQ(wast::lane_count(LaneShape::F64x2), 2u);
}

TEST(Formatting, ScalarsAndVectors) {
  EXPECT_EQ(format_scalar(Value::i32(0xffffffff)), "(i32.const -1)");
  EXPECT_EQ(format_scalar(Value::i64(5)), "(i64.const 5)");
  EXPECT_EQ(format_scalar(Value::f32_bits(0x3fc00000)), "(f32.const 1.5)");
  EXPECT_EQ(format_scalar(Value::f32_bits(0xffa00000)), "(f32.const -nan:0x200000)");
  EXPECT_EQ(format_scalar(Value::f64_bits(0x7ff8000000000000)), "(f64.const nan:0x8000000000000)");
  V128 v;
  v.bytes[0] = 0xff;
  EXPECT_EQ(format_v128(v, LaneShape::I16x8), "(v128.const i16x8 255 0 0 0 0 0 0 0)");
  EXPECT_EQ(format_v128(v, LaneShape::I8x16).substr(0, 24), "(v128.const i8x16 -1 0 0");
  RefDescription r;
  r.kind = RefKind::Extern;
  r.host_id = 7;
  EXPECT_EQ(format_ref(r), "(ref.extern 7)");
  r.kind = RefKind::Null;
  r.hierarchy = AbsHeap::Func;
  EXPECT_EQ(format_ref(r), "(ref.null func)");
}

} // namespace
} // namespace tandem::harness
