// The lane semantics of 128-bit SIMD (and relaxed SIMD), shared by every tier.
// Part of the numerics header family (numerics.h holds the scalar ones, and
// every float lane operation here calls its scalar twin there, so scalar and
// SIMD NaN/rounding rules cannot drift apart).
//
// A Vec128 is 16 little-endian bytes. Lanes are read and written by memcpy.
// Integer lanes use unsigned types; signed views are taken where an operator
// needs them. Relaxed SIMD operators pick one deterministic behaviour among
// those the spec allows (documented per operator), so both tiers agree.
#pragma once

#include "wasm/numerics.h"

#include <array>
#include <cstring>

namespace tandem::num {

struct Vec128 {
  uint8_t bytes[16] = {};
  bool operator==(const Vec128&) const = default;
};
static_assert(sizeof(Vec128) == 16);

template <typename T> inline constexpr size_t kLanes = 16 / sizeof(T);
template <typename T> using Lanes = std::array<T, kLanes<T>>;

template <typename T> inline Lanes<T> lanes(const Vec128& v) {
  Lanes<T> l;
  std::memcpy(l.data(), v.bytes, 16);
  return l;
}
template <typename T> inline Vec128 vec(const Lanes<T>& l) {
  Vec128 v;
  std::memcpy(v.bytes, l.data(), 16);
  return v;
}

namespace simd {

// The compiler's 16-byte vector of T lanes (GCC/Clang vector extensions), for
// lane-wise operations whose wasm result is the plain C++ one in every lane:
// they compile to one SIMD instruction instead of a loop over lanes.
template <typename T> struct VecType;
#define TANDEM_VEC_TYPE(T)                                                                         \
  template <> struct VecType<T> { typedef T type __attribute__((vector_size(16))); };
TANDEM_VEC_TYPE(uint8_t)
TANDEM_VEC_TYPE(uint16_t)
TANDEM_VEC_TYPE(uint32_t)
TANDEM_VEC_TYPE(uint64_t)
TANDEM_VEC_TYPE(int16_t)
TANDEM_VEC_TYPE(int32_t)
TANDEM_VEC_TYPE(float)
TANDEM_VEC_TYPE(double)
#undef TANDEM_VEC_TYPE
template <typename T> using VecOf = typename VecType<T>::type;
template <typename T> inline VecOf<T> as_vec(const Vec128& v) {
  VecOf<T> r;
  std::memcpy(&r, v.bytes, 16);
  return r;
}
template <typename T> inline Vec128 from_vec(const VecOf<T>& r) {
  Vec128 v;
  std::memcpy(v.bytes, &r, 16);
  return v;
}

template <typename T, typename F> inline Vec128 map1(const Vec128& a, F f) {
  Lanes<T> x = lanes<T>(a);
  for (auto& e : x) e = T(f(e));
  return vec<T>(x);
}
template <typename T, typename F> inline Vec128 map2(const Vec128& a, const Vec128& b, F f) {
  Lanes<T> x = lanes<T>(a), y = lanes<T>(b);
  for (size_t i = 0; i < x.size(); ++i) x[i] = T(f(x[i], y[i]));
  return vec<T>(x);
}
// Lane-wise comparison into an all-ones / all-zeros mask of the lane width.
template <typename T, typename M, typename F>
inline Vec128 cmp(const Vec128& a, const Vec128& b, F f) {
  Lanes<T> x = lanes<T>(a), y = lanes<T>(b);
  Lanes<M> r;
  for (size_t i = 0; i < r.size(); ++i) r[i] = f(x[i], y[i]) ? M(~M(0)) : M(0);
  return vec<M>(r);
}
template <typename U> using S = std::make_signed_t<U>;
template <typename U> constexpr U sat_s(int64_t v) {
  constexpr int64_t lo = std::numeric_limits<S<U>>::min(), hi = std::numeric_limits<S<U>>::max();
  return U(S<U>(v < lo ? lo : v > hi ? hi : v));
}
template <typename U> constexpr U sat_u(int64_t v) {
  constexpr int64_t hi = int64_t(std::numeric_limits<U>::max());
  return U(v < 0 ? 0 : v > hi ? hi : v);
}

// ---- bitwise ----------------------------------------------------------------------
inline Vec128 v128_not(const Vec128& a) {
  return map1<uint64_t>(a, [](uint64_t x) { return ~x; });
}
inline Vec128 v128_and(const Vec128& a, const Vec128& b) {
  return map2<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x & y; });
}
inline Vec128 v128_andnot(const Vec128& a, const Vec128& b) {
  return map2<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x & ~y; });
}
inline Vec128 v128_or(const Vec128& a, const Vec128& b) {
  return map2<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x | y; });
}
inline Vec128 v128_xor(const Vec128& a, const Vec128& b) {
  return map2<uint64_t>(a, b, [](uint64_t x, uint64_t y) { return x ^ y; });
}
inline Vec128 bitselect(const Vec128& a, const Vec128& b, const Vec128& c) {
  return v128_or(v128_and(a, c), v128_andnot(b, c));
}
inline uint32_t any_true(const Vec128& a) {
  Lanes<uint64_t> l = lanes<uint64_t>(a);
  return (l[0] | l[1]) != 0;
}

// ---- integer lanes ------------------------------------------------------------------
// Unsigned lanes: + - * wrap modulo 2^bits in each lane.
template <typename U> Vec128 add(const Vec128& a, const Vec128& b) {
  return from_vec<U>(as_vec<U>(a) + as_vec<U>(b));
}
template <typename U> Vec128 sub(const Vec128& a, const Vec128& b) {
  return from_vec<U>(as_vec<U>(a) - as_vec<U>(b));
}
template <typename U> Vec128 mul(const Vec128& a, const Vec128& b) {
  static_assert(sizeof(U) >= 2); // no i8x16.mul; u8 lanes would promote
  return from_vec<U>(as_vec<U>(a) * as_vec<U>(b));
}
template <typename U> Vec128 neg(const Vec128& a) {
  return map1<U>(a, [](U x) { return U(U(0) - x); });
}
template <typename U> Vec128 iabs(const Vec128& a) {
  return map1<U>(a, [](U x) { return S<U>(x) < 0 ? U(U(0) - x) : x; });
}
template <typename U> Vec128 min_s(const Vec128& a, const Vec128& b) {
  return map2<U>(a, b, [](U x, U y) { return S<U>(x) < S<U>(y) ? x : y; });
}
template <typename U> Vec128 min_u(const Vec128& a, const Vec128& b) {
  return map2<U>(a, b, [](U x, U y) { return x < y ? x : y; });
}
template <typename U> Vec128 max_s(const Vec128& a, const Vec128& b) {
  return map2<U>(a, b, [](U x, U y) { return S<U>(x) > S<U>(y) ? x : y; });
}
template <typename U> Vec128 max_u(const Vec128& a, const Vec128& b) {
  return map2<U>(a, b, [](U x, U y) { return x > y ? x : y; });
}
template <typename U> Vec128 add_sat_s(const Vec128& a, const Vec128& b) {
  return map2<U>(a, b, [](U x, U y) { return sat_s<U>(int64_t(S<U>(x)) + S<U>(y)); });
}
template <typename U> Vec128 add_sat_u(const Vec128& a, const Vec128& b) {
  return map2<U>(a, b, [](U x, U y) { return sat_u<U>(int64_t(x) + y); });
}
template <typename U> Vec128 sub_sat_s(const Vec128& a, const Vec128& b) {
  return map2<U>(a, b, [](U x, U y) { return sat_s<U>(int64_t(S<U>(x)) - S<U>(y)); });
}
template <typename U> Vec128 sub_sat_u(const Vec128& a, const Vec128& b) {
  return map2<U>(a, b, [](U x, U y) { return sat_u<U>(int64_t(x) - y); });
}
template <typename U> Vec128 avgr_u(const Vec128& a, const Vec128& b) {
  return map2<U>(a, b, [](U x, U y) { return U((uint64_t(x) + y + 1) >> 1); });
}
inline Vec128 q15mulr_sat_s(const Vec128& a, const Vec128& b) {
  return map2<uint16_t>(a, b, [](uint16_t x, uint16_t y) {
    int64_t p = int64_t(int16_t(x)) * int16_t(y);
    return sat_s<uint16_t>((p + 0x4000) >> 15);
  });
}
inline Vec128 popcnt8(const Vec128& a) {
  return map1<uint8_t>(a, [](uint8_t x) { return uint8_t(std::popcount(x)); });
}

template <typename U> Vec128 eq(const Vec128& a, const Vec128& b) {
  return cmp<U, U>(a, b, [](U x, U y) { return x == y; });
}
template <typename U> Vec128 ne(const Vec128& a, const Vec128& b) {
  return cmp<U, U>(a, b, [](U x, U y) { return x != y; });
}
template <typename U> Vec128 lt_s(const Vec128& a, const Vec128& b) {
  return cmp<U, U>(a, b, [](U x, U y) { return S<U>(x) < S<U>(y); });
}
template <typename U> Vec128 lt_u(const Vec128& a, const Vec128& b) {
  return cmp<U, U>(a, b, [](U x, U y) { return x < y; });
}
template <typename U> Vec128 gt_s(const Vec128& a, const Vec128& b) {
  return cmp<U, U>(a, b, [](U x, U y) { return S<U>(x) > S<U>(y); });
}
template <typename U> Vec128 gt_u(const Vec128& a, const Vec128& b) {
  return cmp<U, U>(a, b, [](U x, U y) { return x > y; });
}
template <typename U> Vec128 le_s(const Vec128& a, const Vec128& b) {
  return cmp<U, U>(a, b, [](U x, U y) { return S<U>(x) <= S<U>(y); });
}
template <typename U> Vec128 le_u(const Vec128& a, const Vec128& b) {
  return cmp<U, U>(a, b, [](U x, U y) { return x <= y; });
}
template <typename U> Vec128 ge_s(const Vec128& a, const Vec128& b) {
  return cmp<U, U>(a, b, [](U x, U y) { return S<U>(x) >= S<U>(y); });
}
template <typename U> Vec128 ge_u(const Vec128& a, const Vec128& b) {
  return cmp<U, U>(a, b, [](U x, U y) { return x >= y; });
}

// Shifts take the count modulo the lane width.
template <typename U> Vec128 shl(const Vec128& a, uint32_t n) {
  unsigned s = n & (sizeof(U) * 8 - 1);
  return map1<U>(a, [s](U x) { return U(x << s); });
}
template <typename U> Vec128 shr_u(const Vec128& a, uint32_t n) {
  unsigned s = n & (sizeof(U) * 8 - 1);
  return map1<U>(a, [s](U x) { return U(x >> s); });
}
template <typename U> Vec128 shr_s(const Vec128& a, uint32_t n) {
  unsigned s = n & (sizeof(U) * 8 - 1);
  return map1<U>(a, [s](U x) { return U(S<U>(x) >> s); });
}

template <typename U> uint32_t all_true(const Vec128& a) {
  for (U x : lanes<U>(a))
    if (x == 0) return 0;
  return 1;
}
template <typename U> uint32_t bitmask(const Vec128& a) {
  Lanes<U> l = lanes<U>(a);
  uint32_t r = 0;
  for (size_t i = 0; i < l.size(); ++i) r |= uint32_t(l[i] >> (sizeof(U) * 8 - 1)) << i;
  return r;
}

// Narrowing: lanes of `a` then of `b`, saturated to the narrow type.
template <typename Wide, typename Narrow, bool Signed>
Vec128 narrow(const Vec128& a, const Vec128& b) {
  Lanes<Wide> x = lanes<Wide>(a), y = lanes<Wide>(b);
  Lanes<Narrow> r;
  for (size_t i = 0; i < x.size(); ++i) {
    int64_t vx = S<Wide>(x[i]), vy = S<Wide>(y[i]);
    r[i] = Signed ? sat_s<Narrow>(vx) : sat_u<Narrow>(vx);
    r[i + x.size()] = Signed ? sat_s<Narrow>(vy) : sat_u<Narrow>(vy);
  }
  return vec<Narrow>(r);
}
// Widening of the low or high half of the lanes.
template <typename Narrow, typename Wide, bool Signed, bool High> Vec128 extend(const Vec128& a) {
  Lanes<Narrow> x = lanes<Narrow>(a);
  Lanes<Wide> r;
  for (size_t i = 0; i < r.size(); ++i) {
    Narrow v = x[i + (High ? r.size() : 0)];
    r[i] = Signed ? Wide(S<Wide>(S<Narrow>(v))) : Wide(v);
  }
  return vec<Wide>(r);
}
template <typename Narrow, typename Wide, bool Signed, bool High>
Vec128 extmul(const Vec128& a, const Vec128& b) {
  return mul<Wide>(extend<Narrow, Wide, Signed, High>(a), extend<Narrow, Wide, Signed, High>(b));
}
template <typename Narrow, typename Wide, bool Signed> Vec128 extadd_pairwise(const Vec128& a) {
  if constexpr (sizeof(Wide) == 2 * sizeof(Narrow) && sizeof(Wide) <= 4) {
    // Wide lane i holds narrow lanes 2i (low half) and 2i+1 (high half):
    // extend both halves in place and add, all lanes at once.
    constexpr int kBits = 8 * sizeof(Narrow);
    if constexpr (Signed) {
      // The left shift is done unsigned; the arithmetic right shifts extend.
      VecOf<S<Wide>> low = (VecOf<S<Wide>>)(as_vec<Wide>(a) << kBits) >> kBits;
      VecOf<S<Wide>> high = as_vec<S<Wide>>(a) >> kBits;
      return from_vec<S<Wide>>(low + high);
    } else {
      VecOf<Wide> w = as_vec<Wide>(a);
      return from_vec<Wide>((w & Wide((Wide(1) << kBits) - 1)) + (w >> kBits));
    }
  }
  Lanes<Narrow> x = lanes<Narrow>(a);
  Lanes<Wide> r;
  for (size_t i = 0; i < r.size(); ++i) {
    if constexpr (Signed) {
      r[i] = Wide(S<Wide>(S<Narrow>(x[2 * i])) + S<Wide>(S<Narrow>(x[2 * i + 1])));
    } else {
      r[i] = Wide(Wide(x[2 * i]) + Wide(x[2 * i + 1]));
    }
  }
  return vec<Wide>(r);
}
inline Vec128 dot_i16x8_s(const Vec128& a, const Vec128& b) {
  Lanes<uint16_t> x = lanes<uint16_t>(a), y = lanes<uint16_t>(b);
  Lanes<uint32_t> r;
  for (size_t i = 0; i < 4; ++i)
    r[i] = uint32_t(int64_t(int16_t(x[2 * i])) * int16_t(y[2 * i]) + // may wrap: i32 lanes
                    int64_t(int16_t(x[2 * i + 1])) * int16_t(y[2 * i + 1]));
  return vec<uint32_t>(r);
}

// ---- lanes and shuffles -----------------------------------------------------------------
template <typename T, typename Scalar> Vec128 splat(Scalar s) {
  Lanes<T> l;
  l.fill(T(s));
  return vec<T>(l);
}
template <typename T> T extract(const Vec128& a, uint32_t lane) {
  return lanes<T>(a)[lane];
}
template <typename T, typename Scalar> Vec128 replace(const Vec128& a, Scalar s, uint32_t lane) {
  Lanes<T> l = lanes<T>(a);
  l[lane] = T(s);
  return vec<T>(l);
}
inline Vec128 shuffle(const Vec128& a, const Vec128& b, const uint8_t* idx) {
  Vec128 r;
  for (int i = 0; i < 16; ++i) r.bytes[i] = idx[i] < 16 ? a.bytes[idx[i]] : b.bytes[idx[i] - 16];
  return r;
}
// Out-of-range indices give 0 (relaxed_swizzle: same choice).
inline Vec128 swizzle(const Vec128& a, const Vec128& s) {
  Vec128 r;
  for (int i = 0; i < 16; ++i) r.bytes[i] = s.bytes[i] < 16 ? a.bytes[s.bytes[i]] : 0;
  return r;
}

// ---- float lanes (scalar semantics from numerics.h) ---------------------------------------
template <typename F> using FB = FloatBits<F>;
template <typename F, typename Op> Vec128 fmap1(const Vec128& a, Op op) {
  Lanes<FB<F>> x = lanes<FB<F>>(a);
  for (auto& e : x) e = bits_of<F>(op(from_bits<F>(e)));
  return vec<FB<F>>(x);
}
template <typename F, typename Op> Vec128 fmap2(const Vec128& a, const Vec128& b, Op op) {
  Lanes<FB<F>> x = lanes<FB<F>>(a), y = lanes<FB<F>>(b);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = bits_of<F>(op(from_bits<F>(x[i]), from_bits<F>(y[i])));
  return vec<FB<F>>(x);
}
template <typename F, typename Op> Vec128 fcmp(const Vec128& a, const Vec128& b, Op op) {
  return cmp<FB<F>, FB<F>>(
      a, b, [op](FB<F> x, FB<F> y) { return op(from_bits<F>(x), from_bits<F>(y)) != 0; });
}
template <typename F> Vec128 f_abs(const Vec128& a) {
  return fmap1<F>(a, fabs<F>);
}
template <typename F> Vec128 f_neg(const Vec128& a) {
  return fmap1<F>(a, fneg<F>);
}
template <typename F> Vec128 f_sqrt(const Vec128& a) {
  return fmap1<F>(a, fsqrt<F>);
}
template <typename F> Vec128 f_ceil(const Vec128& a) {
  return fmap1<F>(a, fceil<F>);
}
template <typename F> Vec128 f_floor(const Vec128& a) {
  return fmap1<F>(a, ffloor<F>);
}
template <typename F> Vec128 f_trunc(const Vec128& a) {
  return fmap1<F>(a, ftrunc<F>);
}
template <typename F> Vec128 f_nearest(const Vec128& a) {
  return fmap1<F>(a, fnearest<F>);
}
// + - * over all lanes at once; a lane whose result is NaN takes the scalar
// rule (fadd/fsub/fmul: an input NaN's payload, quieted), so the fast path
// is only kept when no lane is NaN, where both agree bit for bit.
template <typename F> inline bool any_nan(const VecOf<F>& r) {
  auto mask = r != r; // all-ones in NaN lanes
  uint64_t w[2];
  std::memcpy(w, &mask, 16);
  return (w[0] | w[1]) != 0;
}
template <typename F> Vec128 f_add(const Vec128& a, const Vec128& b) {
  VecOf<F> r = as_vec<F>(a) + as_vec<F>(b);
  return any_nan<F>(r) ? fmap2<F>(a, b, fadd<F>) : from_vec<F>(r);
}
template <typename F> Vec128 f_sub(const Vec128& a, const Vec128& b) {
  VecOf<F> r = as_vec<F>(a) - as_vec<F>(b);
  return any_nan<F>(r) ? fmap2<F>(a, b, fsub<F>) : from_vec<F>(r);
}
template <typename F> Vec128 f_mul(const Vec128& a, const Vec128& b) {
  VecOf<F> r = as_vec<F>(a) * as_vec<F>(b);
  return any_nan<F>(r) ? fmap2<F>(a, b, fmul<F>) : from_vec<F>(r);
}
template <typename F> Vec128 f_div(const Vec128& a, const Vec128& b) {
  return fmap2<F>(a, b, fdiv<F>);
}
template <typename F> Vec128 f_min(const Vec128& a, const Vec128& b) {
  return fmap2<F>(a, b, fmin<F>);
}
template <typename F> Vec128 f_max(const Vec128& a, const Vec128& b) {
  return fmap2<F>(a, b, fmax<F>);
}
// pmin/pmax: b < a ? b : a and a < b ? b : a (no NaN special cases).
template <typename F> Vec128 f_pmin(const Vec128& a, const Vec128& b) {
  return fmap2<F>(a, b, [](F x, F y) { return y < x ? y : x; });
}
template <typename F> Vec128 f_pmax(const Vec128& a, const Vec128& b) {
  return fmap2<F>(a, b, [](F x, F y) { return x < y ? y : x; });
}
template <typename F> Vec128 f_eq(const Vec128& a, const Vec128& b) {
  return fcmp<F>(a, b, feq<F>);
}
template <typename F> Vec128 f_ne(const Vec128& a, const Vec128& b) {
  return fcmp<F>(a, b, fne<F>);
}
template <typename F> Vec128 f_lt(const Vec128& a, const Vec128& b) {
  return fcmp<F>(a, b, flt<F>);
}
template <typename F> Vec128 f_gt(const Vec128& a, const Vec128& b) {
  return fcmp<F>(a, b, fgt<F>);
}
template <typename F> Vec128 f_le(const Vec128& a, const Vec128& b) {
  return fcmp<F>(a, b, fle<F>);
}
template <typename F> Vec128 f_ge(const Vec128& a, const Vec128& b) {
  return fcmp<F>(a, b, fge<F>);
}
// Fused multiply-add is one of the allowed relaxed results; we use the
// unfused a * b + c (each step rounded), as the non-FMA baseline does.
template <typename F> Vec128 f_madd(const Vec128& a, const Vec128& b, const Vec128& c) {
  return f_add<F>(f_mul<F>(a, b), c);
}
template <typename F> Vec128 f_nmadd(const Vec128& a, const Vec128& b, const Vec128& c) {
  return f_add<F>(f_mul<F>(f_neg<F>(a), b), c);
}

// ---- conversions --------------------------------------------------------------------------
template <bool Signed> Vec128 f32x4_convert_i32x4(const Vec128& a) {
  Lanes<uint32_t> x = lanes<uint32_t>(a);
  Lanes<uint32_t> r;
  for (size_t i = 0; i < 4; ++i) r[i] = bits_of(convert<float, Signed>(x[i]));
  return vec<uint32_t>(r);
}
template <bool Signed> Vec128 f64x2_convert_low_i32x4(const Vec128& a) {
  Lanes<uint32_t> x = lanes<uint32_t>(a);
  Lanes<uint64_t> r;
  for (size_t i = 0; i < 2; ++i) r[i] = bits_of(convert<double, Signed>(x[i]));
  return vec<uint64_t>(r);
}
template <bool Signed> Vec128 i32x4_trunc_sat_f32x4(const Vec128& a) {
  Lanes<uint32_t> x = lanes<uint32_t>(a);
  for (auto& e : x) e = trunc_sat<uint32_t, Signed>(from_bits<float>(e));
  return vec<uint32_t>(x);
}
template <bool Signed> Vec128 i32x4_trunc_sat_f64x2_zero(const Vec128& a) {
  Lanes<uint64_t> x = lanes<uint64_t>(a);
  Lanes<uint32_t> r{};
  for (size_t i = 0; i < 2; ++i) r[i] = trunc_sat<uint32_t, Signed>(from_bits<double>(x[i]));
  return vec<uint32_t>(r);
}
inline Vec128 f32x4_demote_f64x2_zero(const Vec128& a) {
  Lanes<uint64_t> x = lanes<uint64_t>(a);
  Lanes<uint32_t> r{};
  for (size_t i = 0; i < 2; ++i) r[i] = bits_of(f32_demote_f64(from_bits<double>(x[i])));
  return vec<uint32_t>(r);
}
inline Vec128 f64x2_promote_low_f32x4(const Vec128& a) {
  Lanes<uint32_t> x = lanes<uint32_t>(a);
  Lanes<uint64_t> r;
  for (size_t i = 0; i < 2; ++i) r[i] = bits_of(f64_promote_f32(from_bits<float>(x[i])));
  return vec<uint64_t>(r);
}

// ---- relaxed integer dot products (b's lanes read as signed) --------------------------------
inline Vec128 dot_i8x16_i7x16_s(const Vec128& a, const Vec128& b) {
  Lanes<uint8_t> x = lanes<uint8_t>(a), y = lanes<uint8_t>(b);
  Lanes<uint16_t> r;
  for (size_t i = 0; i < 8; ++i)
    r[i] = uint16_t(int16_t(int8_t(x[2 * i])) * int8_t(y[2 * i]) +
                    int16_t(int8_t(x[2 * i + 1])) * int8_t(y[2 * i + 1]));
  return vec<uint16_t>(r);
}
inline Vec128 dot_i8x16_i7x16_add_s(const Vec128& a, const Vec128& b, const Vec128& c) {
  Lanes<uint16_t> d = lanes<uint16_t>(dot_i8x16_i7x16_s(a, b));
  Lanes<uint32_t> acc = lanes<uint32_t>(c);
  for (size_t i = 0; i < 4; ++i)
    acc[i] += uint32_t(int32_t(int16_t(d[2 * i])) + int32_t(int16_t(d[2 * i + 1])));
  return vec<uint32_t>(acc);
}

} // namespace simd
} // namespace tandem::num
