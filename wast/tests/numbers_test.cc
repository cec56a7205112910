// Numeric literal tests: classification, integer ranges, float rounding
// (hand-picked boundaries plus every literal pair in const.wast and every
// export of float_literals.wast), and NaN payloads.
#include "testsuite_path.h"
#include "wast/numbers.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>

namespace tandem::wast {
namespace {

template <typename T> T val(Result<T> r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return T{};
  return std::move(r).value();
}

uint32_t f32(std::string_view s) {
  auto r = parse_f32_bits(s);
  EXPECT_TRUE(r.ok()) << s << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : 0xdeadbeef;
}
uint64_t f64(std::string_view s) {
  auto r = parse_f64_bits(s);
  EXPECT_TRUE(r.ok()) << s << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : 0xdeadbeef;
}
std::string f32_err(std::string_view s) {
  auto r = parse_f32_bits(s);
  return r.ok() ? "ok" : r.error().message;
}
std::string f64_err(std::string_view s) {
  auto r = parse_f64_bits(s);
  return r.ok() ? "ok" : r.error().message;
}

TEST(Numbers, Classify) {
  EXPECT_EQ(classify_number("0"), TokKind::Nat);
  EXPECT_EQ(classify_number("0x1_f"), TokKind::Nat);
  EXPECT_EQ(classify_number("-0x1"), TokKind::Int);
  EXPECT_EQ(classify_number("+5"), TokKind::Int);
  for (const char* f : {"1.", "1.5", "1e5", "1E+5", "1.e-5", "0x1p3", "0x1.p3", "0x.1p0", "-inf",
                        "+nan", "nan:0x1_0", "0x1.8", "1_0.0_1e1_0"})
    EXPECT_EQ(classify_number(f), f == std::string("0x.1p0") ? TokKind::Reserved : TokKind::Float)
        << f;
  for (const char* r : {"", "-", "+", "0x", "1_", "_1", "1__0", "1e", "1e+", ".5", "1.5e5x",
                        "0x1e+5", "nan:1", "nan:0x", "infinity", "0x1p", "0xg", "1p5", "nan:0x_1"})
    EXPECT_EQ(classify_number(r), TokKind::Reserved) << r;
}

TEST(Numbers, IntegerRanges) {
  EXPECT_EQ(val(parse_int("0xffffffff", 32)), 0xffffffffu);
  EXPECT_EQ(val(parse_int("-1", 32)), 0xffffffffu);
  EXPECT_EQ(val(parse_int("-0x80000000", 32)), 0x80000000u);
  EXPECT_EQ(val(parse_int("4294967295", 32)), 0xffffffffu);
  EXPECT_EQ(val(parse_int("+0x7fffffff", 32)), 0x7fffffffu);
  EXPECT_EQ(val(parse_int("-9223372036854775808", 64)), 0x8000000000000000ull);
  EXPECT_EQ(val(parse_int("18446744073709551615", 64)), UINT64_MAX);
  EXPECT_EQ(val(parse_int("0xffff_ffff_ffff_ffff", 64)), UINT64_MAX);
  EXPECT_EQ(val(parse_int("-128", 8)), 0x80u);
  EXPECT_EQ(val(parse_int("255", 8)), 0xffu);
  EXPECT_EQ(val(parse_sint("255", 8)), -1);
  EXPECT_EQ(val(parse_sint("-0x8000000000000000", 64)), INT64_MIN);
  for (auto [text, bits] : std::initializer_list<std::pair<const char*, unsigned>>{
           {"0x100000000", 32},
           {"-0x80000001", 32},
           {"4294967296", 32},
           {"-2147483649", 32},
           {"0x10000000000000000", 64},
           {"-0x8000000000000001", 64},
           {"18446744073709551616", 64},
           {"-9223372036854775809", 64},
           {"256", 8},
           {"-129", 8},
           {"99999999999999999999999999", 64}}) {
    auto r = parse_int(text, bits);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().message, "constant out of range") << text;
  }
  EXPECT_EQ(val(parse_uint("0x1_0", 32)), 16u);
  EXPECT_FALSE(parse_uint("-1", 32).ok());
  EXPECT_FALSE(parse_uint("+1", 32).ok());
  EXPECT_FALSE(parse_uint("1.0", 32).ok());
  EXPECT_FALSE(parse_uint("1_", 32).ok());
  EXPECT_EQ(parse_uint("65536", 16).error().message, "constant out of range");
  EXPECT_EQ(parse_int("1.5", 32).error().message, "unexpected token");
}

TEST(Numbers, FloatSpecials) {
  EXPECT_EQ(f32("nan"), 0x7fc00000u);
  EXPECT_EQ(f32("+nan"), 0x7fc00000u);
  EXPECT_EQ(f32("-nan"), 0xffc00000u);
  EXPECT_EQ(f32("nan:0x200000"), 0x7fa00000u);
  EXPECT_EQ(f32("-nan:0x7fffff"), 0xffffffffu);
  EXPECT_EQ(f32("nan:0x1"), 0x7f800001u);
  EXPECT_EQ(f32("inf"), 0x7f800000u);
  EXPECT_EQ(f32("-inf"), 0xff800000u);
  EXPECT_EQ(f64("nan"), 0x7ff8000000000000ull);
  EXPECT_EQ(f64("-nan"), 0xfff8000000000000ull);
  EXPECT_EQ(f64("nan:0xf_ffff_ffff_ffff"), 0x7fffffffffffffffull);
  EXPECT_EQ(f64("-nan:0x2abcdef012345"), 0xfff2abcdef012345ull);
  EXPECT_EQ(f64("-inf"), 0xfff0000000000000ull);
  EXPECT_EQ(f32_err("nan:0x0"), "constant out of range");
  EXPECT_EQ(f32_err("nan:0x80_0000"), "constant out of range");
  EXPECT_EQ(f64_err("nan:0x0"), "constant out of range");
  EXPECT_EQ(f64_err("nan:0x10_0000_0000_0000"), "constant out of range");
  EXPECT_EQ(f64_err("nan:0x1_0000_0000_0000_0000_0000"), "constant out of range");
  EXPECT_EQ(f32("-0x0.0p0"), 0x80000000u);
  EXPECT_EQ(f32("-0"), 0x80000000u);
  EXPECT_EQ(f64("-0.0e0"), 0x8000000000000000ull);
}

TEST(Numbers, FloatRoundingBoundaries) {
  EXPECT_EQ(f32("0x1p-149"), 1u);
  EXPECT_EQ(f32("0x1.fffffep+127"), 0x7f7fffffu);
  EXPECT_EQ(f32("0x1.fffffcp-127"), 0x007fffffu);
  EXPECT_EQ(f32("1.000000119"), 0x3f800001u); // double rounding would give 0x3f800000
  EXPECT_EQ(f32("3.4028234e+38"), 0x7f7fffffu);
  EXPECT_EQ(f32("1.4013e-45"), 1u);
  EXPECT_EQ(f32("0x1_0000_0000_0000_0000_0000"), 0x67800000u);
  // Halfway cases: ties to even, one ulp above the tie rounds up.
  EXPECT_EQ(f32("+0x1.00000100000000000p-50"), f32("0x1.000000p-50"));
  EXPECT_EQ(f32("+0x1.00000100000000001p-50"), f32("0x1.000002p-50"));
  EXPECT_EQ(f32("+0x1.00000300000000000p-50"), f32("0x1.000004p-50"));
  // f32 via double would round 1+2^-24+2^-60 to 1+2^-24 and then to 1 (tie to even).
  EXPECT_EQ(f32("0x1.000001000000001p0"), 0x3f800001u);
  EXPECT_EQ(f64("0x1.fffffffffffffp1023"), 0x7fefffffffffffffull);
  EXPECT_EQ(f64("0x1p-1074"), 1ull);
  EXPECT_EQ(f64("4.9e-324"), 1ull);
  EXPECT_EQ(f64("2.4e-324"), 0ull); // below half the smallest subnormal
  EXPECT_EQ(f64("2.5e-324"), 1ull);
  EXPECT_EQ(f32("340282356779733661637539395458142568447"), 0x7f7fffffu);
  for (const char* s : {"0x1p128", "-0x1p128", "0x1.ffffffp127", "1e39", "-1e39",
                        "340282356779733661637539395458142568448"})
    EXPECT_EQ(f32_err(s), "constant out of range") << s;
  for (const char* s : {"0x1p1024", "-0x1.fffffffffffff8p1023", "1e309"})
    EXPECT_EQ(f64_err(s), "constant out of range") << s;
  EXPECT_EQ(f32_err("1.5x"), "unexpected token");
}

// Every `(module (func (export "f") (result fNN) (fNN.const X)))` followed by
// `(assert_return (invoke "f") (fNN.const Y))` in const.wast: X and Y denote the same bits.
TEST(Numbers, ConstWastPairs) {
  std::string dir = testing::testsuite_dir();
  if (dir.empty()) GTEST_SKIP() << "testsuite not found (set TANDEM_TESTSUITE)re";
  std::string text = testing::read_file(dir + "/core/const.wast");
  ASSERT_FALSE(text.empty());
  std::regex pair_re(R"re(\(result (f32|f64)\) \(f(?:32|64)\.const ([^)\s]+)\)\)\)\s*\n)re"
                     R"re(\(assert_return \(invoke "f"\) \(f(?:32|64)\.const ([^)\s]+)\)\))re");
  int count = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), pair_re), end; it != end; ++it) {
    std::string type = (*it)[1], x = (*it)[2], y = (*it)[3];
    if (type == "f32")
      EXPECT_EQ(f32(x), f32(y)) << x << " vs " << y;
    else
      EXPECT_EQ(f64(x), f64(y)) << x << " vs " << y;
    ++count;
  }
  EXPECT_EQ(count, 300);
}

// float_literals.wast: each export returns the reinterpreted bits of a literal.
TEST(Numbers, FloatLiteralsWast) {
  std::string dir = testing::testsuite_dir();
  if (dir.empty()) GTEST_SKIP() << "testsuite not found (set TANDEM_TESTSUITE)re";
  std::string text = testing::read_file(dir + "/core/float_literals.wast");
  std::regex def_re(
      R"re(\(export "([^"]+)"\) \(result i(32|64)\) \(i(?:32|64)\.reinterpret_f(?:32|64) \(f(?:32|64)\.const ([^)\s]+)\)\))re");
  std::regex exp_re(
      R"re(\(assert_return \(invoke "([^"]+)"\) \(i(?:32|64)\.const ([^)\s]+)\)\))re");
  std::map<std::string, std::pair<std::string, std::string>> defs;
  for (std::sregex_iterator it(text.begin(), text.end(), def_re), end; it != end; ++it)
    defs[(*it)[1]] = {(*it)[2], (*it)[3]};
  int count = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), exp_re), end; it != end; ++it) {
    auto d = defs.find((*it)[1]);
    if (d == defs.end()) continue;
    std::string expected = (*it)[2];
    if (d->second.first == "32")
      EXPECT_EQ(f32(d->second.second), val(parse_int(expected, 32))) << (*it)[1];
    else
      EXPECT_EQ(f64(d->second.second), val(parse_int(expected, 64))) << (*it)[1];
    ++count;
  }
  EXPECT_EQ(count, 78);
}

} // namespace
} // namespace tandem::wast
