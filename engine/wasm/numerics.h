// The scalar numeric semantics of WebAssembly, shared by every tier.
//
// The interpreter calls these functions directly; the JIT calls them for the
// operations it does not inline; unit tests check them on their own. Nothing
// else in the engine re-implements a numeric operator.
//
// Conventions:
//  - Integers are passed as unsigned bit patterns (uint32_t / uint64_t); the
//    signed view is taken inside a function when the operator needs it.
//  - Floats are passed as float / double. Operators that must not touch NaN
//    payloads (abs, neg, copysign, reinterpret) work on the bits.
//  - An operator that can trap returns Outcome<T>: a value, or a TrapKind from
//    traps.def. No function here has undefined behaviour for any input.
//  - NaN results: arithmetic on x86-64 SSE already yields canonical NaNs for
//    invalid operations and quiet (arithmetic) NaNs when propagating, which is
//    what the spec allows. min/max/nearest are written out so that they give
//    the same answer on every tier.
#pragma once

#include "wasm/traps.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace tandem::num {

// A value or a trap.
template <typename T> struct Outcome {
  T value{};
  TrapKind trap = TrapKind::kCount;
  constexpr bool ok() const { return trap == TrapKind::kCount; }
  static constexpr Outcome trapped(TrapKind k) { return Outcome{T{}, k}; }
};
template <typename T> constexpr Outcome<T> ok(T v) {
  return Outcome<T>{v, TrapKind::kCount};
}

template <typename U>
concept WasmInt = std::is_same_v<U, uint32_t> || std::is_same_v<U, uint64_t>;
template <typename F>
concept WasmFloat = std::is_same_v<F, float> || std::is_same_v<F, double>;

template <WasmInt U> using Signed = std::make_signed_t<U>;
template <WasmFloat F> using FloatBits = std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t>;

// ---------------------------------------------------------------------------
// Integer arithmetic (wrapping) and bit operations.

template <WasmInt U> constexpr U add(U a, U b) {
  return U(a + b);
}
template <WasmInt U> constexpr U sub(U a, U b) {
  return U(a - b);
}
template <WasmInt U> constexpr U mul(U a, U b) {
  return U(a * b);
}
template <WasmInt U> constexpr U and_(U a, U b) {
  return a & b;
}
template <WasmInt U> constexpr U or_(U a, U b) {
  return a | b;
}
template <WasmInt U> constexpr U xor_(U a, U b) {
  return a ^ b;
}

template <WasmInt U> constexpr U shift_mask(U count) {
  return count & U(sizeof(U) * 8 - 1);
}
template <WasmInt U> constexpr U shl(U a, U b) {
  return U(a << shift_mask(b));
}
template <WasmInt U> constexpr U shr_u(U a, U b) {
  return U(a >> shift_mask(b));
}
template <WasmInt U> constexpr U shr_s(U a, U b) {
  // Arithmetic shift on the signed view (well defined in C++20).
  return U(Signed<U>(a) >> shift_mask(b));
}
template <WasmInt U> constexpr U rotl(U a, U b) {
  return std::rotl(a, int(shift_mask(b)));
}
template <WasmInt U> constexpr U rotr(U a, U b) {
  return std::rotr(a, int(shift_mask(b)));
}

template <WasmInt U> constexpr U clz(U a) {
  return U(std::countl_zero(a));
}
template <WasmInt U> constexpr U ctz(U a) {
  return U(std::countr_zero(a));
}
template <WasmInt U> constexpr U popcnt(U a) {
  return U(std::popcount(a));
}
template <WasmInt U> constexpr uint32_t eqz(U a) {
  return a == 0;
}

// Division: divide by zero traps; signed MIN / -1 overflows (div) or is 0 (rem).
template <WasmInt U> constexpr Outcome<U> div_u(U a, U b) {
  if (b == 0) return Outcome<U>::trapped(TrapKind::IntegerDivideByZero);
  return ok(U(a / b));
}
// i32.div_u by a constant d >= 2 as one 64x64->128 multiply (Lemire, Kaser
// and Kurz, "Faster remainder by direct computation", 2019): with
// m = floor((2^64 - 1) / d) + 1, a / d == (a * m) >> 64 for every 32-bit a.
// (d == 1 would need m = 2^64.)
constexpr uint64_t div_u32_magic(uint32_t d) {
  return ~uint64_t(0) / d + 1;
}
constexpr uint32_t div_u32_by_magic(uint32_t a, uint64_t m) {
  return uint32_t((static_cast<unsigned __int128>(a) * m) >> 64);
}
template <WasmInt U> constexpr Outcome<U> rem_u(U a, U b) {
  if (b == 0) return Outcome<U>::trapped(TrapKind::IntegerDivideByZero);
  return ok(U(a % b));
}
template <WasmInt U> constexpr Outcome<U> div_s(U a, U b) {
  if (b == 0) return Outcome<U>::trapped(TrapKind::IntegerDivideByZero);
  constexpr U kMin = U(1) << (sizeof(U) * 8 - 1);
  if (a == kMin && b == U(-1)) return Outcome<U>::trapped(TrapKind::IntegerOverflow);
  return ok(U(Signed<U>(a) / Signed<U>(b)));
}
template <WasmInt U> constexpr Outcome<U> rem_s(U a, U b) {
  if (b == 0) return Outcome<U>::trapped(TrapKind::IntegerDivideByZero);
  if (b == U(-1)) return ok(U(0)); // avoids MIN % -1, which is UB in C++
  return ok(U(Signed<U>(a) % Signed<U>(b)));
}

// Comparisons return an i32 0/1.
template <WasmInt U> constexpr uint32_t eq(U a, U b) {
  return a == b;
}
template <WasmInt U> constexpr uint32_t ne(U a, U b) {
  return a != b;
}
template <WasmInt U> constexpr uint32_t lt_u(U a, U b) {
  return a < b;
}
template <WasmInt U> constexpr uint32_t gt_u(U a, U b) {
  return a > b;
}
template <WasmInt U> constexpr uint32_t le_u(U a, U b) {
  return a <= b;
}
template <WasmInt U> constexpr uint32_t ge_u(U a, U b) {
  return a >= b;
}
template <WasmInt U> constexpr uint32_t lt_s(U a, U b) {
  return Signed<U>(a) < Signed<U>(b);
}
template <WasmInt U> constexpr uint32_t gt_s(U a, U b) {
  return Signed<U>(a) > Signed<U>(b);
}
template <WasmInt U> constexpr uint32_t le_s(U a, U b) {
  return Signed<U>(a) <= Signed<U>(b);
}
template <WasmInt U> constexpr uint32_t ge_s(U a, U b) {
  return Signed<U>(a) >= Signed<U>(b);
}

// Sign extension of the low `Bits` bits (sign-extension proposal).
template <WasmInt U, unsigned Bits> constexpr U extend_s(U a) {
  static_assert(Bits < sizeof(U) * 8);
  constexpr unsigned kShift = sizeof(U) * 8 - Bits;
  return U(Signed<U>(U(a << kShift)) >> kShift);
}
constexpr uint32_t i32_extend8_s(uint32_t a) {
  return extend_s<uint32_t, 8>(a);
}
constexpr uint32_t i32_extend16_s(uint32_t a) {
  return extend_s<uint32_t, 16>(a);
}
constexpr uint64_t i64_extend8_s(uint64_t a) {
  return extend_s<uint64_t, 8>(a);
}
constexpr uint64_t i64_extend16_s(uint64_t a) {
  return extend_s<uint64_t, 16>(a);
}
constexpr uint64_t i64_extend32_s(uint64_t a) {
  return extend_s<uint64_t, 32>(a);
}

// Integer width conversions.
constexpr uint32_t i32_wrap_i64(uint64_t a) {
  return uint32_t(a);
}
constexpr uint64_t i64_extend_i32_s(uint32_t a) {
  return uint64_t(int64_t(int32_t(a)));
}
constexpr uint64_t i64_extend_i32_u(uint32_t a) {
  return uint64_t(a);
}

// ---------------------------------------------------------------------------
// Float bit-level helpers.

template <WasmFloat F> constexpr FloatBits<F> bits_of(F f) {
  return std::bit_cast<FloatBits<F>>(f);
}
template <WasmFloat F> constexpr F from_bits(FloatBits<F> b) {
  return std::bit_cast<F>(b);
}

template <WasmFloat F> struct FloatLayout {
  using Bits = FloatBits<F>;
  static constexpr unsigned kMantissaBits = sizeof(F) == 4 ? 23 : 52;
  static constexpr Bits kSignBit = Bits(1) << (sizeof(F) * 8 - 1);
  static constexpr Bits kExponentMask =
      sizeof(F) == 4 ? Bits(0x7f800000u) : Bits(0x7ff0000000000000ull);
  static constexpr Bits kMantissaMask = (Bits(1) << kMantissaBits) - 1;
  static constexpr Bits kQuietBit = Bits(1) << (kMantissaBits - 1);
  // The canonical NaN: quiet bit only, positive sign.
  static constexpr Bits kCanonicalNaN = kExponentMask | kQuietBit;
};

template <WasmFloat F> constexpr bool is_nan_bits(FloatBits<F> b) {
  using L = FloatLayout<F>;
  return (b & L::kExponentMask) == L::kExponentMask && (b & L::kMantissaMask) != 0;
}
template <WasmFloat F> constexpr bool is_nan(F f) {
  return is_nan_bits<F>(bits_of(f));
}
// Canonical NaN of either sign (what nan:canonical accepts).
template <WasmFloat F> constexpr bool is_canonical_nan_bits(FloatBits<F> b) {
  using L = FloatLayout<F>;
  return (b & ~L::kSignBit) == L::kCanonicalNaN;
}
// A NaN with the quiet bit set (what nan:arithmetic accepts).
template <WasmFloat F> constexpr bool is_arithmetic_nan_bits(FloatBits<F> b) {
  using L = FloatLayout<F>;
  return is_nan_bits<F>(b) && (b & L::kQuietBit) != 0;
}
// The same NaN with its quiet bit set (payload otherwise preserved).
template <WasmFloat F> constexpr F quiet(F f) {
  return from_bits<F>(FloatBits<F>(bits_of(f) | FloatLayout<F>::kQuietBit));
}

// ---------------------------------------------------------------------------
// Float arithmetic.

// NaN results of a op b made explicit, as x86 SSE computes them with `a` in
// the destination (which is what the JIT's inline code does): a NaN `a` wins,
// then a NaN `b`, each quieted; an invalid operation keeps the hardware's
// default NaN `r`. Without this the compiler may commute a + b or a * b and
// the payload of a NaN result would depend on register allocation, so two
// tiers (or two call sites) could disagree.
template <WasmFloat F> constexpr F nan_result(F a, F b, F r) {
  if (is_nan(a)) return quiet(a);
  if (is_nan(b)) return quiet(b);
  return r;
}
template <WasmFloat F> constexpr F fadd(F a, F b) {
  F r = a + b;
  return is_nan(r) ? nan_result(a, b, r) : r;
}
template <WasmFloat F> constexpr F fsub(F a, F b) {
  F r = a - b;
  return is_nan(r) ? nan_result(a, b, r) : r;
}
template <WasmFloat F> constexpr F fmul(F a, F b) {
  F r = a * b;
  return is_nan(r) ? nan_result(a, b, r) : r;
}
template <WasmFloat F> constexpr F fdiv(F a, F b) {
  F r = a / b;
  return is_nan(r) ? nan_result(a, b, r) : r;
}
template <WasmFloat F> inline F fsqrt(F a) {
  return std::sqrt(a);
}

// abs/neg/copysign only touch the sign bit, so NaN payloads pass unchanged.
template <WasmFloat F> constexpr F fabs(F a) {
  return from_bits<F>(FloatBits<F>(bits_of(a) & ~FloatLayout<F>::kSignBit));
}
template <WasmFloat F> constexpr F fneg(F a) {
  return from_bits<F>(FloatBits<F>(bits_of(a) ^ FloatLayout<F>::kSignBit));
}
template <WasmFloat F> constexpr F fcopysign(F a, F b) {
  using L = FloatLayout<F>;
  return from_bits<F>(FloatBits<F>((bits_of(a) & ~L::kSignBit) | (bits_of(b) & L::kSignBit)));
}

// min/max: any NaN operand gives a quiet NaN (the first NaN operand, quieted);
// -0 is below +0.
template <WasmFloat F> constexpr F fmin(F a, F b) {
  if (is_nan(a)) return quiet(a);
  if (is_nan(b)) return quiet(b);
  if (a == b) return from_bits<F>(FloatBits<F>(bits_of(a) | bits_of(b))); // -0 wins
  return a < b ? a : b;
}
template <WasmFloat F> constexpr F fmax(F a, F b) {
  if (is_nan(a)) return quiet(a);
  if (is_nan(b)) return quiet(b);
  if (a == b) return from_bits<F>(FloatBits<F>(bits_of(a) & bits_of(b))); // +0 wins
  return a > b ? a : b;
}

// Rounding to integral values. NaN inputs give the quieted NaN; values too
// large to have a fraction (and infinities, zeros) are returned unchanged.
template <WasmFloat F> constexpr bool has_no_fraction(F a) {
  // |a| >= 2^mantissa_bits, infinities and NaNs included.
  using L = FloatLayout<F>;
  using Bits = FloatBits<F>;
  constexpr Bits kBiasedLimit = Bits((sizeof(F) == 4 ? 127 : 1023) + L::kMantissaBits)
                                << L::kMantissaBits;
  return (bits_of(a) & ~L::kSignBit) >= kBiasedLimit;
}
// Round to nearest, ties to even. Adding and subtracting 2^mantissa_bits
// rounds in the default (nearest-even) mode; the sign is restored afterwards so
// that -0.4 gives -0.
template <WasmFloat F> constexpr F fnearest(F a) {
  if (is_nan(a)) return quiet(a);
  if (has_no_fraction(a)) return a;
  constexpr F kTwoPow = sizeof(F) == 4 ? F(8388608.0) : F(4503599627370496.0);
  F mag = fabs(a);
  F r = (mag + kTwoPow) - kTwoPow;
  return fcopysign(r, a);
}
template <WasmFloat F> inline F ftrunc(F a) {
  if (is_nan(a)) return quiet(a);
  return std::trunc(a);
}
template <WasmFloat F> inline F fceil(F a) {
  if (is_nan(a)) return quiet(a);
  return std::ceil(a);
}
template <WasmFloat F> inline F ffloor(F a) {
  if (is_nan(a)) return quiet(a);
  return std::floor(a);
}

// Float comparisons (false with any NaN, except ne).
template <WasmFloat F> constexpr uint32_t feq(F a, F b) {
  return a == b;
}
template <WasmFloat F> constexpr uint32_t fne(F a, F b) {
  return a != b;
}
template <WasmFloat F> constexpr uint32_t flt(F a, F b) {
  return a < b;
}
template <WasmFloat F> constexpr uint32_t fgt(F a, F b) {
  return a > b;
}
template <WasmFloat F> constexpr uint32_t fle(F a, F b) {
  return a <= b;
}
template <WasmFloat F> constexpr uint32_t fge(F a, F b) {
  return a >= b;
}

// ---------------------------------------------------------------------------
// Float <-> integer conversions.

// 2^n as F, exactly (n < 128).
template <WasmFloat F> constexpr F pow2(unsigned n) {
  F r = 1;
  for (unsigned i = 0; i < n; ++i) r *= 2;
  return r;
}

// The trunc family: `Signed` selects i32/i64 _s versus _u. The range test is
// done on the truncated value against exact powers of two, so there is no
// rounding at the bounds.
template <WasmInt U, bool IsSigned, WasmFloat F> constexpr Outcome<U> trunc(F a) {
  if (is_nan(a)) return Outcome<U>::trapped(TrapKind::InvalidConversion);
  constexpr unsigned kBits = sizeof(U) * 8;
  // Truncate without <cmath> so that this stays constexpr: values at or above
  // 2^mantissa have no fraction, smaller ones fit in an int64.
  F t = has_no_fraction(a) ? a : F(int64_t(a));
  if constexpr (IsSigned) {
    if (!(t >= -pow2<F>(kBits - 1) && t < pow2<F>(kBits - 1)))
      return Outcome<U>::trapped(TrapKind::IntegerOverflow);
    return ok(U(Signed<U>(t)));
  } else {
    if (!(t > F(-1) && t < pow2<F>(kBits))) return Outcome<U>::trapped(TrapKind::IntegerOverflow);
    return ok(U(t));
  }
}
// Saturating: NaN gives 0, out-of-range values clamp.
template <WasmInt U, bool IsSigned, WasmFloat F> constexpr U trunc_sat(F a) {
  if (is_nan(a)) return 0;
  constexpr unsigned kBits = sizeof(U) * 8;
  if constexpr (IsSigned) {
    if (a < -pow2<F>(kBits - 1)) return U(std::numeric_limits<Signed<U>>::min());
    if (a >= pow2<F>(kBits - 1)) return U(std::numeric_limits<Signed<U>>::max());
  } else {
    if (a <= F(-1)) return 0;
    if (a >= pow2<F>(kBits)) return std::numeric_limits<U>::max();
  }
  return trunc<U, IsSigned, F>(a).value;
}

// Integer to float: rounds to nearest, ties to even (C++ conversions do that
// in the default rounding mode).
template <WasmFloat F, bool IsSigned, WasmInt U> constexpr F convert(U a) {
  if constexpr (IsSigned)
    return F(Signed<U>(a));
  else
    return F(a);
}

// Float width conversions. Propagated NaNs keep their payload with the quiet
// bit set (an arithmetic NaN); canonical NaNs stay canonical.
constexpr double f64_promote_f32(float a) {
  if (is_nan(a)) {
    uint64_t sign = uint64_t(bits_of(a) & FloatLayout<float>::kSignBit) << 32;
    uint64_t payload = uint64_t(bits_of(a) & FloatLayout<float>::kMantissaMask) << (52 - 23);
    return from_bits<double>(sign | FloatLayout<double>::kExponentMask |
                             FloatLayout<double>::kQuietBit | payload);
  }
  return double(a);
}
constexpr float f32_demote_f64(double a) {
  if (is_nan(a)) {
    uint32_t sign = uint32_t((bits_of(a) & FloatLayout<double>::kSignBit) >> 32);
    uint32_t payload = uint32_t((bits_of(a) & FloatLayout<double>::kMantissaMask) >> (52 - 23));
    return from_bits<float>(sign | FloatLayout<float>::kExponentMask |
                            FloatLayout<float>::kQuietBit | payload);
  }
  return float(a);
}

// Reinterpretations.
constexpr uint32_t i32_reinterpret_f32(float a) {
  return bits_of(a);
}
constexpr uint64_t i64_reinterpret_f64(double a) {
  return bits_of(a);
}
constexpr float f32_reinterpret_i32(uint32_t a) {
  return from_bits<float>(a);
}
constexpr double f64_reinterpret_i64(uint64_t a) {
  return from_bits<double>(a);
}

// ---------------------------------------------------------------------------
// Wide arithmetic (128-bit results as two i64 halves, low first).

struct U128 {
  uint64_t lo = 0;
  uint64_t hi = 0;
};
constexpr U128 add128(uint64_t alo, uint64_t ahi, uint64_t blo, uint64_t bhi) {
  unsigned __int128 r = ((unsigned __int128)ahi << 64 | alo) + ((unsigned __int128)bhi << 64 | blo);
  return U128{uint64_t(r), uint64_t(r >> 64)};
}
constexpr U128 sub128(uint64_t alo, uint64_t ahi, uint64_t blo, uint64_t bhi) {
  unsigned __int128 r = ((unsigned __int128)ahi << 64 | alo) - ((unsigned __int128)bhi << 64 | blo);
  return U128{uint64_t(r), uint64_t(r >> 64)};
}
constexpr U128 mul_wide_s(uint64_t a, uint64_t b) {
  __int128 r = (__int128)int64_t(a) * (__int128)int64_t(b);
  return U128{uint64_t(r), uint64_t((unsigned __int128)r >> 64)};
}
constexpr U128 mul_wide_u(uint64_t a, uint64_t b) {
  unsigned __int128 r = (unsigned __int128)a * b;
  return U128{uint64_t(r), uint64_t(r >> 64)};
}

} // namespace tandem::num
