// Calls: direct, indirect (with the same signature check as the
// interpreter: canonical type ids, subtyping on mismatch), by reference, and
// their tail-call forms.
//
// A call goes through the callee's FuncInst::jit_entry, compiled code's
// internal entry (macro_assembler.h), when it has one; else through its
// FuncInst::entry with the shared EntryFn convention, so interpreted and
// host callees look alike.
// The arguments are the top n entries, put in their canonical slots; that
// address is the callee's frame, and its results come back in the same
// slots. A false return means the error is pending: leave at once.
//
// A tail call moves the arguments to frame[0..n), tears down this
// function's native frame (and call depth) and jumps to the callee's entry
// with (ctx, callee, frame): the callee returns straight to our caller, so
// unbounded tail recursion uses no stack.
#include "jit/codegen.h"
#include "jit/runtime_calls.h"
#include "jit/runtime_layout.h"

namespace tandem::jit {

void CodeGenerator::emit_call(const FuncType& type, uint32_t base, bool tail, bool same_instance) {
  uint32_t n = uint32_t(type.params.size());
  // Through jit_entry when the callee has compiled code; else through its
  // EntryFn, which reads the depth from the context.
  Label entry_fn = a_.newLabel(), done = a_.newLabel();
  if (tail) {
    for (uint32_t i = 0; i < n; ++i) {
      x86::Mem src = stack_.slot_of(base + i);
      x86::Mem dst = MacroAssembler::slot(i);
      uint32_t bytes = type.params[i].kind() == ValKind::V128 ? 16 : 8;
      if (!(src == dst)) masm_.copy_mem(dst, src, bytes);
    }
    a_.mov(x86::rdx, kFrameReg);
    a_.sub(kDepthReg, 1);
    masm_.leave_frame();
    a_.mov(kScratch, x86::qword_ptr(x86::rsi, layout::kFuncJitEntry));
    a_.test(kScratch, kScratch);
    a_.jz(entry_fn);
    a_.jmp(kScratch);
    a_.bind(entry_fn);
    masm_.tail_call_entry_fn();
    stack_.drop(n);
    set_unreachable();
    return;
  }
  a_.lea(x86::rdx, stack_.slot_of(base));
  a_.mov(kScratch, x86::qword_ptr(x86::rsi, layout::kFuncJitEntry));
  a_.test(kScratch, kScratch);
  a_.jz(entry_fn); // out of line, after the body (emit_entry_fn_calls)
  a_.call(kScratch);
  a_.bind(done);
  entry_fn_calls_.push_back({entry_fn, done});
  // A compiled callee of another instance leaves its own base in r14 (also
  // on the way to an exception handler here).
  if (!same_instance) masm_.reload_memory_base();
  masm_.check_call_result(exception_exit());
  reload_locals(/*all=*/false);
  stack_.drop(n);
  for (ValType t : type.results) stack_.push_slot(t.kind());
}

Status CodeGenerator::call(uint32_t func_index, bool tail) {
  rt::FuncInst* callee = inst_.funcs[func_index];
  const FuncType& type = m_.func_type_of(func_index);
  uint32_t base = prepare_helper_call(uint32_t(type.params.size()));
  masm_.mov_imm(x86::rsi, reinterpret_cast<uint64_t>(callee));
  emit_call(type, base, tail, /*same_instance=*/callee->module == &inst_);
  return {};
}

Status CodeGenerator::call_indirect(uint32_t type_index, uint32_t table, bool tail) {
  const FuncType& type = m_.func_type(type_index);
  rt::TableInst* t = inst_.tables[table];
  uint32_t expected = inst_.type_ids[type_index];
  x86::Gp index = stack_.pop_gp();
  uint32_t base = prepare_helper_call(uint32_t(type.params.size()));
  masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(t));
  a_.cmp(index.r64(), x86::qword_ptr(kScratch, layout::kTableSize));
  masm_.trap_if(x86::CondCode::kAE, TrapKind::UndefinedElement);
  a_.mov(kScratch, x86::qword_ptr(kScratch, layout::kTableElems));
  a_.mov(x86::rsi, x86::qword_ptr(kScratch, index.r64(), 3));
  stack_.release(index);
  a_.test(x86::rsi, x86::rsi);
  masm_.trap_if(x86::CondCode::kZ, TrapKind::UninitializedElement);
  Label ok = a_.newLabel();
  a_.cmp(x86::dword_ptr(x86::rsi, layout::kFuncTypeId), expected);
  a_.je(ok);
  // Slow path: subtyping. The callee waits in the free slot above the
  // arguments (the frame always has one) across the helper call.
  x86::Mem save = stack_.slot_of(stack_.height());
  a_.mov(save, x86::rsi);
  a_.mov(x86::rdi, kCtxReg);
  a_.mov(x86::edx, expected);
  masm_.call_address(reinterpret_cast<const void*>(&calls::func_type_matches));
  a_.test(x86::eax, x86::eax);
  masm_.trap_if(x86::CondCode::kZ, TrapKind::IndirectCallTypeMismatch);
  a_.mov(x86::rsi, save);
  a_.bind(ok);
  emit_call(type, base, tail, /*same_instance=*/false);
  return {};
}

Status CodeGenerator::call_ref(uint32_t type_index, bool tail) {
  const FuncType& type = m_.func_type(type_index);
  x86::Gp ref = stack_.pop_gp();
  uint32_t base = prepare_helper_call(uint32_t(type.params.size()));
  a_.test(ref, ref);
  masm_.trap_if(x86::CondCode::kZ, TrapKind::NullFunctionReference);
  a_.mov(x86::rsi, ref);
  stack_.release(ref);
  emit_call(type, base, tail, /*same_instance=*/false);
  return {};
}

void CodeGenerator::emit_entry_fn_calls() {
  // A callee without compiled code: through its EntryFn (rsi and rdx are
  // still set), which reads the depth from the context.
  for (const auto& [entry_fn, back] : entry_fn_calls_) {
    a_.bind(entry_fn);
    a_.mov(x86::dword_ptr(kCtxReg, layout::kCtxDepth), kDepthReg);
    a_.mov(x86::rdi, kCtxReg);
    a_.call(x86::qword_ptr(x86::rsi, layout::kFuncEntry));
    a_.jmp(back);
  }
}

} // namespace tandem::jit
