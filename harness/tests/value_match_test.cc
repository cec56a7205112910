// Tests of result-pattern matching: NaN patterns per lane, v128 results read in
// the pattern's shape, reference patterns (reference interpreter rules), either.
// Patterns come from real script text through the script parser.
#include "value_match.h"

#include <gtest/gtest.h>

namespace tandem::harness {
namespace {

// The patterns of the single assert_return in `text`.
std::vector<wast::ResultPattern> patterns(const std::string& results) {
  auto script = wast::parse_script("(assert_return (invoke \"f\") " + results + ")", "t.wast");
  EXPECT_TRUE(script.ok()) << (script.ok() ? "" : script.error().message);
  std::vector<wast::ResultPattern> out;
  if (!script.ok()) return out;
  for (const auto& e : script->commands.at(0).expected)
    out.push_back(std::get<wast::ResultPattern>(e));
  return out;
}

wast::ResultPattern pattern(const std::string& text) {
  auto p = patterns(text);
  EXPECT_EQ(p.size(), 1u);
  return p.empty() ? wast::ResultPattern{} : p[0];
}

// Host references in tests: bits encode kind (low byte) and host id (rest).
Value ref_value(RefKind kind, uint32_t host_id = 0, AbsHeap hierarchy = AbsHeap::Any) {
  RefBits bits{uintptr_t(kind) | (uintptr_t(host_id) << 8) | (uintptr_t(hierarchy) << 40)};
  return Value::ref(ValType::ref_null(hierarchy), bits);
}
RefDescription fake_describe(const Value& v) {
  RefDescription d;
  d.kind = RefKind(v.ref().bits & 0xff);
  uint32_t id = uint32_t((v.ref().bits >> 8) & 0xffffffff);
  if (id) d.host_id = id;
  d.hierarchy = AbsHeap((v.ref().bits >> 40) & 0xff);
  return d;
}
bool match(const std::string& text, const Value& v) {
  return matches_pattern(pattern(text), v, fake_describe);
}

V128 bytes_of(std::initializer_list<uint32_t> lanes32) {
  V128 v;
  int i = 0;
  for (uint32_t lane : lanes32)
    for (int b = 0; b < 4; ++b) v.bytes[i++] = uint8_t(lane >> (8 * b));
  return v;
}

TEST(ValueMatch, IntegersByBitsEitherSpelling) {
  EXPECT_TRUE(match("(i32.const -1)", Value::i32(0xffffffff)));
  EXPECT_TRUE(match("(i32.const 0xffffffff)", Value::i32(0xffffffff)));
  EXPECT_FALSE(match("(i32.const 1)", Value::i32(2)));
  EXPECT_FALSE(match("(i32.const 1)", Value::i64(1))); // type must agree
  EXPECT_TRUE(match("(i64.const -2)", Value::i64(0xfffffffffffffffe)));
}

TEST(ValueMatch, ScalarNanPatterns) {
  EXPECT_TRUE(match("(f32.const nan:canonical)", Value::f32_bits(0xffc00000)));
  EXPECT_FALSE(match("(f32.const nan:canonical)", Value::f32_bits(0x7fc00001)));
  EXPECT_TRUE(match("(f32.const nan:arithmetic)", Value::f32_bits(0x7fc00001)));
  EXPECT_FALSE(match("(f32.const nan:arithmetic)", Value::f32_bits(0x7f800001)));
  EXPECT_TRUE(match("(f32.const nan:0x200000)", Value::f32_bits(0x7fa00000)));
  EXPECT_FALSE(match("(f32.const nan)", Value::f32_bits(0xffc00000))); // literal: sign counts
  EXPECT_TRUE(match("(f64.const nan:canonical)", Value::f64_bits(0xfff8000000000000)));
  EXPECT_FALSE(match("(f64.const 0)", Value::f64_bits(0x8000000000000000)));
  EXPECT_FALSE(match("(f64.const nan:canonical)", Value::f32_bits(0x7fc00000)));
}

TEST(ValueMatch, V128InThePatternsShape) {
  Value v = Value::v128(bytes_of({0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c}));
  EXPECT_TRUE(match("(v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)", v));
  EXPECT_TRUE(
      match("(v128.const i16x8 0x0100 0x0302 0x0504 0x0706 0x0908 0x0b0a 0x0d0c 0x0f0e)", v));
  EXPECT_TRUE(match("(v128.const i64x2 0x0706050403020100 0x0f0e0d0c0b0a0908)", v));
  EXPECT_FALSE(match("(v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 16)", v));
  // Integer lanes may be written signed or unsigned.
  Value ones = Value::v128(bytes_of({0xffffffff, 0, 0, 0}));
  EXPECT_TRUE(match("(v128.const i16x8 -1 65535 0 0 0 0 0 0)", ones));
}

TEST(ValueMatch, V128NanPatternsPerLane) {
  Value v = Value::v128(bytes_of({0x7fc00000, 0xffc00001, 0x3f800000, 0x7fa00000}));
  EXPECT_TRUE(match("(v128.const f32x4 nan:canonical nan:arithmetic 1 nan:0x200000)", v));
  EXPECT_FALSE(match("(v128.const f32x4 nan:canonical nan:canonical 1 nan:0x200000)", v));
  EXPECT_FALSE(match("(v128.const f32x4 nan:canonical nan:arithmetic 1 nan:arithmetic)", v));
  EXPECT_TRUE(match("(v128.const i32x4 0x7fc00000 0xffc00001 0x3f800000 0x7fa00000)", v));
  Value d = Value::v128(bytes_of({0, 0x7ff80000, 1, 0xfff80000}));
  EXPECT_TRUE(match("(v128.const f64x2 nan:canonical nan:arithmetic)", d));
  EXPECT_FALSE(match("(v128.const f64x2 nan:canonical nan:canonical)", d));
  EXPECT_TRUE(match("(v128.const f64x2 nan:arithmetic nan:arithmetic)", d));
  EXPECT_FALSE(match("(v128.const f32x4 0 0 0 0)", Value::i32(0)));
}

TEST(ValueMatch, EitherMatchesAnyAlternative) {
  Value v = Value::v128(bytes_of({1, 2, 3, 4}));
  EXPECT_TRUE(match("(either (v128.const i32x4 0 0 0 0) (v128.const i32x4 1 2 3 4))", v));
  EXPECT_FALSE(match("(either (v128.const i32x4 0 0 0 0) (v128.const i32x4 1 2 3 5))", v));
}

TEST(ValueMatch, ReferencePatterns) {
  Value null_func = ref_value(RefKind::Null, 0, AbsHeap::Func);
  Value ext7 = ref_value(RefKind::Extern, 7, AbsHeap::Extern);
  Value host7 = ref_value(RefKind::HostAny, 7);
  Value func = ref_value(RefKind::Func, 0, AbsHeap::Func);
  Value i31 = ref_value(RefKind::I31);
  Value st = ref_value(RefKind::Struct);

  EXPECT_TRUE(match("(ref.null)", null_func));
  EXPECT_TRUE(match("(ref.null extern)", null_func)); // heap type ignored
  EXPECT_FALSE(match("(ref.null func)", func));
  EXPECT_TRUE(match("(ref.extern 7)", ext7));
  EXPECT_FALSE(match("(ref.extern 8)", ext7));
  EXPECT_FALSE(match("(ref.extern 7)", host7));
  EXPECT_TRUE(match("(ref.extern)", null_func)); // bare: anything
  EXPECT_TRUE(match("(ref.host 7)", host7));
  EXPECT_FALSE(match("(ref.host 7)", ext7));
  EXPECT_TRUE(match("(ref.func)", func));
  EXPECT_FALSE(match("(ref.func)", null_func));
  EXPECT_TRUE(match("(ref.eq)", i31));
  EXPECT_TRUE(match("(ref.eq)", st));
  EXPECT_FALSE(match("(ref.eq)", host7));
  EXPECT_TRUE(match("(ref.i31)", i31));
  EXPECT_FALSE(match("(ref.struct)", i31));
  EXPECT_TRUE(match("(ref.struct)", st));
  EXPECT_FALSE(match("(ref.func)", Value::i32(0)));
}

TEST(ValueMatch, ResultCountsAndSpelling) {
  auto ps = patterns("(i32.const 1) (f32.const nan:canonical)");
  std::vector<Value> ok{Value::i32(1), Value::f32_bits(0x7fc00000)};
  std::vector<Value> one{Value::i32(1)};
  EXPECT_TRUE(matches_results(ps, ok, fake_describe));
  EXPECT_FALSE(matches_results(ps, one, fake_describe));
  EXPECT_EQ(format_patterns(ps), "(i32.const 1) (f32.const nan:canonical)");
  EXPECT_EQ(format_values(one, ps, fake_describe), "(i32.const 1)");
  EXPECT_EQ(format_values({}, ps, fake_describe), "no results");
  auto v = patterns("(v128.const i16x8 1 2 3 4 5 6 7 8)");
  std::vector<Value> vals{Value::v128(bytes_of({0x00020001, 0, 0, 0}))};
  EXPECT_EQ(format_values(vals, v, fake_describe), "(v128.const i16x8 1 2 0 0 0 0 0 0)");
  EXPECT_EQ(format_pattern(pattern("(v128.const f64x2 nan:arithmetic -0)")),
            "(v128.const f64x2 nan:arithmetic -0)");
  EXPECT_EQ(format_pattern(pattern("(ref.extern 3)")), "(ref.extern 3)");
}

} // namespace
} // namespace tandem::harness
