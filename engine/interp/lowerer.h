// The lowering's state and steps: a visitor over the shared function decoder
// that turns a validated function body into the slot bytecode of bytecode.h.
// lower.cc holds the driver and the per-opcode steps (templates),
// lower_emit.cc emission, the register forms and the fusions, and
// lower_control.cc blocks, branches, locals and exception handling. Private
// to engine/interp.
//
// The wasm operand stack is tracked at compile time. Entry i of the stack
// lives in slot num_locals + i ("Temp") unless it is a pending local.get
// ("Local"): then instructions read the local's slot directly and no copy is
// made. Invariants that keep this correct:
//  - Before a local is written (local.set/tee), every pending read of it on
//    the stack is materialised into its own slot.
//  - At every control-flow join (block, loop, if, else, try_table) all
//    pending reads are materialised, so merged paths agree on slot contents.
//  - Block results live in the slots at the block's entry height. Branch
//    values are copied in ascending order; each source lies at or above its
//    destination (or in a local), so no copy clobbers a later source.
//  - `local.set` right after the instruction that produced its value
//    retargets that instruction's destination to the local (no copy), unless
//    a label was bound in between or the stack still reads the local.
//  - An integer compare right before br_if/if, and an `i32.add`/`i32.sub` of
//    a constant right before a load or store that takes it as its address, and
//    an `i32.mul` right before the `i32.add` of its product, are fused into
//    that instruction, again unless a label was bound in between.
//  - An integer value that is produced by one instruction and dies in the
//    next passes through the register r (bytecode.h, RegForm): the producer
//    is switched to its "to r" form when its reader is emitted (take_register),
//    with no label in between. A fusion that removes an instruction reading
//    r keeps reading r in the instruction that replaces it.
// Code after an unconditional branch is skipped up to the matching else/end.
#pragma once

#include "decoder/function_decoder.h"
#include "interp/interp.h"
#include "runtime/gc.h"
#include "runtime/module_impl.h"
#include "wasm/numerics.h"

#include <array>
#include <cassert>
#include <limits>
#include <optional>
#include <string>

namespace tandem::interp::lowering {

using rt::FuncInst;
using rt::ModuleInst;

constexpr size_t kNone = std::numeric_limits<size_t>::max();

// An operand-stack entry: in its own slot (Temp), a pending local.get
// (Local), or a pending integer constant (Const, emitted only when needed,
// or folded into an immediate operand).
struct Entry {
  bool is_local = false;
  uint32_t local = 0;
  bool is_const = false;
  bool is64 = false;
  uint64_t value = 0;
};

constexpr uint32_t kNoSlot = ~uint32_t(0);

// The integer compare that is true exactly when `op` is false.
constexpr Op inverse_compare(Op op) {
  switch (op) {
  case Op::i32_eq: return Op::i32_ne;
  case Op::i32_ne: return Op::i32_eq;
  case Op::i32_lt_s: return Op::i32_ge_s;
  case Op::i32_ge_s: return Op::i32_lt_s;
  case Op::i32_lt_u: return Op::i32_ge_u;
  case Op::i32_ge_u: return Op::i32_lt_u;
  case Op::i32_gt_s: return Op::i32_le_s;
  case Op::i32_le_s: return Op::i32_gt_s;
  case Op::i32_gt_u: return Op::i32_le_u;
  case Op::i32_le_u: return Op::i32_gt_u;
  case Op::i64_eq: return Op::i64_ne;
  case Op::i64_ne: return Op::i64_eq;
  case Op::i64_lt_s: return Op::i64_ge_s;
  case Op::i64_ge_s: return Op::i64_lt_s;
  case Op::i64_lt_u: return Op::i64_ge_u;
  case Op::i64_ge_u: return Op::i64_lt_u;
  case Op::i64_gt_s: return Op::i64_le_s;
  case Op::i64_le_s: return Op::i64_gt_s;
  case Op::i64_gt_u: return Op::i64_le_u;
  case Op::i64_le_u: return Op::i64_gt_u;
  default: return op; // eqz: handled by the caller
  }
}

constexpr Op kNoOp = Op(kOpCount);

// Whether the immediate form of `op` serves a constant second operand `b`,
// and the immediate it then carries: i32.div_u divides by a constant d >= 2
// through its reciprocal (wasm/numerics.h, div_u32_magic); by 0 (a trap)
// and by 1 it keeps the plain form.
constexpr bool imm_form_applies(Op op, const Entry& b) {
  return op != Op::i32_div_u || uint32_t(b.value) >= 2;
}
constexpr uint64_t imm_operand(Op op, uint64_t b) {
  return op == Op::i32_div_u ? num::div_u32_magic(uint32_t(b)) : b;
}

// The integer binary or compare that gives the same result with its operands
// the other way round (itself when it commutes), or kNoOp.
constexpr Op swapped_operands(Op op) {
  switch (op) {
  case Op::i32_add:
  case Op::i32_mul:
  case Op::i32_and:
  case Op::i32_or:
  case Op::i32_xor:
  case Op::i32_eq:
  case Op::i32_ne:
  case Op::i64_add:
  case Op::i64_mul:
  case Op::i64_and:
  case Op::i64_or:
  case Op::i64_xor:
  case Op::i64_eq:
  case Op::i64_ne: return op;
  case Op::i32_lt_s: return Op::i32_gt_s;
  case Op::i32_gt_s: return Op::i32_lt_s;
  case Op::i32_lt_u: return Op::i32_gt_u;
  case Op::i32_gt_u: return Op::i32_lt_u;
  case Op::i32_le_s: return Op::i32_ge_s;
  case Op::i32_ge_s: return Op::i32_le_s;
  case Op::i32_le_u: return Op::i32_ge_u;
  case Op::i32_ge_u: return Op::i32_le_u;
  case Op::i64_lt_s: return Op::i64_gt_s;
  case Op::i64_gt_s: return Op::i64_lt_s;
  case Op::i64_lt_u: return Op::i64_gt_u;
  case Op::i64_gt_u: return Op::i64_lt_u;
  case Op::i64_le_s: return Op::i64_ge_s;
  case Op::i64_ge_s: return Op::i64_le_s;
  case Op::i64_le_u: return Op::i64_ge_u;
  case Op::i64_ge_u: return Op::i64_le_u;
  default: return kNoOp;
  }
}

enum class CtrlKind : uint8_t { Function, Block, Loop, If };

struct Fixup {
  size_t instr; // header position of the branch instruction
  size_t unit;  // position of its offset operand
};

struct Ctrl {
  CtrlKind kind = CtrlKind::Block;
  uint32_t height = 0; // stack height below the block's parameters
  uint32_t num_params = 0;
  uint32_t num_results = 0;
  size_t loop_start = 0;     // Loop: the branch target
  std::vector<Fixup> fixups; // forward branches to the end label
  bool has_else_fixup = false;
  Fixup else_fixup{}; // If: the branch to the else arm (or the end)
  bool unreachable = false;
  size_t handler = kNone;  // try_table / try: index into pending handlers
  bool legacy_try = false; // a legacy `try` block
  bool in_catch = false;   // legacy try: past its first catch clause
  uint32_t exn_hidden = 0; // legacy try: hidden slot of the caught exnref
  uint32_t label_arity() const { return kind == CtrlKind::Loop ? num_params : num_results; }
};

class Lowerer {
public:
  Lowerer(ModuleInst& inst, uint32_t func_index)
      : inst_(inst), m_(inst.module->module), func_index_(func_index) {}

  Result<std::unique_ptr<InterpCode>> run();

  template <Op op> Status visit(const ImmFor<op>& imm, uint32_t offset);

private:
  // ---- slots and the abstract stack ---------------------------------------

  uint32_t height() const { return uint32_t(stack_.size()); }
  uint32_t temp_slot(uint32_t h) const { return slot_offset(num_locals_ + h); }
  uint32_t local_slot(uint32_t x) const { return slot_offset(x); }
  // The slot holding entry h, or kNoSlot for a pending constant.
  uint32_t slot_of(uint32_t h) const;
  // The slot holding entry h, emitting a pending constant into its own slot.
  uint32_t src(uint32_t h) {
    if (stack_[h].is_const) materialize(h);
    return slot_of(h);
  }
  // Puts the value of entry h into slot `dst` without changing the tracked
  // stack (safe on conditional paths).
  // A constant, or a copy of a local, reads no temp slot and leaves the
  // register alone, so it does not end a producer's claim on the register
  // (take_register looks past it); a copy of a temp does, and so does
  // anything written over the producer's destination (a slot whose value was
  // dropped and is reused).
  void emit_value_to(uint32_t h, uint32_t dst);
  void push_const(uint64_t value, bool is64);
  void push_temp() {
    stack_.push_back(Entry{});
    if (height() > max_height_) max_height_ = height();
  }
  void push_temps(uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) push_temp();
  }
  void pop(uint32_t n) { stack_.resize(stack_.size() - n); }

  // Gives entry h its own slot (copies a pending local read or constant).
  void materialize(uint32_t h);
  void materialize_all() {
    for (uint32_t h = 0; h < height(); ++h) materialize(h);
  }
  void materialize_top(uint32_t n) {
    for (uint32_t h = height() - n; h < height(); ++h) materialize(h);
  }

  // ---- emission ------------------------------------------------------------

  size_t emit_header(uint32_t iop);
  size_t emit(IOp op, std::initializer_list<uint32_t> operands);
  void emit_ptr(const void* p);
  // Marks the destination operand at `unit` of the instruction just emitted
  // as retargetable by a following local.set.
  void allow_retarget(size_t unit);
  std::vector<uint32_t>& code() { return out_->code; }
  // True when the instruction emitted last is `iop` and no label was bound
  // since: the producer the fusions below fold into their consumer.
  bool just_emitted(uint32_t iop) {
    return last_header_ != kNone && code()[last_header_] == encode_header(iop);
  }

  // The current position becomes a branch target.
  size_t bind();
  // Removes the code from `end` on (whole instructions).
  void truncate(size_t end);

  // ---- register forms --------------------------------------------------------

  // The instruction emitted last apart from materialised constants and
  // local copies (emit_value_to), until a label or a removal: the producer
  // take_register may switch to a "to r" form.
  struct Emitted {
    size_t at = 0;
    uint32_t iop = 0;
  };
  void note_emitted(size_t at, uint32_t iop) { producer_ = Emitted{at, iop}; }
  void forget_producer() { producer_.reset(); }
  Emitted* producer() { return producer_ ? &*producer_ : nullptr; }
  // The form of `iop` (a numeric, load or multiply-add instruction whose
  // destination is unit 1) that writes r instead, or kNoForm.
  static uint32_t with_result_in_register(uint32_t iop);
  static bool reads_register(uint32_t iop);
  // Switches `e`, whose destination must be `slot`, to write r instead.
  bool switch_to_register(Emitted& e, uint32_t slot);
  // When the instruction emitted last (constants and copies of pending
  // entries aside) wrote entry h's slot and has a "to r" form, switches it
  // to that form and returns true: the instruction the caller emits next,
  // which pops h, reads the value from r instead.
  bool take_register(uint32_t h);
  // The condition of a br_if or if (the top entry) goes through r, unless an
  // i32.load produced it: cond_branch fuses that load with the branch.
  bool cond_in_register() {
    if (just_emitted(iop_of(Op::i32_load))) return false;
    return take_register(height() - 1);
  }
  // Whether the instruction emitted last reads r (a fusion that removes it
  // must read r in its place).
  bool last_reads_register() const { return last_header_ != kNone && reads_register(last_iop_); }
  void patch(const Fixup& f, size_t target) {
    code()[f.unit] = uint32_t(int32_t(int64_t(target) - int64_t(f.instr)));
  }

  // ---- branches ------------------------------------------------------------

  Ctrl& label(uint32_t depth) { return ctrls_[ctrls_.size() - 1 - depth]; }

  // Copies the top `arity` values to the label's slots; true if any copy.
  bool needs_copies(const Ctrl& c) const;
  void emit_copies(const Ctrl& c);
  // Emits a jump to label `depth` (values already in place); returns to the
  // function label are `ret` sequences.
  void emit_jump(uint32_t depth);
  // Full branch: values to the label's slots, then jump. `last`: nothing
  // reachable follows (br, return, the function's end).
  void branch_to(uint32_t depth, bool last = false);
  // Results to slots 0..n, then `ret`. Does not change the tracked stack
  // (it may sit on a conditional path). A result read from a local that an
  // earlier result copy overwrites goes through its temp slot first. When
  // nothing reachable follows (`last`), a single result computed by the
  // instruction just before is written to slot 0 by that instruction (the
  // locals are dead by then), which saves the copy.
  void emit_return(bool last = false);
  void set_unreachable();

  // ---- compare-and-branch fusion --------------------------------------------

  struct Compare {
    Op op = Op::nop;
    bool imm = false;
    bool from_r = false; // `a` is in r
    uint32_t a = 0, b_lo = 0, b_hi = 0;
  };
  void note_compare(size_t at, Op op, bool imm);
  // When the value on top of the stack is the result of the integer compare
  // emitted just before, removes that compare: the branch will evaluate it.
  bool take_compare(Compare& c);
  // A conditional branch (br_if_nz or br_if_z) on a slot. When the slot is
  // the destination of the i32.load emitted just before, that load becomes
  // the fused load-and-branch. Returns the fixup of the target.
  Fixup cond_branch(IOp op, uint32_t cond, bool from_r);
  // A conditional branch on a slot; returns the fixup of its target.
  Fixup branch_fixup(IOp op, uint32_t cond) {
    size_t at = emit(op, {cond, 0});
    return Fixup{at, at + 2};
  }
  // The fused branch for `c`, taken when the compare is true (or false, if
  // `negate`); returns the fixup of its target.
  Fixup emit_compare_branch(const Compare& c, bool negate);

  // ---- block types -----------------------------------------------------------

  void block_arity(const BlockType& bt, uint32_t& params, uint32_t& results) const;
  void open(CtrlKind kind, const BlockType& bt);

  // ---- shapes -----------------------------------------------------------------

  template <Op op> Status numeric();

  // i32.add whose operand is the result of the i32.mul emitted just before
  // (slot or immediate form): replaces the mul by one i32_mul_add. The other
  // operand must already sit in a slot (a pending constant would be emitted
  // after the mul).
  bool fuse_mul_add();

  // When the instruction before the i32.mul at `mul` is the i32.load (of
  // memory 0, 32-bit address, base in a slot) of its multiplicand, which it
  // passed through r (slot `a`), returns where that load starts and its
  // address as base, add and offset.
  bool loaded_into_register(size_t mul, uint32_t a, size_t& at, uint32_t (&addr)[3]);
  // When the instruction before the load at `load` wrote slot `x` (a temp
  // the caller pops) and has a "to r" form, switches it to that form: the
  // multiply-add that replaces the load reads x from r.
  bool x_from_register(size_t load, uint32_t x);

  bool memory_is64(uint32_t index) const { return inst_.memories[index]->is64; }
  bool simple_memarg(const MemArgImm& imm) const {
    return imm.memory == 0 && !memory_is64(0) && imm.offset <= 0xffffffffu;
  }

  // ---- address fusion ----------------------------------------------------------

  // When entry h (a memory address) is the result of the `i32.add` (or
  // `i32.sub`) of a constant emitted just before, removes that add and returns its slot
  // operand and constant: the load or store will add them (iop_imm).
  // A base read from r (from_r) stays in r; `allow_r` says whether the
  // caller's instruction can read it there.
  bool take_addr_add(uint32_t h, uint32_t& base, uint32_t& add, bool allow_r, bool& from_r);

  template <Op op> Status load(const MemArgImm& imm);
  template <Op op> Status store(const MemArgImm& imm);

  // Pops the arguments of a call of `type` (already materialised in place)
  // and pushes its results; returns the argument base slot.
  uint32_t call_args(const FuncType& type);

  Error unsupported(Op op) {
    return Error::make(ErrorKind::Unsupported,
                       "the interpreter does not support " + std::string(op_name(op)) + " yet");
  }

  template <Op op> Status control(const ImmFor<op>& imm, uint32_t offset);

  Status local_set(uint32_t x, bool tee);

  Status br_table(const BrTableImm& imm);

  // br_on_null: branch (without the ref) when null, else keep the ref.
  // br_on_non_null: branch with the ref when non-null, else drop it.
  Status br_on_null(uint32_t depth, bool on_non_null);

  // ---- SIMD (the shapes numeric/load/store do not cover) ---------------------

  template <Op op> Status simd(const ImmFor<op>& imm);
  // A direct wasm instruction whose first operand is a fresh destination.
  void emit_producer_direct(Op op, std::initializer_list<uint32_t> rest);

  // ---- GC ---------------------------------------------------------------------

  uint32_t canon(uint32_t type_index) const { return inst_.type_ids[type_index]; }
  uint32_t cast_target(HeapType h) const {
    if (h.is_abstract()) return rt::abstract_target(h.abs());
    return canon(h.type_index()) | (h.exact() ? rt::kExactTarget : 0);
  }
  // Pops `n` operands and returns their slots (in order).
  template <size_t N> std::array<uint32_t, N> pop_slots() {
    std::array<uint32_t, N> out;
    for (size_t i = 0; i < N; ++i) out[i] = src(height() - uint32_t(N) + uint32_t(i));
    pop(uint32_t(N));
    return out;
  }
  // Emits `op` whose first operand is a fresh destination, then pushes it.
  void emit_producer(IOp op, std::initializer_list<uint32_t> rest);

  template <Op op> Status gc(const ImmFor<op>& imm);

  // br_on_cast(_fail): the ref stays on the stack in place on both paths.
  Status br_on_cast(const BrOnCastImm& imm, bool on_fail);
  // A conditional branch to label `depth` by an instruction [hdr, a, b, c,
  // target] with two complementary forms: `taken` branches when its test
  // holds, `not_taken` when it fails. `taken` goes to the label directly when
  // the branch needs no value copies; otherwise `not_taken` skips a full
  // branch (copies, then jump).
  void branch_either(uint32_t depth, IOp taken, IOp not_taken, std::array<uint32_t, 3> operands);

  // br_on_cast_desc_eq(_fail): the descriptor is consumed, the ref stays in
  // place on both paths.
  Status br_on_cast_desc_eq(const BrOnCastImm& imm, bool on_fail);

  // try_table: the catch stubs come first (skipped by a jump), then the body.
  // A stub sees the caught values at the try_table's entry height and
  // branches to its label like `br` would.
  Status try_table(const TryTableImm& imm);

  // ---- legacy exception handling (try/catch/catch_all/delegate/rethrow) ----
  // The try body is the handler's range; each catch clause is an entry whose
  // target is the clause's code, with the payload at the try's entry height
  // and the exnref in a hidden slot (for rethrow) past the operand stack.

  Status legacy_try(const BlockType& bt);
  void end_try_body(Ctrl& c) {
    Handler& h = pending_handlers_[c.handler];
    if (h.end == kNoHandler) h.end = uint32_t(code().size());
  }
  Status legacy_catch(std::optional<uint32_t> tag);
  Status legacy_delegate(uint32_t depth);

  Status end();

  ModuleInst& inst_;
  const wasm::Module& m_;
  uint32_t func_index_;
  std::unique_ptr<InterpCode> out_;
  uint32_t num_locals_ = 0;
  std::vector<Entry> stack_;
  std::vector<Ctrl> ctrls_;
  uint32_t max_height_ = 0;
  uint32_t dead_depth_ = 0;
  size_t retarget_pos_ = kNone;
  size_t retarget_start_ = 0; // header of the retargetable instruction
  size_t retarget_end_ = 0;
  size_t last_header_ = kNone; // the instruction emitted last, until a label is bound
  // The integer compare just emitted (for fusion with a following branch).
  size_t compare_pos_ = kNone;
  Op compare_op_ = Op::nop;
  bool compare_imm_ = false;
  bool compare_from_r_ = false;
  uint32_t last_iop_ = 0; // the instruction number at last_header_
  // The last instructions emitted, oldest first, back to the last label:
  // consecutive in the code (truncate drops the removed ones).
  static constexpr size_t kRecent = 4;
  std::vector<Emitted> recent_;
  std::optional<Emitted> producer_; // see note_emitted
  bool materializing_ = false;      // inside emit_value_to
  Status error_;
  std::vector<Handler> pending_handlers_;
  // Hidden slots (after the operand stack) and the operands that name them.
  struct HiddenPatch {
    size_t unit;
    uint32_t index;
  };
  uint32_t hidden_count_ = 0;
  std::vector<HiddenPatch> hidden_patches_;
};

} // namespace tandem::interp::lowering
