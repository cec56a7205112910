// The compile-time model of the wasm operand stack, with a register cache.
//
// Every entry at height h has a home: the frame slot `slot_base + h` (the
// "canonical slot"). Where the value is right now is one of
//   Const  a constant known at compile time (no code emitted yet),
//   Reg    a machine register (general purpose or xmm) owned by the entry,
//   Local  the current value of local x (a pending local.get, no copy made),
//   Slot   its canonical slot,
//   Cond   the CPU flags, as a condition code (only ever the top entry,
//          produced by a compare; see below).
//
// Invariants
//  - A register is owned by at most one entry, or "held" by the code
//    generator between a pop and a push; allocation never hands out a used
//    register. When none is free, the deepest register entry is spilled.
//  - An i32 in a general-purpose register has its upper 32 bits zero.
//  - Before local x is written, entries reading local x are copied to their
//    slots (materialize_local).
//  - At control-flow joins every entry is Slot or Const (spill_for_merge);
//    values flowing to a label are always in the label's slots. Entries
//    below a block's base are never changed inside the block, so they agree
//    on every path into its labels.
//  - Cond is materialised (setcc) before any instruction that is not its
//    consumer; spill and copy code uses only `mov`, which keeps the flags.
//
// Register locals: the code generator may give some integer locals a
// general-purpose register for the whole function (set_local_reg). Such a
// register is never allocated to an entry; a Local entry of that local is
// read from the register, and the local's slot is stale except where the
// code generator writes it back (around calls; see codegen.cc).
#pragma once

#include "jit/macro_assembler.h"
#include "wasm/types.h"

#include <cstdint>
#include <span>
#include <vector>

namespace tandem::jit {

enum class Loc : uint8_t { Const, Reg, Local, Slot, Cond };

struct Entry {
  ValKind kind = ValKind::I32;
  Loc loc = Loc::Slot;
  uint8_t reg = 0; // Reg: register id (gp or xmm by kind)
  x86::CondCode cond = x86::CondCode::kE;
  uint32_t local = 0; // Local
  uint64_t bits = 0;  // Const: the value's bits (floats as bits)
};

constexpr bool is_xmm_kind(ValKind k) {
  return k == ValKind::F32 || k == ValKind::F64 || k == ValKind::V128;
}
// Bytes a value of this kind occupies in a slot.
constexpr uint32_t kind_bytes(ValKind k) {
  return (k == ValKind::I32 || k == ValKind::F32) ? 4 : (k == ValKind::V128 ? 16 : 8);
}

class ValueStack {
public:
  explicit ValueStack(MacroAssembler& masm) : masm_(masm), a_(masm.as()) {}

  void reset(uint32_t slot_base, uint32_t num_locals);
  // Local x (of kind k) lives in register `reg` from here on: a gp
  // register for integers, an xmm register for floats and v128. The
  // register is reserved: never allocated to an entry.
  void set_local_reg(uint32_t x, ValKind k, uint8_t reg);
  bool local_in_reg(uint32_t x) const { return local_reg_[x] != kNoReg; }
  // Local x's register (x must be a register local), sized for its kind.
  x86::Gp local_reg(uint32_t x, ValKind k) const {
    return k == ValKind::I32 ? x86::Gp(x86::gpd(local_reg_[x])) : x86::Gp(x86::gpq(local_reg_[x]));
  }
  x86::Xmm local_xmm(uint32_t x) const { return x86::xmm(local_reg_[x]); }
  // Whether e's value is in memory right now (a Slot, or a Local without a
  // register), and that memory operand (`h` is e's height).
  bool in_memory(const Entry& e) const {
    return e.loc == Loc::Slot || (e.loc == Loc::Local && !local_in_reg(e.local));
  }
  x86::Mem mem_of(const Entry& e, uint32_t h, uint32_t bytes) const {
    return e.loc == Loc::Local ? local_mem(e.local, bytes) : slot_of(h, bytes);
  }
  uint32_t height() const { return uint32_t(entries_.size()); }
  uint32_t max_height() const { return max_height_; }
  Entry& at(uint32_t h) { return entries_[h]; }
  const Entry& top(uint32_t depth = 0) const { return entries_[entries_.size() - 1 - depth]; }
  x86::Mem slot_of(uint32_t h, uint32_t bytes = 8) const {
    return MacroAssembler::slot(slot_base_ + h, bytes);
  }
  static x86::Mem local_mem(uint32_t x, uint32_t bytes = 8) {
    return MacroAssembler::slot(x, bytes);
  }

  // ---- pushing ---------------------------------------------------------------
  void push_const(ValKind k, uint64_t bits);
  void push_local(ValKind k, uint32_t x);
  void push_slot(ValKind k);
  void push_cond(x86::CondCode cc);
  // Transfers a held register to a new top entry.
  void push_gp(ValKind k, const x86::Gp& r);
  void push_xmm(ValKind k, const x86::Xmm& r);

  // ---- popping -----------------------------------------------------------------
  // Pops the top entry as it is; a Reg entry's register becomes held.
  Entry pop();
  // Pops into a register the caller owns exclusively (loads if needed).
  // `avoid` is a mask of gp register ids not to use.
  x86::Gp pop_gp(uint32_t avoid = 0);
  x86::Xmm pop_xmm();
  // Pops an integer to read only: a register local's own register (then
  // `owned` is false and the caller must neither write nor release it), or
  // as pop_gp().
  x86::Gp pop_gp_read(bool& owned);
  // Pops into the specific register `r` (freeing it first if needed).
  void pop_into(const x86::Gp& r);
  void drop(uint32_t n);

  // ---- registers -------------------------------------------------------------------
  x86::Gp alloc_gp(uint32_t avoid = 0);
  x86::Xmm alloc_xmm();
  // Makes `r` free (moving or spilling its owner) and holds it.
  void take_gp(const x86::Gp& r);
  void release(const x86::Gp& r) { gp_used_ &= ~(1u << r.id()); }
  void release(const x86::Xmm& r) { xmm_used_ &= ~(1u << r.id()); }
  void release(const Entry& e);
  static uint32_t mask(const x86::Gp& r) { return 1u << r.id(); }

  // ---- moving values -----------------------------------------------------------------
  // Emits a load of e's value into `r` (no ownership change). `h` is e's
  // height (where a Slot entry's value is).
  void load(const Entry& e, uint32_t h, const x86::Gp& r);
  void load(const Entry& e, uint32_t h, const x86::Xmm& r);
  // Stores e's value into memory `dst` (a slot or a local); mov-only. `h`
  // is e's height (where a Slot entry's value is).
  void store(const Entry& e, uint32_t h, const x86::Mem& dst);
  // Entry h to its canonical slot (any location).
  void spill(uint32_t h);
  // All Reg and Cond entries to slots (before calls: registers are clobbered).
  void spill_regs();
  // Reg, Cond and Local entries to slots; constants stay (control-flow joins).
  void spill_for_merge();
  // Every entry at height >= from to its slot, constants included.
  void to_slots(uint32_t from);
  // The top entry, if Cond, into a register (setcc).
  void materialize_cond() {
    if (!entries_.empty() && entries_.back().loc == Loc::Cond) materialize_cond_top();
  }
  // Entries reading local x get their own copy (before x is written): a
  // register when x is a register local, else their slot.
  void materialize_local(uint32_t x);

  // Truncates to `h` entries, releasing registers.
  void truncate(uint32_t h);
  // Replaces entries from height `from` on by `saved` (else arms restore the
  // entries their `if` saw).
  void restore(uint32_t from, std::span<const Entry> saved);

  // An internal inconsistency seen (e.g. no register could be freed).
  bool failed() const { return failed_; }

private:
  void note_height() {
    if (height() > max_height_) max_height_ = height();
  }
  int32_t owner_of_gp(uint32_t id) const;
  // The first free allocatable register outside `avoid`, in kGpOrder; -1 if none.
  int32_t free_gp(uint32_t avoid) const;
  int32_t owner_of_xmm(uint32_t id) const;
  void materialize_cond_top(); // the top entry is Cond
  // Spills the deepest register entry of the given class; false if none.
  bool spill_one(bool xmm);

  static constexpr uint8_t kNoReg = 0xff;
  MacroAssembler& masm_;
  x86::Assembler& a_;
  std::vector<Entry> entries_;
  std::vector<uint8_t> local_reg_; // per local: its register id, or kNoReg
  uint32_t slot_base_ = 0;
  uint32_t max_height_ = 0;
  uint32_t gp_used_ = 0;  // owned or held
  uint32_t xmm_used_ = 0; // owned or held
  bool failed_ = false;
};

} // namespace tandem::jit
