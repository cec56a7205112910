// The code generator: a visitor over the shared function decoder
// (decoder/function_decoder.h), run on validated bodies with the checks
// compiled away. One pass, no IR: each instruction updates the ValueStack
// (value_stack.h) and emits code through the MacroAssembler.
//
// visit<op>() dispatches at compile time on the opcode's shape to one
// non-template method per category; those take the Op at run time and live
// in one file per category:
//   codegen.cc             driver, prologue, locals (and register locals),
//                          globals, select, drop
//   codegen_numeric.cc     constants, unary/binary/compare/test/convert
//   codegen_memory.cc      loads, stores, memory.size/grow/fill/copy/init
//   codegen_control.cc     block/loop/if/else/end, branches, return
//   codegen_calls.cc       call, call_indirect, call_ref and tail calls
//   codegen_refs_tables.cc references and table instructions
//   codegen_simd.cc        v128 constants, loads, stores and lane operations
//   codegen_simd_inline.cc inline SSE/AVX code for v128 operators
//   codegen_exceptions.cc  try_table, throw, throw_ref
// An instruction outside these categories (atomics, GC, legacy exceptions)
// makes the function fail to compile with ErrorKind::Unsupported, and the
// engine runs that function on the interpreter instead.
//
// Control flow (see the ValueStack invariants): a label's values travel in
// the slots at the label's base height; at block entry every entry becomes
// Slot or Const; code after an unconditional branch is skipped up to the
// matching else/end.
#pragma once

#include "decoder/dead_code.h"
#include "decoder/function_decoder.h"
#include "jit/macro_assembler.h"
#include "jit/value_stack.h"
#include "runtime/module_impl.h"
#include "runtime/store.h"
#include "wasm/module.h"

#include <string>
#include <vector>

namespace tandem::jit {

enum class CtrlKind : uint8_t { Function, Block, Loop, If, TryTable };

// One open construct. Owns no heap memory (one is pushed per block): the
// result types point into the module's function types, or are the one
// `single_result`.
struct Ctrl {
  CtrlKind kind = CtrlKind::Block;
  uint32_t height = 0; // stack height below the block's parameters
  uint32_t num_params = 0;
  uint32_t num_results = 0;
  const ValType* result_types = nullptr; // null: the one result is `single_result`
  ValKind single_result = ValKind::I32;
  Label label;      // end of Block/If (made by the first branch: target_of), start of Loop
  Label else_label; // If: the false arm (bound at else, or at end)
  bool else_seen = false;
  bool unreachable = false;
  uint32_t saved_begin = 0; // If: its parameter entries, at this index of saved_entries_
  Label unwind;             // TryTable: where exceptions raised in the body go
  // Number of values a branch to this label carries.
  uint32_t label_arity() const { return kind == CtrlKind::Loop ? num_params : num_results; }
  ValKind result_kind(uint32_t i) const {
    return result_types ? result_types[i].kind() : single_result;
  }
};

class CodeGenerator {
public:
  // Register locals per function (codegen.cc: integer, float/v128).
  static constexpr uint32_t kMaxGpLocals = 5, kMaxXmmLocals = 6;

  // With `osr_points`, loop heads with an empty operand stack get OSR entries.
  // One generator compiles any number of functions of `inst`, one at a time
  // (its buffers are reused).
  CodeGenerator(rt::ModuleInst& inst, MacroAssembler& masm, bool osr_points);

  // Emits the whole function (prologue to stubs) into the macro-assembler,
  // between masm.begin_function() and masm.finish(). On an error the
  // function is left open (the caller abandons it).
  Status run(uint32_t func_index);

  template <Op op> Status visit(const ImmFor<op>& imm, uint32_t offset) {
    constexpr OpInfo info = op_info(op);
    if (ctrls_.back().unreachable && skip_unreachable<op>(dead_depth_)) return {};
    // A compare left in the flags feeds only these consumers.
    if constexpr (op != Op::br_if && op != Op::if_ && op != Op::select && op != Op::select_t &&
                  op != Op::i32_eqz)
      stack_.materialize_cond();
    offset_ = offset;
    constexpr Shape s = info.shape;
    if constexpr (s == Shape::Unary || s == Shape::Binary || s == Shape::Compare ||
                  s == Shape::Test || s == Shape::Convert) {
      TANDEM_TRY(numeric(op));
      if (inst_.module->jit_miscompile == op) miscompile_top(); // test-only fault injection
      return {};
    } else if constexpr (s == Shape::Const) {
      if constexpr (op == Op::i32_const)
        return constant(ValKind::I32, uint32_t(imm.value));
      else if constexpr (op == Op::i64_const)
        return constant(ValKind::I64, uint64_t(imm.value));
      else if constexpr (op == Op::f32_const)
        return constant(ValKind::F32, imm.bits);
      else if constexpr (op == Op::f64_const)
        return constant(ValKind::F64, imm.bits);
      else if constexpr (op == Op::v128_const)
        return v128_constant(imm.bytes);
      else
        return unsupported(op);
    } else if constexpr (s == Shape::Load) {
      return load(op, imm);
    } else if constexpr (s == Shape::Store) {
      return store(op, imm);
    } else if constexpr (s == Shape::SimdLoad) {
      return simd_load(op, imm);
    } else if constexpr (s == Shape::SimdStore) {
      return simd_store(imm);
    } else if constexpr (s == Shape::SimdLoadLane || s == Shape::SimdStoreLane) {
      return simd_lane_memory(op, imm.mem, imm.lane);
    } else if constexpr (s == Shape::SimdShuffle) {
      uint64_t lo, hi;
      std::memcpy(&lo, imm.lanes.data(), 8);
      std::memcpy(&hi, imm.lanes.data() + 8, 8);
      return simd_op(op, lo, hi);
    } else if constexpr (s == Shape::SimdExtractLane || s == Shape::SimdReplaceLane) {
      return simd_op(op, imm.lane, 0);
    } else if constexpr (s == Shape::SimdUnary || s == Shape::SimdBinary ||
                         s == Shape::SimdTernary || s == Shape::SimdCompare ||
                         s == Shape::SimdReduce || s == Shape::SimdShift || s == Shape::SimdSplat) {
      return simd_op(op, 0, 0);
    } else if constexpr (s == Shape::MemorySize) {
      return memory_size(imm.index);
    } else if constexpr (s == Shape::MemoryGrow) {
      return memory_grow(imm.index);
    } else if constexpr (s == Shape::MemoryFill) {
      return memory_fill(imm.index);
    } else if constexpr (s == Shape::MemoryCopy) {
      return memory_copy(imm.dst, imm.src);
    } else if constexpr (s == Shape::MemoryInit) {
      return memory_init(imm.data, imm.memory);
    } else if constexpr (s == Shape::DataDrop) {
      return data_drop(imm.index);
    } else if constexpr (op == Op::nop) {
      return {};
    } else if constexpr (op == Op::unreachable) {
      return unreachable();
    } else if constexpr (op == Op::block || op == Op::loop || op == Op::if_) {
      return open_block(op, imm);
    } else if constexpr (op == Op::try_table) {
      return open_try_table(imm);
    } else if constexpr (op == Op::throw_) {
      return throw_(imm.index);
    } else if constexpr (op == Op::throw_ref) {
      return throw_ref();
    } else if constexpr (op == Op::else_) {
      return else_arm();
    } else if constexpr (op == Op::end) {
      return end();
    } else if constexpr (op == Op::br) {
      return br(imm.index);
    } else if constexpr (op == Op::br_if) {
      return br_if(imm.index);
    } else if constexpr (op == Op::br_table) {
      return br_table(imm);
    } else if constexpr (op == Op::return_) {
      return return_();
    } else if constexpr (op == Op::br_on_null || op == Op::br_on_non_null) {
      return br_on_null(imm.index, op == Op::br_on_non_null);
    } else if constexpr (op == Op::call || op == Op::return_call) {
      return call(imm.index, op == Op::return_call);
    } else if constexpr (op == Op::call_indirect || op == Op::return_call_indirect) {
      return call_indirect(imm.type_index, imm.table, op == Op::return_call_indirect);
    } else if constexpr (op == Op::call_ref || op == Op::return_call_ref) {
      return call_ref(imm.index, op == Op::return_call_ref);
    } else if constexpr (op == Op::drop) {
      stack_.drop(1);
      return {};
    } else if constexpr (op == Op::select || op == Op::select_t) {
      return select();
    } else if constexpr (op == Op::local_get) {
      return local_get(imm.index);
    } else if constexpr (op == Op::local_set || op == Op::local_tee) {
      return local_set(imm.index, op == Op::local_tee);
    } else if constexpr (op == Op::global_get) {
      return global_get(imm.index);
    } else if constexpr (op == Op::global_set) {
      return global_set(imm.index);
    } else if constexpr (op == Op::ref_null) {
      return constant(ValKind::Ref, 0);
    } else if constexpr (op == Op::ref_func) {
      return ref_func(imm.index);
    } else if constexpr (op == Op::ref_is_null) {
      return ref_is_null();
    } else if constexpr (op == Op::ref_eq) {
      return ref_eq();
    } else if constexpr (op == Op::ref_as_non_null) {
      return ref_as_non_null();
    } else if constexpr (op == Op::any_convert_extern || op == Op::extern_convert_any) {
      return {}; // same representation
    } else if constexpr (op == Op::table_get || op == Op::table_set) {
      return table_access(imm.index, op == Op::table_set);
    } else if constexpr (op == Op::table_size) {
      return table_size(imm.index);
    } else if constexpr (op == Op::table_grow) {
      return table_grow(imm.index);
    } else if constexpr (op == Op::table_fill) {
      return table_fill(imm.index);
    } else if constexpr (op == Op::table_copy) {
      return table_copy(imm.dst, imm.src);
    } else if constexpr (op == Op::table_init) {
      return table_init(imm.elem, imm.table);
    } else if constexpr (op == Op::elem_drop) {
      return elem_drop(imm.index);
    } else {
      return unsupported(op);
    }
  }

private:
  // ---- codegen.cc ----
  Status unsupported(Op op);
  ValKind kind_of(ValType t) const { return t.kind(); }
  Status local_get(uint32_t x);
  Status local_set(uint32_t x, bool tee);
  Status global_get(uint32_t index);
  Status global_set(uint32_t index);
  Status select();
  // Spills everything a helper call clobbers and puts the top `arity`
  // operands in their slots; returns their base height. Leaves them on the
  // stack (the caller drops them after the call).
  uint32_t prepare_helper_call(uint32_t arity);
  // Pops `arity` operands (already in slots), pushes a Slot result if any.
  void finish_helper_call(uint32_t arity, std::optional<ValKind> result);
  // Register locals (codegen.cc): the caller-saved ones go to their slots
  // before a call (prepare_helper_call does it) and come back after it
  // (reload_locals(false)); an exception landing does the same, and an OSR
  // entry loads them all (`all`) from the interpreter's frame.
  void write_back_locals();
  void reload_locals(bool all);
  // Register local x from its slot.
  void load_local(uint32_t x);
  // Where an OSR entry for the loop at `loop_head` must jump.
  Label osr_target(Label loop_head);
  void emit_osr_loads();

  // ---- codegen_numeric.cc ----
  Status constant(ValKind k, uint64_t bits);
  Status numeric(Op op);
  // Test-only (EngineConfig::debug_jit_miscompile): flips the low bit of the
  // integer on top of the stack, a deliberate miscompile of the op before it.
  void miscompile_top();
  Status int_binary(Op op, bool is64);
  Status int_shift(Op op, bool is64);
  Status int_divrem(Op op, bool is64);
  Status int_compare(Op op, bool is64);
  Status int_unary(Op op, bool is64);
  Status float_binary(Op op, bool is64);
  Status float_compare(Op op, bool is64);
  Status float_unary(Op op, bool is64);
  Status convert(Op op);
  Status numeric_by_helper(Op op);

  // ---- codegen_memory.cc ----
  // Pops the address and emits the bounds logic; returns the operand of the
  // access. `addr_reg` receives the register the caller must release (or
  // invalid). For guarded memories the caller must note_trap_site right
  // before emitting the access.
  x86::Mem memory_operand(const MemArgImm& imm, uint32_t bytes, x86::Gp& addr_reg, bool& guarded);
  Status load(Op op, const MemArgImm& imm);
  Status store(Op op, const MemArgImm& imm);
  Status memory_size(uint32_t mem);
  Status memory_grow(uint32_t mem);
  Status memory_fill(uint32_t mem);
  Status memory_copy(uint32_t dst, uint32_t src);
  Status memory_init(uint32_t data, uint32_t mem);
  Status data_drop(uint32_t data);

  // ---- codegen_control.cc ----
  // Sets c's parameter and result counts and result types from `bt`.
  void block_types(const BlockType& bt, Ctrl& c) const;
  Ctrl& label(uint32_t depth) { return ctrls_[ctrls_.size() - 1 - depth]; }
  void set_unreachable();
  Status open_block(Op op, const BlockType& bt);
  Status else_arm();
  Status end();
  Status unreachable();
  Status br(uint32_t depth);
  Status br_if(uint32_t depth);
  Status br_table(const BrTableImm& imm);
  Status br_on_null(uint32_t depth, bool on_non_null);
  Status return_();
  // Moves the label's values to its slots and jumps (does not change the
  // tracked stack: it may sit on a conditional path).
  Label target_of(Ctrl& c);
  void branch_to(uint32_t depth);
  // Branches to `depth` when `cc` holds (flags already set).
  void branch_if(uint32_t depth, x86::CondCode cc);
  // Results to frame[0..n), then the exit (does not change the tracked
  // stack); with `fall_through` the exit follows and no jump is needed.
  void return_sequence(bool fall_through = false);
  // Pops an i32 condition; returns the condition code meaning "true" (a
  // pending compare, or `test` of the popped register).
  x86::CondCode pop_condition();

  // ---- codegen_exceptions.cc ----
  // One catch clause as its unwind stub needs it (captured at try_table).
  struct CatchTarget {
    rt::TagInst* tag = nullptr; // null: catch_all(_ref)
    uint32_t num_values = 0;    // payload values copied to the label
    bool with_ref = false;      // catch_ref / catch_all_ref
    bool to_function = false;   // the label is the function's: return
    uint32_t slot = 0;          // first destination slot (absolute index)
    Label label;
  };
  struct UnwindStub {
    Label label;
    Label outer; // the next handler out, or exit_false
    std::vector<CatchTarget> clauses;
  };
  Status open_try_table(const TryTableImm& imm);
  Status throw_(uint32_t tag);
  Status throw_ref();
  // Where a failed call or throw at the current position goes: the innermost
  // try_table's unwind stub, or the function's exit.
  Label exception_exit() const;
  void emit_unwind_stubs();

  // ---- codegen_calls.cc ----
  Status call(uint32_t func_index, bool tail);
  Status call_indirect(uint32_t type_index, uint32_t table, bool tail);
  Status call_ref(uint32_t type_index, bool tail);
  // With the callee in rsi and its arguments in slots [base, base+n):
  // calls it and pushes its results, or tail-calls it.
  // `same_instance`: the callee is known to be of this instance (r14
  // survives the call).
  void emit_call(const FuncType& type, uint32_t base, bool tail, bool same_instance);
  // The out-of-line EntryFn calls of emit_call (after the body).
  void emit_entry_fn_calls();

  // ---- codegen_simd.cc ----
  Status v128_constant(const std::array<uint8_t, 16>& bytes);
  Status simd_op(Op op, uint64_t imm_lo, uint64_t imm_hi);
  Status simd_load(Op op, const MemArgImm& imm);
  Status simd_store(const MemArgImm& imm);
  Status simd_lane_memory(Op op, const MemArgImm& imm, uint8_t lane);
  // ---- codegen_simd_inline.cc ----
  // Inline SSE/AVX code for `op` when the CPU level (cpu_features.h) has an
  // exact sequence; false, with nothing emitted, when the helper must run.
  bool simd_inline(Op op, uint64_t imm_lo, uint64_t imm_hi);
  bool simd_load_inline(Op op, const MemArgImm& imm);

  // ---- codegen_refs_tables.cc ----
  Status ref_func(uint32_t index);
  Status ref_is_null();
  Status ref_eq();
  Status ref_as_non_null();
  Status table_access(uint32_t table, bool is_set);
  Status table_size(uint32_t table);
  Status table_grow(uint32_t table);
  Status table_fill(uint32_t table);
  Status table_copy(uint32_t dst, uint32_t src);
  Status table_init(uint32_t elem, uint32_t table);
  Status elem_drop(uint32_t elem);

  rt::ModuleInst& inst_;
  const wasm::Module& m_;
  uint32_t func_index_ = 0;
  MacroAssembler& masm_;
  x86::Assembler& a_;
  ValueStack stack_;
  std::vector<ValKind> local_kinds_;
  uint32_t num_params_ = 0;
  uint32_t num_locals_ = 0;
  std::vector<ValKind> result_kinds_;
  std::vector<Ctrl> ctrls_;
  std::vector<Entry> saved_entries_; // the open ifs' parameter entries, innermost last
  std::vector<uint8_t> via_slot_;    // return_sequence scratch
  uint32_t dead_depth_ = 0;
  uint32_t offset_ = 0; // decoder offset of the instruction being compiled
  bool osr_points_ = false;
  std::vector<UnwindStub> unwind_stubs_;
  uint32_t reg_locals_[kMaxGpLocals] = {}; // locals with a gp register, in kLocalRegs order
  uint32_t num_reg_locals_ = 0;
  uint32_t xmm_locals_[kMaxXmmLocals] = {}; // locals with an xmm register, in kLocalXmms order
  uint32_t num_xmm_locals_ = 0;
  std::vector<std::pair<Label, Label>> osr_loads_;      // (OSR target, loop head)
  std::vector<std::pair<Label, Label>> entry_fn_calls_; // (out-of-line call, back)
  Status error_;
};

} // namespace tandem::jit
