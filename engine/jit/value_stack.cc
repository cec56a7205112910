// ValueStack: register allocation, spilling and value moves (see value_stack.h).
#include "jit/value_stack.h"

namespace tandem::jit {
namespace {

// Allocation order of the general-purpose registers (ids); see macro_assembler.h.
constexpr uint8_t kGpOrder[] = {0 /*rax*/, 1 /*rcx*/, 2 /*rdx*/, 6 /*rsi*/, 7 /*rdi*/, 8, 9, 10};
constexpr uint32_t kXmmCount = 15; // xmm0..xmm14; xmm15 is scratch

x86::Gp gp_of(ValKind k, uint32_t id) {
  if (k == ValKind::I32) return x86::gpd(id);
  return x86::gpq(id);
}

} // namespace

void ValueStack::reset(uint32_t slot_base, uint32_t num_locals) {
  entries_.clear();
  local_reg_.assign(num_locals, kNoReg);
  slot_base_ = slot_base;
  max_height_ = 0;
  gp_used_ = xmm_used_ = 0;
  failed_ = false;
}

void ValueStack::set_local_reg(uint32_t x, ValKind k, uint8_t reg) {
  local_reg_[x] = reg;
  // Owned by no entry: allocation skips it and take_gp refuses it.
  if (is_xmm_kind(k))
    xmm_used_ |= 1u << reg;
  else
    gp_used_ |= 1u << reg;
}

// ---- pushing ------------------------------------------------------------------

void ValueStack::push_const(ValKind k, uint64_t bits) {
  Entry e;
  e.kind = k;
  e.loc = Loc::Const;
  e.bits = k == ValKind::I32 || k == ValKind::F32 ? (bits & 0xffffffffu) : bits;
  entries_.push_back(e);
  note_height();
}

void ValueStack::push_local(ValKind k, uint32_t x) {
  Entry e;
  e.kind = k;
  e.loc = Loc::Local;
  e.local = x;
  entries_.push_back(e);
  note_height();
}

void ValueStack::push_slot(ValKind k) {
  Entry e;
  e.kind = k;
  e.loc = Loc::Slot;
  entries_.push_back(e);
  note_height();
}

void ValueStack::push_cond(x86::CondCode cc) {
  Entry e;
  e.kind = ValKind::I32;
  e.loc = Loc::Cond;
  e.cond = cc;
  entries_.push_back(e);
  note_height();
}

void ValueStack::push_gp(ValKind k, const x86::Gp& r) {
  Entry e;
  e.kind = k;
  e.loc = Loc::Reg;
  e.reg = uint8_t(r.id());
  gp_used_ |= mask(r);
  entries_.push_back(e);
  note_height();
}

void ValueStack::push_xmm(ValKind k, const x86::Xmm& r) {
  Entry e;
  e.kind = k;
  e.loc = Loc::Reg;
  e.reg = uint8_t(r.id());
  xmm_used_ |= 1u << r.id();
  entries_.push_back(e);
  note_height();
}

// ---- popping ------------------------------------------------------------------

Entry ValueStack::pop() {
  Entry e = entries_.back();
  entries_.pop_back();
  return e;
}

x86::Gp ValueStack::pop_gp(uint32_t avoid) {
  if (entries_.back().loc == Loc::Cond) materialize_cond();
  Entry e = pop();
  if (e.loc == Loc::Reg) {
    if (!(avoid & (1u << e.reg))) return x86::gpq(e.reg);
    x86::Gp r = alloc_gp(avoid | (1u << e.reg));
    a_.mov(r, x86::gpq(e.reg));
    gp_used_ &= ~(1u << e.reg);
    return r;
  }
  x86::Gp r = alloc_gp(avoid);
  load(e, height(), r);
  return r;
}

x86::Gp ValueStack::pop_gp_read(bool& owned) {
  const Entry& e = entries_.back();
  if (e.loc == Loc::Local && local_in_reg(e.local) && !is_xmm_kind(e.kind)) {
    uint8_t reg = local_reg_[e.local];
    entries_.pop_back();
    owned = false;
    return x86::gpq(reg);
  }
  owned = true;
  return pop_gp();
}

x86::Xmm ValueStack::pop_xmm() {
  Entry e = pop();
  if (e.loc == Loc::Reg) return x86::xmm(e.reg);
  x86::Xmm r = alloc_xmm();
  load(e, height(), r);
  return r;
}

void ValueStack::pop_into(const x86::Gp& r) {
  if (entries_.back().loc == Loc::Cond) materialize_cond();
  Entry e = pop();
  if (e.loc == Loc::Reg && e.reg == r.id()) return; // already there, now held
  take_gp(r);
  if (e.loc == Loc::Reg) {
    a_.mov(r.r64(), x86::gpq(e.reg));
    gp_used_ &= ~(1u << e.reg);
  } else {
    load(e, height(), r);
  }
}

void ValueStack::drop(uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) release(pop());
}

void ValueStack::release(const Entry& e) {
  if (e.loc != Loc::Reg) return;
  if (is_xmm_kind(e.kind))
    xmm_used_ &= ~(1u << e.reg);
  else
    gp_used_ &= ~(1u << e.reg);
}

void ValueStack::truncate(uint32_t h) {
  while (height() > h) release(pop());
}

void ValueStack::restore(uint32_t from, std::span<const Entry> saved) {
  truncate(from);
  for (const Entry& e : saved) {
    entries_.push_back(e);
    if (e.loc == Loc::Reg) {
      if (is_xmm_kind(e.kind))
        xmm_used_ |= 1u << e.reg;
      else
        gp_used_ |= 1u << e.reg;
    }
  }
  note_height();
}

// ---- registers ------------------------------------------------------------------

int32_t ValueStack::owner_of_gp(uint32_t id) const {
  for (size_t h = 0; h < entries_.size(); ++h) {
    const Entry& e = entries_[h];
    if (e.loc == Loc::Reg && !is_xmm_kind(e.kind) && e.reg == id) return int32_t(h);
  }
  return -1;
}

int32_t ValueStack::owner_of_xmm(uint32_t id) const {
  for (size_t h = 0; h < entries_.size(); ++h) {
    const Entry& e = entries_[h];
    if (e.loc == Loc::Reg && is_xmm_kind(e.kind) && e.reg == id) return int32_t(h);
  }
  return -1;
}

bool ValueStack::spill_one(bool xmm) {
  for (size_t h = 0; h < entries_.size(); ++h) {
    const Entry& e = entries_[h];
    if (e.loc == Loc::Reg && is_xmm_kind(e.kind) == xmm) {
      spill(uint32_t(h));
      return true;
    }
  }
  return false;
}

int32_t ValueStack::free_gp(uint32_t avoid) const {
  for (uint8_t id : kGpOrder)
    if (!((gp_used_ | avoid) & (1u << id))) return id;
  return -1;
}

x86::Gp ValueStack::alloc_gp(uint32_t avoid) {
  for (;;) {
    if (int32_t id = free_gp(avoid); id >= 0) {
      gp_used_ |= 1u << id;
      return x86::gpq(uint32_t(id));
    }
    if (!spill_one(false)) {
      failed_ = true;
      return x86::rax;
    }
  }
}

x86::Xmm ValueStack::alloc_xmm() {
  for (;;) {
    for (uint32_t id = 0; id < kXmmCount; ++id) {
      if (!(xmm_used_ & (1u << id))) {
        xmm_used_ |= 1u << id;
        return x86::xmm(id);
      }
    }
    if (!spill_one(true)) {
      failed_ = true;
      return x86::xmm0;
    }
  }
}

void ValueStack::take_gp(const x86::Gp& r) {
  uint32_t m = mask(r);
  if (!(gp_used_ & m)) {
    gp_used_ |= m;
    return;
  }
  int32_t h = owner_of_gp(r.id());
  if (h < 0) { // held by the code generator: a bug in the caller
    failed_ = true;
    return;
  }
  if (free_gp(m) < 0) {
    // Every other register is taken: the owner goes to its slot, which
    // frees r. (Letting alloc_gp spill instead can evict the owner itself;
    // giving it a register then lost track of r: 57e573a,
    // spec-tests/wast/jit_value_stack.wast.)
    spill(uint32_t(h));
    gp_used_ |= m;
    return;
  }
  x86::Gp other = alloc_gp(m);
  a_.mov(other, r.r64());
  entries_[size_t(h)].reg = uint8_t(other.id());
  // r stays marked used: it is now held by the caller.
}

// ---- moving values ----------------------------------------------------------------

void ValueStack::load(const Entry& e, uint32_t h, const x86::Gp& r) {
  bool is32 = e.kind == ValKind::I32 || e.kind == ValKind::F32;
  switch (e.loc) {
  case Loc::Const: masm_.mov_imm(r, e.bits); break;
  case Loc::Reg:
    if (e.reg != r.id()) a_.mov(r.r64(), x86::gpq(e.reg));
    break;
  case Loc::Local:
    if (local_in_reg(e.local) && is_xmm_kind(e.kind)) { // a float's bits
      if (is32)
        a_.movd(r.r32(), local_xmm(e.local));
      else
        a_.movq(r.r64(), local_xmm(e.local));
    } else if (local_in_reg(e.local))
      a_.mov(sized(r, !is32), local_reg(e.local, e.kind));
    else if (is32)
      a_.mov(r.r32(), local_mem(e.local, 4));
    else
      a_.mov(r.r64(), local_mem(e.local, 8));
    break;
  case Loc::Slot:
    if (is32)
      a_.mov(r.r32(), slot_of(h, 4));
    else
      a_.mov(r.r64(), slot_of(h, 8));
    break;
  case Loc::Cond:
    a_.set(e.cond, r.r8());
    a_.movzx(r.r32(), r.r8());
    break;
  }
}

void ValueStack::load(const Entry& e, uint32_t h, const x86::Xmm& r) {
  bool f32 = e.kind == ValKind::F32;
  if (e.loc == Loc::Local && local_in_reg(e.local)) {
    if (is_xmm_kind(e.kind))
      a_.movaps(r, local_xmm(e.local));
    else if (e.kind == ValKind::I32)
      a_.movd(r, local_reg(e.local, e.kind)); // an integer's bits
    else
      a_.movq(r, local_reg(e.local, e.kind));
    return;
  }
  if (e.kind == ValKind::V128 && (e.loc == Loc::Local || e.loc == Loc::Slot)) {
    a_.movdqu(r, e.loc == Loc::Local ? local_mem(e.local, 16) : slot_of(h, 16));
    return;
  }
  switch (e.loc) {
  case Loc::Const:
    if (e.bits == 0) {
      a_.xorps(r, r);
    } else if (f32) {
      a_.mov(kScratch.r32(), uint32_t(e.bits));
      a_.movd(r, kScratch.r32());
    } else {
      masm_.mov_imm(kScratch, e.bits);
      a_.movq(r, kScratch);
    }
    break;
  case Loc::Reg:
    if (e.reg != r.id()) a_.movaps(r, x86::xmm(e.reg));
    break;
  case Loc::Local:
    if (f32)
      a_.movss(r, local_mem(e.local, 4));
    else
      a_.movsd(r, local_mem(e.local, 8));
    break;
  case Loc::Slot:
    if (f32)
      a_.movss(r, slot_of(h, 4));
    else
      a_.movsd(r, slot_of(h, 8));
    break;
  case Loc::Cond: failed_ = true; break;
  }
}

void ValueStack::store(const Entry& e, uint32_t h, const x86::Mem& dst) {
  uint32_t bytes = kind_bytes(e.kind);
  x86::Mem d = dst;
  switch (e.loc) {
  case Loc::Const: masm_.store_imm(d, e.bits, bytes); break;
  case Loc::Reg:
    d.setSize(bytes);
    if (e.kind == ValKind::F32)
      a_.movss(d, x86::xmm(e.reg));
    else if (e.kind == ValKind::F64)
      a_.movsd(d, x86::xmm(e.reg));
    else if (e.kind == ValKind::V128)
      a_.movdqu(d, x86::xmm(e.reg));
    else
      a_.mov(d, gp_of(e.kind, e.reg));
    break;
  case Loc::Local:
    if (local_in_reg(e.local)) {
      d.setSize(bytes);
      if (e.kind == ValKind::F32)
        a_.movss(d, local_xmm(e.local));
      else if (e.kind == ValKind::F64)
        a_.movsd(d, local_xmm(e.local));
      else if (e.kind == ValKind::V128)
        a_.movdqu(d, local_xmm(e.local));
      else
        a_.mov(d, local_reg(e.local, e.kind));
    } else {
      masm_.copy_mem(d, local_mem(e.local), bytes == 16 ? 16 : 8);
    }
    break;
  case Loc::Slot:
    if (!(slot_of(h) == d)) masm_.copy_mem(d, slot_of(h), bytes == 16 ? 16 : 8);
    break;
  case Loc::Cond:
    a_.set(e.cond, kScratch.r8());
    a_.movzx(kScratch.r32(), kScratch.r8());
    d.setSize(4);
    a_.mov(d, kScratch.r32());
    break;
  }
}

void ValueStack::spill(uint32_t h) {
  Entry& e = entries_[h];
  if (e.loc == Loc::Slot) return;
  store(e, h, slot_of(h));
  release(e);
  e.loc = Loc::Slot;
}

void ValueStack::spill_regs() {
  for (uint32_t h = 0; h < height(); ++h) {
    Loc l = entries_[h].loc;
    if (l == Loc::Reg || l == Loc::Cond) spill(h);
  }
}

void ValueStack::spill_for_merge() {
  for (uint32_t h = 0; h < height(); ++h) {
    Loc l = entries_[h].loc;
    if (l == Loc::Reg || l == Loc::Cond || l == Loc::Local) spill(h);
  }
}

void ValueStack::to_slots(uint32_t from) {
  for (uint32_t h = from; h < height(); ++h) spill(h);
}

void ValueStack::materialize_cond_top() {
  x86::CondCode cc = entries_.back().cond;
  entries_.pop_back();
  x86::Gp r = alloc_gp(); // may spill (mov only: the flags survive)
  a_.set(cc, r.r8());
  a_.movzx(r.r32(), r.r8());
  push_gp(ValKind::I32, r);
}

void ValueStack::materialize_local(uint32_t x) {
  bool in_reg = local_in_reg(x);
  for (uint32_t h = 0; h < height(); ++h) {
    Entry& e = entries_[h];
    if (e.loc != Loc::Local || e.local != x) continue;
    if (!in_reg) {
      spill(h);
      continue;
    }
    // A register copy (allocation may spill other entries: e stays put).
    ValKind k = entries_[h].kind;
    if (is_xmm_kind(k)) {
      x86::Xmm r = alloc_xmm();
      a_.movaps(r, local_xmm(x));
      entries_[h].reg = uint8_t(r.id());
    } else {
      x86::Gp r = alloc_gp();
      a_.mov(sized(r, k != ValKind::I32), local_reg(x, k));
      entries_[h].reg = uint8_t(r.id());
    }
    entries_[h].loc = Loc::Reg;
  }
}

} // namespace tandem::jit
