// FuncValidator core: the operand and control stacks, messages, control
// instructions, branches, calls, variables, parametric instructions and the
// constant-expression restrictions.
#include "validator/func_validator.h"

#include "decoder/binary_types.h"

#include <algorithm>

namespace tandem {

// ---- construction ----------------------------------------------------------

FuncValidator::FuncValidator(const ModuleEnv& env, const FuncType& sig,
                             const wasm::FunctionBody& body)
    : env_(env), m_(env.module), types_(env.types), sig_(&sig), body_(&body) {
  num_params_ = uint32_t(sig.params.size());
  num_locals_ = num_params_ + body.num_locals;
  Ctrl f;
  f.ft = sig_;
  ctrls_.push_back(f);
}

FuncValidator::FuncValidator(const ModuleEnv& env, ValType result)
    : env_(env), m_(env.module), types_(env.types), sig_(&const_sig_), const_expr_(true) {
  const_sig_.results.push_back(result);
  Ctrl f;
  f.ft = sig_;
  ctrls_.push_back(f);
}

Status FuncValidator::begin() {
  if (!body_) return {};
  uint64_t total = 0;
  local_ends_.reserve(body_->locals.size());
  for (const wasm::LocalGroup& g : body_->locals) {
    TANDEM_TRY(check_val_type(g.type));
    total += g.count;
    local_ends_.push_back(total);
  }
  return {};
}

// ---- stacks ----------------------------------------------------------------

std::span<const ValType> FuncValidator::params(const Ctrl& c) const {
  if (c.ft) return c.ft->params;
  return {};
}

std::span<const ValType> FuncValidator::results(const Ctrl& c) const {
  if (c.ft) return c.ft->results;
  if (c.has_single) return std::span<const ValType>(&c.single, 1);
  return {};
}

std::span<const ValType> FuncValidator::label_types(const Ctrl& c) const {
  return c.op == Op::loop ? params(c) : results(c);
}

Error FuncValidator::mismatch(std::span<const ValType> want, size_t have_from) const {
  auto list = [](auto begin, auto end) {
    std::string s = "[";
    for (auto it = begin; it != end; ++it) {
      if (it != begin) s += ' ';
      s += TypeContext::name(*it);
    }
    return s + "]";
  };
  return err("type mismatch: instruction requires " + list(want.begin(), want.end()) +
             " but stack has " + list(stack_.begin() + have_from, stack_.end()));
}

Result<ValType> FuncValidator::pop() {
  const Ctrl& c = ctrls_.back();
  if (stack_.size() == c.height) {
    if (c.unreachable) return ValType(ValKind::Bot);
    return err("type mismatch: instruction requires a value but stack has []");
  }
  ValType t = stack_.back();
  stack_.pop_back();
  return t;
}

Result<ValType> FuncValidator::pop(ValType expected) {
  TANDEM_TRY(pop(std::span<const ValType>(&expected, 1)));
  return expected;
}

Status FuncValidator::pop(std::span<const ValType> want) {
  const Ctrl& c = ctrls_.back();
  size_t n = want.size();
  size_t avail = stack_.size() - c.height;
  size_t take = std::min(n, avail);
  bool ok = c.unreachable || avail >= n;
  for (size_t i = 0; ok && i < take; ++i) {
    ValType actual = stack_[stack_.size() - 1 - i];
    if (!types_.subtype(actual, want[n - 1 - i])) ok = false;
  }
  if (!ok) return mismatch(want, stack_.size() - take);
  stack_.resize(stack_.size() - take);
  return {};
}

Result<ValType> FuncValidator::pop_ref() {
  TANDEM_ASSIGN(ValType t, pop());
  if (t.kind() != ValKind::Bot && !t.is_ref())
    return err("type mismatch: instruction requires a reference but stack has [" +
               TypeContext::name(t) + "]");
  return t;
}

Status FuncValidator::set_unreachable() {
  Ctrl& c = ctrls_.back();
  stack_.resize(c.height);
  c.unreachable = true;
  return {};
}

Status FuncValidator::check_label(uint32_t depth) {
  if (depth >= ctrls_.size()) return err("unknown label " + std::to_string(depth));
  return {};
}

Status FuncValidator::push_ctrl(Op op, const BlockType& bt) {
  TANDEM_ASSIGN(BlockType r, resolve(bt));
  Ctrl c;
  c.op = op;
  if (r.kind == BlockType::Kind::TypeIndex) c.ft = &types_.type(r.type_index).comp.func;
  if (r.kind == BlockType::Kind::Value) {
    c.single = r.value;
    c.has_single = true;
  }
  TANDEM_TRY(pop(params(c)));
  c.height = uint32_t(stack_.size());
  c.init_height = uint32_t(init_log_.size());
  ctrls_.push_back(c);
  push(params(ctrls_.back()));
  return {};
}

Status FuncValidator::pop_ctrl(Ctrl& out) {
  // The results must be on top ("instruction requires [...]"), and nothing
  // may be left under them ("block requires [...] but stack has [...]").
  std::span<const ValType> want = results(ctrls_.back());
  std::vector<ValType> copy(want.begin(), want.end());
  TANDEM_TRY(pop(copy));
  Ctrl& c = ctrls_.back();
  if (stack_.size() != c.height) {
    std::string have = "[", need = "[";
    for (size_t i = c.height; i < stack_.size(); ++i) {
      if (i > c.height) have += ' ';
      have += TypeContext::name(stack_[i]);
    }
    for (size_t i = 0; i < copy.size(); ++i) {
      if (i) need += ' ';
      need += TypeContext::name(copy[i]);
    }
    return err("type mismatch: block requires " + need + "] but stack has " + have + "]");
  }
  while (init_log_.size() > c.init_height) {
    initialized_.erase(init_log_.back());
    init_log_.pop_back();
  }
  out = c;
  ctrls_.pop_back();
  return {};
}

// ---- checks ----------------------------------------------------------------

Error FuncValidator::unsupported(Feature f) const {
  Error e = Error::make(ErrorKind::Unsupported,
                        "feature '" + std::string(feature_name(f)) + "' is not supported");
  e.offset = off_;
  return e;
}

Status FuncValidator::require(Feature f) const {
  if (!env_.features.has(f)) return unsupported(f);
  return {};
}

Status FuncValidator::check_heap(HeapType h) const {
  if (h.is_index() && h.type_index() >= types_.size())
    return err("unknown type " + std::to_string(h.type_index()));
  return {};
}

Status FuncValidator::check_val_type(ValType t) const {
  TANDEM_TRY(require(valtype_feature(t)));
  if (t.is_ref()) return check_heap(t.heap());
  return {};
}

Result<const FuncType*> FuncValidator::func_type_at(uint32_t type_index) const {
  if (type_index >= types_.size()) return err("unknown type " + std::to_string(type_index));
  if (!types_.is_func(type_index))
    return err("type mismatch: type " + std::to_string(type_index) + " is not a function type");
  return &types_.type(type_index).comp.func;
}

Result<BlockType> FuncValidator::resolve(const BlockType& bt) const {
  if (bt.kind == BlockType::Kind::TypeIndex) TANDEM_TRY(func_type_at(bt.type_index));
  if (bt.kind == BlockType::Kind::Value) TANDEM_TRY(check_val_type(bt.value));
  return bt;
}

Result<ValType> FuncValidator::local_type(uint32_t index) const {
  if (index >= num_locals_) return err("unknown local " + std::to_string(index));
  if (index < num_params_) return sig_->params[index];
  uint64_t rel = index - num_params_;
  auto it = std::upper_bound(local_ends_.begin(), local_ends_.end(), rel);
  return body_->locals[size_t(it - local_ends_.begin())].type;
}

ValType FuncValidator::letter(char c, ValType addr) {
  switch (c) {
  case 'i': return kI32;
  case 'I': return kI64;
  case 'f': return kF32;
  case 'F': return kF64;
  case 'v': return kV128;
  default: return addr;
  }
}

Status FuncValidator::apply(const OpSig& sig, ValType addr) {
  ValType ps[4];
  for (int i = 0; i < sig.num_params; ++i) ps[i] = letter(sig.params[i], addr);
  TANDEM_TRY(pop(std::span<const ValType>(ps, sig.num_params)));
  for (int i = 0; i < sig.num_results; ++i) push(letter(sig.results[i], addr));
  return {};
}

Status FuncValidator::check_constant(Op op) const {
  switch (op) {
  case Op::i32_const:
  case Op::i64_const:
  case Op::f32_const:
  case Op::f64_const:
  case Op::v128_const:
  case Op::ref_null:
  case Op::ref_func:
  case Op::global_get:
  case Op::end:
  case Op::struct_new:
  case Op::struct_new_default:
  case Op::struct_new_desc:
  case Op::struct_new_default_desc:
  case Op::array_new:
  case Op::array_new_default:
  case Op::array_new_fixed:
  case Op::ref_i31:
  case Op::any_convert_extern:
  case Op::extern_convert_any: return {};
  case Op::i32_add:
  case Op::i32_sub:
  case Op::i32_mul:
  case Op::i64_add:
  case Op::i64_sub:
  case Op::i64_mul:
    if (env_.features.has(Feature::extended_const)) return {};
    break;
  default: break;
  }
  return err("constant expression required");
}

// ---- control ---------------------------------------------------------------

Status FuncValidator::end_construct() {
  Ctrl& c = ctrls_.back();
  if (c.op == Op::if_) {
    // An `if` without `else`: the implicit else passes the parameters on.
    std::span<const ValType> ps = params(c), rs = results(c);
    bool ok = ps.size() == rs.size();
    for (size_t i = 0; ok && i < ps.size(); ++i) ok = types_.subtype(ps[i], rs[i]);
    if (!ok) return err("type mismatch: if without else must have matching parameters and results");
  }
  Ctrl done;
  TANDEM_TRY(pop_ctrl(done));
  push(results(done));
  return {};
}

Status FuncValidator::on(Op op, const BlockTypeImm& bt, const OpSig&) {
  switch (op) {
  case Op::if_: {
    TANDEM_TRY(resolve(bt)); // the block type is checked before the condition
    TANDEM_TRY(pop(kI32));
    return push_ctrl(op, bt);
  }
  default: return push_ctrl(op, bt);
  }
}

Status FuncValidator::on(Op op, const TryTableImm& imm, const OpSig&) {
  for (const CatchClause& c : imm.catches) {
    TANDEM_TRY(check_label(c.label));
    std::vector<ValType> carried;
    if (c.kind == CatchKind::Catch || c.kind == CatchKind::CatchRef) {
      if (c.tag >= m_.tags.size()) return err("unknown tag " + std::to_string(c.tag));
      TANDEM_ASSIGN(const FuncType* ft, func_type_at(m_.tags[c.tag].type_index));
      carried = ft->params;
    }
    if (c.kind == CatchKind::CatchRef || c.kind == CatchKind::CatchAllRef)
      carried.push_back(ValType::ref(HeapType::abstract(AbsHeap::Exn), false));
    std::span<const ValType> lt = label_types(label(c.label));
    bool ok = lt.size() == carried.size();
    for (size_t i = 0; ok && i < lt.size(); ++i) ok = types_.subtype(carried[i], lt[i]);
    if (!ok) return err("type mismatch: catch clause does not match its label");
  }
  return push_ctrl(op, imm.block);
}

Status FuncValidator::on(Op op, const NoImm&, const OpSig& sig) {
  switch (op) {
  case Op::unreachable: return set_unreachable();
  case Op::nop: return {};
  case Op::end: return end_construct();
  case Op::else_: {
    Ctrl c;
    TANDEM_TRY(pop_ctrl(c));
    c.op = Op::else_;
    c.unreachable = false;
    ctrls_.push_back(c);
    push(params(ctrls_.back()));
    return {};
  }
  case Op::catch_all: {
    Ctrl c;
    TANDEM_TRY(pop_ctrl(c));
    c.op = Op::catch_all;
    c.unreachable = false;
    c.init_height = uint32_t(init_log_.size());
    ctrls_.push_back(c);
    return {};
  }
  case Op::throw_ref:
    TANDEM_TRY(pop(ValType::ref(HeapType::abstract(AbsHeap::Exn), true)));
    return set_unreachable();
  case Op::return_:
    TANDEM_TRY(pop(std::span<const ValType>(sig_->results)));
    return set_unreachable();
  case Op::drop: TANDEM_TRY(pop()); return {};
  case Op::select: {
    TANDEM_TRY(pop(kI32));
    TANDEM_ASSIGN(ValType t1, pop());
    TANDEM_ASSIGN(ValType t2, pop());
    bool bot1 = t1.kind() == ValKind::Bot, bot2 = t2.kind() == ValKind::Bot;
    if ((!bot1 && t1.is_ref()) || (!bot2 && t2.is_ref()))
      return err("type mismatch: select without types needs numeric or vector operands");
    if (!bot1 && !bot2 && t1 != t2)
      return err("type mismatch: select operands " + TypeContext::name(t2) + " and " +
                 TypeContext::name(t1) + " differ");
    push(bot1 ? t2 : t1);
    return {};
  }
  case Op::atomic_fence: return apply(sig, kI32);
  default: return ref_on_none(op);
  }
}

Status FuncValidator::on(Op op, const SelectTImm& imm, const OpSig&) {
  if (imm.types.size() != 1) return err("invalid result arity");
  ValType t = imm.types[0];
  TANDEM_TRY(check_val_type(t));
  TANDEM_TRY(pop(kI32));
  TANDEM_TRY(pop(t));
  TANDEM_TRY(pop(t));
  push(t);
  return {};
}

Status FuncValidator::branch(uint32_t depth, bool conditional) {
  TANDEM_TRY(check_label(depth));
  if (conditional) TANDEM_TRY(pop(kI32));
  std::span<const ValType> lt = label_types(label(depth));
  std::vector<ValType> copy(lt.begin(), lt.end()); // label storage may move on push
  TANDEM_TRY(pop(copy));
  if (conditional) {
    push(copy);
    return {};
  }
  return set_unreachable();
}

Status FuncValidator::on(Op op, const BrTableImm& imm, const OpSig&) {
  TANDEM_TRY(pop(kI32));
  TANDEM_TRY(check_label(imm.default_target));
  size_t arity = label_types(label(imm.default_target)).size();
  auto check = [&](uint32_t depth) -> Status {
    TANDEM_TRY(check_label(depth));
    std::span<const ValType> lt = label_types(label(depth));
    if (lt.size() != arity) return err("type mismatch: br_table targets have different arities");
    // Check without consuming: pop a copy, then restore the stack.
    std::vector<ValType> saved(stack_.begin() + ctrls_.back().height, stack_.end());
    std::vector<ValType> copy(lt.begin(), lt.end());
    Status s = pop(copy);
    stack_.resize(ctrls_.back().height);
    stack_.insert(stack_.end(), saved.begin(), saved.end());
    return s;
  };
  for (uint32_t t : imm.targets) TANDEM_TRY(check(t));
  TANDEM_TRY(check(imm.default_target));
  std::vector<ValType> copy(label_types(label(imm.default_target)).begin(),
                            label_types(label(imm.default_target)).end());
  TANDEM_TRY(pop(copy));
  return set_unreachable();
}

Status FuncValidator::call(const FuncType& ft, bool tail) {
  TANDEM_TRY(pop(std::span<const ValType>(ft.params)));
  if (!tail) {
    push(ft.results);
    return {};
  }
  if (!types_.subtype(ft.results, sig_->results))
    return err("type mismatch: tail call results do not match the caller's");
  return set_unreachable();
}

Status FuncValidator::on(Op op, const CallIndirectImm& imm, const OpSig&) {
  TANDEM_ASSIGN(ValType addr, table_address(imm.table));
  if (!types_.subtype(m_.tables[imm.table].type.elem, kFuncRef))
    return err("type mismatch: call_indirect on a table that does not hold functions");
  TANDEM_ASSIGN(const FuncType* ft, func_type_at(imm.type_index));
  TANDEM_TRY(pop(addr));
  return call(*ft, op == Op::return_call_indirect);
}

Status FuncValidator::on(Op op, const IndexImm& imm, const OpSig& sig) {
  uint32_t x = imm.index;
  switch (op) {
  case Op::br: return branch(x, false);
  case Op::br_if: return branch(x, true);
  case Op::br_on_null: {
    TANDEM_TRY(check_label(x));
    TANDEM_ASSIGN(ValType t, pop_ref());
    std::span<const ValType> lt = label_types(label(x));
    std::vector<ValType> copy(lt.begin(), lt.end());
    TANDEM_TRY(pop(copy));
    push(copy);
    push(t.kind() == ValKind::Bot ? t : ValType::ref(t.heap(), false));
    return {};
  }
  case Op::br_on_non_null: {
    TANDEM_TRY(check_label(x));
    TANDEM_ASSIGN(ValType t, pop_ref());
    std::span<const ValType> lt = label_types(label(x));
    if (lt.empty() || (!lt.back().is_ref() && lt.back().kind() != ValKind::Bot))
      return err("type mismatch: br_on_non_null target must take a reference");
    std::vector<ValType> copy(lt.begin(), lt.end());
    ValType target = copy.back();
    copy.pop_back();
    if (t.kind() != ValKind::Bot && !types_.subtype(ValType::ref(t.heap(), false), target))
      return err("type mismatch: br_on_non_null operand does not match its label");
    TANDEM_TRY(pop(copy));
    push(copy);
    return {};
  }
  case Op::call:
  case Op::return_call: {
    if (x >= m_.funcs.size()) return err("unknown function " + std::to_string(x));
    TANDEM_ASSIGN(const FuncType* ft, func_type_at(m_.funcs[x]));
    return call(*ft, op == Op::return_call);
  }
  case Op::call_ref:
  case Op::return_call_ref: {
    TANDEM_ASSIGN(const FuncType* ft, func_type_at(x));
    TANDEM_TRY(pop(ValType::ref(HeapType::index(x), true)));
    return call(*ft, op == Op::return_call_ref);
  }
  case Op::local_get: {
    TANDEM_ASSIGN(ValType t, local_type(x));
    if (!TypeContext::defaultable(t) && x >= num_params_ && !initialized_.count(x))
      return err("uninitialized local " + std::to_string(x));
    push(t);
    return {};
  }
  case Op::local_set:
  case Op::local_tee: {
    TANDEM_ASSIGN(ValType t, local_type(x));
    TANDEM_TRY(pop(t));
    if (!TypeContext::defaultable(t) && x >= num_params_ && initialized_.insert(x).second)
      init_log_.push_back(x);
    if (op == Op::local_tee) push(t);
    return {};
  }
  case Op::global_get: {
    uint32_t limit = const_expr_ ? env_.visible_globals : uint32_t(m_.globals.size());
    if (x >= limit) return err("unknown global " + std::to_string(x));
    const wasm::Global& g = m_.globals[x];
    if (const_expr_ && g.type.mut) return err("constant expression required");
    push(g.type.type);
    return {};
  }
  case Op::global_set: {
    if (x >= m_.globals.size()) return err("unknown global " + std::to_string(x));
    const wasm::Global& g = m_.globals[x];
    if (!g.type.mut) return err("immutable global " + std::to_string(x));
    TANDEM_TRY(pop(g.type.type));
    return {};
  }
  case Op::throw_: {
    if (x >= m_.tags.size()) return err("unknown tag " + std::to_string(x));
    TANDEM_ASSIGN(const FuncType* ft, func_type_at(m_.tags[x].type_index));
    TANDEM_TRY(pop(std::span<const ValType>(ft->params)));
    return set_unreachable();
  }
  case Op::catch_: {
    if (x >= m_.tags.size()) return err("unknown tag " + std::to_string(x));
    TANDEM_ASSIGN(const FuncType* ft, func_type_at(m_.tags[x].type_index));
    Ctrl c;
    TANDEM_TRY(pop_ctrl(c));
    c.op = Op::catch_;
    c.unreachable = false;
    c.init_height = uint32_t(init_log_.size());
    ctrls_.push_back(c);
    push(ft->params);
    return {};
  }
  case Op::rethrow: {
    TANDEM_TRY(check_label(x));
    Op k = label(x).op;
    if (k != Op::catch_ && k != Op::catch_all) return err("invalid rethrow label");
    return set_unreachable();
  }
  case Op::delegate: {
    // The label is counted from the construct around the `try`.
    if (x + 1 >= ctrls_.size()) return err("unknown label " + std::to_string(x));
    Ctrl done;
    TANDEM_TRY(pop_ctrl(done));
    push(results(done));
    return {};
  }
  default: break;
  }
  return memory_on_index(op, x, sig);
}

} // namespace tandem
