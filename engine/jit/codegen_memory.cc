// Linear-memory instructions: loads, stores, memory.size/grow and the bulk
// operations.
//
// Bounds: a 32-bit memory whose reservation has the guard region
// (rt::memory_guarded) is accessed as [base + zero-extended index + offset]
// with no check; the access instruction is registered as a trap site and
// the signal handler turns its fault into "out of bounds memory access".
// memory64 and unguarded memories (fallback reservations, page sizes below
// the system page) get an explicit check: effective address (with carry
// check for 64-bit addresses) plus width against the current size.
#include "jit/codegen.h"
#include "jit/runtime_calls.h"
#include "jit/runtime_layout.h"
#include "runtime/memory.h"

namespace tandem::jit {
namespace {

bool fits_simm32(uint64_t v) {
  return int64_t(v) >= INT32_MIN && int64_t(v) <= INT32_MAX;
}

} // namespace

x86::Mem CodeGenerator::memory_operand(const MemArgImm& imm, uint32_t bytes, x86::Gp& addr_reg,
                                       bool& guarded) {
  rt::MemoryInst* m = inst_.memories[imm.memory];
  bool is64 = m->is64;
  bool first = imm.memory == 0;
  guarded = !is64 && rt::memory_guarded(*m);
  if (guarded) {
    if (stack_.top().loc == Loc::Const) {
      Entry c = stack_.pop();
      uint64_t ea = uint64_t(uint32_t(c.bits)) + imm.offset;
      x86::Gp base = kMem0BaseReg;
      if (!first) {
        base = stack_.alloc_gp();
        masm_.mov_imm(base, reinterpret_cast<uint64_t>(m->base));
        addr_reg = base;
      }
      if (ea <= uint64_t(INT32_MAX)) return x86::ptr(base, int32_t(ea), bytes);
      masm_.mov_imm(kScratch, ea);
      return x86::ptr(base, kScratch, 0, 0, bytes);
    }
    bool own = true;
    x86::Gp r = imm.offset <= uint64_t(INT32_MAX) ? stack_.pop_gp_read(own) : stack_.pop_gp();
    if (own) addr_reg = r; // else a register local, used in place
    int32_t disp = 0;
    if (imm.offset <= uint64_t(INT32_MAX)) {
      disp = int32_t(imm.offset);
    } else {
      masm_.mov_imm(kScratch, imm.offset);
      a_.add(r, kScratch); // < 2^33: no overflow
    }
    x86::Gp base = kMem0BaseReg;
    if (!first) {
      masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(m->base));
      base = kScratch;
    }
    return x86::ptr(base, r, 0, disp, bytes);
  }
  // Explicit check: ea = addr + offset; trap unless ea + bytes <= size.
  x86::Gp r = stack_.pop_gp();
  addr_reg = r;
  if (imm.offset != 0) {
    if (imm.offset <= uint64_t(INT32_MAX)) {
      a_.add(r, Imm(int32_t(imm.offset)));
    } else {
      masm_.mov_imm(kScratch, imm.offset);
      a_.add(r, kScratch);
    }
    if (is64) masm_.trap_if(x86::CondCode::kC, TrapKind::MemoryOutOfBounds);
  }
  masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(&m->size));
  a_.mov(kScratch, x86::qword_ptr(kScratch));
  a_.sub(kScratch, Imm(int32_t(bytes)));
  masm_.trap_if(x86::CondCode::kB, TrapKind::MemoryOutOfBounds);
  a_.cmp(r, kScratch);
  masm_.trap_if(x86::CondCode::kA, TrapKind::MemoryOutOfBounds);
  x86::Gp base = kMem0BaseReg;
  if (!first) {
    masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(m->base));
    base = kScratch;
  }
  return x86::ptr(base, r, 0, 0, bytes);
}

Status CodeGenerator::load(Op op, const MemArgImm& imm) {
  uint32_t bytes = memory_access_bytes(op);
  x86::Gp addr;
  bool guarded = false;
  x86::Mem mem = memory_operand(imm, bytes, addr, guarded);
  const rt::MemoryInst* m = inst_.memories[imm.memory];
  if (op == Op::f32_load || op == Op::f64_load) {
    x86::Xmm x = stack_.alloc_xmm();
    if (guarded) masm_.note_trap_site(m);
    if (op == Op::f32_load)
      a_.movss(x, mem);
    else
      a_.movsd(x, mem);
    if (addr.isValid()) stack_.release(addr);
    stack_.push_xmm(op == Op::f32_load ? ValKind::F32 : ValKind::F64, x);
    return {};
  }
  x86::Gp d = addr.isValid() ? addr : stack_.alloc_gp();
  if (guarded) masm_.note_trap_site(m);
  ValKind k = ValKind::I64;
  switch (op) {
  case Op::i32_load:
    a_.mov(d.r32(), mem);
    k = ValKind::I32;
    break;
  case Op::i64_load: a_.mov(d.r64(), mem); break;
  case Op::i32_load8_s:
    a_.movsx(d.r32(), mem);
    k = ValKind::I32;
    break;
  case Op::i32_load8_u:
    a_.movzx(d.r32(), mem);
    k = ValKind::I32;
    break;
  case Op::i32_load16_s:
    a_.movsx(d.r32(), mem);
    k = ValKind::I32;
    break;
  case Op::i32_load16_u:
    a_.movzx(d.r32(), mem);
    k = ValKind::I32;
    break;
  case Op::i64_load8_s: a_.movsx(d.r64(), mem); break;
  case Op::i64_load8_u: a_.movzx(d.r32(), mem); break;
  case Op::i64_load16_s: a_.movsx(d.r64(), mem); break;
  case Op::i64_load16_u: a_.movzx(d.r32(), mem); break;
  case Op::i64_load32_s: a_.movsxd(d.r64(), mem); break;
  case Op::i64_load32_u: a_.mov(d.r32(), mem); break;
  default: stack_.release(d); return unsupported(op);
  }
  stack_.push_gp(k, d);
  return {};
}

Status CodeGenerator::store(Op op, const MemArgImm& imm) {
  uint32_t bytes = memory_access_bytes(op);
  const rt::MemoryInst* m = inst_.memories[imm.memory];
  Entry v = stack_.top();
  std::optional<Imm> value_imm;
  x86::Gp vr;
  x86::Xmm vx;
  if (v.loc == Loc::Const && (bytes <= 4 || fits_simm32(v.bits))) {
    stack_.pop();
    uint64_t bits = v.bits;
    if (bytes == 1)
      value_imm = Imm(int32_t(int8_t(bits)));
    else if (bytes == 2)
      value_imm = Imm(int32_t(int16_t(bits)));
    else if (bytes == 4)
      value_imm = Imm(int32_t(uint32_t(bits)));
    else
      value_imm = Imm(int64_t(bits));
  } else if (is_xmm_kind(v.kind)) {
    vx = stack_.pop_xmm();
  } else {
    vr = stack_.pop_gp();
  }
  x86::Gp addr;
  bool guarded = false;
  x86::Mem mem = memory_operand(imm, bytes, addr, guarded);
  if (guarded) masm_.note_trap_site(m);
  if (value_imm) {
    a_.mov(mem, *value_imm);
  } else if (vx.isValid()) {
    if (bytes == 4)
      a_.movss(mem, vx);
    else
      a_.movsd(mem, vx);
    stack_.release(vx);
  } else {
    switch (bytes) {
    case 1: a_.mov(mem, vr.r8()); break;
    case 2: a_.mov(mem, vr.r16()); break;
    case 4: a_.mov(mem, vr.r32()); break;
    default: a_.mov(mem, vr.r64()); break;
    }
    stack_.release(vr);
  }
  if (addr.isValid()) stack_.release(addr);
  return {};
}

Status CodeGenerator::memory_size(uint32_t mem) {
  rt::MemoryInst* m = inst_.memories[mem];
  x86::Gp r = stack_.alloc_gp();
  masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(&m->size));
  a_.mov(r, x86::qword_ptr(kScratch));
  a_.shr(r, Imm(m->page_log2));
  stack_.push_gp(m->is64 ? ValKind::I64 : ValKind::I32, r);
  return {};
}

Status CodeGenerator::memory_grow(uint32_t mem) {
  rt::MemoryInst* m = inst_.memories[mem];
  uint32_t base = prepare_helper_call(1);
  masm_.mov_imm(x86::rdi, reinterpret_cast<uint64_t>(m));
  a_.lea(x86::rsi, stack_.slot_of(base));
  masm_.call_address(reinterpret_cast<const void*>(&calls::memory_grow));
  finish_helper_call(1, m->is64 ? ValKind::I64 : ValKind::I32);
  return {};
}

Status CodeGenerator::memory_fill(uint32_t mem) {
  uint32_t base = prepare_helper_call(3);
  masm_.mov_imm(x86::rdi, reinterpret_cast<uint64_t>(inst_.memories[mem]));
  a_.lea(x86::rsi, stack_.slot_of(base));
  masm_.call_address(reinterpret_cast<const void*>(&calls::memory_fill));
  masm_.check_helper_trap();
  finish_helper_call(3, std::nullopt);
  return {};
}

Status CodeGenerator::memory_copy(uint32_t dst, uint32_t src) {
  uint32_t base = prepare_helper_call(3);
  masm_.mov_imm(x86::rdi, reinterpret_cast<uint64_t>(inst_.memories[dst]));
  masm_.mov_imm(x86::rsi, reinterpret_cast<uint64_t>(inst_.memories[src]));
  a_.lea(x86::rdx, stack_.slot_of(base));
  masm_.call_address(reinterpret_cast<const void*>(&calls::memory_copy));
  masm_.check_helper_trap();
  finish_helper_call(3, std::nullopt);
  return {};
}

Status CodeGenerator::memory_init(uint32_t data, uint32_t mem) {
  uint32_t base = prepare_helper_call(3);
  masm_.mov_imm(x86::rdi, reinterpret_cast<uint64_t>(inst_.memories[mem]));
  masm_.mov_imm(x86::rsi, reinterpret_cast<uint64_t>(&inst_.datas[data]));
  a_.lea(x86::rdx, stack_.slot_of(base));
  masm_.call_address(reinterpret_cast<const void*>(&calls::memory_init));
  masm_.check_helper_trap();
  finish_helper_call(3, std::nullopt);
  return {};
}

Status CodeGenerator::data_drop(uint32_t data) {
  masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(&inst_.datas[data].size));
  a_.mov(x86::qword_ptr(kScratch), Imm(0));
  return {};
}

} // namespace tandem::jit
