// Which numerics.h function implements each scalar numeric opcode.
//
// This is the one binding from opcodes (engine/wasm/opcodes.def, shapes
// Unary, Binary, Compare, Test and Convert) to their semantics. Operand and
// result C++ types come from the opcode's signature string, so a row only
// names the function. Both tiers use it: the interpreter instantiates a
// handler per row, the JIT calls `OpSemantics<op>::apply` for operators it
// does not inline. A numeric opcode without a row fails to compile where a
// tier instantiates it.
//
// apply() returns either the result or a num::Outcome (for trapping ops).
#pragma once

#include "wasm/numerics.h"
#include "wasm/opcodes.h"

#include <cstdint>
#include <type_traits>

namespace tandem::rt {

// The C++ type of a signature character.
template <char C> struct SigType;
template <> struct SigType<'i'> { using type = uint32_t; };
template <> struct SigType<'I'> { using type = uint64_t; };
template <> struct SigType<'f'> { using type = float; };
template <> struct SigType<'F'> { using type = double; };

// Types of a fixed-shape opcode: sig "ab:r" or "a:r".
template <Op op> struct OpTypes {
  static constexpr std::string_view sig = op_info(op).sig;
  static constexpr bool binary = sig.size() == 4;
  using A = typename SigType<sig[0]>::type;
  using B = typename SigType<binary ? sig[1] : sig[0]>::type;
  using R = typename SigType<sig[sig.size() - 1]>::type;
};

template <typename T> struct IsOutcome : std::false_type {};
template <typename T> struct IsOutcome<num::Outcome<T>> : std::true_type {};

template <Op op> struct OpSemantics; // one specialisation per row below

#define TANDEM_SEM(op_id, ...)                                                                     \
  template <> struct OpSemantics<Op::op_id> {                                                      \
    static constexpr auto fn = __VA_ARGS__;                                                        \
    template <typename... A> static auto apply(A... a) { return fn(a...); }                        \
  };

using u32 = uint32_t;
using u64 = uint64_t;

// i32 / i64 tests and compares
TANDEM_SEM(i32_eqz, num::eqz<u32>)
TANDEM_SEM(i32_eq, num::eq<u32>)
TANDEM_SEM(i32_ne, num::ne<u32>)
TANDEM_SEM(i32_lt_s, num::lt_s<u32>)
TANDEM_SEM(i32_lt_u, num::lt_u<u32>)
TANDEM_SEM(i32_gt_s, num::gt_s<u32>)
TANDEM_SEM(i32_gt_u, num::gt_u<u32>)
TANDEM_SEM(i32_le_s, num::le_s<u32>)
TANDEM_SEM(i32_le_u, num::le_u<u32>)
TANDEM_SEM(i32_ge_s, num::ge_s<u32>)
TANDEM_SEM(i32_ge_u, num::ge_u<u32>)
TANDEM_SEM(i64_eqz, num::eqz<u64>)
TANDEM_SEM(i64_eq, num::eq<u64>)
TANDEM_SEM(i64_ne, num::ne<u64>)
TANDEM_SEM(i64_lt_s, num::lt_s<u64>)
TANDEM_SEM(i64_lt_u, num::lt_u<u64>)
TANDEM_SEM(i64_gt_s, num::gt_s<u64>)
TANDEM_SEM(i64_gt_u, num::gt_u<u64>)
TANDEM_SEM(i64_le_s, num::le_s<u64>)
TANDEM_SEM(i64_le_u, num::le_u<u64>)
TANDEM_SEM(i64_ge_s, num::ge_s<u64>)
TANDEM_SEM(i64_ge_u, num::ge_u<u64>)
// float compares
TANDEM_SEM(f32_eq, num::feq<float>)
TANDEM_SEM(f32_ne, num::fne<float>)
TANDEM_SEM(f32_lt, num::flt<float>)
TANDEM_SEM(f32_gt, num::fgt<float>)
TANDEM_SEM(f32_le, num::fle<float>)
TANDEM_SEM(f32_ge, num::fge<float>)
TANDEM_SEM(f64_eq, num::feq<double>)
TANDEM_SEM(f64_ne, num::fne<double>)
TANDEM_SEM(f64_lt, num::flt<double>)
TANDEM_SEM(f64_gt, num::fgt<double>)
TANDEM_SEM(f64_le, num::fle<double>)
TANDEM_SEM(f64_ge, num::fge<double>)
// i32 arithmetic
TANDEM_SEM(i32_clz, num::clz<u32>)
TANDEM_SEM(i32_ctz, num::ctz<u32>)
TANDEM_SEM(i32_popcnt, num::popcnt<u32>)
TANDEM_SEM(i32_add, num::add<u32>)
TANDEM_SEM(i32_sub, num::sub<u32>)
TANDEM_SEM(i32_mul, num::mul<u32>)
TANDEM_SEM(i32_div_s, num::div_s<u32>)
TANDEM_SEM(i32_div_u, num::div_u<u32>)
TANDEM_SEM(i32_rem_s, num::rem_s<u32>)
TANDEM_SEM(i32_rem_u, num::rem_u<u32>)
TANDEM_SEM(i32_and, num::and_<u32>)
TANDEM_SEM(i32_or, num::or_<u32>)
TANDEM_SEM(i32_xor, num::xor_<u32>)
TANDEM_SEM(i32_shl, num::shl<u32>)
TANDEM_SEM(i32_shr_s, num::shr_s<u32>)
TANDEM_SEM(i32_shr_u, num::shr_u<u32>)
TANDEM_SEM(i32_rotl, num::rotl<u32>)
TANDEM_SEM(i32_rotr, num::rotr<u32>)
// i64 arithmetic
TANDEM_SEM(i64_clz, num::clz<u64>)
TANDEM_SEM(i64_ctz, num::ctz<u64>)
TANDEM_SEM(i64_popcnt, num::popcnt<u64>)
TANDEM_SEM(i64_add, num::add<u64>)
TANDEM_SEM(i64_sub, num::sub<u64>)
TANDEM_SEM(i64_mul, num::mul<u64>)
TANDEM_SEM(i64_div_s, num::div_s<u64>)
TANDEM_SEM(i64_div_u, num::div_u<u64>)
TANDEM_SEM(i64_rem_s, num::rem_s<u64>)
TANDEM_SEM(i64_rem_u, num::rem_u<u64>)
TANDEM_SEM(i64_and, num::and_<u64>)
TANDEM_SEM(i64_or, num::or_<u64>)
TANDEM_SEM(i64_xor, num::xor_<u64>)
TANDEM_SEM(i64_shl, num::shl<u64>)
TANDEM_SEM(i64_shr_s, num::shr_s<u64>)
TANDEM_SEM(i64_shr_u, num::shr_u<u64>)
TANDEM_SEM(i64_rotl, num::rotl<u64>)
TANDEM_SEM(i64_rotr, num::rotr<u64>)
// f32 arithmetic
TANDEM_SEM(f32_abs, num::fabs<float>)
TANDEM_SEM(f32_neg, num::fneg<float>)
TANDEM_SEM(f32_ceil, num::fceil<float>)
TANDEM_SEM(f32_floor, num::ffloor<float>)
TANDEM_SEM(f32_trunc, num::ftrunc<float>)
TANDEM_SEM(f32_nearest, num::fnearest<float>)
TANDEM_SEM(f32_sqrt, num::fsqrt<float>)
TANDEM_SEM(f32_add, num::fadd<float>)
TANDEM_SEM(f32_sub, num::fsub<float>)
TANDEM_SEM(f32_mul, num::fmul<float>)
TANDEM_SEM(f32_div, num::fdiv<float>)
TANDEM_SEM(f32_min, num::fmin<float>)
TANDEM_SEM(f32_max, num::fmax<float>)
TANDEM_SEM(f32_copysign, num::fcopysign<float>)
// f64 arithmetic
TANDEM_SEM(f64_abs, num::fabs<double>)
TANDEM_SEM(f64_neg, num::fneg<double>)
TANDEM_SEM(f64_ceil, num::fceil<double>)
TANDEM_SEM(f64_floor, num::ffloor<double>)
TANDEM_SEM(f64_trunc, num::ftrunc<double>)
TANDEM_SEM(f64_nearest, num::fnearest<double>)
TANDEM_SEM(f64_sqrt, num::fsqrt<double>)
TANDEM_SEM(f64_add, num::fadd<double>)
TANDEM_SEM(f64_sub, num::fsub<double>)
TANDEM_SEM(f64_mul, num::fmul<double>)
TANDEM_SEM(f64_div, num::fdiv<double>)
TANDEM_SEM(f64_min, num::fmin<double>)
TANDEM_SEM(f64_max, num::fmax<double>)
TANDEM_SEM(f64_copysign, num::fcopysign<double>)
// conversions
TANDEM_SEM(i32_wrap_i64, num::i32_wrap_i64)
TANDEM_SEM(i32_trunc_f32_s, num::trunc<u32, true, float>)
TANDEM_SEM(i32_trunc_f32_u, num::trunc<u32, false, float>)
TANDEM_SEM(i32_trunc_f64_s, num::trunc<u32, true, double>)
TANDEM_SEM(i32_trunc_f64_u, num::trunc<u32, false, double>)
TANDEM_SEM(i64_extend_i32_s, num::i64_extend_i32_s)
TANDEM_SEM(i64_extend_i32_u, num::i64_extend_i32_u)
TANDEM_SEM(i64_trunc_f32_s, num::trunc<u64, true, float>)
TANDEM_SEM(i64_trunc_f32_u, num::trunc<u64, false, float>)
TANDEM_SEM(i64_trunc_f64_s, num::trunc<u64, true, double>)
TANDEM_SEM(i64_trunc_f64_u, num::trunc<u64, false, double>)
TANDEM_SEM(f32_convert_i32_s, num::convert<float, true, u32>)
TANDEM_SEM(f32_convert_i32_u, num::convert<float, false, u32>)
TANDEM_SEM(f32_convert_i64_s, num::convert<float, true, u64>)
TANDEM_SEM(f32_convert_i64_u, num::convert<float, false, u64>)
TANDEM_SEM(f32_demote_f64, num::f32_demote_f64)
TANDEM_SEM(f64_convert_i32_s, num::convert<double, true, u32>)
TANDEM_SEM(f64_convert_i32_u, num::convert<double, false, u32>)
TANDEM_SEM(f64_convert_i64_s, num::convert<double, true, u64>)
TANDEM_SEM(f64_convert_i64_u, num::convert<double, false, u64>)
TANDEM_SEM(f64_promote_f32, num::f64_promote_f32)
TANDEM_SEM(i32_reinterpret_f32, num::i32_reinterpret_f32)
TANDEM_SEM(i64_reinterpret_f64, num::i64_reinterpret_f64)
TANDEM_SEM(f32_reinterpret_i32, num::f32_reinterpret_i32)
TANDEM_SEM(f64_reinterpret_i64, num::f64_reinterpret_i64)
// sign extension
TANDEM_SEM(i32_extend8_s, num::i32_extend8_s)
TANDEM_SEM(i32_extend16_s, num::i32_extend16_s)
TANDEM_SEM(i64_extend8_s, num::i64_extend8_s)
TANDEM_SEM(i64_extend16_s, num::i64_extend16_s)
TANDEM_SEM(i64_extend32_s, num::i64_extend32_s)
// saturating truncation
TANDEM_SEM(i32_trunc_sat_f32_s, num::trunc_sat<u32, true, float>)
TANDEM_SEM(i32_trunc_sat_f32_u, num::trunc_sat<u32, false, float>)
TANDEM_SEM(i32_trunc_sat_f64_s, num::trunc_sat<u32, true, double>)
TANDEM_SEM(i32_trunc_sat_f64_u, num::trunc_sat<u32, false, double>)
TANDEM_SEM(i64_trunc_sat_f32_s, num::trunc_sat<u64, true, float>)
TANDEM_SEM(i64_trunc_sat_f32_u, num::trunc_sat<u64, false, float>)
TANDEM_SEM(i64_trunc_sat_f64_s, num::trunc_sat<u64, true, double>)
TANDEM_SEM(i64_trunc_sat_f64_u, num::trunc_sat<u64, false, double>)

// wide arithmetic (shape WideArith: i64 operands, a U128 result pushed as lo, hi)
TANDEM_SEM(i64_add128, num::add128)
TANDEM_SEM(i64_sub128, num::sub128)
TANDEM_SEM(i64_mul_wide_s, num::mul_wide_s)
TANDEM_SEM(i64_mul_wide_u, num::mul_wide_u)

#undef TANDEM_SEM

} // namespace tandem::rt
