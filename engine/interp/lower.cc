// Lowering: a visitor over the shared function decoder that turns a validated
// function body into the slot bytecode of bytecode.h.
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
#include "decoder/function_decoder.h"
#include "interp/interp.h"
#include "runtime/gc.h"
#include "runtime/module_impl.h"

#include <array>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

namespace tandem::interp {
namespace {

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

  Result<std::unique_ptr<InterpCode>> run() {
    const wasm::FunctionBody& body = m_.body_of(func_index_);
    const FuncType& type = m_.func_type_of(func_index_);
    out_ = std::make_unique<InterpCode>();
    out_->num_params = uint32_t(type.params.size());
    out_->num_results = uint32_t(type.results.size());
    uint64_t locals = uint64_t(type.params.size()) + body.num_locals;
    if (locals > (uint64_t(1) << 24))
      return Error::make(ErrorKind::Unsupported, "too many locals for the interpreter");
    num_locals_ = uint32_t(locals);
    out_->num_locals = num_locals_;
    Ctrl fn;
    fn.kind = CtrlKind::Function;
    fn.num_results = out_->num_results;
    ctrls_.push_back(std::move(fn));

    Reader reader(m_.bytes.data(), m_.bytes.data() + body.code.offset,
                  m_.bytes.data() + body.code.end());
    DecodeEnv env;
    env.features = inst_.module->features;
    TANDEM_TRY((decode_instructions<DecodeChecks::None>(reader, *this, env)));
    if (!error_.ok()) return error_.error();
    // Hidden slots follow the deepest operand stack.
    uint32_t hidden_base = num_locals_ + max_height_ + 1;
    for (const HiddenPatch& p : hidden_patches_)
      code()[p.unit] = slot_offset(hidden_base + p.index);
    for (Handler& h : out_->handlers)
      for (CatchEntry& c : h.catches)
        if (c.exn_slot != kNoExnSlot) c.exn_slot = slot_offset(hidden_base + c.exn_slot);
    out_->frame_slots = hidden_base + hidden_count_;
    return std::move(out_);
  }

  template <Op op> Status visit(const ImmFor<op>& imm, uint32_t offset) {
    constexpr OpInfo info = op_info(op);
    // Dead code: only track nesting until the matching else/end.
    if (ctrls_.back().unreachable) {
      if constexpr (op == Op::block || op == Op::loop || op == Op::if_ || op == Op::try_table ||
                    op == Op::try_) {
        ++dead_depth_;
        return {};
      } else if constexpr (op == Op::end) {
        if (dead_depth_ > 0) {
          --dead_depth_;
          return {};
        }
      } else if constexpr (op == Op::else_ || op == Op::catch_ || op == Op::catch_all) {
        if (dead_depth_ > 0) return {};
      } else if constexpr (op == Op::delegate) {
        if (dead_depth_ > 0) {
          --dead_depth_;
          return {};
        }
      } else {
        return {};
      }
    }
    if constexpr (info.shape == Shape::Load || info.shape == Shape::SimdLoad) {
      return load<op>(imm);
    } else if constexpr (info.shape == Shape::Store || info.shape == Shape::SimdStore) {
      return store<op>(imm);
    } else if constexpr (info.shape == Shape::SimdTernary || info.shape == Shape::SimdExtractLane ||
                         info.shape == Shape::SimdReplaceLane || info.shape == Shape::SimdShuffle ||
                         info.shape == Shape::SimdLoadLane || info.shape == Shape::SimdStoreLane) {
      return simd<op>(imm);
    } else if constexpr (is_direct(op)) {
      return numeric<op>();
    } else {
      return control<op>(imm, offset);
    }
  }

private:
  // ---- slots and the abstract stack ---------------------------------------

  uint32_t height() const { return uint32_t(stack_.size()); }
  uint32_t temp_slot(uint32_t h) const { return slot_offset(num_locals_ + h); }
  uint32_t local_slot(uint32_t x) const { return slot_offset(x); }
  // The slot holding entry h, or kNoSlot for a pending constant.
  uint32_t slot_of(uint32_t h) const {
    const Entry& e = stack_[h];
    if (e.is_const) return kNoSlot;
    return e.is_local ? local_slot(e.local) : temp_slot(h);
  }
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
  void emit_value_to(uint32_t h, uint32_t dst) {
    const Entry& e = stack_[h];
    const Emitted* p = producer();
    bool over_producer = p && p->at + 1 < code().size() && code()[p->at + 1] == dst;
    materializing_ = (e.is_const || e.is_local) && !over_producer;
    if (e.is_const) {
      if (e.is64)
        emit(IOp::const64, {dst, uint32_t(e.value), uint32_t(e.value >> 32)});
      else
        emit(IOp::const32, {dst, uint32_t(e.value)});
    } else if (uint32_t s = slot_of(h); s != dst) {
      emit(IOp::copy, {dst, s});
    }
    materializing_ = false;
  }
  void push_const(uint64_t value, bool is64) {
    Entry e;
    e.is_const = true;
    e.is64 = is64;
    e.value = value;
    stack_.push_back(e);
    if (height() > max_height_) max_height_ = height();
  }
  void push_temp() {
    stack_.push_back(Entry{});
    if (height() > max_height_) max_height_ = height();
  }
  void push_temps(uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) push_temp();
  }
  void pop(uint32_t n) { stack_.resize(stack_.size() - n); }

  // Gives entry h its own slot (copies a pending local read or constant).
  void materialize(uint32_t h) {
    Entry& e = stack_[h];
    if (!e.is_local && !e.is_const) return;
    emit_value_to(h, temp_slot(h));
    stack_[h] = Entry{};
  }
  void materialize_all() {
    for (uint32_t h = 0; h < height(); ++h) materialize(h);
  }
  void materialize_top(uint32_t n) {
    for (uint32_t h = height() - n; h < height(); ++h) materialize(h);
  }

  // ---- emission ------------------------------------------------------------

  size_t emit_header(uint32_t iop) {
#ifndef NDEBUG
    Op form_op{};
    RegForm form;
    assert(!decode_form(iop, form_op, form) || (!form.from_r && !form.to_r) ||
           has_reg_form(form_op, form));
#endif
    size_t at = code().size();
    prev_header_ = last_header_;
    prev_iop_ = last_iop_;
    last_header_ = at;
    last_iop_ = iop;
    if (!materializing_) note_emitted(at, iop);
    code().push_back(encode_header(iop));
    retarget_pos_ = kNone;
    compare_pos_ = kNone;
    return at;
  }
  size_t emit(IOp op, std::initializer_list<uint32_t> operands) {
    size_t at = emit_header(iop_of(op));
    code().insert(code().end(), operands.begin(), operands.end());
    return at;
  }
  void emit_ptr(const void* p) {
    uintptr_t v = reinterpret_cast<uintptr_t>(p);
    code().push_back(uint32_t(v));
    code().push_back(uint32_t(uint64_t(v) >> 32));
  }
  // Marks the destination operand at `unit` of the instruction just emitted
  // as retargetable by a following local.set.
  void allow_retarget(size_t unit) {
    retarget_pos_ = unit;
    retarget_start_ = last_header_;
    retarget_end_ = code().size();
  }
  std::vector<uint32_t>& code() {
    return out_->code;
  }
  // True when the instruction emitted last is `iop` and no label was bound
  // since: the producer the fusions below fold into their consumer.
  bool just_emitted(uint32_t iop) {
    return last_header_ != kNone && code()[last_header_] == encode_header(iop);
  }

  // The current position becomes a branch target.
  size_t bind() {
    retarget_pos_ = kNone;
    compare_pos_ = kNone;
    last_header_ = kNone;
    forget_producer();
    return code().size();
  }

  // ---- register forms --------------------------------------------------------

  // The instruction emitted last apart from materialised constants and
  // local copies (emit_value_to), until a label or a removal: the producer
  // take_register may switch to a "to r" form.
  struct Emitted {
    size_t at = 0;
    uint32_t iop = 0;
  };
  void note_emitted(size_t at, uint32_t iop) {
    producer_ = Emitted{at, iop};
  }
  void forget_producer() {
    producer_.reset();
  }
  Emitted* producer() {
    return producer_ ? &*producer_ : nullptr;
  }
  // The form of `iop` (a numeric, load or multiply-add instruction whose
  // destination is unit 1) that writes r instead, or kNoForm.
  static uint32_t with_result_in_register(uint32_t iop) {
    Op op{};
    RegForm f;
    if (decode_form(iop, op, f)) {
      RegForm g{f.family, f.from_r, true};
      return !f.to_r && has_reg_form(op, g) ? iop_form(op, g) : kNoForm;
    }
    MulAddForm m;
    if (decode_mul_add(iop, m) && !m.to_r) {
      m.to_r = true;
      return iop_of(mul_add_op(m));
    }
    return kNoForm;
  }
  static bool reads_register(uint32_t iop) {
    Op op{};
    RegForm f;
    MulAddForm m;
    if (decode_form(iop, op, f)) return f.from_r;
    if (decode_mul_add(iop, m)) return m.from_r;
    return false;
  }
  // Switches `e`, whose destination must be `slot`, to write r instead.
  bool switch_to_register(Emitted& e, uint32_t slot) {
    uint32_t g = with_result_in_register(e.iop);
    if (g == kNoForm || code()[e.at + 1] != slot) return false;
    e.iop = g;
    code()[e.at] = encode_header(g);
    if (last_header_ == e.at) last_iop_ = g;
    return true;
  }
  // When the instruction emitted last (constants and copies of pending
  // entries aside) wrote entry h's slot and has a "to r" form, switches it
  // to that form and returns true: the instruction the caller emits next,
  // which pops h, reads the value from r instead.
  bool take_register(uint32_t h) {
    const Entry& e = stack_[h];
    Emitted* p = producer();
    if (!p || e.is_local || e.is_const || !switch_to_register(*p, temp_slot(h))) return false;
    retarget_pos_ = kNone;
    compare_pos_ = kNone;
    return true;
  }
  // The condition of a br_if or if (the top entry) goes through r, unless an
  // i32.load produced it: cond_branch fuses that load with the branch.
  bool cond_in_register() {
    if (just_emitted(iop_of(Op::i32_load))) return false;
    return take_register(height() - 1);
  }
  // Whether the instruction emitted last reads r (a fusion that removes it
  // must read r in its place).
  bool last_reads_register() const {
    return last_header_ != kNone && reads_register(last_iop_);
  }
  void patch(const Fixup& f, size_t target) {
    code()[f.unit] = uint32_t(int32_t(int64_t(target) - int64_t(f.instr)));
  }

  // ---- branches ------------------------------------------------------------

  Ctrl& label(uint32_t depth) {
    return ctrls_[ctrls_.size() - 1 - depth];
  }

  // Copies the top `arity` values to the label's slots; true if any copy.
  bool needs_copies(const Ctrl& c) const {
    uint32_t n = c.label_arity();
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t h = height() - n + i;
      if (slot_of(h) != temp_slot(c.height + i)) return true;
    }
    return false;
  }
  void emit_copies(const Ctrl& c) {
    uint32_t n = c.label_arity();
    for (uint32_t i = 0; i < n; ++i) {
      emit_value_to(height() - n + i, temp_slot(c.height + i));
    }
  }
  // Emits a jump to label `depth` (values already in place); returns to the
  // function label are `ret` sequences.
  void emit_jump(uint32_t depth) {
    Ctrl& c = label(depth);
    if (c.kind == CtrlKind::Function) {
      emit(IOp::ret, {});
      return;
    }
    size_t at = emit(IOp::br, {0});
    if (c.kind == CtrlKind::Loop) {
      patch(Fixup{at, at + 1}, c.loop_start);
    } else {
      c.fixups.push_back(Fixup{at, at + 1});
    }
  }
  // Full branch: values to the label's slots, then jump. `last`: nothing
  // reachable follows (br, return, the function's end).
  void branch_to(uint32_t depth, bool last = false) {
    Ctrl& c = label(depth);
    if (c.kind == CtrlKind::Function) {
      emit_return(last);
      return;
    }
    emit_copies(c);
    emit_jump(depth);
  }
  // Results to slots 0..n, then `ret`. Does not change the tracked stack
  // (it may sit on a conditional path). A result read from a local that an
  // earlier result copy overwrites goes through its temp slot first. When
  // nothing reachable follows (`last`), a single result computed by the
  // instruction just before is written to slot 0 by that instruction (the
  // locals are dead by then), which saves the copy.
  void emit_return(bool last = false) {
    uint32_t n = out_->num_results;
    if (last && n == 1) {
      uint32_t top = height() - 1;
      const Entry& e = stack_[top];
      if (!e.is_local && !e.is_const && retarget_pos_ != kNone && retarget_end_ == code().size() &&
          code()[retarget_pos_] == temp_slot(top)) {
        code()[retarget_pos_] = slot_offset(0);
        emit(IOp::ret, {});
        return;
      }
    }
    uint32_t base = height() - n;
    std::vector<bool> via_temp(n, false);
    for (uint32_t i = 0; i < n; ++i) {
      if (stack_[base + i].is_local && stack_[base + i].local < n) {
        emit_value_to(base + i, temp_slot(base + i));
        via_temp[i] = true;
      }
    }
    for (uint32_t i = 0; i < n; ++i) {
      if (via_temp[i])
        emit(IOp::copy, {slot_offset(i), temp_slot(base + i)});
      else
        emit_value_to(base + i, slot_offset(i));
    }
    emit(IOp::ret, {});
  }
  void set_unreachable() {
    Ctrl& c = ctrls_.back();
    c.unreachable = true;
    stack_.resize(c.height);
  }

  // ---- compare-and-branch fusion --------------------------------------------

  struct Compare {
    Op op = Op::nop;
    bool imm = false;
    bool from_r = false; // `a` is in r
    uint32_t a = 0, b_lo = 0, b_hi = 0;
  };
  void note_compare(size_t at, Op op, bool imm) {
    compare_pos_ = at;
    compare_op_ = op;
    compare_imm_ = imm;
    compare_from_r_ = last_reads_register();
  }
  // When the value on top of the stack is the result of the integer compare
  // emitted just before, removes that compare: the branch will evaluate it.
  bool take_compare(Compare& c) {
    if (compare_pos_ == kNone || retarget_pos_ != compare_pos_ + 1 ||
        retarget_end_ != code().size())
      return false;
    const Entry& top = stack_.back();
    if (top.is_local || top.is_const || code()[compare_pos_ + 1] != temp_slot(height() - 1))
      return false;
    const uint32_t* ops = &code()[compare_pos_];
    c.op = compare_op_;
    c.imm = compare_imm_;
    c.from_r = compare_from_r_;
    c.a = ops[2];
    if (c.imm) {
      c.b_lo = ops[3];
      c.b_hi = ops[4];
    } else if (op_info(c.op).shape == Shape::Compare) {
      c.b_lo = ops[3];
    }
    code().resize(compare_pos_);
    forget_producer();
    compare_pos_ = kNone;
    retarget_pos_ = kNone;
    return true;
  }
  // A conditional branch (br_if_nz or br_if_z) on a slot. When the slot is
  // the destination of the i32.load emitted just before, that load becomes
  // the fused load-and-branch. Returns the fixup of the target.
  Fixup cond_branch(IOp op, uint32_t cond, bool from_r) {
    if (from_r) return branch_fixup(op == IOp::br_if_nz ? IOp::br_if_nz_r : IOp::br_if_z_r, cond);
    size_t at = last_header_;
    if (just_emitted(iop_of(Op::i32_load)) && code().size() == at + 4 && code()[at + 1] == cond) {
      code()[at] =
          encode_header(iop_of(op == IOp::br_if_nz ? IOp::i32_load_br_nz : IOp::i32_load_br_z));
      code().push_back(0);
      last_header_ = kNone;
      forget_producer();
      retarget_pos_ = kNone;
      return Fixup{at, at + 4};
    }
    return branch_fixup(op, cond);
  }
  // A conditional branch on a slot; returns the fixup of its target.
  Fixup branch_fixup(IOp op, uint32_t cond) {
    size_t at = emit(op, {cond, 0});
    return Fixup{at, at + 2};
  }
  // The fused branch for `c`, taken when the compare is true (or false, if
  // `negate`); returns the fixup of its target.
  Fixup emit_compare_branch(const Compare& c, bool negate) {
    if (op_info(c.op).shape == Shape::Test) { // eqz
      // br_if_nz tests 32 bits: a negated i64.eqz must test all 64
      // (fuzz/findings/s4242_m00722: 0xfffc000000000000 has zero low bits).
      if (negate && c.op == Op::i64_eqz) {
        size_t at = emit_header(iop_form(Op::i64_ne, RegForm{Family::BranchImm, c.from_r, false}));
        code().insert(code().end(), {c.a, 0, 0, 0});
        return Fixup{at, at + 4};
      }
      if (negate) return branch_fixup(c.from_r ? IOp::br_if_nz_r : IOp::br_if_nz, c.a);
      size_t at = emit_header(iop_form(c.op, RegForm{Family::Branch, c.from_r, false}));
      code().insert(code().end(), {c.a, 0, 0});
      return Fixup{at, at + 3};
    }
    Op op = negate ? inverse_compare(c.op) : c.op;
    if (c.imm) {
      size_t at = emit_header(iop_form(op, RegForm{Family::BranchImm, c.from_r, false}));
      code().insert(code().end(), {c.a, c.b_lo, c.b_hi, 0});
      return Fixup{at, at + 4};
    }
    size_t at = emit_header(iop_form(op, RegForm{Family::Branch, c.from_r, false}));
    code().insert(code().end(), {c.a, c.b_lo, 0});
    return Fixup{at, at + 3};
  }

  // ---- block types -----------------------------------------------------------

  void block_arity(const BlockType& bt, uint32_t& params, uint32_t& results) const {
    switch (bt.kind) {
    case BlockType::Kind::Empty: params = results = 0; break;
    case BlockType::Kind::Value:
      params = 0;
      results = 1;
      break;
    case BlockType::Kind::TypeIndex: {
      const FuncType& ft = m_.func_type(bt.type_index);
      params = uint32_t(ft.params.size());
      results = uint32_t(ft.results.size());
      break;
    }
    }
  }
  void open(CtrlKind kind, const BlockType& bt) {
    Ctrl c;
    c.kind = kind;
    block_arity(bt, c.num_params, c.num_results);
    c.height = height() - c.num_params;
    ctrls_.push_back(std::move(c));
  }

  // ---- shapes -----------------------------------------------------------------

  template <Op op> Status numeric() {
    constexpr uint32_t n = direct_operands(op);
    if constexpr (n == 2) {
      uint32_t a = src(height() - 1);
      bool ra =
          has_reg_form(op, RegForm{Family::Direct, true, false}) && take_register(height() - 1);
      pop(1);
      size_t at = emit_header(iop_form(op, RegForm{Family::Direct, ra, false}));
      code().push_back(temp_slot(height()));
      code().push_back(a);
      push_temp();
      allow_retarget(at + 1);
      if constexpr (has_branch_form(op)) note_compare(at, op, false);
    } else if (has_imm_form(op) && stack_.back().is_const) {
      uint64_t imm = stack_.back().value;
      pop(1);
      uint32_t a = src(height() - 1);
      bool ra = take_register(height() - 1);
      pop(1);
      size_t at = emit_header(iop_form(op, RegForm{Family::Imm, ra, false}));
      code().insert(code().end(), {temp_slot(height()), a, uint32_t(imm), uint32_t(imm >> 32)});
      push_temp();
      allow_retarget(at + 1);
      if constexpr (has_branch_form(op)) note_compare(at, op, true);
    } else {
      if constexpr (op == Op::i32_add) {
        if (fuse_mul_add()) return {};
      }
      uint32_t a = src(height() - 2), b = src(height() - 1);
      // The operand computed last goes through r: `a` as it is, `b` when
      // the operation can take its operands the other way round.
      Op emitted = op;
      bool ra = false;
      if constexpr (has_reg_form(op, RegForm{Family::Direct, true, false})) {
        constexpr Op kSwapped = swapped_operands(op);
        if (take_register(height() - 2)) {
          ra = true;
        } else if (kSwapped != kNoOp && take_register(height() - 1)) {
          ra = true;
          emitted = kSwapped;
          std::swap(a, b);
        }
      }
      pop(2);
      size_t at = emit_header(iop_form(emitted, RegForm{Family::Direct, ra, false}));
      code().push_back(temp_slot(height()));
      code().push_back(a);
      code().push_back(b);
      push_temp();
      allow_retarget(at + 1);
      if constexpr (has_branch_form(op)) note_compare(at, emitted, false);
    }
    return {};
  }

  // i32.add whose operand is the result of the i32.mul emitted just before
  // (slot or immediate form): replaces the mul by one i32_mul_add. The other
  // operand must already sit in a slot (a pending constant would be emitted
  // after the mul).
  bool fuse_mul_add() {
    size_t mul = last_header_;
    bool from_r = last_reads_register();
    bool imm = just_emitted(iop_form(Op::i32_mul, RegForm{Family::Imm, from_r, false}));
    if (!(imm || just_emitted(iop_form(Op::i32_mul, RegForm{Family::Direct, from_r, false}))) ||
        retarget_pos_ != mul + 1 || retarget_end_ != code().size())
      return false;
    uint32_t h = height();
    for (uint32_t product : {h - 1, h - 2}) {
      uint32_t other = product == h - 1 ? h - 2 : h - 1;
      const Entry& p = stack_[product];
      if (p.is_local || p.is_const || stack_[other].is_const) continue;
      if (code()[mul + 1] != temp_slot(product)) continue;
      uint32_t a = code()[mul + 2], b = code()[mul + 3];
      uint32_t x = slot_of(other);
      MulAddForm form{imm, from_r, false};
      size_t start = mul;
      uint32_t addr[3] = {};
      if (from_r && loaded_into_register(mul, a, start, addr, form.from_r)) form.load = true;
      code().resize(start);
      last_header_ = kNone;
      forget_producer();
      retarget_pos_ = kNone;
      pop(2);
      size_t at =
          form.load ? emit(mul_add_op(form), {temp_slot(height()), x, addr[0], addr[1], addr[2], b})
                    : emit(mul_add_op(form), {temp_slot(height()), x, a, b});
      push_temp();
      allow_retarget(at + 1);
      return true;
    }
    return false;
  }

  // When the instruction before the i32.mul at `mul` is the i32.load (of
  // memory 0, 32-bit address) of its multiplicand, which it passed through r
  // (slot `a`), returns where that load starts, its address as base, add and
  // offset, and whether it read base from r.
  bool loaded_into_register(size_t mul, uint32_t a, size_t& at, uint32_t (&addr)[3], bool& base_r) {
    Op op{};
    RegForm f;
    if (prev_header_ == kNone || !decode_form(prev_iop_, op, f) || op != Op::i32_load || !f.to_r)
      return false;
    bool with_add = f.family == Family::Imm;
    if (!with_add && f.family != Family::Direct) return false;
    size_t len = with_add ? 5 : 4;
    if (prev_header_ + len != mul || code()[prev_header_ + 1] != a) return false;
    at = prev_header_;
    addr[0] = code()[at + 2];
    addr[1] = with_add ? code()[at + 3] : 0;
    addr[2] = code()[at + len - 1];
    base_r = f.from_r;
    return true;
  }

  bool memory_is64(uint32_t index) const {
    return inst_.memories[index]->is64;
  }
  bool simple_memarg(const MemArgImm& imm) const {
    return imm.memory == 0 && !memory_is64(0) && imm.offset <= 0xffffffffu;
  }

  // ---- address fusion ----------------------------------------------------------

  // When entry h (a memory address) is the result of the `i32.add` (or
  // `i32.sub`) of a constant emitted just before, removes that add and returns its slot
  // operand and constant: the load or store will add them (iop_imm).
  // A base read from r (from_r) stays in r; `allow_r` says whether the
  // caller's instruction can read it there.
  bool take_addr_add(uint32_t h, uint32_t& base, uint32_t& add, bool allow_r, bool& from_r) {
    size_t at = last_header_;
    bool reads_r = last_reads_register();
    if (reads_r && !allow_r) return false;
    RegForm form{Family::Imm, reads_r, false};
    bool sub = just_emitted(iop_form(Op::i32_sub, form));
    if (!(sub || just_emitted(iop_form(Op::i32_add, form))) || retarget_pos_ != at + 1 ||
        retarget_end_ != code().size())
      return false;
    const Entry& e = stack_[h];
    if (e.is_local || e.is_const || code()[at + 1] != temp_slot(h)) return false;
    base = code()[at + 2];
    add = code()[at + 3];
    if (sub) add = 0u - add; // base - c == base + (-c) modulo 2^32
    from_r = reads_r;
    code().resize(at);
    last_header_ = kNone;
    forget_producer();
    retarget_pos_ = kNone;
    return true;
  }

  template <Op op> Status load(const MemArgImm& imm) {
    uint32_t base = 0, add = 0;
    bool ra = false;
    constexpr bool kRegForms = has_reg_form(op, RegForm{Family::Direct, true, false});
    if (has_addr_imm_form(op) && simple_memarg(imm) &&
        take_addr_add(height() - 1, base, add, kRegForms, ra)) {
      pop(1);
      size_t at = emit_header(iop_form(op, RegForm{Family::Imm, ra, false}));
      code().insert(code().end(), {temp_slot(height()), base, add, uint32_t(imm.offset)});
      allow_retarget(at + 1);
      push_temp();
      return {};
    }
    uint32_t addr = src(height() - 1);
    if (kRegForms && simple_memarg(imm)) ra = take_register(height() - 1);
    pop(1);
    uint32_t dst = temp_slot(height());
    size_t at;
    if (simple_memarg(imm)) {
      at = emit_header(iop_form(op, RegForm{Family::Direct, ra, false}));
      code().insert(code().end(), {dst, addr, uint32_t(imm.offset)});
      allow_retarget(at + 1);
    } else {
      at = emit(IOp::load_x, {uint32_t(op), dst, addr, imm.memory, uint32_t(imm.offset),
                              uint32_t(imm.offset >> 32)});
      allow_retarget(at + 2);
    }
    push_temp();
    return {};
  }
  template <Op op> Status store(const MemArgImm& imm) {
    uint32_t base = 0, add = 0;
    bool ra = false;
    // A constant value (an integer store) is an immediate of the store.
    if (has_addr_imm_form(op) && simple_memarg(imm) && stack_.back().is_const) {
      uint64_t value = stack_.back().value;
      if (!take_addr_add(height() - 2, base, add, true, ra)) {
        base = src(height() - 2);
        ra = take_register(height() - 2);
      }
      pop(2);
      emit_header(iop_of(store_imm_op(memory_access_bytes(op), ra)));
      code().insert(code().end(),
                    {base, add, uint32_t(imm.offset), uint32_t(value), uint32_t(value >> 32)});
      return {};
    }
    if (has_addr_imm_form(op) && simple_memarg(imm) &&
        take_addr_add(height() - 2, base, add, false, ra)) {
      uint32_t value = src(height() - 1); // a pending constant is emitted after the add's removal
      pop(2);
      emit_header(iop_imm(op));
      code().insert(code().end(), {base, value, add, uint32_t(imm.offset)});
      return {};
    }
    uint32_t addr = src(height() - 2), value = src(height() - 1);
    if (has_reg_form(op, RegForm{Family::Direct, true, false}) && simple_memarg(imm))
      ra = take_register(height() - 1);
    pop(2);
    if (simple_memarg(imm)) {
      emit_header(iop_form(op, RegForm{Family::Direct, ra, false}));
      code().insert(code().end(), {addr, value, uint32_t(imm.offset)});
    } else {
      emit(IOp::store_x, {uint32_t(op), addr, value, imm.memory, uint32_t(imm.offset),
                          uint32_t(imm.offset >> 32)});
    }
    return {};
  }

  // Pops the arguments of a call of `type` (already materialised in place)
  // and pushes its results; returns the argument base slot.
  uint32_t call_args(const FuncType& type) {
    uint32_t n = uint32_t(type.params.size());
    materialize_top(n);
    uint32_t base = temp_slot(height() - n);
    pop(n);
    return base;
  }

  Error unsupported(Op op) {
    return Error::make(ErrorKind::Unsupported,
                       "the interpreter does not support " + std::string(op_name(op)) + " yet");
  }

  template <Op op> Status control(const ImmFor<op>& imm, uint32_t offset) {
    constexpr OpInfo info = op_info(op);
    (void)offset;
    if constexpr (op == Op::nop) {
      return {};
    } else if constexpr (op == Op::unreachable) {
      emit(IOp::unreachable, {});
      set_unreachable();
      return {};
    } else if constexpr (op == Op::block) {
      materialize_all();
      open(CtrlKind::Block, imm);
      return {};
    } else if constexpr (op == Op::loop) {
      materialize_all();
      open(CtrlKind::Loop, imm);
      ctrls_.back().loop_start = bind();
      if (height() == 0) // jit: an on-stack-replacement point (no operand state)
        out_->osr_loops.push_back(OsrLoop{uint32_t(ctrls_.back().loop_start), offset});
      return {};
    } else if constexpr (op == Op::if_) {
      Compare cmp;
      bool fused = take_compare(cmp);
      uint32_t cond = src(height() - 1);
      bool rc = !fused && cond_in_register();
      pop(1);
      materialize_all(); // copies and constants only: r survives them
      open(CtrlKind::If, imm);
      Fixup f = fused ? emit_compare_branch(cmp, true) : cond_branch(IOp::br_if_z, cond, rc);
      ctrls_.back().has_else_fixup = true;
      ctrls_.back().else_fixup = f;
      return {};
    } else if constexpr (op == Op::else_) {
      Ctrl& c = ctrls_.back();
      if (!c.unreachable) {
        materialize_top(c.num_results);
        size_t at = emit(IOp::br, {0});
        c.fixups.push_back(Fixup{at, at + 1});
      }
      patch(c.else_fixup, bind());
      c.has_else_fixup = false;
      c.unreachable = false;
      stack_.resize(c.height);
      push_temps(c.num_params);
      return {};
    } else if constexpr (op == Op::end) {
      return end();
    } else if constexpr (op == Op::br) {
      branch_to(imm.index, /*last=*/true);
      set_unreachable();
      return {};
    } else if constexpr (op == Op::br_if) {
      Compare cmp;
      bool fused = take_compare(cmp);
      uint32_t cond = src(height() - 1);
      bool rc = !fused && cond_in_register();
      pop(1);
      Ctrl& c = label(imm.index);
      if (c.kind != CtrlKind::Function && !needs_copies(c)) {
        Fixup f = fused ? emit_compare_branch(cmp, false) : cond_branch(IOp::br_if_nz, cond, rc);
        if (c.kind == CtrlKind::Loop)
          patch(f, c.loop_start);
        else
          c.fixups.push_back(f);
      } else {
        Fixup skip = fused ? emit_compare_branch(cmp, true) : cond_branch(IOp::br_if_z, cond, rc);
        branch_to(imm.index);
        patch(skip, bind());
      }
      return {};
    } else if constexpr (op == Op::br_table) {
      return br_table(imm);
    } else if constexpr (op == Op::return_) {
      emit_return(/*last=*/true);
      set_unreachable();
      return {};
    } else if constexpr (op == Op::call || op == Op::return_call) {
      FuncInst* callee = inst_.funcs[imm.index];
      const FuncType& type = m_.func_type_of(imm.index);
      uint32_t base = call_args(type);
      emit_header(iop_of(op == Op::call ? IOp::call : IOp::return_call));
      emit_ptr(callee);
      code().push_back(base);
      if constexpr (op == Op::call) {
        push_temps(uint32_t(type.results.size()));
      } else {
        set_unreachable();
      }
      return {};
    } else if constexpr (op == Op::call_indirect || op == Op::return_call_indirect) {
      uint32_t index = src(height() - 1);
      pop(1);
      const FuncType& type = m_.func_type(imm.type_index);
      uint32_t base = call_args(type);
      emit_header(iop_of(op == Op::call_indirect ? IOp::call_indirect : IOp::return_call_indirect));
      emit_ptr(inst_.tables[imm.table]);
      code().push_back(inst_.type_ids[imm.type_index]);
      code().push_back(index);
      code().push_back(base);
      if constexpr (op == Op::call_indirect) {
        push_temps(uint32_t(type.results.size()));
      } else {
        set_unreachable();
      }
      return {};
    } else if constexpr (op == Op::call_ref || op == Op::return_call_ref) {
      uint32_t ref = src(height() - 1);
      pop(1);
      const FuncType& type = m_.func_type(imm.index);
      uint32_t base = call_args(type);
      emit(op == Op::call_ref ? IOp::call_ref : IOp::return_call_ref, {ref, base});
      if constexpr (op == Op::call_ref) {
        push_temps(uint32_t(type.results.size()));
      } else {
        set_unreachable();
      }
      return {};
    } else if constexpr (op == Op::drop) {
      pop(1);
      return {};
    } else if constexpr (op == Op::select || op == Op::select_t) {
      const Entry &ea = stack_[height() - 3], &eb = stack_[height() - 2];
      if (ea.is_const && eb.is_const && !ea.is64 && !eb.is64) { // i32 constants: immediates
        uint32_t t = uint32_t(ea.value), f = uint32_t(eb.value);
        uint32_t cond = src(height() - 1);
        bool rc = take_register(height() - 1);
        pop(3);
        size_t at =
            emit(rc ? IOp::select_imm_r : IOp::select_imm, {temp_slot(height()), cond, t, f});
        push_temp();
        allow_retarget(at + 1);
        return {};
      }
      uint32_t cond = src(height() - 1), b = src(height() - 2), a = src(height() - 3);
      bool rc = take_register(height() - 1);
      pop(3);
      size_t at = emit(rc ? IOp::select_r : IOp::select, {temp_slot(height()), a, b, cond});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::local_get) {
      stack_.push_back(Entry{true, imm.index});
      if (height() > max_height_) max_height_ = height();
      return {};
    } else if constexpr (op == Op::local_set || op == Op::local_tee) {
      return local_set(imm.index, op == Op::local_tee);
    } else if constexpr (op == Op::global_get) {
      size_t at = emit(IOp::global_get, {temp_slot(height())});
      emit_ptr(inst_.globals[imm.index]);
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::global_set) {
      uint32_t v = src(height() - 1);
      pop(1);
      emit_header(iop_of(IOp::global_set));
      emit_ptr(inst_.globals[imm.index]);
      code().push_back(v);
      return {};
    } else if constexpr (op == Op::i32_const) {
      push_const(uint32_t(imm.value), false);
      return {};
    } else if constexpr (op == Op::f32_const) {
      size_t at = emit(IOp::const32, {temp_slot(height()), imm.bits});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::i64_const) {
      push_const(uint64_t(imm.value), true);
      return {};
    } else if constexpr (op == Op::f64_const) {
      uint64_t v = imm.bits;
      size_t at = emit(IOp::const64, {temp_slot(height()), uint32_t(v), uint32_t(v >> 32)});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::v128_const) {
      uint32_t w[4];
      std::memcpy(w, imm.bytes.data(), 16);
      size_t at = emit(IOp::const128, {temp_slot(height()), w[0], w[1], w[2], w[3]});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::ref_null) {
      size_t at = emit(IOp::const64, {temp_slot(height()), 0, 0});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::ref_func) {
      size_t at = emit(IOp::ref_func, {temp_slot(height()), imm.index});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::ref_is_null) {
      uint32_t a = src(height() - 1);
      pop(1);
      size_t at = emit(IOp::ref_is_null, {temp_slot(height()), a});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::ref_as_non_null) {
      emit(IOp::ref_as_non_null, {src(height() - 1)});
      return {};
    } else if constexpr (op == Op::ref_eq) {
      uint32_t a = src(height() - 2), b = src(height() - 1);
      pop(2);
      size_t at = emit(IOp::ref_eq, {temp_slot(height()), a, b});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::br_on_null || op == Op::br_on_non_null) {
      return br_on_null(imm.index, op == Op::br_on_non_null);
    } else if constexpr (op == Op::memory_size) {
      size_t at = emit(IOp::memory_size, {temp_slot(height()), imm.index});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::memory_grow) {
      uint32_t delta = src(height() - 1);
      pop(1);
      size_t at = emit(IOp::memory_grow, {temp_slot(height()), delta, imm.index});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::memory_fill) {
      uint32_t d = src(height() - 3), v = src(height() - 2), n = src(height() - 1);
      pop(3);
      emit(IOp::memory_fill, {d, v, n, imm.index});
      return {};
    } else if constexpr (op == Op::memory_copy) {
      uint32_t d = src(height() - 3), s = src(height() - 2), n = src(height() - 1);
      pop(3);
      emit(IOp::memory_copy, {d, s, n, imm.dst, imm.src});
      return {};
    } else if constexpr (op == Op::memory_init) {
      uint32_t d = src(height() - 3), s = src(height() - 2), n = src(height() - 1);
      pop(3);
      emit(IOp::memory_init, {d, s, n, imm.data, imm.memory});
      return {};
    } else if constexpr (op == Op::data_drop) {
      emit(IOp::data_drop, {imm.index});
      return {};
    } else if constexpr (op == Op::table_get) {
      uint32_t i = src(height() - 1);
      pop(1);
      size_t at = emit(IOp::table_get, {temp_slot(height()), i, imm.index});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::table_set) {
      uint32_t i = src(height() - 2), v = src(height() - 1);
      pop(2);
      emit(IOp::table_set, {i, v, imm.index});
      return {};
    } else if constexpr (op == Op::table_size) {
      size_t at = emit(IOp::table_size, {temp_slot(height()), imm.index});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::table_grow) {
      uint32_t init = src(height() - 2), delta = src(height() - 1);
      pop(2);
      size_t at = emit(IOp::table_grow, {temp_slot(height()), init, delta, imm.index});
      push_temp();
      allow_retarget(at + 1);
      return {};
    } else if constexpr (op == Op::table_fill) {
      uint32_t i = src(height() - 3), v = src(height() - 2), n = src(height() - 1);
      pop(3);
      emit(IOp::table_fill, {i, v, n, imm.index});
      return {};
    } else if constexpr (op == Op::table_copy) {
      uint32_t d = src(height() - 3), s = src(height() - 2), n = src(height() - 1);
      pop(3);
      emit(IOp::table_copy, {d, s, n, imm.dst, imm.src});
      return {};
    } else if constexpr (op == Op::table_init) {
      uint32_t d = src(height() - 3), s = src(height() - 2), n = src(height() - 1);
      pop(3);
      emit(IOp::table_init, {d, s, n, imm.elem, imm.table});
      return {};
    } else if constexpr (op == Op::elem_drop) {
      emit(IOp::elem_drop, {imm.index});
      return {};
    } else if constexpr (op == Op::any_convert_extern || op == Op::extern_convert_any) {
      return {}; // same representation
    } else if constexpr (info.shape == Shape::RefI31 || info.shape == Shape::I31Get ||
                         info.shape == Shape::StructNew || info.shape == Shape::StructGet ||
                         info.shape == Shape::StructSet || info.shape == Shape::ArrayNew ||
                         info.shape == Shape::ArrayNewFixed || info.shape == Shape::ArrayNewData ||
                         info.shape == Shape::ArrayNewElem || info.shape == Shape::ArrayGet ||
                         info.shape == Shape::ArraySet || info.shape == Shape::ArrayLen ||
                         info.shape == Shape::ArrayFill || info.shape == Shape::ArrayCopy ||
                         info.shape == Shape::ArrayInitData || info.shape == Shape::ArrayInitElem ||
                         info.shape == Shape::RefTest || info.shape == Shape::RefCast ||
                         info.shape == Shape::BrOnCast || info.shape == Shape::RefGetDesc ||
                         info.shape == Shape::RefCastDescEq) {
      return gc<op>(imm);
    } else if constexpr (info.shape == Shape::WideArith) {
      constexpr uint32_t n = op_info(op).sig.find(':');
      uint32_t a[4] = {0, 0, 0, 0};
      for (uint32_t i = 0; i < n; ++i) a[i] = src(height() - n + i);
      pop(n);
      emit(IOp::wide, {uint32_t(op), temp_slot(height()), a[0], a[1], a[2], a[3]});
      push_temps(2);
      return {};
    } else if constexpr (info.shape == Shape::AtomicFence) {
      emit(IOp::atomic, {uint32_t(op), 0, 0, 0, 0, 0, 0, 0});
      return {};
    } else if constexpr (info.shape == Shape::AtomicLoad || info.shape == Shape::AtomicStore ||
                         info.shape == Shape::AtomicRmw || info.shape == Shape::AtomicCmpxchg ||
                         info.shape == Shape::AtomicNotify || info.shape == Shape::AtomicWait) {
      constexpr std::string_view sig = op_info(op).sig;
      constexpr uint32_t n = uint32_t(sig.find(':'));
      constexpr bool has_result = sig.size() > n + 1;
      uint32_t a[3] = {0, 0, 0};
      for (uint32_t i = 0; i < n; ++i) a[i] = src(height() - n + i);
      pop(n);
      emit(IOp::atomic, {uint32_t(op), temp_slot(height()), a[0], a[1], a[2], imm.memory,
                         uint32_t(imm.offset), uint32_t(imm.offset >> 32)});
      if (has_result) push_temp();
      return {};
    } else if constexpr (op == Op::try_table) {
      return try_table(imm);
    } else if constexpr (op == Op::try_) {
      return legacy_try(imm);
    } else if constexpr (op == Op::catch_) {
      return legacy_catch(imm.index);
    } else if constexpr (op == Op::catch_all) {
      return legacy_catch(std::nullopt);
    } else if constexpr (op == Op::delegate) {
      return legacy_delegate(imm.index);
    } else if constexpr (op == Op::rethrow) {
      size_t at = emit(IOp::throw_ref, {0});
      hidden_patches_.push_back(HiddenPatch{at + 1, label(imm.index).exn_hidden});
      set_unreachable();
      return {};
    } else if constexpr (op == Op::throw_) {
      const FuncType& type = m_.func_type(m_.tags[imm.index].type_index);
      uint32_t base = call_args(type);
      emit_header(iop_of(IOp::throw_));
      emit_ptr(inst_.tags[imm.index]);
      code().push_back(base);
      set_unreachable();
      return {};
    } else if constexpr (op == Op::throw_ref) {
      emit(IOp::throw_ref, {src(height() - 1)});
      set_unreachable();
      return {};
    } else {
      return unsupported(op);
    }
  }

  Status local_set(uint32_t x, bool tee) {
    uint32_t top = height() - 1;
    Entry v = stack_[top];
    if (v.is_local && v.local == x) {
      if (!tee) pop(1);
      return {};
    }
    uint32_t dst = local_slot(x);
    bool retarget = !v.is_local && !v.is_const && retarget_pos_ != kNone &&
                    retarget_end_ == code().size() && code()[retarget_pos_] == temp_slot(top);
    // The producer of the value is lifted out while the pending reads of x
    // are copied to their own slots, then put back writing x: the copies
    // only read x, and the producer's operands lie at or above `top`, where
    // the copies do not write.
    std::vector<uint32_t> producer;
    size_t dst_unit = retarget ? retarget_pos_ - retarget_start_ : 0;
    for (uint32_t h = 0; h < top; ++h) {
      if (stack_[h].is_local && stack_[h].local == x) {
        if (retarget && producer.empty()) {
          producer.assign(code().begin() + ptrdiff_t(retarget_start_), code().end());
          code().resize(retarget_start_);
        }
        materialize(h);
      }
    }
    if (!producer.empty()) {
      size_t at = code().size();
      code().insert(code().end(), producer.begin(), producer.end());
      retarget_pos_ = at + dst_unit;
      retarget_end_ = code().size();
      last_header_ = kNone; // the producer moved; no fusion with it
      forget_producer();
    }
    if (retarget) {
      code()[retarget_pos_] = dst;
      retarget_pos_ = kNone;
      compare_pos_ = kNone;
    } else {
      emit_value_to(top, dst);
    }
    pop(1);
    if (tee) {
      stack_.push_back(Entry{true, x});
    }
    return {};
  }

  Status br_table(const BrTableImm& imm) {
    uint32_t index = src(height() - 1);
    bool rc = take_register(height() - 1);
    pop(1);
    uint32_t count = uint32_t(imm.targets.size());
    size_t at = emit(rc ? IOp::br_table_r : IOp::br_table, {index, count});
    size_t table = code().size();
    code().resize(table + count + 1, 0);
    // Targets needing copies (or returns) go through a stub after the table.
    struct Stub {
      size_t unit;
      uint32_t depth;
    };
    std::vector<Stub> stubs;
    for (uint32_t i = 0; i <= count; ++i) {
      uint32_t depth = i < count ? imm.targets[i] : imm.default_target;
      Ctrl& c = label(depth);
      Fixup f{at, table + i};
      if (c.kind == CtrlKind::Function || needs_copies(c)) {
        stubs.push_back(Stub{table + i, depth});
      } else if (c.kind == CtrlKind::Loop) {
        patch(f, c.loop_start);
      } else {
        c.fixups.push_back(f);
      }
    }
    for (const Stub& s : stubs) {
      patch(Fixup{at, s.unit}, bind());
      branch_to(s.depth);
    }
    set_unreachable();
    return {};
  }

  // br_on_null: branch (without the ref) when null, else keep the ref.
  // br_on_non_null: branch with the ref when non-null, else drop it.
  Status br_on_null(uint32_t depth, bool on_non_null) {
    Entry e = stack_.back();
    uint32_t ref = src(height() - 1);
    if (!on_non_null) pop(1);
    Ctrl& c = label(depth);
    IOp taken = on_non_null ? IOp::br_on_non_null : IOp::br_on_null;
    IOp not_taken = on_non_null ? IOp::br_on_null : IOp::br_on_non_null;
    if (c.kind != CtrlKind::Function && !needs_copies(c)) {
      size_t at = emit(taken, {ref, 0});
      if (c.kind == CtrlKind::Loop)
        patch(Fixup{at, at + 2}, c.loop_start);
      else
        c.fixups.push_back(Fixup{at, at + 2});
    } else {
      size_t at = emit(not_taken, {ref, 0});
      branch_to(depth);
      patch(Fixup{at, at + 2}, bind());
    }
    if (on_non_null) {
      pop(1);
    } else {
      stack_.push_back(e); // the same value, in the same place
    }
    return {};
  }

  // ---- SIMD (the shapes numeric/load/store do not cover) ---------------------

  template <Op op> Status simd(const ImmFor<op>& imm) {
    constexpr Shape kShape = op_info(op).shape;
    if constexpr (kShape == Shape::SimdTernary) {
      auto [a, b, c] = pop_slots<3>();
      emit_producer_direct(op, {a, b, c});
    } else if constexpr (kShape == Shape::SimdExtractLane) {
      auto [v] = pop_slots<1>();
      emit_producer_direct(op, {v, uint32_t(imm.lane)});
    } else if constexpr (kShape == Shape::SimdReplaceLane) {
      auto [v, x] = pop_slots<2>();
      emit_producer_direct(op, {v, x, uint32_t(imm.lane)});
    } else if constexpr (kShape == Shape::SimdShuffle) {
      auto [a, b] = pop_slots<2>();
      uint32_t w[4];
      std::memcpy(w, imm.lanes.data(), 16);
      emit_producer_direct(op, {a, b, w[0], w[1], w[2], w[3]});
    } else if constexpr (kShape == Shape::SimdLoadLane) {
      auto [addr, v] = pop_slots<2>();
      emit_producer_direct(op, {addr, v, imm.mem.memory, uint32_t(imm.mem.offset),
                                uint32_t(imm.mem.offset >> 32), uint32_t(imm.lane)});
    } else if constexpr (kShape == Shape::SimdStoreLane) {
      auto [addr, v] = pop_slots<2>();
      emit_header(iop_of(op));
      code().insert(code().end(), {addr, v, imm.mem.memory, uint32_t(imm.mem.offset),
                                   uint32_t(imm.mem.offset >> 32), uint32_t(imm.lane)});
    }
    return {};
  }
  // A direct wasm instruction whose first operand is a fresh destination.
  void emit_producer_direct(Op op, std::initializer_list<uint32_t> rest) {
    size_t at = emit_header(iop_of(op));
    code().push_back(temp_slot(height()));
    code().insert(code().end(), rest.begin(), rest.end());
    push_temp();
    allow_retarget(at + 1);
  }

  // ---- GC ---------------------------------------------------------------------

  uint32_t canon(uint32_t type_index) const {
    return inst_.type_ids[type_index];
  }
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
  void emit_producer(IOp op, std::initializer_list<uint32_t> rest) {
    size_t at = emit_header(iop_of(op));
    code().push_back(temp_slot(height()));
    code().insert(code().end(), rest.begin(), rest.end());
    push_temp();
    allow_retarget(at + 1);
  }

  template <Op op> Status gc(const ImmFor<op>& imm) {
    if constexpr (op == Op::ref_i31) {
      auto [v] = pop_slots<1>();
      emit_producer(IOp::ref_i31, {v});
    } else if constexpr (op == Op::i31_get_s || op == Op::i31_get_u) {
      auto [r] = pop_slots<1>();
      emit_producer(op == Op::i31_get_s ? IOp::i31_get_s : IOp::i31_get_u, {r});
    } else if constexpr (op == Op::struct_new) {
      uint32_t n = uint32_t(m_.types[imm.index].comp.fields.size());
      materialize_top(n);
      uint32_t base = temp_slot(height() - n);
      pop(n);
      emit_producer(IOp::struct_new, {canon(imm.index), base, n});
    } else if constexpr (op == Op::struct_new_default) {
      emit_producer(IOp::struct_new_default, {canon(imm.index)});
    } else if constexpr (op == Op::struct_new_desc) {
      // The fields and then the descriptor, in consecutive slots.
      uint32_t n = uint32_t(m_.types[imm.index].comp.fields.size());
      materialize_top(n + 1);
      uint32_t base = temp_slot(height() - n - 1);
      pop(n + 1);
      emit_producer(IOp::struct_new_desc, {canon(imm.index), base, n});
    } else if constexpr (op == Op::struct_new_default_desc) {
      auto [d] = pop_slots<1>();
      emit_producer(IOp::struct_new_default_desc, {canon(imm.index), d});
    } else if constexpr (op == Op::ref_get_desc) {
      auto [r] = pop_slots<1>();
      emit_producer(IOp::ref_get_desc, {r});
    } else if constexpr (op == Op::ref_cast_desc_eq || op == Op::ref_cast_desc_eq_null) {
      // The value stays where it is; the descriptor is consumed.
      emit(IOp::ref_cast_desc_eq,
           {src(height() - 2), src(height() - 1), op == Op::ref_cast_desc_eq_null ? 1u : 0u});
      pop(1);
    } else if constexpr (op == Op::br_on_cast_desc_eq || op == Op::br_on_cast_desc_eq_fail) {
      return br_on_cast_desc_eq(imm, op == Op::br_on_cast_desc_eq_fail);
    } else if constexpr (op == Op::struct_get || op == Op::struct_get_s || op == Op::struct_get_u) {
      const rt::StructLayout& layout = inst_.ctx.store->struct_layout(canon(imm.type_index));
      uint32_t access = layout.sizes[imm.field] | (op == Op::struct_get_s ? rt::kAccessSigned : 0);
      auto [r] = pop_slots<1>();
      emit_producer(IOp::struct_get, {r, layout.offsets[imm.field], access});
    } else if constexpr (op == Op::struct_set) {
      const rt::StructLayout& layout = inst_.ctx.store->struct_layout(canon(imm.type_index));
      auto [r, v] = pop_slots<2>();
      emit(IOp::struct_set, {r, v, layout.offsets[imm.field], layout.sizes[imm.field]});
    } else if constexpr (op == Op::array_new) {
      auto [init, len] = pop_slots<2>();
      emit_producer(IOp::array_new, {canon(imm.index), init, len});
    } else if constexpr (op == Op::array_new_default) {
      auto [len] = pop_slots<1>();
      emit_producer(IOp::array_new_default, {canon(imm.index), len});
    } else if constexpr (op == Op::array_new_fixed) {
      uint32_t n = imm.length;
      materialize_top(n);
      uint32_t base = temp_slot(height() - n);
      pop(n);
      emit_producer(IOp::array_new_fixed, {canon(imm.type_index), base, n});
    } else if constexpr (op == Op::array_new_data || op == Op::array_new_elem) {
      auto [off, len] = pop_slots<2>();
      emit_producer(op == Op::array_new_data ? IOp::array_new_data : IOp::array_new_elem,
                    {canon(imm.type_index), off, len, imm.segment});
    } else if constexpr (op == Op::array_get || op == Op::array_get_s || op == Op::array_get_u) {
      auto [r, i] = pop_slots<2>();
      emit_producer(IOp::array_get, {r, i, op == Op::array_get_s ? 1u : 0u});
    } else if constexpr (op == Op::array_set) {
      auto [r, i, v] = pop_slots<3>();
      emit(IOp::array_set, {r, i, v});
    } else if constexpr (op == Op::array_len) {
      auto [r] = pop_slots<1>();
      emit_producer(IOp::array_len, {r});
    } else if constexpr (op == Op::array_fill) {
      auto [r, off, v, n] = pop_slots<4>();
      emit(IOp::array_fill, {r, off, v, n});
    } else if constexpr (op == Op::array_copy) {
      auto [d, doff, sref, soff, n] = pop_slots<5>();
      emit(IOp::array_copy, {d, doff, sref, soff, n});
    } else if constexpr (op == Op::array_init_data || op == Op::array_init_elem) {
      auto [r, d, sofs, n] = pop_slots<4>();
      emit(op == Op::array_init_data ? IOp::array_init_data : IOp::array_init_elem,
           {r, d, sofs, n, imm.segment});
    } else if constexpr (op == Op::ref_test || op == Op::ref_test_null) {
      auto [r] = pop_slots<1>();
      emit_producer(IOp::ref_test, {r, cast_target(imm.type), op == Op::ref_test_null ? 1u : 0u});
    } else if constexpr (op == Op::ref_cast || op == Op::ref_cast_null) {
      // The value stays where it is (a cast does not change it).
      emit(IOp::ref_cast,
           {src(height() - 1), cast_target(imm.type), op == Op::ref_cast_null ? 1u : 0u});
    } else if constexpr (op == Op::br_on_cast || op == Op::br_on_cast_fail) {
      return br_on_cast(imm, op == Op::br_on_cast_fail);
    } else {
      return unsupported(op);
    }
    return {};
  }

  // br_on_cast(_fail): the ref stays on the stack in place on both paths.
  Status br_on_cast(const BrOnCastImm& imm, bool on_fail) {
    uint32_t ref = src(height() - 1);
    uint32_t target = cast_target(imm.to.heap());
    uint32_t nullable = imm.to.nullable() ? 1 : 0;
    Ctrl& c = label(imm.label);
    IOp taken = on_fail ? IOp::br_on_cast_fail : IOp::br_on_cast;
    IOp not_taken = on_fail ? IOp::br_on_cast : IOp::br_on_cast_fail;
    if (c.kind != CtrlKind::Function && !needs_copies(c)) {
      size_t at = emit(taken, {ref, target, nullable, 0});
      if (c.kind == CtrlKind::Loop)
        patch(Fixup{at, at + 4}, c.loop_start);
      else
        c.fixups.push_back(Fixup{at, at + 4});
    } else {
      size_t at = emit(not_taken, {ref, target, nullable, 0});
      branch_to(imm.label);
      patch(Fixup{at, at + 4}, bind());
    }
    return {};
  }

  // br_on_cast_desc_eq(_fail): the descriptor is consumed, the ref stays in
  // place on both paths.
  Status br_on_cast_desc_eq(const BrOnCastImm& imm, bool on_fail) {
    uint32_t ref = src(height() - 2);
    uint32_t desc = src(height() - 1);
    pop(1);
    uint32_t nullable = imm.to.nullable() ? 1 : 0;
    Ctrl& c = label(imm.label);
    IOp taken = on_fail ? IOp::br_on_cast_desc_eq_fail : IOp::br_on_cast_desc_eq;
    IOp not_taken = on_fail ? IOp::br_on_cast_desc_eq : IOp::br_on_cast_desc_eq_fail;
    if (c.kind != CtrlKind::Function && !needs_copies(c)) {
      size_t at = emit(taken, {ref, desc, nullable, 0});
      if (c.kind == CtrlKind::Loop)
        patch(Fixup{at, at + 4}, c.loop_start);
      else
        c.fixups.push_back(Fixup{at, at + 4});
    } else {
      size_t at = emit(not_taken, {ref, desc, nullable, 0});
      branch_to(imm.label);
      patch(Fixup{at, at + 4}, bind());
    }
    return {};
  }

  // try_table: the catch stubs come first (skipped by a jump), then the body.
  // A stub sees the caught values at the try_table's entry height and
  // branches to its label like `br` would.
  Status try_table(const TryTableImm& imm) {
    materialize_all();
    uint32_t params = 0, results = 0;
    block_arity(imm.block, params, results);
    uint32_t base = height() - params;
    Handler handler;
    handler.id = uint32_t(pending_handlers_.size());
    handler.slot = temp_slot(base);
    size_t skip = emit(IOp::br, {0});
    std::vector<Entry> saved = stack_;
    for (const CatchClause& c : imm.catches) {
      CatchEntry entry;
      entry.kind = uint8_t(c.kind);
      uint32_t n = 0;
      if (c.kind == CatchKind::Catch || c.kind == CatchKind::CatchRef) {
        entry.tag = inst_.tags[c.tag];
        n = uint32_t(m_.func_type(m_.tags[c.tag].type_index).params.size());
      }
      if (c.kind == CatchKind::CatchRef || c.kind == CatchKind::CatchAllRef) ++n;
      entry.target = uint32_t(bind());
      stack_.resize(base);
      push_temps(n);
      branch_to(c.label);
      handler.catches.push_back(entry);
    }
    stack_ = saved;
    patch(Fixup{skip, skip + 1}, bind());
    handler.start = uint32_t(code().size());
    open(CtrlKind::Block, imm.block);
    ctrls_.back().handler = pending_handlers_.size();
    pending_handlers_.push_back(std::move(handler));
    return {};
  }

  // ---- legacy exception handling (try/catch/catch_all/delegate/rethrow) ----
  // The try body is the handler's range; each catch clause is an entry whose
  // target is the clause's code, with the payload at the try's entry height
  // and the exnref in a hidden slot (for rethrow) past the operand stack.

  Status legacy_try(const BlockType& bt) {
    materialize_all();
    open(CtrlKind::Block, bt);
    Ctrl& c = ctrls_.back();
    c.legacy_try = true;
    c.exn_hidden = hidden_count_++;
    Handler h;
    h.id = uint32_t(pending_handlers_.size());
    h.start = uint32_t(bind());
    h.slot = temp_slot(c.height);
    h.end = kNoHandler; // set when the body ends
    c.handler = pending_handlers_.size();
    pending_handlers_.push_back(std::move(h));
    return {};
  }
  void end_try_body(Ctrl& c) {
    Handler& h = pending_handlers_[c.handler];
    if (h.end == kNoHandler) h.end = uint32_t(code().size());
  }
  Status legacy_catch(std::optional<uint32_t> tag) {
    Ctrl& c = ctrls_.back();
    if (!c.unreachable) {
      materialize_top(c.num_results);
      size_t at = emit(IOp::br, {0});
      c.fixups.push_back(Fixup{at, at + 1});
    }
    end_try_body(c);
    CatchEntry entry;
    entry.kind = uint8_t(tag ? CatchKind::Catch : CatchKind::CatchAll);
    entry.target = uint32_t(bind());
    entry.exn_slot = c.exn_hidden; // patched to a slot offset at the end
    uint32_t n = 0;
    if (tag) {
      entry.tag = inst_.tags[*tag];
      n = uint32_t(m_.func_type(m_.tags[*tag].type_index).params.size());
    }
    pending_handlers_[c.handler].catches.push_back(entry);
    c.unreachable = false;
    c.in_catch = true;
    stack_.resize(c.height);
    push_temps(n);
    return {};
  }
  Status legacy_delegate(uint32_t depth) {
    Ctrl& c = ctrls_.back();
    end_try_body(c);
    Handler& h = pending_handlers_[c.handler];
    h.delegate = true;
    // The label is counted from outside the try; find the innermost handler
    // (a try body or try_table) at or outside it.
    h.delegate_to = kNoHandler;
    for (size_t i = ctrls_.size() - 1 - 1 - depth + 1; i-- > 0;) {
      const Ctrl& outer = ctrls_[i];
      if (outer.handler != kNone && !outer.in_catch) {
        h.delegate_to = pending_handlers_[outer.handler].id;
        break;
      }
    }
    return end();
  }

  Status end() {
    Ctrl& c = ctrls_.back();
    if (c.handler != kNone) {
      // Handlers are recorded as their block closes: innermost first.
      Handler h = std::move(pending_handlers_[c.handler]);
      if (!c.legacy_try || h.end == kNoHandler) h.end = uint32_t(code().size());
      out_->handlers.push_back(std::move(h));
    }
    if (c.kind == CtrlKind::Function) {
      if (!c.unreachable) emit_return(/*last=*/true);
      ctrls_.pop_back();
      return {};
    }
    if (!c.unreachable) materialize_top(c.num_results);
    size_t here = bind();
    if (c.has_else_fixup) patch(c.else_fixup, here);
    for (const Fixup& f : c.fixups) patch(f, here);
    uint32_t h = c.height, n = c.num_results;
    ctrls_.pop_back();
    stack_.resize(h);
    push_temps(n);
    return {};
  }

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
  uint32_t last_iop_ = 0;      // the instruction number at last_header_
  size_t prev_header_ = kNone; // the instruction before it, if no label came between
  uint32_t prev_iop_ = 0;
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

} // namespace

Result<std::unique_ptr<InterpCode>> lower_function(ModuleInst& inst, uint32_t func_index) {
  Lowerer lowerer(inst, func_index);
  return lowerer.run();
}

namespace {

// TANDEM_INTERP_DUMP=DIR writes each function's lowered code, as
// disassemble() prints it, to DIR/wasm-function-INDEX.txt when it is lowered.
void dump_lowered(const InterpCode& code, uint32_t func_index) {
  static const char* dir = std::getenv("TANDEM_INTERP_DUMP");
  if (!dir || !*dir) return;
  std::string path = std::string(dir) + "/wasm-function-" + std::to_string(func_index) + ".txt";
  if (std::FILE* out = std::fopen(path.c_str(), "w")) {
    std::string text = disassemble(code);
    std::fwrite(text.data(), 1, text.size(), out);
    std::fclose(out);
  }
}

} // namespace

Result<const InterpCode*> code_for(FuncInst* f) {
  if (f->code) return static_cast<const InterpCode*>(f->code);
  if (!f->module) return Error::make(ErrorKind::Internal, "no code for a host function");
  TANDEM_ASSIGN(std::unique_ptr<InterpCode> code, lower_function(*f->module, f->func_index));
  dump_lowered(*code, f->func_index);
  std::shared_ptr<InterpCode> owned(std::move(code));
  f->code = owned.get();
  f->module->tier_data.push_back(owned);
  return static_cast<const InterpCode*>(owned.get());
}

} // namespace tandem::interp
