// Value parsing tests: core arguments (all v128 shapes, lane counts, NaN
// payloads, reference forms), core result patterns (per-lane NaN patterns,
// ref patterns, either) and component values.
#include "wast/script.h"

#include <gtest/gtest.h>

namespace tandem::wast {
namespace {

std::vector<Arg> args_of(std::string_view invoke_args) {
  std::string src = "(invoke \"f\" " + std::string(invoke_args) + ")";
  auto r = parse_script(src, "v.wast");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : format_error(r.error(), "v.wast"));
  if (!r.ok()) return {};
  return r->commands.at(0).action.args;
}

std::vector<Expected> results_of(std::string_view results) {
  std::string src = "(assert_return (invoke \"f\") " + std::string(results) + ")";
  auto r = parse_script(src, "v.wast");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : format_error(r.error(), "v.wast"));
  if (!r.ok()) return {};
  return r->commands.at(0).expected;
}

std::string error_of(std::string_view src) {
  auto r = parse_script(src, "v.wast");
  return r.ok() ? "ok" : r.error().message;
}

const CoreValue& core(const Arg& a) {
  return std::get<CoreValue>(a);
}
const ResultPattern& pat(const Expected& e) {
  return std::get<ResultPattern>(e);
}
const CompValue& comp(const Arg& a) {
  return std::get<CompValue>(a);
}

TEST(Values, ScalarArgs) {
  auto a = args_of("(i32.const -1) (i64.const 0x8000000000000000) (f32.const -nan:0x1) "
                   "(f64.const 0x1p-1074) (f32.const 1)");
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(core(a[0]).kind, CoreValue::Kind::I32);
  EXPECT_EQ(core(a[0]).bits, 0xffffffffu);
  EXPECT_EQ(core(a[1]).bits, 0x8000000000000000ull);
  EXPECT_EQ(core(a[2]).kind, CoreValue::Kind::F32);
  EXPECT_EQ(core(a[2]).bits, 0xff800001u);
  EXPECT_EQ(core(a[3]).bits, 1u);
  EXPECT_EQ(core(a[4]).bits, 0x3f800000u); // top-level f32.const is a core value
}

TEST(Values, V128ArgsAllShapes) {
  auto a = args_of("(v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1)"
                   "(v128.const i16x8 -1 0 0 0 0 0 0 0x1234)"
                   "(v128.const i32x4 0xffffffff -2 3 4)"
                   "(v128.const i64x2 -1 0x0102030405060708)"
                   "(v128.const f32x4 nan:0x1 -0 1 inf)"
                   "(v128.const f64x2 -nan 0x1p0)");
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(core(a[0]).shape, LaneShape::I8x16);
  EXPECT_EQ(core(a[0]).v128[1], 1);
  EXPECT_EQ(core(a[0]).v128[15], 0xff);
  EXPECT_EQ(core(a[1]).v128[0], 0xff);
  EXPECT_EQ(core(a[1]).v128[1], 0xff);
  EXPECT_EQ(core(a[1]).v128[14], 0x34);
  EXPECT_EQ(core(a[1]).v128[15], 0x12);
  EXPECT_EQ(core(a[2]).v128[4], 0xfe);
  EXPECT_EQ(core(a[3]).v128[8], 0x08);
  EXPECT_EQ(core(a[3]).v128[15], 0x01);
  // f32x4 lane 0 = 0x7f800001 (a signalling NaN, kept bit-exact).
  EXPECT_EQ(core(a[4]).v128[0], 0x01);
  EXPECT_EQ(core(a[4]).v128[3], 0x7f);
  EXPECT_EQ(core(a[4]).v128[7], 0x80); // -0
  EXPECT_EQ(core(a[5]).v128[7], 0xff); // -nan = 0xfff8...
  EXPECT_EQ(core(a[5]).v128[6], 0xf8);
  EXPECT_EQ(core(a[5]).v128[15], 0x3f);
}

TEST(Values, V128LaneCountsAndRanges) {
  EXPECT_EQ(error_of("(invoke \"f\" (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))"),
            "wrong number of lane literals");
  EXPECT_EQ(error_of("(invoke \"f\" (v128.const i64x2 0 0 0))"), "wrong number of lane literals");
  EXPECT_EQ(error_of("(invoke \"f\" (v128.const i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))"),
            "constant out of range");
  EXPECT_EQ(error_of("(invoke \"f\" (v128.const i8x16 -129 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))"),
            "constant out of range");
  EXPECT_EQ(error_of("(invoke \"f\" (v128.const i32x8 0))"), "invalid lane shape");
  // NaN patterns are not arguments.
  EXPECT_NE(error_of("(invoke \"f\" (v128.const f32x4 nan:canonical 0 0 0))"), "ok");
  EXPECT_NE(error_of("(invoke \"f\" (f32.const nan:canonical))"), "ok");
}

TEST(Values, RefArgs) {
  auto a = args_of("(ref.null extern) (ref.null func) (ref.null none) (ref.null 3) "
                   "(ref.extern 7) (ref.host 0xffffffff)");
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(core(a[0]).kind, CoreValue::Kind::RefNull);
  EXPECT_EQ(core(a[0]).heap, HeapType::abstract(AbsHeap::Extern));
  EXPECT_EQ(core(a[1]).heap, HeapType::abstract(AbsHeap::Func));
  EXPECT_EQ(core(a[2]).heap, HeapType::abstract(AbsHeap::None));
  EXPECT_EQ(core(a[3]).heap, HeapType::index(3));
  EXPECT_EQ(core(a[4]).kind, CoreValue::Kind::RefExtern);
  EXPECT_EQ(core(a[4]).bits, 7u);
  EXPECT_EQ(core(a[5]).kind, CoreValue::Kind::RefHost);
  EXPECT_EQ(core(a[5]).bits, 0xffffffffu);
  EXPECT_NE(error_of("(invoke \"f\" (ref.null bogus))"), "ok");
  EXPECT_NE(error_of("(invoke \"f\" (ref.extern))"), "ok");
  EXPECT_NE(error_of("(invoke \"f\" (ref.func))"), "ok");
}

TEST(Values, ResultPatterns) {
  auto r = results_of("(f32.const nan:canonical) (f64.const nan:arithmetic) (f64.const -nan:0x4)"
                      "(v128.const f32x4 nan:canonical 1 nan:arithmetic -nan)"
                      "(v128.const i16x8 0 1 2 3 4 5 6 -1)");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(pat(r[0]).kind, ResultPattern::Kind::F32);
  EXPECT_EQ(pat(r[0]).nan, NanPattern::Canonical);
  EXPECT_EQ(pat(r[1]).nan, NanPattern::Arithmetic);
  EXPECT_EQ(pat(r[2]).nan, NanPattern::None);
  EXPECT_EQ(pat(r[2]).bits, 0xfff0000000000004ull);
  const ResultPattern& v = pat(r[3]);
  EXPECT_EQ(v.shape, LaneShape::F32x4);
  EXPECT_EQ(v.lane_nan[0], NanPattern::Canonical);
  EXPECT_EQ(v.lane_nan[1], NanPattern::None);
  EXPECT_EQ(v.v128[7], 0x3f); // lane 1 = 1.0f
  EXPECT_EQ(v.lane_nan[2], NanPattern::Arithmetic);
  EXPECT_EQ(v.lane_nan[3], NanPattern::None);
  EXPECT_EQ(v.v128[15], 0xff);
  EXPECT_EQ(pat(r[4]).v128[15], 0xff);
  EXPECT_EQ(pat(r[4]).lane_nan[7], NanPattern::None);
  EXPECT_NE(error_of("(assert_return (invoke \"f\") (i32.const nan:canonical))"), "ok");
  EXPECT_NE(error_of("(assert_return (invoke \"f\") (v128.const i32x4 nan:canonical 0 0 0))"),
            "ok");
}

TEST(Values, RefPatternsAndEither) {
  auto r = results_of("(ref.null) (ref.null any) (ref.extern) (ref.extern 3) (ref.host 2) "
                      "(ref.func) (ref.func $f) (ref.struct) (ref.array) (ref.eq) (ref.i31) "
                      "(ref.i31_shared) (ref.any) (ref.exn) (ref) "
                      "(either (v128.const i32x4 1 2 3 4) (either (i32.const 1) (i32.const 2)))");
  ASSERT_EQ(r.size(), 16u);
  using K = ResultPattern::Kind;
  EXPECT_EQ(pat(r[0]).kind, K::RefNull);
  EXPECT_FALSE(pat(r[0]).has_heap);
  EXPECT_TRUE(pat(r[1]).has_heap);
  EXPECT_EQ(pat(r[1]).heap, HeapType::abstract(AbsHeap::Any));
  EXPECT_FALSE(pat(r[2]).has_host_id);
  EXPECT_TRUE(pat(r[3]).has_host_id);
  EXPECT_EQ(pat(r[3]).host_id, 3u);
  EXPECT_EQ(pat(r[4]).kind, K::RefHost);
  EXPECT_EQ(pat(r[4]).host_id, 2u);
  EXPECT_EQ(pat(r[5]).kind, K::RefFunc);
  EXPECT_FALSE(pat(r[5]).func_index.has_value());
  EXPECT_EQ(pat(r[6]).func_index, "$f");
  K kinds[] = {K::RefStruct,    K::RefArray, K::RefEq,  K::RefI31,
               K::RefI31Shared, K::RefAny,   K::RefExn, K::Ref};
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(pat(r[7 + i]).kind, kinds[i]);
  const ResultPattern& e = pat(r[15]);
  EXPECT_EQ(e.kind, K::Either);
  ASSERT_EQ(e.alternatives.size(), 2u);
  EXPECT_EQ(e.alternatives[0].kind, K::V128);
  EXPECT_EQ(e.alternatives[1].kind, K::Either);
  EXPECT_EQ(e.alternatives[1].alternatives[1].bits, 2u);
  EXPECT_NE(error_of("(assert_return (invoke \"f\") (either))"), "ok");
  EXPECT_NE(error_of("(assert_return (invoke \"f\") (ref.host))"), "ok");
}

TEST(Values, ComponentScalars) {
  auto a = args_of("(bool.const true) (bool.const false) (u8.const 255) (s8.const 255) "
                   "(s8.const -128) (u16.const 0xffff) (s16.const -1) (u32.const 4294967295) "
                   "(s32.const -2147483648) (u64.const 18446744073709551615) (s64.const -1) "
                   "(char.const \"\\u{1F600}\") (char.const \"a\") (str.const \"h\\u{e9}llo\")");
  ASSERT_EQ(a.size(), 14u);
  using K = CompValue::Kind;
  EXPECT_EQ(comp(a[0]).kind, K::Bool);
  EXPECT_EQ(comp(a[0]).bits, 1u);
  EXPECT_EQ(comp(a[1]).bits, 0u);
  EXPECT_EQ(comp(a[2]).kind, K::U8);
  EXPECT_EQ(comp(a[2]).bits, 255u);
  EXPECT_EQ(comp(a[3]).kind, K::S8);
  EXPECT_EQ(comp(a[3]).bits, UINT64_MAX); // s8 255 is -1, sign-extended
  EXPECT_EQ(comp(a[4]).bits, static_cast<uint64_t>(-128));
  EXPECT_EQ(comp(a[5]).bits, 0xffffu);
  EXPECT_EQ(comp(a[6]).bits, UINT64_MAX);
  EXPECT_EQ(comp(a[7]).bits, 0xffffffffu);
  EXPECT_EQ(comp(a[8]).bits, static_cast<uint64_t>(INT32_MIN));
  EXPECT_EQ(comp(a[9]).bits, UINT64_MAX);
  EXPECT_EQ(comp(a[10]).kind, K::S64);
  EXPECT_EQ(comp(a[11]).kind, K::Char);
  EXPECT_EQ(comp(a[11]).bits, 0x1f600u);
  EXPECT_EQ(comp(a[12]).bits, 'a');
  EXPECT_EQ(comp(a[13]).kind, K::String);
  EXPECT_EQ(comp(a[13]).text, "h\xc3\xa9llo");
  EXPECT_EQ(error_of("(invoke \"f\" (u8.const -1))"), "unexpected token");
  EXPECT_EQ(error_of("(invoke \"f\" (u8.const 256))"), "constant out of range");
  EXPECT_NE(error_of("(invoke \"f\" (char.const \"ab\"))"), "ok");
  EXPECT_NE(error_of("(invoke \"f\" (char.const \"\"))"), "ok");
  EXPECT_EQ(error_of("(invoke \"f\" (str.const \"\\ff\"))"), "malformed UTF-8 encoding");
  EXPECT_NE(error_of("(invoke \"f\" (bool.const 1))"), "ok");
}

TEST(Values, ComponentCompounds) {
  auto a = args_of(
      "(list.const (u8.const 1) (u8.const 2)) (tuple.const) "
      "(record.const (field \"a\" u32.const 7) (field \"b\" (str.const \"x\"))) "
      "(variant.const \"none\") (variant.const \"some\" (s32.const -1)) (enum.const \"red\") "
      "(option.none) (option.some (list.const)) (result.ok) (result.err (u32.const 3)) "
      "(flags.const \"a\" \"c\") (tuple.const (f32.const nan:0x1) (f64.const -0))");
  ASSERT_EQ(a.size(), 12u);
  using K = CompValue::Kind;
  EXPECT_EQ(comp(a[0]).kind, K::List);
  ASSERT_EQ(comp(a[0]).items.size(), 2u);
  EXPECT_EQ(comp(a[0]).items[1].bits, 2u);
  EXPECT_EQ(comp(a[1]).kind, K::Tuple);
  EXPECT_TRUE(comp(a[1]).items.empty());
  const CompValue& rec = comp(a[2]);
  EXPECT_EQ(rec.kind, K::Record);
  ASSERT_EQ(rec.names.size(), 2u);
  EXPECT_EQ(rec.names[0], "a");
  EXPECT_EQ(rec.items[0].kind, K::U32);
  EXPECT_EQ(rec.items[0].bits, 7u);
  EXPECT_EQ(rec.items[1].text, "x");
  EXPECT_EQ(comp(a[3]).text, "none");
  EXPECT_TRUE(comp(a[3]).items.empty());
  EXPECT_EQ(comp(a[4]).items.at(0).kind, K::S32);
  EXPECT_EQ(comp(a[5]).kind, K::Enum);
  EXPECT_EQ(comp(a[6]).kind, K::OptionNone);
  EXPECT_EQ(comp(a[7]).items.at(0).kind, K::List);
  EXPECT_EQ(comp(a[8]).kind, K::ResultOk);
  EXPECT_TRUE(comp(a[8]).items.empty());
  EXPECT_EQ(comp(a[9]).kind, K::ResultErr);
  EXPECT_EQ(comp(a[9]).items.at(0).bits, 3u);
  EXPECT_EQ(comp(a[10]).names, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(comp(a[11]).items.at(0).kind, K::F32);
  EXPECT_EQ(comp(a[11]).items.at(0).bits, 0x7f800001u);
  EXPECT_EQ(comp(a[11]).items.at(1).bits, 0x8000000000000000ull);
  // Component values as expected results.
  auto r = results_of("(u32.const 5) (str.const \"ok\")");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(std::get<CompValue>(r[0]).bits, 5u);
  EXPECT_EQ(std::get<CompValue>(r[1]).text, "ok");
  EXPECT_NE(error_of("(invoke \"f\" (record.const (x \"a\" (u8.const 1))))"), "ok");
  EXPECT_NE(error_of("(invoke \"f\" (wat.const 1))"), "ok");
}

} // namespace
} // namespace tandem::wast
