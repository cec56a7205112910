// Inline SSE code for v128 operators (codegen_simd.cc holds the helper path,
// plain loads and stores, and lane memory accesses).
//
// Only instructions whose semantics equal the wasm operator's are inlined,
// with the CPU level of cpu_features.h deciding which: integer operators are
// bit-exact; float arithmetic (add/sub/mul/div/sqrt, rounding, conversions,
// pmin/pmax) gives the bits numerics_simd.h gives, NaNs included, because
// those helpers run the same SSE operations lane by lane with the same
// operand order. Operators with no exact short sequence (float min/max,
// relaxed min/max and dot products) and anything the CPU level lacks
// return false before touching the value stack: the caller then calls the
// operator's helper. xmm15 (kScratchXmm) and r11 (kScratch) are free
// scratch registers; constants come from a static 16-byte aligned table
// addressed through r11. With AVX, a binary operator whose right operand
// is in memory (a local or a slot) uses the VEX form with that memory
// operand (no alignment requirement), saving a load.
#include "jit/codegen.h"
#include "jit/cpu_features.h"

namespace tandem::jit {
namespace {

namespace Inst = x86::Inst;
constexpr x86::Xmm kX15 = kScratchXmm;

// ---- constants ------------------------------------------------------------------------
struct alignas(16) ConstRow {
  uint8_t b[16];
};
// `v` repeated in every `bytes`-wide lane.
constexpr ConstRow rep(uint64_t v, int bytes) {
  ConstRow r{};
  for (int i = 0; i < 16; ++i) r.b[i] = uint8_t(v >> (8 * (i % bytes)));
  return r;
}
enum ConstId : uint8_t {
  kBytes01,
  kBytes0F,
  kBytes70,
  kPopcntNibbles,
  kWords0001,
  kWords8000,
  kDwords00010000,
  kDwords43300000,
  kF64Int32Max,  // 2147483647.0
  kF64Uint32Max, // 4294967295.0
  kF64Two52,     // 2^52
  kConstCount
};
constexpr ConstRow kConsts[kConstCount] = {
    rep(0x01, 1),
    rep(0x0F, 1),
    rep(0x70, 1),
    {{0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4}},
    rep(0x0001, 2),
    rep(0x8000, 2),
    rep(0x00010000, 4),
    rep(0x43300000, 4),
    rep(0x41DFFFFFFFC00000, 8),
    rep(0x41EFFFFFFFE00000, 8),
    rep(0x4330000000000000, 8),
};

// ---- plain two-operand operators --------------------------------------------------------
enum class Need : uint8_t { Sse2, Ssse3, Sse41, Sse42 };

// result = a OP b by one instruction `op a, b`; with `swap`, `op b, a`
// (result in b's register).
struct BinaryRow {
  Op op;
  uint32_t sse, avx;
  Need need;
  bool swap;
};
constexpr BinaryRow kBinary[] = {
    {Op::v128_and, Inst::kIdPand, Inst::kIdVpand, Need::Sse2, false},
    {Op::v128_or, Inst::kIdPor, Inst::kIdVpor, Need::Sse2, false},
    {Op::v128_xor, Inst::kIdPxor, Inst::kIdVpxor, Need::Sse2, false},
    {Op::v128_andnot, Inst::kIdPandn, 0, Need::Sse2, true},
    {Op::i8x16_add, Inst::kIdPaddb, Inst::kIdVpaddb, Need::Sse2, false},
    {Op::i8x16_add_sat_s, Inst::kIdPaddsb, Inst::kIdVpaddsb, Need::Sse2, false},
    {Op::i8x16_add_sat_u, Inst::kIdPaddusb, Inst::kIdVpaddusb, Need::Sse2, false},
    {Op::i8x16_sub, Inst::kIdPsubb, Inst::kIdVpsubb, Need::Sse2, false},
    {Op::i8x16_sub_sat_s, Inst::kIdPsubsb, Inst::kIdVpsubsb, Need::Sse2, false},
    {Op::i8x16_sub_sat_u, Inst::kIdPsubusb, Inst::kIdVpsubusb, Need::Sse2, false},
    {Op::i8x16_min_s, Inst::kIdPminsb, Inst::kIdVpminsb, Need::Sse41, false},
    {Op::i8x16_min_u, Inst::kIdPminub, Inst::kIdVpminub, Need::Sse2, false},
    {Op::i8x16_max_s, Inst::kIdPmaxsb, Inst::kIdVpmaxsb, Need::Sse41, false},
    {Op::i8x16_max_u, Inst::kIdPmaxub, Inst::kIdVpmaxub, Need::Sse2, false},
    {Op::i8x16_avgr_u, Inst::kIdPavgb, Inst::kIdVpavgb, Need::Sse2, false},
    {Op::i8x16_narrow_i16x8_s, Inst::kIdPacksswb, Inst::kIdVpacksswb, Need::Sse2, false},
    {Op::i8x16_narrow_i16x8_u, Inst::kIdPackuswb, Inst::kIdVpackuswb, Need::Sse2, false},
    {Op::i8x16_eq, Inst::kIdPcmpeqb, Inst::kIdVpcmpeqb, Need::Sse2, false},
    {Op::i8x16_gt_s, Inst::kIdPcmpgtb, Inst::kIdVpcmpgtb, Need::Sse2, false},
    {Op::i8x16_lt_s, Inst::kIdPcmpgtb, 0, Need::Sse2, true},
    {Op::i16x8_add, Inst::kIdPaddw, Inst::kIdVpaddw, Need::Sse2, false},
    {Op::i16x8_add_sat_s, Inst::kIdPaddsw, Inst::kIdVpaddsw, Need::Sse2, false},
    {Op::i16x8_add_sat_u, Inst::kIdPaddusw, Inst::kIdVpaddusw, Need::Sse2, false},
    {Op::i16x8_sub, Inst::kIdPsubw, Inst::kIdVpsubw, Need::Sse2, false},
    {Op::i16x8_sub_sat_s, Inst::kIdPsubsw, Inst::kIdVpsubsw, Need::Sse2, false},
    {Op::i16x8_sub_sat_u, Inst::kIdPsubusw, Inst::kIdVpsubusw, Need::Sse2, false},
    {Op::i16x8_mul, Inst::kIdPmullw, Inst::kIdVpmullw, Need::Sse2, false},
    {Op::i16x8_min_s, Inst::kIdPminsw, Inst::kIdVpminsw, Need::Sse2, false},
    {Op::i16x8_min_u, Inst::kIdPminuw, Inst::kIdVpminuw, Need::Sse41, false},
    {Op::i16x8_max_s, Inst::kIdPmaxsw, Inst::kIdVpmaxsw, Need::Sse2, false},
    {Op::i16x8_max_u, Inst::kIdPmaxuw, Inst::kIdVpmaxuw, Need::Sse41, false},
    {Op::i16x8_avgr_u, Inst::kIdPavgw, Inst::kIdVpavgw, Need::Sse2, false},
    {Op::i16x8_narrow_i32x4_s, Inst::kIdPackssdw, Inst::kIdVpackssdw, Need::Sse2, false},
    {Op::i16x8_narrow_i32x4_u, Inst::kIdPackusdw, Inst::kIdVpackusdw, Need::Sse41, false},
    {Op::i16x8_eq, Inst::kIdPcmpeqw, Inst::kIdVpcmpeqw, Need::Sse2, false},
    {Op::i16x8_gt_s, Inst::kIdPcmpgtw, Inst::kIdVpcmpgtw, Need::Sse2, false},
    {Op::i16x8_lt_s, Inst::kIdPcmpgtw, 0, Need::Sse2, true},
    {Op::i32x4_add, Inst::kIdPaddd, Inst::kIdVpaddd, Need::Sse2, false},
    {Op::i32x4_sub, Inst::kIdPsubd, Inst::kIdVpsubd, Need::Sse2, false},
    {Op::i32x4_mul, Inst::kIdPmulld, Inst::kIdVpmulld, Need::Sse41, false},
    {Op::i32x4_min_s, Inst::kIdPminsd, Inst::kIdVpminsd, Need::Sse41, false},
    {Op::i32x4_min_u, Inst::kIdPminud, Inst::kIdVpminud, Need::Sse41, false},
    {Op::i32x4_max_s, Inst::kIdPmaxsd, Inst::kIdVpmaxsd, Need::Sse41, false},
    {Op::i32x4_max_u, Inst::kIdPmaxud, Inst::kIdVpmaxud, Need::Sse41, false},
    {Op::i32x4_dot_i16x8_s, Inst::kIdPmaddwd, Inst::kIdVpmaddwd, Need::Sse2, false},
    {Op::i32x4_eq, Inst::kIdPcmpeqd, Inst::kIdVpcmpeqd, Need::Sse2, false},
    {Op::i32x4_gt_s, Inst::kIdPcmpgtd, Inst::kIdVpcmpgtd, Need::Sse2, false},
    {Op::i32x4_lt_s, Inst::kIdPcmpgtd, 0, Need::Sse2, true},
    {Op::i64x2_add, Inst::kIdPaddq, Inst::kIdVpaddq, Need::Sse2, false},
    {Op::i64x2_sub, Inst::kIdPsubq, Inst::kIdVpsubq, Need::Sse2, false},
    {Op::i64x2_eq, Inst::kIdPcmpeqq, Inst::kIdVpcmpeqq, Need::Sse41, false},
    {Op::i64x2_gt_s, Inst::kIdPcmpgtq, Inst::kIdVpcmpgtq, Need::Sse42, false},
    {Op::i64x2_lt_s, Inst::kIdPcmpgtq, 0, Need::Sse42, true},
    {Op::f32x4_add, Inst::kIdAddps, Inst::kIdVaddps, Need::Sse2, false},
    {Op::f32x4_sub, Inst::kIdSubps, Inst::kIdVsubps, Need::Sse2, false},
    {Op::f32x4_mul, Inst::kIdMulps, Inst::kIdVmulps, Need::Sse2, false},
    {Op::f32x4_div, Inst::kIdDivps, Inst::kIdVdivps, Need::Sse2, false},
    // pmin(a, b) = b < a ? b : a = minps(b, a); pmax(a, b) = a < b ? b : a = maxps(b, a).
    {Op::f32x4_pmin, Inst::kIdMinps, 0, Need::Sse2, true},
    {Op::f32x4_pmax, Inst::kIdMaxps, 0, Need::Sse2, true},
    {Op::f64x2_add, Inst::kIdAddpd, Inst::kIdVaddpd, Need::Sse2, false},
    {Op::f64x2_sub, Inst::kIdSubpd, Inst::kIdVsubpd, Need::Sse2, false},
    {Op::f64x2_mul, Inst::kIdMulpd, Inst::kIdVmulpd, Need::Sse2, false},
    {Op::f64x2_div, Inst::kIdDivpd, Inst::kIdVdivpd, Need::Sse2, false},
    {Op::f64x2_pmin, Inst::kIdMinpd, 0, Need::Sse2, true},
    {Op::f64x2_pmax, Inst::kIdMaxpd, 0, Need::Sse2, true},
};

const BinaryRow* find_binary(Op op) {
  for (const BinaryRow& r : kBinary)
    if (r.op == op) return &r;
  return nullptr;
}

// Lane width in bytes from the operator's name prefix (i8x16 ... f64x2).
uint32_t lane_bytes(Op op) {
  std::string_view n = op_info(op).name;
  if (n.starts_with("i8x16")) return 1;
  if (n.starts_with("i16x8")) return 2;
  if (n.starts_with("i32x4") || n.starts_with("f32x4")) return 4;
  return 8;
}

// The instruction for lane width `w` (1, 2, 4 or 8 bytes).
uint32_t by_width(uint32_t w, uint32_t b, uint32_t h, uint32_t d, uint32_t q) {
  return w == 1 ? b : w == 2 ? h : w == 4 ? d : q;
}
uint32_t pcmpeq(uint32_t w) {
  return by_width(w, Inst::kIdPcmpeqb, Inst::kIdPcmpeqw, Inst::kIdPcmpeqd, Inst::kIdPcmpeqq);
}
uint32_t pcmpgt(uint32_t w) {
  return by_width(w, Inst::kIdPcmpgtb, Inst::kIdPcmpgtw, Inst::kIdPcmpgtd, Inst::kIdPcmpgtq);
}

// Emits SIMD code on the value stack for one operator.
class SimdEmitter {
public:
  SimdEmitter(ValueStack& st, MacroAssembler& masm, const JitIsa& isa)
      : st_(st), masm_(masm), a_(masm.as()), isa_(isa) {}

  bool has(Need n) const {
    switch (n) {
    case Need::Sse2: return true;
    case Need::Ssse3: return isa_.ssse3;
    case Need::Sse41: return isa_.sse41;
    case Need::Sse42: return isa_.sse42;
    }
    return false;
  }

  bool run(Op op, uint64_t imm_lo, uint64_t imm_hi);

private:
  x86::Xmm pop() { return st_.pop_xmm(); }
  void push(const x86::Xmm& x) { st_.push_xmm(ValKind::V128, x); }
  void e(uint32_t id, const Operand& o1, const Operand& o2) { a_.emit(id, o1, o2); }
  void e(uint32_t id, const Operand& o1, const Operand& o2, const Operand& o3) {
    a_.emit(id, o1, o2, o3);
  }
  // A constant row as an aligned memory operand (in the constant pool).
  x86::Mem konst(ConstId id) { return masm_.const128(kConsts[id].b); }
  void all_ones(const x86::Xmm& x) { a_.pcmpeqd(x, x); }
  void invert(const x86::Xmm& x) {
    all_ones(kX15);
    a_.pxor(x, kX15);
  }

  void binary(const BinaryRow& row);
  bool compare(Op op);
  bool float_compare(Op op);
  bool unary(Op op);
  bool conversion(Op op);
  bool reduce(Op op);
  bool shift(Op op);
  bool splat(Op op);
  bool extract_lane(Op op, uint32_t lane);
  bool replace_lane(Op op, uint32_t lane);
  bool shuffle(uint64_t lo, uint64_t hi);
  bool ext_mul(Op op);
  void load_mask(uint64_t lo, uint64_t hi); // into xmm15 (SSE4.1)

  ValueStack& st_;
  MacroAssembler& masm_;
  x86::Assembler& a_;
  JitIsa isa_;
};

void SimdEmitter::binary(const BinaryRow& row) {
  if (isa_.avx && row.avx != 0 && !row.swap) {
    const Entry& eb = st_.top();
    if (st_.in_memory(eb)) {
      uint32_t hb = st_.height() - 1;
      Entry b = st_.pop();
      x86::Mem m = st_.mem_of(b, hb, 16);
      x86::Xmm ra = pop();
      e(row.avx, ra, ra, m);
      push(ra);
      return;
    }
  }
  x86::Xmm rb = pop();
  x86::Xmm ra = pop();
  if (row.swap) {
    e(row.sse, rb, ra);
    st_.release(ra);
    push(rb);
  } else {
    e(row.sse, ra, rb);
    st_.release(rb);
    push(ra);
  }
}

// Integer compares other than the table's eq/gt_s/lt_s.
bool SimdEmitter::compare(Op op) {
  uint32_t w = lane_bytes(op);
  std::string_view n = op_info(op).name.substr(6); // after "iNxM."
  bool is_unsigned = n.ends_with("_u");
  if (w == 8 && !isa_.sse42 && n != "ne") return false;
  if (w == 8 && !isa_.sse41) return false;
  if (is_unsigned && w != 1 && !isa_.sse41) return false;
  uint32_t eq = pcmpeq(w), gt = pcmpgt(w);
  uint32_t max_u = by_width(w, Inst::kIdPmaxub, Inst::kIdPmaxuw, Inst::kIdPmaxud, 0);
  uint32_t min_u = by_width(w, Inst::kIdPminub, Inst::kIdPminuw, Inst::kIdPminud, 0);
  x86::Xmm rb = pop();
  x86::Xmm ra = pop();
  x86::Xmm r = ra;
  if (n == "ne") {
    e(eq, ra, rb);
    invert(ra);
  } else if (n == "le_s") { // !(a > b)
    e(gt, ra, rb);
    invert(ra);
  } else if (n == "ge_s") { // !(b > a)
    e(gt, rb, ra);
    invert(rb);
    r = rb;
  } else if (n == "ge_u" || n == "lt_u") { // max(a, b) == a
    e(max_u, rb, ra);
    e(eq, rb, ra);
    if (n == "lt_u") invert(rb);
    r = rb;
  } else if (n == "le_u" || n == "gt_u") { // min(a, b) == a
    e(min_u, rb, ra);
    e(eq, rb, ra);
    if (n == "gt_u") invert(rb);
    r = rb;
  } else {
    // Unreachable for the operators routed here; keep the stack consistent.
    st_.release(rb);
    push(ra);
    return true;
  }
  st_.release(r == ra ? rb : ra);
  push(r);
  return true;
}

// cmpps/cmppd predicates: EQ_OQ 0, LT_OS 1, LE_OS 2, NEQ_UQ 4 (true on NaN,
// as wasm's ne); gt and ge swap the operands of lt and le.
bool SimdEmitter::float_compare(Op op) {
  bool f64 = lane_bytes(op) == 8;
  std::string_view n = op_info(op).name.substr(6);
  uint32_t id = f64 ? Inst::kIdCmppd : Inst::kIdCmpps;
  int pred = n == "eq" ? 0 : n == "ne" ? 4 : (n == "lt" || n == "gt") ? 1 : 2;
  bool swap = n == "gt" || n == "ge";
  x86::Xmm rb = pop();
  x86::Xmm ra = pop();
  if (swap) {
    e(id, rb, ra, Imm(pred));
    st_.release(ra);
    push(rb);
  } else {
    e(id, ra, rb, Imm(pred));
    st_.release(rb);
    push(ra);
  }
  return true;
}

bool SimdEmitter::unary(Op op) {
  switch (op) {
  case Op::v128_not: {
    x86::Xmm x = pop();
    invert(x);
    push(x);
    return true;
  }
  case Op::i8x16_neg:
  case Op::i16x8_neg:
  case Op::i32x4_neg:
  case Op::i64x2_neg: {
    x86::Xmm x = pop();
    a_.movdqa(kX15, x);
    a_.pxor(x, x);
    e(by_width(lane_bytes(op), Inst::kIdPsubb, Inst::kIdPsubw, Inst::kIdPsubd, Inst::kIdPsubq), x,
      kX15);
    push(x);
    return true;
  }
  case Op::i8x16_abs:
  case Op::i16x8_abs:
  case Op::i32x4_abs: {
    if (!isa_.ssse3) return false;
    uint32_t w = lane_bytes(op);
    x86::Xmm x = pop();
    e(w == 1 ? Inst::kIdPabsb : w == 2 ? Inst::kIdPabsw : Inst::kIdPabsd, x, x);
    push(x);
    return true;
  }
  case Op::i64x2_abs: { // m = sign mask of each lane; (x ^ m) - m
    x86::Xmm x = pop();
    a_.pshufd(kX15, x, Imm(0xF5));
    a_.psrad(kX15, Imm(31));
    a_.pxor(x, kX15);
    a_.psubq(x, kX15);
    push(x);
    return true;
  }
  case Op::i8x16_popcnt: { // two nibble lookups
    if (!isa_.ssse3) return false;
    x86::Xmm x = pop();
    x86::Xmm hi = st_.alloc_xmm();
    x86::Xmm r = st_.alloc_xmm();
    a_.movdqa(kX15, konst(kBytes0F));
    a_.movdqa(hi, x);
    a_.psrlw(hi, Imm(4));
    a_.pand(hi, kX15);
    a_.pand(x, kX15);
    a_.movdqa(kX15, konst(kPopcntNibbles));
    a_.movdqa(r, kX15);
    a_.pshufb(r, x);
    a_.pshufb(kX15, hi);
    a_.paddb(r, kX15);
    st_.release(x);
    st_.release(hi);
    push(r);
    return true;
  }
  case Op::i16x8_extadd_pairwise_i8x16_s: {
    if (!isa_.ssse3) return false;
    x86::Xmm x = pop();
    x86::Xmm r = st_.alloc_xmm();
    a_.movdqa(r, konst(kBytes01));
    a_.pmaddubsw(r, x); // unsigned 1 * signed lanes
    st_.release(x);
    push(r);
    return true;
  }
  case Op::i16x8_extadd_pairwise_i8x16_u: {
    if (!isa_.ssse3) return false;
    x86::Xmm x = pop();
    a_.pmaddubsw(x, konst(kBytes01)); // unsigned lanes * signed 1
    push(x);
    return true;
  }
  case Op::i32x4_extadd_pairwise_i16x8_s: {
    x86::Xmm x = pop();
    a_.pmaddwd(x, konst(kWords0001));
    push(x);
    return true;
  }
  case Op::i32x4_extadd_pairwise_i16x8_u: { // (x0 - 2^15) + (x1 - 2^15) + 2^16
    x86::Xmm x = pop();
    a_.pxor(x, konst(kWords8000));
    a_.pmaddwd(x, konst(kWords0001));
    a_.paddd(x, konst(kDwords00010000));
    push(x);
    return true;
  }
  case Op::i16x8_extend_low_i8x16_s:
  case Op::i16x8_extend_high_i8x16_s:
  case Op::i16x8_extend_low_i8x16_u:
  case Op::i16x8_extend_high_i8x16_u:
  case Op::i32x4_extend_low_i16x8_s:
  case Op::i32x4_extend_high_i16x8_s:
  case Op::i32x4_extend_low_i16x8_u:
  case Op::i32x4_extend_high_i16x8_u:
  case Op::i64x2_extend_low_i32x4_s:
  case Op::i64x2_extend_high_i32x4_s:
  case Op::i64x2_extend_low_i32x4_u:
  case Op::i64x2_extend_high_i32x4_u: {
    if (!isa_.sse41) return false;
    std::string_view n = op_info(op).name;
    bool high = n.find("_high_") != std::string_view::npos;
    bool sign = n.ends_with("_s");
    uint32_t w = lane_bytes(op);
    uint32_t id = w == 2   ? (sign ? Inst::kIdPmovsxbw : Inst::kIdPmovzxbw)
                  : w == 4 ? (sign ? Inst::kIdPmovsxwd : Inst::kIdPmovzxwd)
                           : (sign ? Inst::kIdPmovsxdq : Inst::kIdPmovzxdq);
    x86::Xmm x = pop();
    if (high) a_.pshufd(x, x, Imm(0xEE));
    e(id, x, x);
    push(x);
    return true;
  }
  case Op::f32x4_abs:
  case Op::f64x2_abs:
  case Op::f32x4_neg:
  case Op::f64x2_neg: {
    bool f64 = lane_bytes(op) == 8;
    bool is_abs = op == Op::f32x4_abs || op == Op::f64x2_abs;
    x86::Xmm x = pop();
    all_ones(kX15);
    if (is_abs) {
      e(f64 ? Inst::kIdPsrlq : Inst::kIdPsrld, kX15, Imm(1));
      a_.andps(x, kX15);
    } else {
      e(f64 ? Inst::kIdPsllq : Inst::kIdPslld, kX15, Imm(f64 ? 63 : 31));
      a_.xorps(x, kX15);
    }
    push(x);
    return true;
  }
  case Op::f32x4_sqrt:
  case Op::f64x2_sqrt: {
    x86::Xmm x = pop();
    e(op == Op::f32x4_sqrt ? Inst::kIdSqrtps : Inst::kIdSqrtpd, x, x);
    push(x);
    return true;
  }
  case Op::f32x4_ceil:
  case Op::f32x4_floor:
  case Op::f32x4_trunc:
  case Op::f32x4_nearest:
  case Op::f64x2_ceil:
  case Op::f64x2_floor:
  case Op::f64x2_trunc:
  case Op::f64x2_nearest: {
    if (!isa_.sse41) return false;
    std::string_view n = op_info(op).name.substr(6);
    // Rounding control, with bit 3 set: no precision exception.
    int mode = n == "nearest" ? 8 : n == "floor" ? 9 : n == "ceil" ? 10 : 11;
    x86::Xmm x = pop();
    e(lane_bytes(op) == 8 ? Inst::kIdRoundpd : Inst::kIdRoundps, x, x, Imm(mode));
    push(x);
    return true;
  }
  default: return conversion(op);
  }
}

bool SimdEmitter::conversion(Op op) {
  switch (op) {
  case Op::f32x4_convert_i32x4_s: {
    x86::Xmm x = pop();
    a_.cvtdq2ps(x, x);
    push(x);
    return true;
  }
  case Op::f32x4_convert_i32x4_u: { // exact low 16 bits + exact (high part / 2) * 2, one rounding
    if (!isa_.sse41) return false;
    x86::Xmm x = pop();
    a_.pxor(kX15, kX15);
    a_.pblendw(kX15, x, Imm(0x55));
    a_.psubd(x, kX15);
    a_.cvtdq2ps(kX15, kX15);
    a_.psrld(x, Imm(1));
    a_.cvtdq2ps(x, x);
    a_.addps(x, x);
    a_.addps(x, kX15);
    push(x);
    return true;
  }
  case Op::f64x2_convert_low_i32x4_s: {
    x86::Xmm x = pop();
    a_.cvtdq2pd(x, x);
    push(x);
    return true;
  }
  case Op::f64x2_convert_low_i32x4_u: { // the double 2^52 + u, minus 2^52
    x86::Xmm x = pop();
    a_.unpcklps(x, konst(kDwords43300000));
    a_.subpd(x, konst(kF64Two52));
    push(x);
    return true;
  }
  case Op::i32x4_trunc_sat_f32x4_s:
  case Op::i32x4_relaxed_trunc_f32x4_s: {
    // NaN lanes to 0; cvttps2dq gives 0x80000000 on overflow, which becomes
    // 0x7fffffff where the input was positive.
    x86::Xmm x = pop();
    a_.movaps(kX15, x);
    a_.cmpps(kX15, kX15, Imm(0));
    a_.andps(x, kX15);
    a_.pxor(kX15, x);
    a_.cvttps2dq(x, x);
    a_.pand(kX15, x);
    a_.psrad(kX15, Imm(31));
    a_.pxor(x, kX15);
    push(x);
    return true;
  }
  case Op::i32x4_trunc_sat_f32x4_u:
  case Op::i32x4_relaxed_trunc_f32x4_u: {
    if (!isa_.sse41) return false;
    // x = max(x, 0) (NaN -> 0); lanes >= 2^31 convert x - 2^31 and add it
    // to 0x80000000; lanes >= 2^32 saturate.
    x86::Xmm x = pop();
    x86::Xmm t = st_.alloc_xmm();
    a_.xorps(kX15, kX15);
    a_.maxps(x, kX15);
    all_ones(kX15);
    a_.psrld(kX15, Imm(1));
    a_.cvtdq2ps(kX15, kX15); // 2^31
    a_.movaps(t, x);
    a_.subps(t, kX15);
    a_.cmpps(kX15, t, Imm(2)); // 2^31 <= x - 2^31: overflow
    a_.cvttps2dq(t, t);
    a_.pxor(t, kX15);
    a_.pxor(kX15, kX15);
    a_.pmaxsd(t, kX15);
    a_.cvttps2dq(x, x);
    a_.paddd(x, t);
    st_.release(t);
    push(x);
    return true;
  }
  case Op::i32x4_trunc_sat_f64x2_s_zero:
  case Op::i32x4_relaxed_trunc_f64x2_s_zero: {
    // min(x, INT32_MAX) with NaN lanes to 0; negative overflow is 0x80000000.
    x86::Xmm x = pop();
    a_.movapd(kX15, x);
    a_.cmppd(kX15, kX15, Imm(0));
    a_.andpd(kX15, konst(kF64Int32Max));
    a_.minpd(x, kX15);
    a_.cvttpd2dq(x, x);
    push(x);
    return true;
  }
  case Op::i32x4_trunc_sat_f64x2_u_zero:
  case Op::i32x4_relaxed_trunc_f64x2_u_zero: {
    if (!isa_.sse41) return false;
    // Clamp to [0, UINT32_MAX] (NaN -> 0), truncate, and take the low
    // dwords of 2^52 + x.
    x86::Xmm x = pop();
    a_.xorpd(kX15, kX15);
    a_.maxpd(x, kX15);
    a_.minpd(x, konst(kF64Uint32Max));
    a_.roundpd(x, x, Imm(11));
    a_.addpd(x, konst(kF64Two52));
    a_.shufps(x, kX15, Imm(0x88));
    push(x);
    return true;
  }
  case Op::f32x4_demote_f64x2_zero: {
    x86::Xmm x = pop();
    a_.cvtpd2ps(x, x);
    push(x);
    return true;
  }
  case Op::f64x2_promote_low_f32x4: {
    x86::Xmm x = pop();
    a_.cvtps2pd(x, x);
    push(x);
    return true;
  }
  default: return false;
  }
}

bool SimdEmitter::reduce(Op op) {
  if (op == Op::v128_any_true) {
    x86::Xmm x = pop();
    x86::CondCode cc = x86::CondCode::kNZ;
    if (isa_.sse41) {
      a_.ptest(x, x);
    } else {
      a_.pxor(kX15, kX15);
      a_.pcmpeqb(kX15, x);
      a_.pmovmskb(kScratch.r32(), kX15);
      a_.cmp(kScratch.r32(), Imm(0xFFFF));
      cc = x86::CondCode::kNE;
    }
    st_.release(x);
    st_.push_cond(cc);
    return true;
  }
  uint32_t w = lane_bytes(op);
  if (op_info(op).name.ends_with("all_true")) {
    if (w == 8 && !isa_.sse41) return false;
    x86::Xmm x = pop();
    a_.pxor(kX15, kX15);
    e(pcmpeq(w), kX15, x); // lanes equal to zero
    a_.pmovmskb(kScratch.r32(), kX15);
    a_.test(kScratch.r32(), kScratch.r32());
    st_.release(x);
    st_.push_cond(x86::CondCode::kZ);
    return true;
  }
  // bitmask
  x86::Xmm x = pop();
  x86::Gp r = st_.alloc_gp();
  switch (w) {
  case 1: a_.pmovmskb(r.r32(), x); break;
  case 2:
    a_.packsswb(x, x); // keeps each lane's sign
    a_.pmovmskb(r.r32(), x);
    a_.movzx(r.r32(), r.r8());
    break;
  case 4: a_.movmskps(r.r32(), x); break;
  default: a_.movmskpd(r.r32(), x); break;
  }
  st_.release(x);
  st_.push_gp(ValKind::I32, r);
  return true;
}

// Shifts take the count modulo the lane width. SSE has no byte shifts: i8x16
// shifts words and masks (shl, shr_u) or widens to words (shr_s); i64x2.shr_s
// is ((x >>u n) ^ m) - m with m = 2^63 >>u n.
bool SimdEmitter::shift(Op op) {
  uint32_t w = lane_bytes(op);
  uint32_t bits = w * 8;
  std::string_view n = op_info(op).name.substr(6);
  bool is_shl = n == "shl", is_shr_s = n == "shr_s";
  bool byte_sra = w == 1 && is_shr_s;
  const Entry& c = st_.top();
  Operand count;
  if (c.loc == Loc::Const) {
    uint32_t k = uint32_t(c.bits) & (bits - 1);
    st_.pop();
    count = Imm(byte_sra ? k + 8 : k);
  } else {
    x86::Gp r = st_.pop_gp();
    a_.and_(r.r32(), Imm(bits - 1));
    if (byte_sra) a_.add(r.r32(), Imm(8));
    a_.movd(kX15, r.r32());
    st_.release(r);
    count = kX15;
  }
  x86::Xmm x = pop();
  if (w == 1) {
    x86::Xmm t = st_.alloc_xmm();
    if (is_shr_s) {
      a_.movdqa(t, x);
      a_.punpckhbw(t, t); // each byte in the high half of a word
      a_.punpcklbw(x, x);
      a_.emit(Inst::kIdPsraw, t, count);
      a_.emit(Inst::kIdPsraw, x, count);
      a_.packsswb(x, t);
    } else if (is_shl) {
      a_.emit(Inst::kIdPsllw, x, count);
      all_ones(t);
      a_.emit(Inst::kIdPsllw, t, count); // low byte of each word: 0xff << n
      a_.psllw(t, Imm(8));
      a_.psrlw(t, Imm(8));
      a_.packuswb(t, t);
      a_.pand(x, t);
    } else {
      a_.emit(Inst::kIdPsrlw, x, count);
      all_ones(t);
      a_.emit(Inst::kIdPsrlw, t, count); // high byte of each word: 0xff >> n
      a_.psrlw(t, Imm(8));
      a_.packuswb(t, t);
      a_.pand(x, t);
    }
    st_.release(t);
    push(x);
    return true;
  }
  if (w == 8 && is_shr_s) {
    x86::Xmm t = st_.alloc_xmm();
    all_ones(t);
    a_.psllq(t, Imm(63));
    a_.emit(Inst::kIdPsrlq, t, count);
    a_.emit(Inst::kIdPsrlq, x, count);
    a_.pxor(x, t);
    a_.psubq(x, t);
    st_.release(t);
    push(x);
    return true;
  }
  uint32_t id = 0;
  if (is_shl)
    id = w == 2 ? Inst::kIdPsllw : w == 4 ? Inst::kIdPslld : Inst::kIdPsllq;
  else if (is_shr_s)
    id = w == 2 ? Inst::kIdPsraw : Inst::kIdPsrad;
  else
    id = w == 2 ? Inst::kIdPsrlw : w == 4 ? Inst::kIdPsrld : Inst::kIdPsrlq;
  a_.emit(id, x, count);
  push(x);
  return true;
}

bool SimdEmitter::splat(Op op) {
  if (op == Op::f32x4_splat || op == Op::f64x2_splat) {
    x86::Xmm s = st_.pop_xmm();
    if (op == Op::f32x4_splat)
      a_.shufps(s, s, Imm(0));
    else
      a_.punpcklqdq(s, s);
    push(s);
    return true;
  }
  x86::Gp s = st_.pop_gp();
  x86::Xmm x = st_.alloc_xmm();
  switch (op) {
  case Op::i8x16_splat:
    a_.movd(x, s.r32());
    a_.punpcklbw(x, x);
    a_.pshuflw(x, x, Imm(0));
    a_.pshufd(x, x, Imm(0));
    break;
  case Op::i16x8_splat:
    a_.movd(x, s.r32());
    a_.pshuflw(x, x, Imm(0));
    a_.pshufd(x, x, Imm(0));
    break;
  case Op::i32x4_splat:
    a_.movd(x, s.r32());
    a_.pshufd(x, x, Imm(0));
    break;
  default: // i64x2
    a_.movq(x, s.r64());
    a_.punpcklqdq(x, x);
    break;
  }
  st_.release(s);
  push(x);
  return true;
}

bool SimdEmitter::extract_lane(Op op, uint32_t lane) {
  switch (op) {
  case Op::f32x4_extract_lane:
  case Op::f64x2_extract_lane: {
    bool f64 = op == Op::f64x2_extract_lane;
    x86::Xmm x = pop();
    if (lane != 0) a_.pshufd(x, x, Imm(f64 ? 0xEE : lane));
    st_.push_xmm(f64 ? ValKind::F64 : ValKind::F32, x);
    return true;
  }
  case Op::i8x16_extract_lane_s:
  case Op::i8x16_extract_lane_u: {
    x86::Xmm x = pop();
    x86::Gp r = st_.alloc_gp();
    if (isa_.sse41) {
      a_.pextrb(r.r32(), x, Imm(lane));
    } else {
      a_.pextrw(r.r32(), x, Imm(lane / 2));
      if (lane & 1) a_.shr(r.r32(), Imm(8));
    }
    if (op == Op::i8x16_extract_lane_s)
      a_.movsx(r.r32(), r.r8());
    else
      a_.movzx(r.r32(), r.r8());
    st_.release(x);
    st_.push_gp(ValKind::I32, r);
    return true;
  }
  case Op::i16x8_extract_lane_s:
  case Op::i16x8_extract_lane_u: {
    x86::Xmm x = pop();
    x86::Gp r = st_.alloc_gp();
    a_.pextrw(r.r32(), x, Imm(lane));
    if (op == Op::i16x8_extract_lane_s) a_.movsx(r.r32(), r.r16());
    st_.release(x);
    st_.push_gp(ValKind::I32, r);
    return true;
  }
  case Op::i32x4_extract_lane: {
    x86::Xmm x = pop();
    x86::Gp r = st_.alloc_gp();
    if (lane != 0) a_.pshufd(x, x, Imm(lane));
    a_.movd(r.r32(), x);
    st_.release(x);
    st_.push_gp(ValKind::I32, r);
    return true;
  }
  case Op::i64x2_extract_lane: {
    x86::Xmm x = pop();
    x86::Gp r = st_.alloc_gp();
    if (lane != 0) a_.pshufd(x, x, Imm(0xEE));
    a_.movq(r.r64(), x);
    st_.release(x);
    st_.push_gp(ValKind::I64, r);
    return true;
  }
  default: return false;
  }
}

bool SimdEmitter::replace_lane(Op op, uint32_t lane) {
  switch (op) {
  case Op::f32x4_replace_lane:
  case Op::f64x2_replace_lane: {
    bool f64 = op == Op::f64x2_replace_lane;
    if (!f64 && lane != 0 && !isa_.sse41) return false;
    x86::Xmm s = st_.pop_xmm();
    x86::Xmm x = pop();
    if (f64 && lane == 0)
      a_.movsd(x, s);
    else if (f64)
      a_.unpcklpd(x, s);
    else if (lane == 0)
      a_.movss(x, s);
    else
      a_.insertps(x, s, Imm(lane << 4));
    st_.release(s);
    push(x);
    return true;
  }
  case Op::i16x8_replace_lane: {
    x86::Gp s = st_.pop_gp();
    x86::Xmm x = pop();
    a_.pinsrw(x, s.r32(), Imm(lane));
    st_.release(s);
    push(x);
    return true;
  }
  case Op::i8x16_replace_lane:
  case Op::i32x4_replace_lane:
  case Op::i64x2_replace_lane: {
    if (!isa_.sse41) return false;
    x86::Gp s = st_.pop_gp();
    x86::Xmm x = pop();
    if (op == Op::i8x16_replace_lane)
      a_.pinsrb(x, s.r32(), Imm(lane));
    else if (op == Op::i32x4_replace_lane)
      a_.pinsrd(x, s.r32(), Imm(lane));
    else
      a_.pinsrq(x, s.r64(), Imm(lane));
    st_.release(s);
    push(x);
    return true;
  }
  default: return false;
  }
}

void SimdEmitter::load_mask(uint64_t lo, uint64_t hi) {
  uint8_t b[16];
  std::memcpy(b, &lo, 8);
  std::memcpy(b + 8, &hi, 8);
  a_.movdqa(kX15, masm_.const128(b));
}

// Byte i of the result is a[idx] (idx < 16) or b[idx - 16]: one pshufb per
// input that is used (index bytes with bit 7 set give 0), then por.
bool SimdEmitter::shuffle(uint64_t lo, uint64_t hi) {
  if (!isa_.sse41) return false;
  uint8_t idx[16];
  std::memcpy(idx, &lo, 8);
  std::memcpy(idx + 8, &hi, 8);
  uint8_t ma[16], mb[16];
  bool use_a = false, use_b = false;
  for (int i = 0; i < 16; ++i) {
    uint8_t k = idx[i] & 31;
    ma[i] = k < 16 ? k : 0x80;
    mb[i] = k >= 16 ? uint8_t(k - 16) : 0x80;
    use_a |= k < 16;
    use_b |= k >= 16;
  }
  uint64_t ma_lo, ma_hi, mb_lo, mb_hi;
  std::memcpy(&ma_lo, ma, 8);
  std::memcpy(&ma_hi, ma + 8, 8);
  std::memcpy(&mb_lo, mb, 8);
  std::memcpy(&mb_hi, mb + 8, 8);
  x86::Xmm rb = pop();
  x86::Xmm ra = pop();
  if (use_a) {
    load_mask(ma_lo, ma_hi);
    a_.pshufb(ra, kX15);
  }
  if (use_b) {
    load_mask(mb_lo, mb_hi);
    a_.pshufb(rb, kX15);
  }
  if (use_a && use_b) a_.por(ra, rb);
  if (use_a) {
    st_.release(rb);
    push(ra);
  } else {
    st_.release(ra);
    push(rb);
  }
  return true;
}

bool SimdEmitter::ext_mul(Op op) {
  std::string_view n = op_info(op).name;
  bool high = n.find("_high_") != std::string_view::npos;
  bool sign = n.ends_with("_s");
  uint32_t w = lane_bytes(op);                                   // result lane width
  if ((w == 2 || (w == 8 && sign)) && !isa_.sse41) return false; // pmovsx/zx, pmuldq
  x86::Xmm rb = pop();
  x86::Xmm ra = pop();
  if (w == 2) {
    uint32_t id = sign ? Inst::kIdPmovsxbw : Inst::kIdPmovzxbw;
    for (const x86::Xmm& x : {ra, rb}) {
      if (high) a_.pshufd(x, x, Imm(0xEE));
      e(id, x, x);
    }
    a_.pmullw(ra, rb);
  } else if (w == 4) { // low and high halves of the 16x16 products, interleaved
    a_.movdqa(kX15, ra);
    a_.pmullw(ra, rb);
    e(sign ? Inst::kIdPmulhw : Inst::kIdPmulhuw, kX15, rb);
    e(high ? Inst::kIdPunpckhwd : Inst::kIdPunpcklwd, ra, kX15);
  } else { // dwords to the even positions, then 32x32->64
    int sel = high ? 0xFA : 0x50;
    a_.pshufd(ra, ra, Imm(sel));
    a_.pshufd(rb, rb, Imm(sel));
    e(sign ? Inst::kIdPmuldq : Inst::kIdPmuludq, ra, rb);
  }
  st_.release(rb);
  push(ra);
  return true;
}

bool SimdEmitter::run(Op op, uint64_t imm_lo, uint64_t imm_hi) {
  if (const BinaryRow* row = find_binary(op)) {
    if (!has(row->need)) return false;
    binary(*row);
    return true;
  }
  switch (op_info(op).shape) {
  case Shape::SimdShuffle: return shuffle(imm_lo, imm_hi);
  case Shape::SimdExtractLane: return extract_lane(op, uint32_t(imm_lo));
  case Shape::SimdReplaceLane: return replace_lane(op, uint32_t(imm_lo));
  case Shape::SimdSplat: return splat(op);
  case Shape::SimdShift: return shift(op);
  case Shape::SimdReduce: return reduce(op);
  case Shape::SimdCompare:
    if (op_info(op).name[0] == 'f') return float_compare(op);
    return compare(op);
  case Shape::SimdUnary: return unary(op);
  default: break;
  }
  switch (op) {
  case Op::v128_bitselect:
  case Op::i8x16_relaxed_laneselect:
  case Op::i16x8_relaxed_laneselect:
  case Op::i32x4_relaxed_laneselect:
  case Op::i64x2_relaxed_laneselect: { // (a & c) | (b & ~c)
    x86::Xmm rc = pop();
    x86::Xmm rb = pop();
    x86::Xmm ra = pop();
    a_.pand(ra, rc);
    a_.pandn(rc, rb);
    a_.por(ra, rc);
    st_.release(rb);
    st_.release(rc);
    push(ra);
    return true;
  }
  case Op::f32x4_relaxed_madd:
  case Op::f32x4_relaxed_nmadd:
  case Op::f64x2_relaxed_madd:
  case Op::f64x2_relaxed_nmadd: { // unfused, as numerics_simd.h: (+-a) * b + c
    bool f64 = lane_bytes(op) == 8;
    x86::Xmm rc = pop();
    x86::Xmm rb = pop();
    x86::Xmm ra = pop();
    if (op == Op::f32x4_relaxed_nmadd || op == Op::f64x2_relaxed_nmadd) {
      all_ones(kX15);
      e(f64 ? Inst::kIdPsllq : Inst::kIdPslld, kX15, Imm(f64 ? 63 : 31));
      a_.xorps(ra, kX15);
    }
    e(f64 ? Inst::kIdMulpd : Inst::kIdMulps, ra, rb);
    e(f64 ? Inst::kIdAddpd : Inst::kIdAddps, ra, rc);
    st_.release(rb);
    st_.release(rc);
    push(ra);
    return true;
  }
  case Op::i8x16_swizzle:
  case Op::i8x16_relaxed_swizzle: { // indices >= 16 saturate to >= 0x80: zero bytes
    if (!isa_.ssse3) return false;
    x86::Xmm rs = pop();
    x86::Xmm ra = pop();
    a_.paddusb(rs, konst(kBytes70));
    a_.pshufb(ra, rs);
    st_.release(rs);
    push(ra);
    return true;
  }
  case Op::i16x8_q15mulr_sat_s:
  case Op::i16x8_relaxed_q15mulr_s: { // pmulhrsw, with 0x8000 * 0x8000 saturated
    if (!isa_.ssse3) return false;
    x86::Xmm rb = pop();
    x86::Xmm ra = pop();
    a_.pmulhrsw(ra, rb);
    a_.movdqa(kX15, konst(kWords8000));
    a_.pcmpeqw(kX15, ra);
    a_.pxor(ra, kX15);
    st_.release(rb);
    push(ra);
    return true;
  }
  case Op::i64x2_mul: { // lo*lo + ((hi_a*lo_b + lo_a*hi_b) << 32)
    x86::Xmm rb = pop();
    x86::Xmm ra = pop();
    x86::Xmm t = st_.alloc_xmm();
    a_.movdqa(t, ra);
    a_.psrlq(t, Imm(32));
    a_.pmuludq(t, rb);
    a_.movdqa(kX15, rb);
    a_.psrlq(kX15, Imm(32));
    a_.pmuludq(kX15, ra);
    a_.paddq(t, kX15);
    a_.psllq(t, Imm(32));
    a_.pmuludq(ra, rb);
    a_.paddq(ra, t);
    st_.release(rb);
    st_.release(t);
    push(ra);
    return true;
  }
  case Op::i16x8_extmul_low_i8x16_s:
  case Op::i16x8_extmul_high_i8x16_s:
  case Op::i16x8_extmul_low_i8x16_u:
  case Op::i16x8_extmul_high_i8x16_u:
  case Op::i32x4_extmul_low_i16x8_s:
  case Op::i32x4_extmul_high_i16x8_s:
  case Op::i32x4_extmul_low_i16x8_u:
  case Op::i32x4_extmul_high_i16x8_u:
  case Op::i64x2_extmul_low_i32x4_s:
  case Op::i64x2_extmul_high_i32x4_s:
  case Op::i64x2_extmul_low_i32x4_u:
  case Op::i64x2_extmul_high_i32x4_u: return ext_mul(op);
  default: return false;
  }
}

} // namespace

bool CodeGenerator::simd_inline(Op op, uint64_t imm_lo, uint64_t imm_hi) {
  SimdEmitter emitter(stack_, masm_, jit_isa());
  return emitter.run(op, imm_lo, imm_hi);
}

// Loads that build a vector from fewer bytes: extend (SSE4.1 pmovsx/zx),
// zero and splat. The first instruction after note_trap_site reads memory.
bool CodeGenerator::simd_load_inline(Op op, const MemArgImm& imm) {
  JitIsa isa = jit_isa();
  std::string_view name = op_info(op).name;
  bool extend = name.starts_with("v128.load8x8") || name.starts_with("v128.load16x4") ||
                name.starts_with("v128.load32x2");
  if (extend && !isa.sse41) return false;
  const rt::MemoryInst* m = inst_.memories[imm.memory];
  uint32_t bytes = memory_access_bytes(op);
  x86::Gp addr;
  bool guarded = false;
  x86::Mem mem = memory_operand(imm, bytes, addr, guarded);
  x86::Xmm x = stack_.alloc_xmm();
  if (guarded) masm_.note_trap_site(m);
  if (extend) {
    static constexpr struct {
      Op op;
      uint32_t id;
    } kExtends[] = {
        {Op::v128_load8x8_s, Inst::kIdPmovsxbw},  {Op::v128_load8x8_u, Inst::kIdPmovzxbw},
        {Op::v128_load16x4_s, Inst::kIdPmovsxwd}, {Op::v128_load16x4_u, Inst::kIdPmovzxwd},
        {Op::v128_load32x2_s, Inst::kIdPmovsxdq}, {Op::v128_load32x2_u, Inst::kIdPmovzxdq},
    };
    uint32_t id = 0;
    for (const auto& row : kExtends)
      if (row.op == op) id = row.id;
    a_.emit(id, x, mem);
  } else {
    switch (op) {
    case Op::v128_load8_splat:
      a_.movzx(kScratch.r32(), mem);
      a_.movd(x, kScratch.r32());
      a_.punpcklbw(x, x);
      a_.pshuflw(x, x, Imm(0));
      a_.pshufd(x, x, Imm(0));
      break;
    case Op::v128_load16_splat:
      a_.movzx(kScratch.r32(), mem);
      a_.movd(x, kScratch.r32());
      a_.pshuflw(x, x, Imm(0));
      a_.pshufd(x, x, Imm(0));
      break;
    case Op::v128_load32_splat:
      a_.movd(x, mem);
      a_.pshufd(x, x, Imm(0));
      break;
    case Op::v128_load64_splat:
      a_.movq(x, mem);
      a_.punpcklqdq(x, x);
      break;
    case Op::v128_load32_zero: a_.movd(x, mem); break;
    default: a_.movq(x, mem); break; // v128.load64_zero
    }
  }
  if (addr.isValid()) stack_.release(addr);
  stack_.push_xmm(ValKind::V128, x);
  return true;
}

} // namespace tandem::jit
