// Lowering (lowerer.h): blocks, branches, local.set/tee, br_table, the GC
// branches, try_table and legacy exception handling, and `end`.
#include "interp/lowerer.h"

namespace tandem::interp::lowering {

bool Lowerer::needs_copies(const Ctrl& c) const {
  uint32_t n = c.label_arity();
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t h = height() - n + i;
    if (slot_of(h) != temp_slot(c.height + i)) return true;
  }
  return false;
}

void Lowerer::emit_copies(const Ctrl& c) {
  uint32_t n = c.label_arity();
  for (uint32_t i = 0; i < n; ++i) {
    emit_value_to(height() - n + i, temp_slot(c.height + i));
  }
}

void Lowerer::emit_jump(uint32_t depth) {
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

void Lowerer::branch_to(uint32_t depth, bool last) {
  Ctrl& c = label(depth);
  if (c.kind == CtrlKind::Function) {
    emit_return(last);
    return;
  }
  emit_copies(c);
  emit_jump(depth);
}

void Lowerer::emit_return(bool last) {
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

void Lowerer::set_unreachable() {
  Ctrl& c = ctrls_.back();
  c.unreachable = true;
  stack_.resize(c.height);
}

void Lowerer::block_arity(const BlockType& bt, uint32_t& params, uint32_t& results) const {
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

void Lowerer::open(CtrlKind kind, const BlockType& bt) {
  Ctrl c;
  c.kind = kind;
  block_arity(bt, c.num_params, c.num_results);
  c.height = height() - c.num_params;
  ctrls_.push_back(std::move(c));
}

Status Lowerer::local_set(uint32_t x, bool tee) {
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
        truncate(retarget_start_);
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
    recent_.clear();
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

Status Lowerer::br_table(const BrTableImm& imm) {
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

Status Lowerer::br_on_null(uint32_t depth, bool on_non_null) {
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

void Lowerer::emit_producer_direct(Op op, std::initializer_list<uint32_t> rest) {
  size_t at = emit_header(iop_of(op));
  code().push_back(temp_slot(height()));
  code().insert(code().end(), rest.begin(), rest.end());
  push_temp();
  allow_retarget(at + 1);
}

void Lowerer::emit_producer(IOp op, std::initializer_list<uint32_t> rest) {
  size_t at = emit_header(iop_of(op));
  code().push_back(temp_slot(height()));
  code().insert(code().end(), rest.begin(), rest.end());
  push_temp();
  allow_retarget(at + 1);
}

Status Lowerer::br_on_cast(const BrOnCastImm& imm, bool on_fail) {
  uint32_t ref = src(height() - 1);
  uint32_t target = cast_target(imm.to.heap());
  uint32_t nullable = imm.to.nullable() ? 1 : 0;
  IOp taken = on_fail ? IOp::br_on_cast_fail : IOp::br_on_cast;
  IOp not_taken = on_fail ? IOp::br_on_cast : IOp::br_on_cast_fail;
  branch_either(imm.label, taken, not_taken, {ref, target, nullable});
  return {};
}

Status Lowerer::br_on_cast_desc_eq(const BrOnCastImm& imm, bool on_fail) {
  uint32_t ref = src(height() - 2);
  uint32_t desc = src(height() - 1);
  pop(1);
  uint32_t nullable = imm.to.nullable() ? 1 : 0;
  IOp taken = on_fail ? IOp::br_on_cast_desc_eq_fail : IOp::br_on_cast_desc_eq;
  IOp not_taken = on_fail ? IOp::br_on_cast_desc_eq : IOp::br_on_cast_desc_eq_fail;
  branch_either(imm.label, taken, not_taken, {ref, desc, nullable});
  return {};
}

void Lowerer::branch_either(uint32_t depth, IOp taken, IOp not_taken,
                            std::array<uint32_t, 3> operands) {
  Ctrl& c = label(depth);
  bool direct = c.kind != CtrlKind::Function && !needs_copies(c);
  size_t at = emit(direct ? taken : not_taken, {operands[0], operands[1], operands[2], 0});
  Fixup target{at, at + 4};
  if (!direct) {
    branch_to(depth);
    patch(target, bind());
  } else if (c.kind == CtrlKind::Loop) {
    patch(target, c.loop_start);
  } else {
    c.fixups.push_back(target);
  }
}

Status Lowerer::try_table(const TryTableImm& imm) {
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

Status Lowerer::legacy_try(const BlockType& bt) {
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

Status Lowerer::legacy_catch(std::optional<uint32_t> tag) {
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

Status Lowerer::legacy_delegate(uint32_t depth) {
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

Status Lowerer::end() {
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

} // namespace tandem::interp::lowering
