// Which numerics_simd.h function implements each SIMD opcode (shapes
// SimdUnary, SimdBinary, SimdTernary, SimdCompare, SimdShift, SimdReduce,
// SimdSplat, SimdExtractLane and SimdReplaceLane), and the loads of shape
// SimdLoad. The SIMD counterpart of op_semantics.h, shared by both tiers.
//
// Operand types come from the opcode's signature ('v' = Vec128; float
// scalars travel as their bit patterns, so NaN payloads never pass through a
// float register). Lane opcodes get the lane index as an extra last argument.
#pragma once

#include "runtime/op_semantics.h"
#include "wasm/numerics_simd.h"

namespace tandem::rt {

using num::Vec128;
namespace simd = num::simd;

template <char C> struct SimdSigType;
template <> struct SimdSigType<'v'> { using type = Vec128; };
template <> struct SimdSigType<'i'> { using type = uint32_t; };
template <> struct SimdSigType<'I'> { using type = uint64_t; };
template <> struct SimdSigType<'f'> { using type = uint32_t; };
template <> struct SimdSigType<'F'> { using type = uint64_t; };

// The i-th parameter type of a SIMD opcode's signature.
template <Op op, size_t I> using SimdParam = typename SimdSigType<op_info(op).sig[I]>::type;

template <Op op> struct SimdSemantics; // one specialisation per row below

#define TANDEM_SIMD_SEM(op_id, ...)                                                                \
  template <> struct SimdSemantics<Op::op_id> { static constexpr auto fn = __VA_ARGS__; };

TANDEM_SIMD_SEM(i8x16_swizzle, simd::swizzle)
TANDEM_SIMD_SEM(i8x16_splat, simd::splat<uint8_t, uint32_t>)
TANDEM_SIMD_SEM(i16x8_splat, simd::splat<uint16_t, uint32_t>)
TANDEM_SIMD_SEM(i32x4_splat, simd::splat<uint32_t, uint32_t>)
TANDEM_SIMD_SEM(i64x2_splat, simd::splat<uint64_t, uint64_t>)
TANDEM_SIMD_SEM(f32x4_splat, simd::splat<uint32_t, uint32_t>)
TANDEM_SIMD_SEM(f64x2_splat, simd::splat<uint64_t, uint64_t>)
TANDEM_SIMD_SEM(i8x16_extract_lane_s, [](const Vec128& v, uint32_t l) {
  return uint32_t(int32_t(int8_t(simd::extract<uint8_t>(v, l))));
})
TANDEM_SIMD_SEM(i8x16_extract_lane_u,
                [](const Vec128& v, uint32_t l) { return uint32_t(simd::extract<uint8_t>(v, l)); })
TANDEM_SIMD_SEM(i8x16_replace_lane, simd::replace<uint8_t, uint32_t>)
TANDEM_SIMD_SEM(i16x8_extract_lane_s, [](const Vec128& v, uint32_t l) {
  return uint32_t(int32_t(int16_t(simd::extract<uint16_t>(v, l))));
})
TANDEM_SIMD_SEM(i16x8_extract_lane_u,
                [](const Vec128& v, uint32_t l) { return uint32_t(simd::extract<uint16_t>(v, l)); })
TANDEM_SIMD_SEM(i16x8_replace_lane, simd::replace<uint16_t, uint32_t>)
TANDEM_SIMD_SEM(i32x4_extract_lane, simd::extract<uint32_t>)
TANDEM_SIMD_SEM(i32x4_replace_lane, simd::replace<uint32_t, uint32_t>)
TANDEM_SIMD_SEM(i64x2_extract_lane, simd::extract<uint64_t>)
TANDEM_SIMD_SEM(i64x2_replace_lane, simd::replace<uint64_t, uint64_t>)
TANDEM_SIMD_SEM(f32x4_extract_lane, simd::extract<uint32_t>)
TANDEM_SIMD_SEM(f32x4_replace_lane, simd::replace<uint32_t, uint32_t>)
TANDEM_SIMD_SEM(f64x2_extract_lane, simd::extract<uint64_t>)
TANDEM_SIMD_SEM(f64x2_replace_lane, simd::replace<uint64_t, uint64_t>)
TANDEM_SIMD_SEM(i8x16_eq, simd::eq<uint8_t>)
TANDEM_SIMD_SEM(i8x16_ne, simd::ne<uint8_t>)
TANDEM_SIMD_SEM(i8x16_lt_s, simd::lt_s<uint8_t>)
TANDEM_SIMD_SEM(i8x16_lt_u, simd::lt_u<uint8_t>)
TANDEM_SIMD_SEM(i8x16_gt_s, simd::gt_s<uint8_t>)
TANDEM_SIMD_SEM(i8x16_gt_u, simd::gt_u<uint8_t>)
TANDEM_SIMD_SEM(i8x16_le_s, simd::le_s<uint8_t>)
TANDEM_SIMD_SEM(i8x16_le_u, simd::le_u<uint8_t>)
TANDEM_SIMD_SEM(i8x16_ge_s, simd::ge_s<uint8_t>)
TANDEM_SIMD_SEM(i8x16_ge_u, simd::ge_u<uint8_t>)
TANDEM_SIMD_SEM(i16x8_eq, simd::eq<uint16_t>)
TANDEM_SIMD_SEM(i16x8_ne, simd::ne<uint16_t>)
TANDEM_SIMD_SEM(i16x8_lt_s, simd::lt_s<uint16_t>)
TANDEM_SIMD_SEM(i16x8_lt_u, simd::lt_u<uint16_t>)
TANDEM_SIMD_SEM(i16x8_gt_s, simd::gt_s<uint16_t>)
TANDEM_SIMD_SEM(i16x8_gt_u, simd::gt_u<uint16_t>)
TANDEM_SIMD_SEM(i16x8_le_s, simd::le_s<uint16_t>)
TANDEM_SIMD_SEM(i16x8_le_u, simd::le_u<uint16_t>)
TANDEM_SIMD_SEM(i16x8_ge_s, simd::ge_s<uint16_t>)
TANDEM_SIMD_SEM(i16x8_ge_u, simd::ge_u<uint16_t>)
TANDEM_SIMD_SEM(i32x4_eq, simd::eq<uint32_t>)
TANDEM_SIMD_SEM(i32x4_ne, simd::ne<uint32_t>)
TANDEM_SIMD_SEM(i32x4_lt_s, simd::lt_s<uint32_t>)
TANDEM_SIMD_SEM(i32x4_lt_u, simd::lt_u<uint32_t>)
TANDEM_SIMD_SEM(i32x4_gt_s, simd::gt_s<uint32_t>)
TANDEM_SIMD_SEM(i32x4_gt_u, simd::gt_u<uint32_t>)
TANDEM_SIMD_SEM(i32x4_le_s, simd::le_s<uint32_t>)
TANDEM_SIMD_SEM(i32x4_le_u, simd::le_u<uint32_t>)
TANDEM_SIMD_SEM(i32x4_ge_s, simd::ge_s<uint32_t>)
TANDEM_SIMD_SEM(i32x4_ge_u, simd::ge_u<uint32_t>)
TANDEM_SIMD_SEM(f32x4_eq, simd::f_eq<float>)
TANDEM_SIMD_SEM(f32x4_ne, simd::f_ne<float>)
TANDEM_SIMD_SEM(f32x4_lt, simd::f_lt<float>)
TANDEM_SIMD_SEM(f32x4_gt, simd::f_gt<float>)
TANDEM_SIMD_SEM(f32x4_le, simd::f_le<float>)
TANDEM_SIMD_SEM(f32x4_ge, simd::f_ge<float>)
TANDEM_SIMD_SEM(f64x2_eq, simd::f_eq<double>)
TANDEM_SIMD_SEM(f64x2_ne, simd::f_ne<double>)
TANDEM_SIMD_SEM(f64x2_lt, simd::f_lt<double>)
TANDEM_SIMD_SEM(f64x2_gt, simd::f_gt<double>)
TANDEM_SIMD_SEM(f64x2_le, simd::f_le<double>)
TANDEM_SIMD_SEM(f64x2_ge, simd::f_ge<double>)
TANDEM_SIMD_SEM(v128_not, simd::v128_not)
TANDEM_SIMD_SEM(v128_and, simd::v128_and)
TANDEM_SIMD_SEM(v128_andnot, simd::v128_andnot)
TANDEM_SIMD_SEM(v128_or, simd::v128_or)
TANDEM_SIMD_SEM(v128_xor, simd::v128_xor)
TANDEM_SIMD_SEM(v128_bitselect, simd::bitselect)
TANDEM_SIMD_SEM(v128_any_true, simd::any_true)
TANDEM_SIMD_SEM(f32x4_demote_f64x2_zero, simd::f32x4_demote_f64x2_zero)
TANDEM_SIMD_SEM(f64x2_promote_low_f32x4, simd::f64x2_promote_low_f32x4)
TANDEM_SIMD_SEM(i8x16_abs, simd::iabs<uint8_t>)
TANDEM_SIMD_SEM(i8x16_neg, simd::neg<uint8_t>)
TANDEM_SIMD_SEM(i8x16_popcnt, simd::popcnt8)
TANDEM_SIMD_SEM(i8x16_all_true, simd::all_true<uint8_t>)
TANDEM_SIMD_SEM(i8x16_bitmask, simd::bitmask<uint8_t>)
TANDEM_SIMD_SEM(i8x16_narrow_i16x8_s, simd::narrow<uint16_t, uint8_t, true>)
TANDEM_SIMD_SEM(i8x16_narrow_i16x8_u, simd::narrow<uint16_t, uint8_t, false>)
TANDEM_SIMD_SEM(f32x4_ceil, simd::f_ceil<float>)
TANDEM_SIMD_SEM(f32x4_floor, simd::f_floor<float>)
TANDEM_SIMD_SEM(f32x4_trunc, simd::f_trunc<float>)
TANDEM_SIMD_SEM(f32x4_nearest, simd::f_nearest<float>)
TANDEM_SIMD_SEM(i8x16_shl, simd::shl<uint8_t>)
TANDEM_SIMD_SEM(i8x16_shr_s, simd::shr_s<uint8_t>)
TANDEM_SIMD_SEM(i8x16_shr_u, simd::shr_u<uint8_t>)
TANDEM_SIMD_SEM(i8x16_add, simd::add<uint8_t>)
TANDEM_SIMD_SEM(i8x16_add_sat_s, simd::add_sat_s<uint8_t>)
TANDEM_SIMD_SEM(i8x16_add_sat_u, simd::add_sat_u<uint8_t>)
TANDEM_SIMD_SEM(i8x16_sub, simd::sub<uint8_t>)
TANDEM_SIMD_SEM(i8x16_sub_sat_s, simd::sub_sat_s<uint8_t>)
TANDEM_SIMD_SEM(i8x16_sub_sat_u, simd::sub_sat_u<uint8_t>)
TANDEM_SIMD_SEM(f64x2_ceil, simd::f_ceil<double>)
TANDEM_SIMD_SEM(f64x2_floor, simd::f_floor<double>)
TANDEM_SIMD_SEM(i8x16_min_s, simd::min_s<uint8_t>)
TANDEM_SIMD_SEM(i8x16_min_u, simd::min_u<uint8_t>)
TANDEM_SIMD_SEM(i8x16_max_s, simd::max_s<uint8_t>)
TANDEM_SIMD_SEM(i8x16_max_u, simd::max_u<uint8_t>)
TANDEM_SIMD_SEM(f64x2_trunc, simd::f_trunc<double>)
TANDEM_SIMD_SEM(i8x16_avgr_u, simd::avgr_u<uint8_t>)
TANDEM_SIMD_SEM(i16x8_extadd_pairwise_i8x16_s, simd::extadd_pairwise<uint8_t, uint16_t, true>)
TANDEM_SIMD_SEM(i16x8_extadd_pairwise_i8x16_u, simd::extadd_pairwise<uint8_t, uint16_t, false>)
TANDEM_SIMD_SEM(i32x4_extadd_pairwise_i16x8_s, simd::extadd_pairwise<uint16_t, uint32_t, true>)
TANDEM_SIMD_SEM(i32x4_extadd_pairwise_i16x8_u, simd::extadd_pairwise<uint16_t, uint32_t, false>)
TANDEM_SIMD_SEM(i16x8_abs, simd::iabs<uint16_t>)
TANDEM_SIMD_SEM(i16x8_neg, simd::neg<uint16_t>)
TANDEM_SIMD_SEM(i16x8_q15mulr_sat_s, simd::q15mulr_sat_s)
TANDEM_SIMD_SEM(i16x8_all_true, simd::all_true<uint16_t>)
TANDEM_SIMD_SEM(i16x8_bitmask, simd::bitmask<uint16_t>)
TANDEM_SIMD_SEM(i16x8_narrow_i32x4_s, simd::narrow<uint32_t, uint16_t, true>)
TANDEM_SIMD_SEM(i16x8_narrow_i32x4_u, simd::narrow<uint32_t, uint16_t, false>)
TANDEM_SIMD_SEM(i16x8_extend_low_i8x16_s, simd::extend<uint8_t, uint16_t, true, false>)
TANDEM_SIMD_SEM(i16x8_extend_high_i8x16_s, simd::extend<uint8_t, uint16_t, true, true>)
TANDEM_SIMD_SEM(i16x8_extend_low_i8x16_u, simd::extend<uint8_t, uint16_t, false, false>)
TANDEM_SIMD_SEM(i16x8_extend_high_i8x16_u, simd::extend<uint8_t, uint16_t, false, true>)
TANDEM_SIMD_SEM(i16x8_shl, simd::shl<uint16_t>)
TANDEM_SIMD_SEM(i16x8_shr_s, simd::shr_s<uint16_t>)
TANDEM_SIMD_SEM(i16x8_shr_u, simd::shr_u<uint16_t>)
TANDEM_SIMD_SEM(i16x8_add, simd::add<uint16_t>)
TANDEM_SIMD_SEM(i16x8_add_sat_s, simd::add_sat_s<uint16_t>)
TANDEM_SIMD_SEM(i16x8_add_sat_u, simd::add_sat_u<uint16_t>)
TANDEM_SIMD_SEM(i16x8_sub, simd::sub<uint16_t>)
TANDEM_SIMD_SEM(i16x8_sub_sat_s, simd::sub_sat_s<uint16_t>)
TANDEM_SIMD_SEM(i16x8_sub_sat_u, simd::sub_sat_u<uint16_t>)
TANDEM_SIMD_SEM(f64x2_nearest, simd::f_nearest<double>)
TANDEM_SIMD_SEM(i16x8_mul, simd::mul<uint16_t>)
TANDEM_SIMD_SEM(i16x8_min_s, simd::min_s<uint16_t>)
TANDEM_SIMD_SEM(i16x8_min_u, simd::min_u<uint16_t>)
TANDEM_SIMD_SEM(i16x8_max_s, simd::max_s<uint16_t>)
TANDEM_SIMD_SEM(i16x8_max_u, simd::max_u<uint16_t>)
TANDEM_SIMD_SEM(i16x8_avgr_u, simd::avgr_u<uint16_t>)
TANDEM_SIMD_SEM(i16x8_extmul_low_i8x16_s, simd::extmul<uint8_t, uint16_t, true, false>)
TANDEM_SIMD_SEM(i16x8_extmul_high_i8x16_s, simd::extmul<uint8_t, uint16_t, true, true>)
TANDEM_SIMD_SEM(i16x8_extmul_low_i8x16_u, simd::extmul<uint8_t, uint16_t, false, false>)
TANDEM_SIMD_SEM(i16x8_extmul_high_i8x16_u, simd::extmul<uint8_t, uint16_t, false, true>)
TANDEM_SIMD_SEM(i32x4_abs, simd::iabs<uint32_t>)
TANDEM_SIMD_SEM(i32x4_neg, simd::neg<uint32_t>)
TANDEM_SIMD_SEM(i32x4_all_true, simd::all_true<uint32_t>)
TANDEM_SIMD_SEM(i32x4_bitmask, simd::bitmask<uint32_t>)
TANDEM_SIMD_SEM(i32x4_extend_low_i16x8_s, simd::extend<uint16_t, uint32_t, true, false>)
TANDEM_SIMD_SEM(i32x4_extend_high_i16x8_s, simd::extend<uint16_t, uint32_t, true, true>)
TANDEM_SIMD_SEM(i32x4_extend_low_i16x8_u, simd::extend<uint16_t, uint32_t, false, false>)
TANDEM_SIMD_SEM(i32x4_extend_high_i16x8_u, simd::extend<uint16_t, uint32_t, false, true>)
TANDEM_SIMD_SEM(i32x4_shl, simd::shl<uint32_t>)
TANDEM_SIMD_SEM(i32x4_shr_s, simd::shr_s<uint32_t>)
TANDEM_SIMD_SEM(i32x4_shr_u, simd::shr_u<uint32_t>)
TANDEM_SIMD_SEM(i32x4_add, simd::add<uint32_t>)
TANDEM_SIMD_SEM(i32x4_sub, simd::sub<uint32_t>)
TANDEM_SIMD_SEM(i32x4_mul, simd::mul<uint32_t>)
TANDEM_SIMD_SEM(i32x4_min_s, simd::min_s<uint32_t>)
TANDEM_SIMD_SEM(i32x4_min_u, simd::min_u<uint32_t>)
TANDEM_SIMD_SEM(i32x4_max_s, simd::max_s<uint32_t>)
TANDEM_SIMD_SEM(i32x4_max_u, simd::max_u<uint32_t>)
TANDEM_SIMD_SEM(i32x4_dot_i16x8_s, simd::dot_i16x8_s)
TANDEM_SIMD_SEM(i32x4_extmul_low_i16x8_s, simd::extmul<uint16_t, uint32_t, true, false>)
TANDEM_SIMD_SEM(i32x4_extmul_high_i16x8_s, simd::extmul<uint16_t, uint32_t, true, true>)
TANDEM_SIMD_SEM(i32x4_extmul_low_i16x8_u, simd::extmul<uint16_t, uint32_t, false, false>)
TANDEM_SIMD_SEM(i32x4_extmul_high_i16x8_u, simd::extmul<uint16_t, uint32_t, false, true>)
TANDEM_SIMD_SEM(i64x2_abs, simd::iabs<uint64_t>)
TANDEM_SIMD_SEM(i64x2_neg, simd::neg<uint64_t>)
TANDEM_SIMD_SEM(i64x2_all_true, simd::all_true<uint64_t>)
TANDEM_SIMD_SEM(i64x2_bitmask, simd::bitmask<uint64_t>)
TANDEM_SIMD_SEM(i64x2_extend_low_i32x4_s, simd::extend<uint32_t, uint64_t, true, false>)
TANDEM_SIMD_SEM(i64x2_extend_high_i32x4_s, simd::extend<uint32_t, uint64_t, true, true>)
TANDEM_SIMD_SEM(i64x2_extend_low_i32x4_u, simd::extend<uint32_t, uint64_t, false, false>)
TANDEM_SIMD_SEM(i64x2_extend_high_i32x4_u, simd::extend<uint32_t, uint64_t, false, true>)
TANDEM_SIMD_SEM(i64x2_shl, simd::shl<uint64_t>)
TANDEM_SIMD_SEM(i64x2_shr_s, simd::shr_s<uint64_t>)
TANDEM_SIMD_SEM(i64x2_shr_u, simd::shr_u<uint64_t>)
TANDEM_SIMD_SEM(i64x2_add, simd::add<uint64_t>)
TANDEM_SIMD_SEM(i64x2_sub, simd::sub<uint64_t>)
TANDEM_SIMD_SEM(i64x2_mul, simd::mul<uint64_t>)
TANDEM_SIMD_SEM(i64x2_eq, simd::eq<uint64_t>)
TANDEM_SIMD_SEM(i64x2_ne, simd::ne<uint64_t>)
TANDEM_SIMD_SEM(i64x2_lt_s, simd::lt_s<uint64_t>)
TANDEM_SIMD_SEM(i64x2_gt_s, simd::gt_s<uint64_t>)
TANDEM_SIMD_SEM(i64x2_le_s, simd::le_s<uint64_t>)
TANDEM_SIMD_SEM(i64x2_ge_s, simd::ge_s<uint64_t>)
TANDEM_SIMD_SEM(i64x2_extmul_low_i32x4_s, simd::extmul<uint32_t, uint64_t, true, false>)
TANDEM_SIMD_SEM(i64x2_extmul_high_i32x4_s, simd::extmul<uint32_t, uint64_t, true, true>)
TANDEM_SIMD_SEM(i64x2_extmul_low_i32x4_u, simd::extmul<uint32_t, uint64_t, false, false>)
TANDEM_SIMD_SEM(i64x2_extmul_high_i32x4_u, simd::extmul<uint32_t, uint64_t, false, true>)
TANDEM_SIMD_SEM(f32x4_abs, simd::f_abs<float>)
TANDEM_SIMD_SEM(f32x4_neg, simd::f_neg<float>)
TANDEM_SIMD_SEM(f32x4_sqrt, simd::f_sqrt<float>)
TANDEM_SIMD_SEM(f32x4_add, simd::f_add<float>)
TANDEM_SIMD_SEM(f32x4_sub, simd::f_sub<float>)
TANDEM_SIMD_SEM(f32x4_mul, simd::f_mul<float>)
TANDEM_SIMD_SEM(f32x4_div, simd::f_div<float>)
TANDEM_SIMD_SEM(f32x4_min, simd::f_min<float>)
TANDEM_SIMD_SEM(f32x4_max, simd::f_max<float>)
TANDEM_SIMD_SEM(f32x4_pmin, simd::f_pmin<float>)
TANDEM_SIMD_SEM(f32x4_pmax, simd::f_pmax<float>)
TANDEM_SIMD_SEM(f64x2_abs, simd::f_abs<double>)
TANDEM_SIMD_SEM(f64x2_neg, simd::f_neg<double>)
TANDEM_SIMD_SEM(f64x2_sqrt, simd::f_sqrt<double>)
TANDEM_SIMD_SEM(f64x2_add, simd::f_add<double>)
TANDEM_SIMD_SEM(f64x2_sub, simd::f_sub<double>)
TANDEM_SIMD_SEM(f64x2_mul, simd::f_mul<double>)
TANDEM_SIMD_SEM(f64x2_div, simd::f_div<double>)
TANDEM_SIMD_SEM(f64x2_min, simd::f_min<double>)
TANDEM_SIMD_SEM(f64x2_max, simd::f_max<double>)
TANDEM_SIMD_SEM(f64x2_pmin, simd::f_pmin<double>)
TANDEM_SIMD_SEM(f64x2_pmax, simd::f_pmax<double>)
TANDEM_SIMD_SEM(i32x4_trunc_sat_f32x4_s, simd::i32x4_trunc_sat_f32x4<true>)
TANDEM_SIMD_SEM(i32x4_trunc_sat_f32x4_u, simd::i32x4_trunc_sat_f32x4<false>)
TANDEM_SIMD_SEM(f32x4_convert_i32x4_s, simd::f32x4_convert_i32x4<true>)
TANDEM_SIMD_SEM(f32x4_convert_i32x4_u, simd::f32x4_convert_i32x4<false>)
TANDEM_SIMD_SEM(i32x4_trunc_sat_f64x2_s_zero, simd::i32x4_trunc_sat_f64x2_zero<true>)
TANDEM_SIMD_SEM(i32x4_trunc_sat_f64x2_u_zero, simd::i32x4_trunc_sat_f64x2_zero<false>)
TANDEM_SIMD_SEM(f64x2_convert_low_i32x4_s, simd::f64x2_convert_low_i32x4<true>)
TANDEM_SIMD_SEM(f64x2_convert_low_i32x4_u, simd::f64x2_convert_low_i32x4<false>)
TANDEM_SIMD_SEM(i8x16_relaxed_swizzle, simd::swizzle)
TANDEM_SIMD_SEM(i32x4_relaxed_trunc_f32x4_s, simd::i32x4_trunc_sat_f32x4<true>)
TANDEM_SIMD_SEM(i32x4_relaxed_trunc_f32x4_u, simd::i32x4_trunc_sat_f32x4<false>)
TANDEM_SIMD_SEM(i32x4_relaxed_trunc_f64x2_s_zero, simd::i32x4_trunc_sat_f64x2_zero<true>)
TANDEM_SIMD_SEM(i32x4_relaxed_trunc_f64x2_u_zero, simd::i32x4_trunc_sat_f64x2_zero<false>)
TANDEM_SIMD_SEM(f32x4_relaxed_madd, simd::f_madd<float>)
TANDEM_SIMD_SEM(f32x4_relaxed_nmadd, simd::f_nmadd<float>)
TANDEM_SIMD_SEM(f64x2_relaxed_madd, simd::f_madd<double>)
TANDEM_SIMD_SEM(f64x2_relaxed_nmadd, simd::f_nmadd<double>)
TANDEM_SIMD_SEM(i8x16_relaxed_laneselect, simd::bitselect)
TANDEM_SIMD_SEM(i16x8_relaxed_laneselect, simd::bitselect)
TANDEM_SIMD_SEM(i32x4_relaxed_laneselect, simd::bitselect)
TANDEM_SIMD_SEM(i64x2_relaxed_laneselect, simd::bitselect)
TANDEM_SIMD_SEM(f32x4_relaxed_min, simd::f_min<float>)
TANDEM_SIMD_SEM(f32x4_relaxed_max, simd::f_max<float>)
TANDEM_SIMD_SEM(f64x2_relaxed_min, simd::f_min<double>)
TANDEM_SIMD_SEM(f64x2_relaxed_max, simd::f_max<double>)
TANDEM_SIMD_SEM(i16x8_relaxed_q15mulr_s, simd::q15mulr_sat_s)
TANDEM_SIMD_SEM(i16x8_relaxed_dot_i8x16_i7x16_s, simd::dot_i8x16_i7x16_s)
TANDEM_SIMD_SEM(i32x4_relaxed_dot_i8x16_i7x16_add_s, simd::dot_i8x16_i7x16_add_s)

#undef TANDEM_SIMD_SEM

// SimdLoad: the vector built from the bytes at `p` (bounds already checked).
template <Op op> inline Vec128 simd_load(const uint8_t* p) {
  constexpr std::string_view name = op_info(op).name;
  constexpr uint32_t bytes = memory_access_bytes(op);
  Vec128 r;
  if constexpr (name.ends_with("_splat")) {
    uint64_t v = 0;
    std::memcpy(&v, p, bytes);
    for (uint32_t i = 0; i < 16; i += bytes) std::memcpy(r.bytes + i, &v, bytes);
  } else if constexpr (name.ends_with("_zero") || bytes == 16) {
    std::memcpy(r.bytes, p, bytes);
  } else {
    // v128.loadNxM_s/u: M lanes of N bits, widened to 2N bits.
    Vec128 half;
    std::memcpy(half.bytes, p, 8);
    constexpr bool kSigned = name.ends_with("_s");
    if constexpr (name.starts_with("v128.load8x8")) {
      r = simd::extend<uint8_t, uint16_t, kSigned, false>(half);
    } else if constexpr (name.starts_with("v128.load16x4")) {
      r = simd::extend<uint16_t, uint32_t, kSigned, false>(half);
    } else {
      r = simd::extend<uint32_t, uint64_t, kSigned, false>(half);
    }
  }
  return r;
}

} // namespace tandem::rt
