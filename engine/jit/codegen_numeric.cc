// Numeric instructions: constants, integer and float arithmetic, compares,
// tests and conversions.
//
// Inline code is emitted only where one x86 instruction (or a short,
// evidently equivalent sequence) is the wasm operator: wrapping integer
// arithmetic, bit operations, shifts and rotates (x86 masks the count like
// wasm), compares, division with explicit trap checks, float add/sub/mul/div/
// sqrt (IEEE, round-to-nearest, NaNs as SSE produces them, which is what
// numerics.h relies on too), abs/neg on the sign bit, reinterpretations and
// exact integer-to-float conversions. Everything else calls the operator's
// helper (runtime_calls.h), i.e. numerics.h itself.
#include "jit/codegen.h"
#include "jit/cpu_features.h"
#include "jit/runtime_calls.h"

namespace tandem::jit {
namespace {

bool fits_simm32(uint64_t v) {
  return int64_t(v) >= INT32_MIN && int64_t(v) <= INT32_MAX;
}

// The operand kind of a signature character.
ValKind sig_kind(char c) {
  switch (c) {
  case 'I': return ValKind::I64;
  case 'f': return ValKind::F32;
  case 'F': return ValKind::F64;
  default: return ValKind::I32;
  }
}

} // namespace

Status CodeGenerator::constant(ValKind k, uint64_t bits) {
  stack_.push_const(k, bits);
  return {};
}

void CodeGenerator::miscompile_top() {
  stack_.materialize_cond();
  ValKind k = stack_.top().kind;
  x86::Gp r = stack_.pop_gp();
  if (k == ValKind::I64)
    a_.xor_(r.r64(), 1);
  else
    a_.xor_(r.r32(), 1);
  stack_.push_gp(k, r);
}

Status CodeGenerator::numeric(Op op) {
  std::string_view sig = op_info(op).sig;
  char a = sig[0];
  switch (op_info(op).shape) {
  case Shape::Binary:
    switch (op) {
    case Op::i32_shl:
    case Op::i32_shr_s:
    case Op::i32_shr_u:
    case Op::i32_rotl:
    case Op::i32_rotr:
    case Op::i64_shl:
    case Op::i64_shr_s:
    case Op::i64_shr_u:
    case Op::i64_rotl:
    case Op::i64_rotr: return int_shift(op, a == 'I');
    case Op::i32_div_s:
    case Op::i32_div_u:
    case Op::i32_rem_s:
    case Op::i32_rem_u:
    case Op::i64_div_s:
    case Op::i64_div_u:
    case Op::i64_rem_s:
    case Op::i64_rem_u: return int_divrem(op, a == 'I');
    case Op::i32_add:
    case Op::i32_sub:
    case Op::i32_mul:
    case Op::i32_and:
    case Op::i32_or:
    case Op::i32_xor:
    case Op::i64_add:
    case Op::i64_sub:
    case Op::i64_mul:
    case Op::i64_and:
    case Op::i64_or:
    case Op::i64_xor: return int_binary(op, a == 'I');
    case Op::f32_add:
    case Op::f32_sub:
    case Op::f32_mul:
    case Op::f32_div:
    case Op::f64_add:
    case Op::f64_sub:
    case Op::f64_mul:
    case Op::f64_div: return float_binary(op, a == 'F');
    default: return numeric_by_helper(op); // min, max, copysign
    }
  case Shape::Compare:
    if (a == 'i' || a == 'I') return int_compare(op, a == 'I');
    return float_compare(op, a == 'F');
  case Shape::Test: {
    if (op == Op::i32_eqz && stack_.top().loc == Loc::Cond) {
      Entry e = stack_.pop();
      stack_.push_cond(x86::negateCond(e.cond));
      return {};
    }
    x86::Gp r = stack_.pop_gp();
    if (op == Op::i64_eqz)
      a_.test(r, r);
    else
      a_.test(r.r32(), r.r32());
    stack_.release(r);
    stack_.push_cond(x86::CondCode::kE);
    return {};
  }
  case Shape::Unary:
    if (a == 'i' || a == 'I') return int_unary(op, a == 'I');
    return float_unary(op, a == 'F');
  case Shape::Convert: return convert(op);
  default: return unsupported(op);
  }
}

Status CodeGenerator::numeric_by_helper(Op op) {
  calls::NumericFn fn = calls::numeric_helper(op);
  if (!fn) return unsupported(op);
  OpSig sig = parse_op_sig(op_info(op).sig);
  uint32_t base = prepare_helper_call(sig.num_params);
  a_.lea(x86::rdi, stack_.slot_of(base));
  masm_.call_address(reinterpret_cast<const void*>(fn));
  masm_.check_helper_trap();
  finish_helper_call(sig.num_params, sig_kind(sig.results[0]));
  return {};
}

// ---- integers ---------------------------------------------------------------------

Status CodeGenerator::int_binary(Op op, bool is64) {
  ValKind k = is64 ? ValKind::I64 : ValKind::I32;
  bool commutative = op != Op::i32_sub && op != Op::i64_sub;
  auto emit = [&](const x86::Gp& dst, const Operand& src) {
    x86::Gp d = sized(dst, is64);
    Operand s = src;
    if (s.isReg()) s = sized(s.as<x86::Gp>(), is64);
    if (s.isMem()) s.as<x86::Mem>().setSize(is64 ? 8 : 4);
    switch (op) {
    case Op::i32_add:
    case Op::i64_add: a_.emit(x86::Inst::kIdAdd, d, s); break;
    case Op::i32_sub:
    case Op::i64_sub: a_.emit(x86::Inst::kIdSub, d, s); break;
    case Op::i32_and:
    case Op::i64_and: a_.emit(x86::Inst::kIdAnd, d, s); break;
    case Op::i32_or:
    case Op::i64_or: a_.emit(x86::Inst::kIdOr, d, s); break;
    case Op::i32_xor:
    case Op::i64_xor: a_.emit(x86::Inst::kIdXor, d, s); break;
    default: // mul
      if (s.isImm())
        a_.imul(d, d, s.as<Imm>());
      else
        a_.emit(x86::Inst::kIdImul, d, s);
      break;
    }
  };
  auto imm_of = [&](const Entry& e) -> std::optional<Imm> {
    if (e.loc != Loc::Const) return std::nullopt;
    if (!is64) return Imm(int32_t(uint32_t(e.bits)));
    if (fits_simm32(e.bits)) return Imm(int64_t(e.bits));
    return std::nullopt;
  };
  // Constant on the left of a commutative operator: swap.
  if (commutative && stack_.top(1).loc == Loc::Const && stack_.top().loc != Loc::Const &&
      imm_of(stack_.top(1))) {
    x86::Gp r = stack_.pop_gp();
    Entry c = stack_.pop();
    emit(r, *imm_of(c));
    stack_.push_gp(k, r);
    return {};
  }
  Entry rhs = stack_.top();
  uint32_t hr = stack_.height() - 1;
  if (auto imm = imm_of(rhs)) {
    stack_.pop();
    x86::Gp r = stack_.pop_gp();
    emit(r, *imm);
    stack_.push_gp(k, r);
    return {};
  }
  if (rhs.loc == Loc::Local && stack_.local_in_reg(rhs.local)) {
    stack_.pop();
    x86::Gp r = stack_.pop_gp();
    emit(r, stack_.local_reg(rhs.local, ValKind::I64));
    stack_.push_gp(k, r);
    return {};
  }
  if (stack_.in_memory(rhs)) {
    stack_.pop();
    x86::Mem m = stack_.mem_of(rhs, hr, 8);
    x86::Gp r = stack_.pop_gp();
    emit(r, m);
    stack_.push_gp(k, r);
    return {};
  }
  x86::Gp b = stack_.pop_gp();
  x86::Gp r = stack_.pop_gp();
  emit(r, b);
  stack_.release(b);
  stack_.push_gp(k, r);
  return {};
}

Status CodeGenerator::int_shift(Op op, bool is64) {
  ValKind k = is64 ? ValKind::I64 : ValKind::I32;
  auto emit = [&](const x86::Gp& dst, const Operand& count) {
    x86::Gp d = sized(dst, is64);
    uint32_t id = 0;
    switch (op) {
    case Op::i32_shl:
    case Op::i64_shl: id = x86::Inst::kIdShl; break;
    case Op::i32_shr_s:
    case Op::i64_shr_s: id = x86::Inst::kIdSar; break;
    case Op::i32_shr_u:
    case Op::i64_shr_u: id = x86::Inst::kIdShr; break;
    case Op::i32_rotl:
    case Op::i64_rotl: id = x86::Inst::kIdRol; break;
    default: id = x86::Inst::kIdRor; break;
    }
    a_.emit(id, d, count);
  };
  if (stack_.top().loc == Loc::Const) {
    Entry c = stack_.pop();
    uint32_t n = uint32_t(c.bits) & (is64 ? 63u : 31u);
    x86::Gp r = stack_.pop_gp();
    if (n != 0) emit(r, Imm(n));
    stack_.push_gp(k, r);
    return {};
  }
  stack_.pop_into(x86::rcx);
  x86::Gp r = stack_.pop_gp(ValueStack::mask(x86::rcx));
  emit(r, x86::cl);
  stack_.release(x86::rcx);
  stack_.push_gp(k, r);
  return {};
}

Status CodeGenerator::int_divrem(Op op, bool is64) {
  ValKind k = is64 ? ValKind::I64 : ValKind::I32;
  bool is_signed =
      op == Op::i32_div_s || op == Op::i32_rem_s || op == Op::i64_div_s || op == Op::i64_rem_s;
  bool is_rem =
      op == Op::i32_rem_s || op == Op::i32_rem_u || op == Op::i64_rem_s || op == Op::i64_rem_u;
  uint32_t avoid = ValueStack::mask(x86::rax) | ValueStack::mask(x86::rdx);
  x86::Gp d = stack_.pop_gp(avoid);
  stack_.pop_into(x86::rax);
  stack_.take_gp(x86::rdx);
  x86::Gp dv = sized(d, is64);
  x86::Gp ax = sized(x86::rax, is64);
  x86::Gp dx = sized(x86::rdx, is64);
  a_.test(dv, dv);
  masm_.trap_if(x86::CondCode::kZ, TrapKind::IntegerDivideByZero);
  Label done = a_.newLabel();
  if (is_signed) {
    Label normal = a_.newLabel();
    a_.cmp(dv, -1);
    a_.jne(normal);
    if (is_rem) {
      // x rem -1 == 0 (and avoids the INT_MIN / -1 fault).
      a_.xor_(x86::edx, x86::edx);
      a_.jmp(done);
    } else {
      if (is64) {
        masm_.mov_imm(kScratch, uint64_t(1) << 63);
        a_.cmp(x86::rax, kScratch);
      } else {
        a_.cmp(x86::eax, Imm(int32_t(INT32_MIN)));
      }
      masm_.trap_if(x86::CondCode::kE, TrapKind::IntegerOverflow);
    }
    a_.bind(normal);
    if (is64)
      a_.cqo(x86::rdx, x86::rax);
    else
      a_.cdq(x86::edx, x86::eax);
    a_.idiv(dx, ax, dv);
  } else {
    a_.xor_(x86::edx, x86::edx);
    a_.div(dx, ax, dv);
  }
  a_.bind(done);
  stack_.release(d);
  if (is_rem) {
    stack_.release(x86::rax);
    stack_.push_gp(k, x86::rdx);
  } else {
    stack_.release(x86::rdx);
    stack_.push_gp(k, x86::rax);
  }
  return {};
}

Status CodeGenerator::int_compare(Op op, bool is64) {
  using CC = x86::CondCode;
  CC cc;
  switch (op) {
  case Op::i32_eq:
  case Op::i64_eq: cc = CC::kE; break;
  case Op::i32_ne:
  case Op::i64_ne: cc = CC::kNE; break;
  case Op::i32_lt_s:
  case Op::i64_lt_s: cc = CC::kL; break;
  case Op::i32_lt_u:
  case Op::i64_lt_u: cc = CC::kB; break;
  case Op::i32_gt_s:
  case Op::i64_gt_s: cc = CC::kG; break;
  case Op::i32_gt_u:
  case Op::i64_gt_u: cc = CC::kA; break;
  case Op::i32_le_s:
  case Op::i64_le_s: cc = CC::kLE; break;
  case Op::i32_le_u:
  case Op::i64_le_u: cc = CC::kBE; break;
  case Op::i32_ge_s:
  case Op::i64_ge_s: cc = CC::kGE; break;
  default: cc = CC::kAE; break;
  }
  auto fits = [&](const Entry& e) { return e.loc == Loc::Const && (!is64 || fits_simm32(e.bits)); };
  auto imm = [&](const Entry& e) {
    return is64 ? Imm(int64_t(e.bits)) : Imm(int32_t(uint32_t(e.bits)));
  };
  bool own = true; // the left operand: a register local is compared in place
  // Constant on the left: compare the other way round.
  if (fits(stack_.top(1)) && !fits(stack_.top())) {
    x86::Gp r = stack_.pop_gp_read(own);
    Entry c = stack_.pop();
    if (is64)
      a_.cmp(r, imm(c));
    else
      a_.cmp(r.r32(), imm(c));
    if (own) stack_.release(r);
    stack_.push_cond(x86::reverseCond(cc));
    return {};
  }
  Entry rhs = stack_.top();
  uint32_t hr = stack_.height() - 1;
  if (fits(rhs)) {
    stack_.pop();
    x86::Gp r = stack_.pop_gp_read(own);
    if (is64)
      a_.cmp(r, imm(rhs));
    else
      a_.cmp(r.r32(), imm(rhs));
    if (own) stack_.release(r);
  } else if (rhs.loc == Loc::Local && stack_.local_in_reg(rhs.local)) {
    stack_.pop();
    x86::Gp b = stack_.local_reg(rhs.local, ValKind::I64);
    x86::Gp r = stack_.pop_gp_read(own);
    if (is64)
      a_.cmp(r, b);
    else
      a_.cmp(r.r32(), b.r32());
    if (own) stack_.release(r);
  } else if (stack_.in_memory(rhs)) {
    stack_.pop();
    x86::Mem m = stack_.mem_of(rhs, hr, 8);
    m.setSize(is64 ? 8 : 4);
    x86::Gp r = stack_.pop_gp_read(own);
    if (is64)
      a_.cmp(r, m);
    else
      a_.cmp(r.r32(), m);
    if (own) stack_.release(r);
  } else {
    x86::Gp b = stack_.pop_gp();
    x86::Gp r = stack_.pop_gp_read(own);
    if (is64)
      a_.cmp(r, b);
    else
      a_.cmp(r.r32(), b.r32());
    stack_.release(b);
    if (own) stack_.release(r);
  }
  stack_.push_cond(cc);
  return {};
}

Status CodeGenerator::int_unary(Op op, bool is64) {
  ValKind k = is64 ? ValKind::I64 : ValKind::I32;
  bool inline_ok = false;
  JitIsa isa = jit_isa(); // one module and one environment cap decide (cpu_features.h)
  switch (op) {
  case Op::i32_clz:
  case Op::i64_clz: inline_ok = isa.lzcnt; break;
  case Op::i32_ctz:
  case Op::i64_ctz: inline_ok = isa.bmi1; break;
  case Op::i32_popcnt:
  case Op::i64_popcnt: inline_ok = isa.popcnt; break;
  default: inline_ok = true; break; // sign extensions
  }
  if (!inline_ok) return numeric_by_helper(op);
  x86::Gp r = stack_.pop_gp();
  x86::Gp d = sized(r, is64);
  switch (op) {
  case Op::i32_clz:
  case Op::i64_clz: a_.lzcnt(d, d); break;
  case Op::i32_ctz:
  case Op::i64_ctz: a_.tzcnt(d, d); break;
  case Op::i32_popcnt:
  case Op::i64_popcnt: a_.popcnt(d, d); break;
  case Op::i32_extend8_s: a_.movsx(r.r32(), r.r8()); break;
  case Op::i32_extend16_s: a_.movsx(r.r32(), r.r16()); break;
  case Op::i64_extend8_s: a_.movsx(r.r64(), r.r8()); break;
  case Op::i64_extend16_s: a_.movsx(r.r64(), r.r16()); break;
  case Op::i64_extend32_s: a_.movsxd(r.r64(), r.r32()); break;
  default: stack_.release(r); return unsupported(op);
  }
  stack_.push_gp(k, r);
  return {};
}

// ---- floats --------------------------------------------------------------------------

Status CodeGenerator::float_binary(Op op, bool is64) {
  ValKind k = is64 ? ValKind::F64 : ValKind::F32;
  Entry rhs = stack_.top();
  uint32_t hr = stack_.height() - 1;
  Operand src;
  x86::Xmm b;
  if (stack_.in_memory(rhs)) {
    stack_.pop();
    x86::Mem m = stack_.mem_of(rhs, hr, 8);
    m.setSize(is64 ? 8 : 4);
    src = m;
  } else if (rhs.loc == Loc::Local) { // a register local: read in place
    stack_.pop();
    src = stack_.local_xmm(rhs.local);
  } else {
    b = stack_.pop_xmm();
    src = b;
  }
  x86::Xmm r = stack_.pop_xmm();
  uint32_t id = 0;
  switch (op) {
  case Op::f32_add: id = x86::Inst::kIdAddss; break;
  case Op::f32_sub: id = x86::Inst::kIdSubss; break;
  case Op::f32_mul: id = x86::Inst::kIdMulss; break;
  case Op::f32_div: id = x86::Inst::kIdDivss; break;
  case Op::f64_add: id = x86::Inst::kIdAddsd; break;
  case Op::f64_sub: id = x86::Inst::kIdSubsd; break;
  case Op::f64_mul: id = x86::Inst::kIdMulsd; break;
  default: id = x86::Inst::kIdDivsd; break;
  }
  a_.emit(id, r, src);
  if (b.isValid()) stack_.release(b);
  stack_.push_xmm(k, r);
  return {};
}

Status CodeGenerator::float_compare(Op op, bool is64) {
  using CC = x86::CondCode;
  // lt/le compare the other way round so that every result is an "above"
  // condition, which is false for unordered operands.
  bool swap = op == Op::f32_lt || op == Op::f64_lt || op == Op::f32_le || op == Op::f64_le;
  x86::Xmm b = stack_.pop_xmm();
  x86::Xmm a = stack_.pop_xmm();
  x86::Xmm lhs = swap ? b : a, rhs = swap ? a : b;
  if (is64)
    a_.ucomisd(lhs, rhs);
  else
    a_.ucomiss(lhs, rhs);
  stack_.release(a);
  stack_.release(b);
  switch (op) {
  case Op::f32_lt:
  case Op::f64_lt:
  case Op::f32_gt:
  case Op::f64_gt: stack_.push_cond(CC::kA); return {};
  case Op::f32_le:
  case Op::f64_le:
  case Op::f32_ge:
  case Op::f64_ge: stack_.push_cond(CC::kAE); return {};
  default: break;
  }
  // eq: ZF=1 and PF=0; ne: ZF=0 or PF=1.
  x86::Gp r = stack_.alloc_gp();
  bool eq = op == Op::f32_eq || op == Op::f64_eq;
  a_.set(eq ? CC::kE : CC::kNE, r.r8());
  a_.set(eq ? CC::kNP : CC::kP, kScratch.r8());
  if (eq)
    a_.and_(r.r8(), kScratch.r8());
  else
    a_.or_(r.r8(), kScratch.r8());
  a_.movzx(r.r32(), r.r8());
  stack_.push_gp(ValKind::I32, r);
  return {};
}

Status CodeGenerator::float_unary(Op op, bool is64) {
  ValKind k = is64 ? ValKind::F64 : ValKind::F32;
  switch (op) {
  case Op::f32_abs:
  case Op::f32_neg:
  case Op::f64_abs:
  case Op::f64_neg: {
    // Sign-bit operations on the bits (NaN payloads untouched).
    x86::Xmm r = stack_.pop_xmm();
    bool abs = op == Op::f32_abs || op == Op::f64_abs;
    if (is64) {
      a_.movq(kScratch, r);
      if (abs)
        a_.btr(kScratch, 63);
      else
        a_.btc(kScratch, 63);
      a_.movq(r, kScratch);
    } else {
      a_.movd(kScratch.r32(), r);
      if (abs)
        a_.and_(kScratch.r32(), 0x7fffffff);
      else
        a_.xor_(kScratch.r32(), Imm(int32_t(0x80000000u)));
      a_.movd(r, kScratch.r32());
    }
    stack_.push_xmm(k, r);
    return {};
  }
  case Op::f32_sqrt:
  case Op::f64_sqrt: {
    x86::Xmm r = stack_.pop_xmm();
    if (is64)
      a_.sqrtsd(r, r);
    else
      a_.sqrtss(r, r);
    stack_.push_xmm(k, r);
    return {};
  }
  default: return numeric_by_helper(op); // ceil, floor, trunc, nearest
  }
}

Status CodeGenerator::convert(Op op) {
  switch (op) {
  case Op::i32_wrap_i64: {
    if (stack_.top().loc == Loc::Const) {
      Entry c = stack_.pop();
      stack_.push_const(ValKind::I32, c.bits & 0xffffffffu);
      return {};
    }
    x86::Gp r = stack_.pop_gp();
    a_.mov(r.r32(), r.r32());
    stack_.push_gp(ValKind::I32, r);
    return {};
  }
  case Op::i64_extend_i32_u: {
    // An i32 in a register is already zero-extended.
    x86::Gp r = stack_.pop_gp();
    stack_.push_gp(ValKind::I64, r);
    return {};
  }
  case Op::i64_extend_i32_s: {
    x86::Gp r = stack_.pop_gp();
    a_.movsxd(r.r64(), r.r32());
    stack_.push_gp(ValKind::I64, r);
    return {};
  }
  case Op::i32_reinterpret_f32:
  case Op::i64_reinterpret_f64:
  case Op::f32_reinterpret_i32:
  case Op::f64_reinterpret_i64: {
    bool to_int = op == Op::i32_reinterpret_f32 || op == Op::i64_reinterpret_f64;
    bool wide = op == Op::i64_reinterpret_f64 || op == Op::f64_reinterpret_i64;
    ValKind to =
        to_int ? (wide ? ValKind::I64 : ValKind::I32) : (wide ? ValKind::F64 : ValKind::F32);
    if (stack_.top().loc == Loc::Const) {
      Entry c = stack_.pop();
      stack_.push_const(to, c.bits);
      return {};
    }
    if (to_int) {
      x86::Xmm x = stack_.pop_xmm();
      x86::Gp r = stack_.alloc_gp();
      if (wide)
        a_.movq(r, x);
      else
        a_.movd(r.r32(), x);
      stack_.release(x);
      stack_.push_gp(to, r);
    } else {
      x86::Gp r = stack_.pop_gp();
      x86::Xmm x = stack_.alloc_xmm();
      if (wide)
        a_.movq(x, r);
      else
        a_.movd(x, r.r32());
      stack_.release(r);
      stack_.push_xmm(to, x);
    }
    return {};
  }
  case Op::f32_convert_i32_s:
  case Op::f32_convert_i32_u:
  case Op::f32_convert_i64_s:
  case Op::f64_convert_i32_s:
  case Op::f64_convert_i32_u:
  case Op::f64_convert_i64_s: {
    // Exact signed conversions (i32 unsigned goes through its zero-extended
    // 64-bit value); rounding is the default nearest-even, as in numerics.h.
    bool to64 =
        op == Op::f64_convert_i32_s || op == Op::f64_convert_i32_u || op == Op::f64_convert_i64_s;
    bool src32s = op == Op::f32_convert_i32_s || op == Op::f64_convert_i32_s;
    x86::Gp r = stack_.pop_gp();
    x86::Xmm x = stack_.alloc_xmm();
    a_.xorps(x, x);
    x86::Gp src = sized(r, !src32s);
    if (to64)
      a_.cvtsi2sd(x, src);
    else
      a_.cvtsi2ss(x, src);
    stack_.release(r);
    stack_.push_xmm(to64 ? ValKind::F64 : ValKind::F32, x);
    return {};
  }
  default: return numeric_by_helper(op); // trunc, trunc_sat, u64 converts, promote, demote
  }
}

} // namespace tandem::jit
