// FuncValidator: type checking of one instruction sequence (a function body
// or a constant expression), as a visitor over the FunctionDecoder.
//
// It keeps the spec's two stacks: the operand stack of value types (with
// ValKind::Bot standing for an unknown type after unreachable code) and the
// control stack of open constructs with their block signatures and the
// operand height at entry. Non-defaultable locals are tracked for
// initialisation with an undo log per construct.
//
// visit<op> is the only template: ops whose signature comes straight from
// opcodes.def (numeric, SIMD arithmetic, ...) are checked by apply(sig);
// everything else goes to an overload of on() chosen by the immediate type,
// implemented in func_validator*.cc by category.
#pragma once

#include "decoder/immediates.h"
#include "validator/type_context.h"
#include "wasm/features.h"
#include "wasm/module.h"
#include "wasm/opcodes.h"

#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

namespace tandem {

// What the function validator needs from the module.
struct ModuleEnv {
  const wasm::Module& module;
  const TypeContext& types;
  FeatureSet features;
  std::vector<bool> declared_funcs; // functions that ref.func may name (C.refs)
  uint32_t visible_globals = 0;     // globals a constant expression may read
  std::vector<bool> inexact_funcs;  // imported functions whose ref.func is not exact
};

class FuncValidator {
public:
  // A function body: `sig` is the function's type; its locals come from `body`.
  FuncValidator(const ModuleEnv& env, const FuncType& sig, const wasm::FunctionBody& body);
  // A constant expression producing one value of type `result`.
  FuncValidator(const ModuleEnv& env, ValType result);

  // Checks the locals' types; call once before decoding.
  Status begin();

  template <Op op> Status visit(const ImmFor<op>& imm, uint32_t off) {
    off_ = off;
    if (const_expr_) TANDEM_TRY(check_constant(op));
    constexpr OpSig sig = kOpSig<op>;
    if constexpr (sig.known && op_info(op).imm == Imm::None)
      return apply(sig, kI32);
    else
      return on(op, imm, sig);
  }

private:
  struct Ctrl {
    Op op = Op::block;            // block, loop, if_, else_, try_, catch_, catch_all, try_table
    const FuncType* ft = nullptr; // block type by index (or the function's type)
    ValType single;               // single-result block type
    bool has_single = false;
    uint32_t height = 0;      // operand stack height at entry
    uint32_t init_height = 0; // local-initialisation undo log height at entry
    bool unreachable = false;
  };

  // ---- stacks --------------------------------------------------------------
  std::span<const ValType> params(const Ctrl& c) const;
  std::span<const ValType> results(const Ctrl& c) const;
  std::span<const ValType> label_types(const Ctrl& c) const;
  void push(ValType t) { stack_.push_back(t); }
  void push(std::span<const ValType> ts) { stack_.insert(stack_.end(), ts.begin(), ts.end()); }
  Result<ValType> pop();                 // any value
  Result<ValType> pop(ValType expected); // a subtype of expected
  Status pop(std::span<const ValType> expected);
  Result<ValType> pop_ref(); // any reference (or Bot)
  Status push_ctrl(Op op, const BlockType& bt);
  Status pop_ctrl(Ctrl& out);
  Status set_unreachable();
  Status check_label(uint32_t depth);
  Ctrl& label(uint32_t depth) { return ctrls_[ctrls_.size() - 1 - depth]; }

  // ---- checks and messages -------------------------------------------------
  Error err(std::string msg) const { return Error::invalid(off_, std::move(msg)); }
  Error mismatch(std::span<const ValType> want, size_t have_from) const;
  Error unsupported(Feature f) const;
  Status require(Feature f) const;
  Status check_constant(Op op) const;
  Status check_val_type(ValType t) const; // indices in range, feature enabled
  Status check_heap(HeapType h) const;
  Result<const FuncType*> func_type_at(uint32_t type_index) const;
  Result<BlockType> resolve(const BlockType& bt) const;
  Result<ValType> local_type(uint32_t index) const;
  Status apply(const OpSig& sig, ValType addr);
  static ValType letter(char c, ValType addr);

  // ---- instruction families (func_validator*.cc) ---------------------------
  Status on(Op op, const NoImm&, const OpSig& sig);
  Status on(Op op, const BlockTypeImm& imm, const OpSig& sig);
  Status on(Op op, const IndexImm& imm, const OpSig& sig);
  Status on(Op op, const BrTableImm& imm, const OpSig& sig);
  Status on(Op op, const CallIndirectImm& imm, const OpSig& sig);
  Status on(Op op, const TableCopyImm& imm, const OpSig& sig);
  Status on(Op op, const TableInitImm& imm, const OpSig& sig);
  Status on(Op op, const MemoryInitImm& imm, const OpSig& sig);
  Status on(Op op, const MemoryCopyImm& imm, const OpSig& sig);
  Status on(Op op, const MemArgImm& imm, const OpSig& sig);
  Status on(Op op, const MemArgLaneImm& imm, const OpSig& sig);
  Status on(Op op, const LaneImm& imm, const OpSig& sig);
  Status on(Op op, const ShuffleImm& imm, const OpSig& sig);
  Status on(Op, const I32Imm&, const OpSig& sig) { return apply(sig, kI32); }
  Status on(Op, const I64Imm&, const OpSig& sig) { return apply(sig, kI32); }
  Status on(Op, const F32Imm&, const OpSig& sig) { return apply(sig, kI32); }
  Status on(Op, const F64Imm&, const OpSig& sig) { return apply(sig, kI32); }
  Status on(Op, const V128Imm&, const OpSig& sig) { return apply(sig, kI32); }
  Status on(Op op, const HeapTypeImm& imm, const OpSig& sig);
  Status on(Op op, const SelectTImm& imm, const OpSig& sig);
  Status on(Op op, const TryTableImm& imm, const OpSig& sig);
  Status on(Op op, const TypeFieldImm& imm, const OpSig& sig);
  Status on(Op op, const TypeTypeImm& imm, const OpSig& sig);
  Status on(Op op, const TypeSegmentImm& imm, const OpSig& sig);
  Status on(Op op, const TypeLenImm& imm, const OpSig& sig);
  Status on(Op op, const BrOnCastImm& imm, const OpSig& sig);

  // helpers shared by the families
  Status end_construct();
  Status branch(uint32_t depth, bool conditional);
  Status call(const FuncType& ft, bool tail);
  Result<ValType> memory_address(uint32_t memory) const;
  Result<ValType> table_address(uint32_t table) const;
  Status check_memarg(Op op, const MemArgImm& m, ValType& addr) const;
  Status check_lane(Op op, uint8_t lane) const;
  Result<const CompositeType*> struct_type(uint32_t type_index) const;
  Result<const CompositeType*> array_type(uint32_t type_index) const;
  Status check_elem(uint32_t elem) const;
  Status check_data(uint32_t data) const;
  Status cast(Op op, ValType target);
  // custom-descriptors
  bool exact_results() const { return env_.features.has(Feature::custom_descriptors); }
  Result<uint32_t> descriptor_of(HeapType h) const;
  Status struct_new_desc(Op op, uint32_t x);
  Status ref_get_desc(uint32_t x);
  Status ref_cast_desc_eq(ValType target);
  Status br_on_cast_desc_eq(Op op, const BrOnCastImm& imm);
  Status memory_on_index(Op op, uint32_t index, const OpSig& sig);
  Status gc_on_index(Op op, uint32_t index);
  Status ref_on_none(Op op);

  const ModuleEnv& env_;
  const wasm::Module& m_;
  const TypeContext& types_;
  FuncType const_sig_; // the signature of a constant expression
  const FuncType* sig_;
  const wasm::FunctionBody* body_ = nullptr;
  uint32_t num_params_ = 0;
  uint64_t num_locals_ = 0; // params + declared
  bool const_expr_ = false;
  uint32_t off_ = 0;

  std::vector<ValType> stack_;
  std::vector<Ctrl> ctrls_;
  std::unordered_set<uint32_t> initialized_; // non-defaultable locals set so far
  std::vector<uint32_t> init_log_;           // locals initialised, in order (undo log)
  std::vector<uint64_t> local_ends_;         // cumulative local counts per group (after params)
};

} // namespace tandem
