// SIMD (v128) instructions. Vectors live in xmm registers or 16-byte slots
// like any other value. Plain v128.load/store are inline (guard-page trap
// sites like scalar accesses); lane loads and stores are inline byte moves
// between memory and the vector's slot. Lane operations and the special
// loads (splat, extend, zero) are inline where codegen_simd_inline.cc has an
// exact sequence for the CPU level (cpu_features.h); otherwise an operation
// calls its helper (runtime_calls.h), i.e. the shared semantics of
// runtime/op_semantics_simd.h, and a special load reads its bytes inline and
// lets the helper build the vector.
#include "jit/codegen.h"
#include "jit/runtime_calls.h"

#include <algorithm>

namespace tandem::jit {
namespace {

ValKind sig_kind(char c) {
  switch (c) {
  case 'v': return ValKind::V128;
  case 'I': return ValKind::I64;
  case 'f': return ValKind::F32;
  case 'F': return ValKind::F64;
  default: return ValKind::I32;
  }
}

// r11 viewed at `bytes` width.
x86::Gp scratch_of(uint32_t bytes) {
  switch (bytes) {
  case 1: return kScratch.r8();
  case 2: return kScratch.r16();
  case 4: return kScratch.r32();
  default: return kScratch.r64();
  }
}

} // namespace

Status CodeGenerator::v128_constant(const std::array<uint8_t, 16>& bytes) {
  x86::Xmm r = stack_.alloc_xmm();
  if (std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; }))
    a_.xorps(r, r);
  else
    a_.movdqa(r, masm_.const128(bytes.data()));
  stack_.push_xmm(ValKind::V128, r);
  return {};
}

Status CodeGenerator::simd_op(Op op, uint64_t imm_lo, uint64_t imm_hi) {
  if (simd_inline(op, imm_lo, imm_hi)) return {};
  calls::SimdFn fn = calls::simd_helper(op);
  if (!fn) return unsupported(op);
  OpSig sig = parse_op_sig(op_info(op).sig);
  uint32_t base = prepare_helper_call(sig.num_params);
  a_.lea(x86::rdi, stack_.slot_of(base));
  masm_.mov_imm(x86::rsi, imm_lo);
  masm_.mov_imm(x86::rdx, imm_hi);
  masm_.call_address(reinterpret_cast<const void*>(fn));
  finish_helper_call(sig.num_params, sig_kind(sig.results[0]));
  return {};
}

Status CodeGenerator::simd_load(Op op, const MemArgImm& imm) {
  const rt::MemoryInst* m = inst_.memories[imm.memory];
  x86::Gp addr;
  bool guarded = false;
  if (op == Op::v128_load) {
    x86::Mem mem = memory_operand(imm, 16, addr, guarded);
    x86::Xmm x = stack_.alloc_xmm();
    if (guarded) masm_.note_trap_site(m);
    a_.movdqu(x, mem);
    if (addr.isValid()) stack_.release(addr);
    stack_.push_xmm(ValKind::V128, x);
    return {};
  }
  if (simd_load_inline(op, imm)) return {};
  calls::SimdFn fn = calls::simd_helper(op);
  if (!fn) return unsupported(op);
  uint32_t bytes = memory_access_bytes(op);
  x86::Mem mem = memory_operand(imm, bytes, addr, guarded);
  if (guarded) masm_.note_trap_site(m);
  a_.mov(scratch_of(bytes), mem);
  if (addr.isValid()) stack_.release(addr);
  // The raw bytes go to the result's slot; the helper widens them in place.
  x86::Mem s = stack_.slot_of(stack_.height(), bytes);
  a_.mov(s, scratch_of(bytes));
  stack_.push_slot(ValKind::V128);
  uint32_t base = prepare_helper_call(1);
  a_.lea(x86::rdi, stack_.slot_of(base));
  masm_.call_address(reinterpret_cast<const void*>(fn));
  finish_helper_call(1, ValKind::V128);
  return {};
}

Status CodeGenerator::simd_store(const MemArgImm& imm) {
  const rt::MemoryInst* m = inst_.memories[imm.memory];
  x86::Xmm x = stack_.pop_xmm();
  x86::Gp addr;
  bool guarded = false;
  x86::Mem mem = memory_operand(imm, 16, addr, guarded);
  if (guarded) masm_.note_trap_site(m);
  a_.movdqu(mem, x);
  stack_.release(x);
  if (addr.isValid()) stack_.release(addr);
  return {};
}

Status CodeGenerator::simd_lane_memory(Op op, const MemArgImm& imm, uint8_t lane) {
  const rt::MemoryInst* m = inst_.memories[imm.memory];
  bool is_load = op_info(op).shape == Shape::SimdLoadLane;
  uint32_t bytes = memory_access_bytes(op);
  // The vector (top) goes to its slot; lanes are bytes of that slot.
  uint32_t hv = stack_.height() - 1;
  stack_.spill(hv);
  stack_.pop();
  x86::Mem lane_mem = stack_.slot_of(hv, bytes).cloneAdjusted(int64_t(lane) * bytes);
  x86::Gp addr;
  bool guarded = false;
  x86::Mem mem = memory_operand(imm, bytes, addr, guarded);
  x86::Gp r = scratch_of(bytes);
  if (is_load) {
    if (guarded) masm_.note_trap_site(m);
    a_.mov(r, mem);
    a_.mov(lane_mem, r);
  } else {
    a_.mov(r, lane_mem);
    if (guarded) masm_.note_trap_site(m);
    a_.mov(mem, r);
  }
  if (addr.isValid()) stack_.release(addr);
  if (is_load) {
    // The updated vector moves down to its result height (the address's).
    uint32_t h = stack_.height();
    masm_.copy_mem(stack_.slot_of(h), stack_.slot_of(hv), 16);
    stack_.push_slot(ValKind::V128);
  }
  return {};
}

} // namespace tandem::jit
