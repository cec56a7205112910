// Structured control flow: blocks, loops, if/else, branches, br_table,
// br_on_null, return and unreachable.
//
// A label's values are passed in the canonical slots at the label's base
// height (block results, loop parameters). At block entry the stack is
// brought to a join-safe state (only Slot and Const entries); entries below
// a block's base are never changed inside it, so every path into a label
// agrees on them. Branch sequences that sit on a conditional path only emit
// moves and never change the tracked stack.
#include "jit/codegen.h"

#include <map>

namespace tandem::jit {

void CodeGenerator::block_types(const BlockType& bt, Ctrl& c) const {
  switch (bt.kind) {
  case BlockType::Kind::Empty: break;
  case BlockType::Kind::Value:
    c.num_results = 1;
    c.single_result = bt.value.kind();
    break;
  case BlockType::Kind::TypeIndex: {
    const FuncType& ft = m_.func_type(bt.type_index);
    c.num_params = uint32_t(ft.params.size());
    c.num_results = uint32_t(ft.results.size());
    c.result_types = ft.results.data();
    break;
  }
  }
}

void CodeGenerator::set_unreachable() {
  Ctrl& c = ctrls_.back();
  c.unreachable = true;
  stack_.truncate(c.height);
}

x86::CondCode CodeGenerator::pop_condition() {
  if (stack_.top().loc == Loc::Cond) return stack_.pop().cond;
  bool own;
  x86::Gp r = stack_.pop_gp_read(own);
  a_.test(r.r32(), r.r32());
  if (own) stack_.release(r); // the flags carry the value from here on
  return x86::CondCode::kNE;
}

// The label a branch to `c` jumps to. A block's or if's end label is made
// on the first branch to it (most blocks have none); a loop's at its head.
Label CodeGenerator::target_of(Ctrl& c) {
  if (!c.label.isValid()) c.label = a_.newLabel();
  return c.label;
}

Status CodeGenerator::open_block(Op op, const BlockType& bt) {
  Ctrl c;
  block_types(bt, c);
  if (op == Op::if_) {
    x86::CondCode cc = pop_condition(); // flags survive the moves below
    c.height = stack_.height() - c.num_params;
    stack_.spill_for_merge();
    stack_.to_slots(c.height); // the false arm may reach the end label with them
    c.kind = CtrlKind::If;
    c.else_label = a_.newLabel();
    a_.j(x86::negateCond(cc), c.else_label);
    c.saved_begin = uint32_t(saved_entries_.size());
    for (uint32_t h = c.height; h < stack_.height(); ++h) saved_entries_.push_back(stack_.at(h));
  } else {
    c.height = stack_.height() - c.num_params;
    stack_.spill_for_merge();
    if (op == Op::loop) {
      stack_.to_slots(c.height); // back edges deliver the parameters in slots
      c.kind = CtrlKind::Loop;
      c.label = a_.newLabel(); // bound here, so made here
      a_.bind(c.label);
      // Nothing but the locals is live here: the interpreter may hand over.
      if (osr_points_ && c.height == 0 && c.num_params == 0)
        masm_.add_osr_point(offset_, osr_target(c.label));
    } else {
      c.kind = CtrlKind::Block;
    }
  }
  ctrls_.push_back(c);
  return {};
}

Status CodeGenerator::else_arm() {
  Ctrl& c = ctrls_.back();
  if (!c.unreachable) {
    stack_.to_slots(c.height);
    a_.jmp(target_of(c));
  }
  a_.bind(c.else_label);
  c.else_seen = true;
  c.unreachable = false;
  stack_.restore(c.height, {saved_entries_.data() + c.saved_begin, c.num_params});
  return {};
}

Status CodeGenerator::end() {
  Ctrl& c = ctrls_.back();
  if (c.kind == CtrlKind::Function) {
    if (!c.unreachable) return_sequence(/*fall_through=*/true);
    masm_.bind_exits(); // the final return falls into them
    ctrls_.pop_back();
    return {};
  }
  if (c.kind == CtrlKind::Loop) {
    // Not a branch target: the results stay where they are.
    if (c.unreachable) {
      Ctrl done = c;
      ctrls_.pop_back();
      stack_.truncate(done.height);
      for (uint32_t i = 0; i < done.num_results; ++i) // never read: dead code follows
        stack_.push_slot(done.result_kind(i));
    } else {
      ctrls_.pop_back();
    }
    return {};
  }
  if (!c.unreachable) stack_.to_slots(c.height);
  if (c.kind == CtrlKind::If && !c.else_seen) a_.bind(c.else_label);
  if (c.label.isValid()) a_.bind(c.label); // only if a branch made it
  Ctrl done = c;
  ctrls_.pop_back();
  if (done.kind == CtrlKind::If) saved_entries_.resize(done.saved_begin);
  stack_.truncate(done.height);
  for (uint32_t i = 0; i < done.num_results; ++i) stack_.push_slot(done.result_kind(i));
  return {};
}

Status CodeGenerator::unreachable() {
  masm_.trap(TrapKind::Unreachable);
  set_unreachable();
  return {};
}

void CodeGenerator::branch_to(uint32_t depth) {
  Ctrl& c = label(depth);
  if (c.kind == CtrlKind::Function) {
    return_sequence();
    return;
  }
  uint32_t n = c.label_arity();
  uint32_t h = stack_.height();
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t src = h - n + i;
    stack_.store(stack_.at(src), src, stack_.slot_of(c.height + i));
  }
  a_.jmp(target_of(c));
}

void CodeGenerator::branch_if(uint32_t depth, x86::CondCode cc) {
  Ctrl& c = label(depth);
  uint32_t n = c.kind == CtrlKind::Function ? 0 : c.label_arity();
  if (c.kind != CtrlKind::Function && stack_.height() - n == c.height) {
    // The values already sit at the label's heights: put them in their
    // slots (moves keep the flags) and branch directly.
    stack_.to_slots(c.height);
    a_.j(cc, target_of(c));
    return;
  }
  Label skip = a_.newLabel();
  a_.j(x86::negateCond(cc), skip);
  branch_to(depth);
  a_.bind(skip);
}

Status CodeGenerator::br(uint32_t depth) {
  branch_to(depth);
  set_unreachable();
  return {};
}

Status CodeGenerator::br_if(uint32_t depth) {
  x86::CondCode cc = pop_condition();
  branch_if(depth, cc);
  return {};
}

Status CodeGenerator::br_table(const BrTableImm& imm) {
  x86::Gp index = stack_.pop_gp();
  uint32_t n = label(imm.default_target).label_arity();
  if (label(imm.default_target).kind == CtrlKind::Function) n = uint32_t(result_kinds_.size());
  uint32_t h = stack_.height();
  stack_.to_slots(h - n);
  // One entry point per distinct target: the label itself when the values
  // are already at its heights, otherwise a stub that moves them first.
  std::map<uint32_t, Label> entry_of;
  std::vector<uint32_t> stubs;
  auto entry_for = [&](uint32_t depth) {
    auto it = entry_of.find(depth);
    if (it != entry_of.end()) return it->second;
    Ctrl& c = label(depth);
    Label l;
    if (c.kind != CtrlKind::Function && h - n == c.height) {
      l = target_of(c);
    } else {
      l = a_.newLabel();
      stubs.push_back(depth);
    }
    entry_of.emplace(depth, l);
    return l;
  };
  uint32_t count = uint32_t(imm.targets.size());
  std::vector<Label> targets;
  targets.reserve(count + 1);
  for (uint32_t t : imm.targets) targets.push_back(entry_for(t));
  targets.push_back(entry_for(imm.default_target));
  // index = min(index, count); jump through a table of 32-bit offsets.
  Label table = a_.newLabel();
  a_.mov(kScratch.r32(), count);
  a_.cmp(index.r32(), kScratch.r32());
  a_.cmova(index.r32(), kScratch.r32());
  a_.lea(kScratch, x86::ptr(table));
  a_.movsxd(index.r64(), x86::dword_ptr(kScratch, index.r64(), 2));
  a_.add(index.r64(), kScratch);
  a_.jmp(index.r64());
  stack_.release(index);
  a_.align(asmjit::AlignMode::kData, 4);
  a_.bind(table);
  for (const Label& l : targets) a_.embedLabelDelta(l, table, 4);
  for (uint32_t depth : stubs) {
    a_.bind(entry_of[depth]);
    branch_to(depth);
  }
  set_unreachable();
  return {};
}

Status CodeGenerator::br_on_null(uint32_t depth, bool on_non_null) {
  x86::Gp r = stack_.pop_gp();
  if (on_non_null) {
    stack_.push_gp(ValKind::Ref, r); // the label receives the reference
    a_.test(r, r);
    branch_if(depth, x86::CondCode::kNZ);
    stack_.drop(1);
  } else {
    a_.test(r, r);
    branch_if(depth, x86::CondCode::kZ); // r is held: branch moves do not touch it
    stack_.push_gp(ValKind::Ref, r);
  }
  return {};
}

Status CodeGenerator::return_() {
  return_sequence();
  set_unreachable();
  return {};
}

void CodeGenerator::return_sequence(bool fall_through) {
  uint32_t n = uint32_t(result_kinds_.size());
  uint32_t h = stack_.height();
  uint32_t base = h - n;
  // A result read from local x < n (in its slot) would be overwritten by
  // result x first: copy such values to their own slots beforehand.
  std::vector<uint8_t>& via_slot = via_slot_;
  via_slot.assign(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    const Entry& e = stack_.at(base + i);
    if (e.loc == Loc::Local && !stack_.local_in_reg(e.local) && e.local < n && e.local < i) {
      stack_.store(e, base + i, stack_.slot_of(base + i));
      via_slot[i] = 1;
    }
  }
  for (uint32_t i = 0; i < n; ++i) {
    const Entry& e = stack_.at(base + i);
    x86::Mem dst = MacroAssembler::slot(i, kind_bytes(e.kind));
    if (via_slot[i]) {
      masm_.copy_mem(dst, stack_.slot_of(base + i), kind_bytes(e.kind) == 16 ? 16 : 8);
    } else {
      stack_.store(e, base + i, dst);
    }
  }
  if (!fall_through) a_.jmp(masm_.exit_true());
}

} // namespace tandem::jit
