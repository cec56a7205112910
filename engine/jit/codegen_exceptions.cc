// Exception handling: try_table, throw and throw_ref, with the interpreter's
// protocol (ctx->exception in flight, pending ErrorKind::Exception), so an
// exception crosses compiled and interpreted frames alike.
//
// Each try_table gets an unwind stub, emitted after the function body. A
// failed call or a throw inside the try_table's body jumps to it. The stub
// asks calls::caught_exception whether the pending error is a wasm
// exception (traps are not catchable: they go on to the exit), then tests
// the clauses in order: a match copies the payload (and the exnref) into the
// slots of the clause's label and branches there like `br`. Without a match
// it continues at the enclosing try_table's stub, or leaves the function
// with the exception still pending. Entries below a label's base are Slot or
// Const (the block invariant), so the stub does not depend on the stack
// state of the throwing site.
#include "jit/codegen.h"
#include "jit/runtime_calls.h"
#include "jit/runtime_layout.h"

namespace tandem::jit {

Label CodeGenerator::exception_exit() const {
  for (size_t i = ctrls_.size(); i-- > 0;)
    if (ctrls_[i].kind == CtrlKind::TryTable) return ctrls_[i].unwind;
  return masm_.exit_false();
}

Status CodeGenerator::open_try_table(const TryTableImm& imm) {
  UnwindStub stub;
  stub.label = a_.newLabel();
  stub.outer = exception_exit();
  for (const CatchClause& c : imm.catches) {
    CatchTarget t;
    if (c.kind == CatchKind::Catch || c.kind == CatchKind::CatchRef) {
      t.tag = inst_.tags[c.tag];
      t.num_values = uint32_t(m_.func_type(m_.tags[c.tag].type_index).params.size());
    }
    t.with_ref = c.kind == CatchKind::CatchRef || c.kind == CatchKind::CatchAllRef;
    // Catch labels are relative to the context outside the try_table.
    Ctrl& target = label(c.label);
    t.to_function = target.kind == CtrlKind::Function;
    t.slot = t.to_function ? 0 : num_locals_ + target.height;
    if (!t.to_function) t.label = target_of(target);
    stub.clauses.push_back(t);
  }
  TANDEM_TRY(open_block(Op::block, imm.block));
  ctrls_.back().kind = CtrlKind::TryTable;
  ctrls_.back().unwind = stub.label;
  unwind_stubs_.push_back(std::move(stub));
  return {};
}

Status CodeGenerator::throw_(uint32_t tag) {
  uint32_t n = uint32_t(m_.func_type(m_.tags[tag].type_index).params.size());
  uint32_t base = prepare_helper_call(n);
  a_.mov(x86::rdi, kCtxReg);
  masm_.mov_imm(x86::rsi, reinterpret_cast<uint64_t>(inst_.tags[tag]));
  a_.lea(x86::rdx, stack_.slot_of(base));
  masm_.call_address(reinterpret_cast<const void*>(&calls::throw_exception));
  a_.jmp(exception_exit());
  stack_.drop(n);
  set_unreachable();
  return {};
}

Status CodeGenerator::throw_ref() {
  x86::Gp r = stack_.pop_gp();
  prepare_helper_call(0);
  a_.mov(x86::rsi, r);
  stack_.release(r);
  a_.mov(x86::rdi, kCtxReg);
  masm_.call_address(reinterpret_cast<const void*>(&calls::throw_ref));
  masm_.check_helper_trap();
  a_.jmp(exception_exit());
  set_unreachable();
  return {};
}

void CodeGenerator::emit_unwind_stubs() {
  for (const UnwindStub& stub : unwind_stubs_) {
    a_.bind(stub.label);
    a_.mov(x86::rdi, kCtxReg);
    masm_.call_address(reinterpret_cast<const void*>(&calls::caught_exception));
    a_.test(x86::rax, x86::rax);
    a_.jz(masm_.exit_false());    // not a wasm exception
    a_.mov(x86::rcx, x86::rax);   // rcx: no register local lives there
    reload_locals(/*all=*/false); // the calls clobbered the caller-saved ones
    for (const CatchTarget& t : stub.clauses) {
      Label next = a_.newLabel();
      if (t.tag) {
        masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(t.tag));
        a_.cmp(x86::qword_ptr(x86::rcx, layout::kExnTag), kScratch);
        a_.jne(next);
      }
      if (t.num_values) a_.mov(kScratch, x86::qword_ptr(x86::rcx, layout::kExnValues));
      for (uint32_t i = 0; i < t.num_values; ++i)
        masm_.copy_mem(MacroAssembler::slot(t.slot + i),
                       x86::ptr(kScratch, int32_t(i) * layout::kSlotBytes), 16);
      if (t.with_ref) a_.mov(MacroAssembler::slot(t.slot + t.num_values), x86::rcx);
      a_.jmp(t.to_function ? masm_.exit_true() : t.label);
      a_.bind(next);
    }
    a_.jmp(stub.outer);
  }
}

} // namespace tandem::jit
