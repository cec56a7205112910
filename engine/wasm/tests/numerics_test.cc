// Unit tests for engine/wasm/numerics.h and numerics_simd.h: the edge cases of every scalar
// operator (traps, masking, NaN rules, signed zeros, rounding at bounds).
#include "wasm/numerics.h"
#include "wasm/numerics_simd.h"

#include <gtest/gtest.h>

#include <vector>

using namespace tandem;
using namespace tandem::num;

namespace {

uint32_t fb(float f) {
  return bits_of(f);
}
uint64_t db(double d) {
  return bits_of(d);
}
float f32(uint32_t b) {
  return from_bits<float>(b);
}
double f64(uint64_t b) {
  return from_bits<double>(b);
}

constexpr uint32_t kI32Min = 0x80000000u;
constexpr uint64_t kI64Min = 0x8000000000000000ull;

TEST(Numerics, IntegerDivision) {
  EXPECT_EQ(div_s<uint32_t>(7, 0).trap, TrapKind::IntegerDivideByZero);
  EXPECT_EQ(div_u<uint32_t>(7, 0).trap, TrapKind::IntegerDivideByZero);
  EXPECT_EQ(rem_s<uint64_t>(7, 0).trap, TrapKind::IntegerDivideByZero);
  EXPECT_EQ(rem_u<uint64_t>(7, 0).trap, TrapKind::IntegerDivideByZero);
  EXPECT_EQ(div_s<uint32_t>(kI32Min, uint32_t(-1)).trap, TrapKind::IntegerOverflow);
  EXPECT_EQ(div_s<uint64_t>(kI64Min, uint64_t(-1)).trap, TrapKind::IntegerOverflow);
  auto r = rem_s<uint32_t>(kI32Min, uint32_t(-1));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value, 0u);
  EXPECT_EQ(rem_s<uint64_t>(kI64Min, uint64_t(-1)).value, 0u);
  EXPECT_EQ(div_s<uint32_t>(uint32_t(-7), 2).value, uint32_t(-3)); // truncates toward zero
  EXPECT_EQ(rem_s<uint32_t>(uint32_t(-7), 2).value, uint32_t(-1)); // sign of dividend
  EXPECT_EQ(rem_s<uint32_t>(7, uint32_t(-2)).value, 1u);
  EXPECT_EQ(div_u<uint32_t>(uint32_t(-7), 2).value, 0x7ffffffcu);
  EXPECT_EQ(rem_u<uint64_t>(uint64_t(-1), 10).value, 5u);
  static_assert(div_s<uint32_t>(kI32Min, 2).value == 0xc0000000u);
}

// The reciprocal used for i32.div_u by a constant agrees with `/` for
// divisors from 2 to 70,000, around every power of two, and the largest;
// dividends at and around multiples of d, the extremes, and a spread.
TEST(Numerics, DivisionByReciprocal) {
  std::vector<uint32_t> divisors;
  for (uint32_t d = 2; d <= 70000; ++d) divisors.push_back(d);
  for (uint32_t k = 17; k < 32; ++k)
    for (int64_t delta = -2; delta <= 2; ++delta) divisors.push_back(uint32_t((1ull << k) + delta));
  for (uint32_t d : {0x7fffffffu, 0x80000000u, 0x80000001u, 0xfffffffeu, 0xffffffffu})
    divisors.push_back(d);
  uint64_t checked = 0;
  for (uint32_t d : divisors) {
    uint64_t m = div_u32_magic(d);
    auto check = [&](uint32_t a) {
      ++checked;
      ASSERT_EQ(div_u32_by_magic(a, m), a / d) << a << " / " << d;
    };
    for (uint32_t a : {0u, 1u, d - 1, d, d + 1, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu})
      check(a);
    uint32_t top = 0xffffffffu / d * d; // the largest multiple of d
    for (uint32_t a : {top - 1, top}) check(a);
    for (uint32_t i = 1; i < 64; ++i) check(uint32_t(uint64_t(i) * 0x9e3779b9u));
  }
  EXPECT_GT(checked, 5'000'000u);
}

TEST(Numerics, ShiftsAndRotates) {
  EXPECT_EQ(shl<uint32_t>(1, 32), 1u);
  EXPECT_EQ(shl<uint32_t>(1, 33), 2u);
  EXPECT_EQ(shl<uint64_t>(1, 64), 1u);
  EXPECT_EQ(shl<uint64_t>(1, 63), kI64Min);
  EXPECT_EQ(shr_s<uint32_t>(kI32Min, 31), 0xffffffffu);
  EXPECT_EQ(shr_s<uint32_t>(kI32Min, 63), 0xffffffffu);
  EXPECT_EQ(shr_u<uint32_t>(kI32Min, 31), 1u);
  EXPECT_EQ(shr_u<uint32_t>(kI32Min, 0xffffffe0u), kI32Min);
  EXPECT_EQ(shr_s<uint64_t>(kI64Min, 1), 0xc000000000000000ull);
  EXPECT_EQ(rotl<uint32_t>(0x80000001u, 1), 3u);
  EXPECT_EQ(rotl<uint32_t>(0x80000001u, 33), 3u);
  EXPECT_EQ(rotr<uint32_t>(1, 1), kI32Min);
  EXPECT_EQ(rotr<uint64_t>(1, 65), kI64Min);
  EXPECT_EQ(rotl<uint64_t>(0xabcd000000000000ull, 16), 0xabcdull);
}

TEST(Numerics, BitCounts) {
  EXPECT_EQ(clz<uint32_t>(0), 32u);
  EXPECT_EQ(clz<uint64_t>(0), 64u);
  EXPECT_EQ(ctz<uint32_t>(0), 32u);
  EXPECT_EQ(ctz<uint64_t>(0), 64u);
  EXPECT_EQ(clz<uint32_t>(1), 31u);
  EXPECT_EQ(ctz<uint64_t>(kI64Min), 63u);
  EXPECT_EQ(popcnt<uint32_t>(0xffffffffu), 32u);
  EXPECT_EQ(popcnt<uint64_t>(0x8000800080008000ull), 4u);
  EXPECT_EQ(eqz<uint64_t>(0), 1u);
  EXPECT_EQ(eqz<uint64_t>(kI64Min), 0u);
}

TEST(Numerics, SignedCompares) {
  EXPECT_EQ(lt_s<uint32_t>(kI32Min, 0), 1u);
  EXPECT_EQ(lt_u<uint32_t>(kI32Min, 0), 0u);
  EXPECT_EQ(ge_s<uint64_t>(0, kI64Min), 1u);
  EXPECT_EQ(le_u<uint64_t>(0, kI64Min), 1u);
}

TEST(Numerics, SignExtension) {
  EXPECT_EQ(i32_extend8_s(0x80), 0xffffff80u);
  EXPECT_EQ(i32_extend8_s(0x7f), 0x7fu);
  EXPECT_EQ(i32_extend8_s(0x12345680), 0xffffff80u);
  EXPECT_EQ(i32_extend16_s(0x8000), 0xffff8000u);
  EXPECT_EQ(i64_extend8_s(0x80), 0xffffffffffffff80ull);
  EXPECT_EQ(i64_extend16_s(0x7fff), 0x7fffull);
  EXPECT_EQ(i64_extend32_s(0x80000000ull), 0xffffffff80000000ull);
  EXPECT_EQ(i64_extend32_s(0x123456787fffffffull), 0x7fffffffull);
  EXPECT_EQ(i64_extend_i32_s(0xffffffffu), ~0ull);
  EXPECT_EQ(i64_extend_i32_u(0xffffffffu), 0xffffffffull);
  EXPECT_EQ(i32_wrap_i64(0x1234567887654321ull), 0x87654321u);
}

TEST(Numerics, FloatSignOpsPreservePayload) {
  const uint32_t snan = 0x7fa00001u; // signalling NaN with a payload
  EXPECT_EQ(fb(num::fneg(f32(snan))), 0xffa00001u);
  EXPECT_EQ(fb(num::fabs(f32(0xffa00001u))), snan);
  EXPECT_EQ(fb(num::fcopysign(f32(snan), -1.0f)), 0xffa00001u);
  EXPECT_EQ(fb(num::fcopysign(-2.0f, f32(0x7fc00000u))), fb(2.0f));
  EXPECT_EQ(db(num::fneg(0.0)), 0x8000000000000000ull);
  EXPECT_EQ(db(num::fabs(-0.0)), 0ull);
  const uint64_t dsnan = 0x7ff0000000000001ull;
  EXPECT_EQ(db(num::fneg(f64(dsnan))), 0xfff0000000000001ull);
}

TEST(Numerics, MinMax) {
  EXPECT_EQ(fb(num::fmin(0.0f, -0.0f)), fb(-0.0f));
  EXPECT_EQ(fb(num::fmin(-0.0f, 0.0f)), fb(-0.0f));
  EXPECT_EQ(fb(num::fmax(-0.0f, 0.0f)), fb(0.0f));
  EXPECT_EQ(fb(num::fmax(0.0f, -0.0f)), fb(0.0f));
  EXPECT_EQ(db(num::fmin(0.0, -0.0)), db(-0.0));
  EXPECT_EQ(db(num::fmax(-0.0, 0.0)), db(0.0));
  EXPECT_EQ(num::fmin(1.0f, 2.0f), 1.0f);
  EXPECT_EQ(num::fmax(-INFINITY, 2.0f), 2.0f);
  // NaN propagation: the result is a NaN with the quiet bit set.
  uint32_t r = fb(num::fmin(1.0f, f32(0x7f800001u)));
  EXPECT_TRUE(is_arithmetic_nan_bits<float>(r));
  EXPECT_TRUE(is_canonical_nan_bits<float>(fb(num::fmax(f32(0x7fc00000u), 3.0f))));
  EXPECT_TRUE(is_canonical_nan_bits<float>(fb(num::fmin(2.0f, f32(0xffc00000u)))));
  EXPECT_TRUE(is_arithmetic_nan_bits<double>(db(num::fmax(f64(0x7ff0000000000001ull), 1.0))));
  EXPECT_TRUE(num::is_nan(num::fmin(f32(0x7fc00000u), f32(0x7fc00000u))));
}

TEST(Numerics, ArithmeticNaNs) {
  // Invalid operations give canonical NaNs; a propagated NaN is arithmetic.
  EXPECT_TRUE(is_canonical_nan_bits<float>(fb(num::fdiv(0.0f, 0.0f))));
  EXPECT_TRUE(is_canonical_nan_bits<double>(db(num::fsub<double>(INFINITY, INFINITY))));
  EXPECT_TRUE(is_arithmetic_nan_bits<float>(fb(num::fadd(f32(0x7f800001u), 1.0f))));
  EXPECT_TRUE(is_canonical_nan_bits<double>(db(num::fsqrt(-1.0))));
  EXPECT_EQ(num::fsqrt(4.0f), 2.0f);
  // Which NaN propagates is fixed (x86 order: the first operand's, quieted,
  // then the second's), whatever operand order the compiler picks; the JIT's
  // inline addsd/mulsd agree (differential execution relies on it).
  float na = f32(0x7fa00001u), nb = f32(0xffc00002u);
  EXPECT_EQ(fb(num::fadd(na, nb)), 0x7fe00001u);
  EXPECT_EQ(fb(num::fadd(nb, na)), 0xffc00002u);
  EXPECT_EQ(fb(num::fmul(1.0f, nb)), 0xffc00002u);
  EXPECT_EQ(fb(num::fsub(nb, 1.0f)), 0xffc00002u);
  EXPECT_EQ(db(num::fdiv(f64(0x7ff4000000000001ull), f64(0x7ff8000000000002ull))),
            0x7ffc000000000001ull);
  EXPECT_EQ(db(num::fsqrt(-0.0)), db(-0.0));
}

TEST(Numerics, Rounding) {
  EXPECT_EQ(num::fnearest(0.5f), 0.0f);
  EXPECT_EQ(num::fnearest(1.5f), 2.0f);
  EXPECT_EQ(num::fnearest(2.5f), 2.0f);
  EXPECT_EQ(num::fnearest(-2.5), -2.0);
  EXPECT_EQ(num::fnearest(3.5), 4.0);
  EXPECT_EQ(fb(num::fnearest(-0.5f)), fb(-0.0f));
  EXPECT_EQ(db(num::fnearest(-0.4)), db(-0.0));
  EXPECT_EQ(db(num::fnearest(-0.0)), db(-0.0));
  EXPECT_EQ(num::fnearest(8388609.0f), 8388609.0f);
  EXPECT_EQ(num::fnearest(4503599627370497.0), 4503599627370497.0);
  EXPECT_EQ(num::fnearest(4503599627370495.5), 4503599627370496.0);
  EXPECT_EQ(num::fnearest(-8388607.5f), -8388608.0f);
  EXPECT_EQ(num::fnearest<double>(INFINITY), INFINITY);
  EXPECT_TRUE(is_arithmetic_nan_bits<float>(fb(num::fnearest(f32(0x7f800001u)))));
  EXPECT_EQ(fb(num::fceil(-0.5f)), fb(-0.0f));
  EXPECT_EQ(fb(num::ffloor(0.5f)), fb(0.0f));
  EXPECT_EQ(num::ffloor(-0.5), -1.0);
  EXPECT_EQ(num::fceil(0.25), 1.0);
  EXPECT_EQ(db(num::ftrunc(-0.75)), db(-0.0));
  EXPECT_TRUE(is_arithmetic_nan_bits<double>(db(num::fceil(f64(0x7ff0000000000001ull)))));
  static_assert(num::fnearest(2.5) == 2.0);
}

TEST(Numerics, TruncTraps) {
  using num::trunc;
  EXPECT_EQ((trunc<uint32_t, true>(f32(0x7fc00000u)).trap), TrapKind::InvalidConversion);
  EXPECT_EQ((trunc<uint32_t, true>(2147483648.0f).trap), TrapKind::IntegerOverflow);
  EXPECT_EQ((trunc<uint32_t, true>(-2147483648.0f).value), kI32Min);
  EXPECT_EQ((trunc<uint32_t, true>(-2147483904.0f).trap), TrapKind::IntegerOverflow);
  EXPECT_EQ((trunc<uint32_t, true>(2147483647.9).value), 0x7fffffffu);
  EXPECT_EQ((trunc<uint32_t, true>(-2147483648.9).value), kI32Min);
  EXPECT_EQ((trunc<uint32_t, true>(-2147483649.0).trap), TrapKind::IntegerOverflow);
  EXPECT_EQ((trunc<uint32_t, false>(-0.9f).value), 0u);
  EXPECT_EQ((trunc<uint32_t, false>(-1.0f).trap), TrapKind::IntegerOverflow);
  EXPECT_EQ((trunc<uint32_t, false>(4294967295.9).value), 0xffffffffu);
  EXPECT_EQ((trunc<uint32_t, false>(4294967296.0).trap), TrapKind::IntegerOverflow);
  EXPECT_EQ((trunc<uint64_t, true>(9223372036854775807.0).trap), TrapKind::IntegerOverflow);
  EXPECT_EQ((trunc<uint64_t, true>(-9223372036854775808.0).value), kI64Min);
  EXPECT_EQ((trunc<uint64_t, false>(18446744073709549568.0).value), 18446744073709549568ull);
  EXPECT_EQ((trunc<uint64_t, false>(18446744073709551616.0).trap), TrapKind::IntegerOverflow);
  EXPECT_EQ((trunc<uint64_t, false>(double(INFINITY)).trap), TrapKind::IntegerOverflow);
  EXPECT_EQ((trunc<uint64_t, true>(-1.5f).value), uint64_t(-1));
  EXPECT_EQ((trunc<uint32_t, true>(f64(0x7ff0000000000001ull)).trap), TrapKind::InvalidConversion);
}

TEST(Numerics, TruncSat) {
  EXPECT_EQ((trunc_sat<uint32_t, true>(f32(0x7fc00000u))), 0u);
  EXPECT_EQ((trunc_sat<uint32_t, true>(3e9f)), 0x7fffffffu);
  EXPECT_EQ((trunc_sat<uint32_t, true>(-3e9f)), kI32Min);
  EXPECT_EQ((trunc_sat<uint32_t, true>(-2147483648.9)), kI32Min);
  EXPECT_EQ((trunc_sat<uint32_t, false>(-5.0)), 0u);
  EXPECT_EQ((trunc_sat<uint32_t, false>(1e10)), 0xffffffffu);
  EXPECT_EQ((trunc_sat<uint64_t, true>(double(INFINITY))), 0x7fffffffffffffffull);
  EXPECT_EQ((trunc_sat<uint64_t, true>(-double(INFINITY))), kI64Min);
  EXPECT_EQ((trunc_sat<uint64_t, false>(double(INFINITY))), ~0ull);
  EXPECT_EQ((trunc_sat<uint64_t, false>(-0.99f)), 0u);
  EXPECT_EQ((trunc_sat<uint64_t, true>(-1.99)), uint64_t(-1));
}

TEST(Numerics, Conversions) {
  EXPECT_EQ((convert<float, true>(uint32_t(-1))), -1.0f);
  EXPECT_EQ((convert<float, false>(uint32_t(-1))), 4294967296.0f);
  // Ties to even: 2^24 + 1 is exactly between two floats.
  EXPECT_EQ((convert<float, true>(uint32_t(16777217))), 16777216.0f);
  EXPECT_EQ((convert<float, true>(uint32_t(16777219))), 16777220.0f);
  EXPECT_EQ((convert<float, false>(uint64_t(0xffffffffffffffffull))), 18446744073709551616.0f);
  EXPECT_EQ((convert<float, false>(uint64_t(0x8000008000000001ull))), 9223373136366403584.0f);
  EXPECT_EQ((convert<double, true>(uint64_t(kI64Min))), -9223372036854775808.0);
  EXPECT_EQ((convert<double, false>(uint64_t(0x20000000000001ull))), 9007199254740992.0);
  EXPECT_EQ((convert<double, false>(uint64_t(0x20000000000003ull))), 9007199254740996.0);
}

TEST(Numerics, PromoteDemote) {
  EXPECT_EQ(f64_promote_f32(1.5f), 1.5);
  EXPECT_TRUE(is_canonical_nan_bits<double>(db(f64_promote_f32(f32(0x7fc00000u)))));
  EXPECT_TRUE(is_arithmetic_nan_bits<double>(db(f64_promote_f32(f32(0x7f800001u)))));
  EXPECT_EQ(db(f64_promote_f32(f32(0xffc00000u))), 0xfff8000000000000ull);
  EXPECT_EQ(f32_demote_f64(1e300), INFINITY);
  EXPECT_EQ(fb(f32_demote_f64(-0.0)), fb(-0.0f));
  EXPECT_TRUE(is_canonical_nan_bits<float>(fb(f32_demote_f64(f64(0x7ff8000000000000ull)))));
  EXPECT_TRUE(is_arithmetic_nan_bits<float>(fb(f32_demote_f64(f64(0x7ff0000000000001ull)))));
  // Round to nearest even at the float precision boundary.
  EXPECT_EQ(f32_demote_f64(1.0000000596046448), 1.0f);
  EXPECT_EQ(fb(f32_demote_f64(1.00000017)), 0x3f800001u);
  EXPECT_EQ(fb(f32_demote_f64(1.000000178813934326171875)), 0x3f800002u); // tie -> even
}

TEST(Numerics, Reinterpret) {
  EXPECT_EQ(i32_reinterpret_f32(f32(0x7fa00001u)), 0x7fa00001u);
  EXPECT_EQ(i64_reinterpret_f64(-0.0), 0x8000000000000000ull);
  EXPECT_EQ(fb(f32_reinterpret_i32(0xff800001u)), 0xff800001u);
  EXPECT_EQ(db(f64_reinterpret_i64(0x7ff0000000000001ull)), 0x7ff0000000000001ull);
}

} // namespace

// ---- SIMD lanes (numerics_simd.h) -------------------------------------------------

namespace {

using num::Vec128;
namespace simd = num::simd;

template <typename T> Vec128 make(std::initializer_list<T> values) {
  num::Lanes<T> l{};
  size_t i = 0;
  for (T v : values) l[i++] = v;
  return num::vec<T>(l);
}

TEST(NumericsSimd, SaturatingAndAverage) {
  Vec128 a = make<uint8_t>({0x7f, 0x80, 0xff, 1});
  Vec128 b = make<uint8_t>({1, 0xff, 1, 2});
  auto s = num::lanes<uint8_t>(simd::add_sat_s<uint8_t>(a, b));
  EXPECT_EQ(s[0], 0x7f); // 127 + 1 saturates
  EXPECT_EQ(s[1], 0x80); // -128 + -1 saturates
  EXPECT_EQ(s[2], 0x00); // -1 + 1
  auto u = num::lanes<uint8_t>(simd::add_sat_u<uint8_t>(a, b));
  EXPECT_EQ(u[1], 0xff);
  EXPECT_EQ(u[2], 0xff);
  auto d = num::lanes<uint8_t>(simd::sub_sat_u<uint8_t>(b, a));
  EXPECT_EQ(d[0], 0);
  auto avg = num::lanes<uint8_t>(simd::avgr_u<uint8_t>(a, b));
  EXPECT_EQ(avg[0], 0x40);
  EXPECT_EQ(avg[2], 0x80); // (255 + 1 + 1) / 2
}

TEST(NumericsSimd, ShiftsMaskCount) {
  Vec128 a = make<uint16_t>({0x8000, 1});
  auto l = num::lanes<uint16_t>(simd::shl<uint16_t>(a, 17));
  EXPECT_EQ(l[1], 2); // 17 mod 16 = 1
  auto r = num::lanes<uint16_t>(simd::shr_s<uint16_t>(a, 15));
  EXPECT_EQ(r[0], 0xffff);
  auto ru = num::lanes<uint16_t>(simd::shr_u<uint16_t>(a, 31));
  EXPECT_EQ(ru[0], 1);
}

TEST(NumericsSimd, NarrowExtendDot) {
  Vec128 a = make<uint16_t>({0x7fff, 0x8000, 0x00ff, 0xff80});
  auto n = num::lanes<uint8_t>(simd::narrow<uint16_t, uint8_t, true>(a, a));
  EXPECT_EQ(n[0], 0x7f);
  EXPECT_EQ(n[1], 0x80);
  EXPECT_EQ(n[2], 0x7f);
  EXPECT_EQ(n[3], 0x80);
  EXPECT_EQ(n[8], 0x7f); // second operand fills the high half
  auto nu = num::lanes<uint8_t>(simd::narrow<uint16_t, uint8_t, false>(a, a));
  EXPECT_EQ(nu[0], 0xff);
  EXPECT_EQ(nu[1], 0x00);
  EXPECT_EQ(nu[2], 0xff);
  Vec128 b = make<uint8_t>({0x80, 0x7f, 0, 0, 0, 0, 0, 0, 0xff});
  auto el = num::lanes<uint16_t>(simd::extend<uint8_t, uint16_t, true, false>(b));
  EXPECT_EQ(el[0], 0xff80);
  EXPECT_EQ(el[1], 0x007f);
  auto eh = num::lanes<uint16_t>(simd::extend<uint8_t, uint16_t, false, true>(b));
  EXPECT_EQ(eh[0], 0x00ff);
  Vec128 x = make<uint16_t>({0x8000, 0x8000, 2, 3});
  auto dot = num::lanes<uint32_t>(simd::dot_i16x8_s(x, x));
  EXPECT_EQ(dot[0], 0x80000000u); // 2 * 2^30 wraps
  EXPECT_EQ(dot[1], 13u);
  auto q = num::lanes<uint16_t>(simd::q15mulr_sat_s(x, x));
  EXPECT_EQ(q[0], 0x7fff); // -1 * -1 saturates
}

TEST(NumericsSimd, FloatLanesShareScalarRules) {
  Vec128 a =
      make<uint32_t>({num::bits_of(0.0f), num::bits_of(-0.0f), 0x7fa00000u, num::bits_of(2.5f)});
  Vec128 b = make<uint32_t>(
      {num::bits_of(-0.0f), num::bits_of(0.0f), num::bits_of(1.0f), num::bits_of(2.5f)});
  auto mn = num::lanes<uint32_t>(simd::f_min<float>(a, b));
  EXPECT_EQ(mn[0], num::bits_of(-0.0f));
  EXPECT_EQ(mn[1], num::bits_of(-0.0f));
  EXPECT_TRUE(num::is_arithmetic_nan_bits<float>(mn[2]));
  auto pmin = num::lanes<uint32_t>(simd::f_pmin<float>(a, b));
  EXPECT_EQ(pmin[0], num::bits_of(0.0f)); // pmin keeps the first operand on ties
  EXPECT_EQ(pmin[2], 0x7fa00000u);        // and on NaN (no quieting)
  auto nr = num::lanes<uint32_t>(simd::f_nearest<float>(a));
  EXPECT_EQ(nr[3], num::bits_of(2.0f));
  auto eq = num::lanes<uint32_t>(simd::f_eq<float>(a, b));
  EXPECT_EQ(eq[0], 0xffffffffu); // 0 == -0
  EXPECT_EQ(eq[2], 0u);
  auto t = num::lanes<uint32_t>(simd::i32x4_trunc_sat_f32x4<true>(
      make<uint32_t>({0x7fc00000u, num::bits_of(3e9f), num::bits_of(-3e9f), num::bits_of(-1.5f)})));
  EXPECT_EQ(t[0], 0u);
  EXPECT_EQ(t[1], 0x7fffffffu);
  EXPECT_EQ(t[2], 0x80000000u);
  EXPECT_EQ(t[3], uint32_t(-1));
}

TEST(NumericsSimd, ShuffleSwizzleBitmask) {
  Vec128 a, b;
  for (int i = 0; i < 16; ++i) {
    a.bytes[i] = uint8_t(i);
    b.bytes[i] = uint8_t(0x80 | i);
  }
  uint8_t idx[16] = {31, 0, 16, 15, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  Vec128 s = simd::shuffle(a, b, idx);
  EXPECT_EQ(s.bytes[0], 0x8f);
  EXPECT_EQ(s.bytes[1], 0);
  EXPECT_EQ(s.bytes[2], 0x80);
  EXPECT_EQ(s.bytes[3], 15);
  Vec128 sel = make<uint8_t>({3, 16, 255, 0});
  Vec128 w = simd::swizzle(a, sel);
  EXPECT_EQ(w.bytes[0], 3);
  EXPECT_EQ(w.bytes[1], 0);
  EXPECT_EQ(w.bytes[2], 0);
  EXPECT_EQ(simd::bitmask<uint8_t>(b), 0xffffu);
  EXPECT_EQ(simd::bitmask<uint8_t>(a), 0u);
  EXPECT_EQ(simd::all_true<uint32_t>(make<uint32_t>({1, 2, 3, 0})), 0u);
  EXPECT_EQ(simd::any_true(make<uint32_t>({0, 0, 0, 8})), 1u);
}

} // namespace

namespace {
TEST(Numerics, WideArithmetic) {
  num::U128 r = num::add128(~0ull, 0, 1, 0);
  EXPECT_EQ(r.lo, 0u);
  EXPECT_EQ(r.hi, 1u);
  r = num::sub128(0, 0, 1, 0);
  EXPECT_EQ(r.lo, ~0ull);
  EXPECT_EQ(r.hi, ~0ull);
  r = num::mul_wide_s(uint64_t(-1), uint64_t(-1));
  EXPECT_EQ(r.lo, 1u);
  EXPECT_EQ(r.hi, 0u);
  r = num::mul_wide_s(uint64_t(-2), 3);
  EXPECT_EQ(r.lo, uint64_t(-6));
  EXPECT_EQ(r.hi, ~0ull);
  r = num::mul_wide_u(~0ull, ~0ull);
  EXPECT_EQ(r.lo, 1u);
  EXPECT_EQ(r.hi, ~0ull - 1);
}
} // namespace
