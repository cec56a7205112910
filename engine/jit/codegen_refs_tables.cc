// Reference instructions (ref.func, ref.is_null, ref.eq, ref.as_non_null)
// and table instructions. table.get/set/size are inline (bounds-checked
// against the current size; the element array may move on grow, so it is
// reloaded each time); grow, fill, copy and init call runtime_calls.h.
#include "jit/codegen.h"
#include "jit/runtime_calls.h"
#include "jit/runtime_layout.h"

namespace tandem::jit {

Status CodeGenerator::ref_func(uint32_t index) {
  stack_.push_const(ValKind::Ref, reinterpret_cast<uint64_t>(inst_.funcs[index]));
  return {};
}

Status CodeGenerator::ref_is_null() {
  x86::Gp r = stack_.pop_gp();
  a_.test(r, r);
  stack_.release(r);
  stack_.push_cond(x86::CondCode::kZ);
  return {};
}

Status CodeGenerator::ref_eq() {
  x86::Gp b = stack_.pop_gp();
  x86::Gp r = stack_.pop_gp();
  a_.cmp(r, b);
  stack_.release(b);
  stack_.release(r);
  stack_.push_cond(x86::CondCode::kE);
  return {};
}

Status CodeGenerator::ref_as_non_null() {
  x86::Gp r = stack_.pop_gp();
  a_.test(r, r);
  masm_.trap_if(x86::CondCode::kZ, TrapKind::NullReference);
  stack_.push_gp(ValKind::Ref, r);
  return {};
}

Status CodeGenerator::table_access(uint32_t table, bool is_set) {
  rt::TableInst* t = inst_.tables[table];
  x86::Gp value;
  if (is_set) value = stack_.pop_gp();
  x86::Gp index = stack_.pop_gp();
  masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(t));
  a_.cmp(index.r64(), x86::qword_ptr(kScratch, layout::kTableSize));
  masm_.trap_if(x86::CondCode::kAE, TrapKind::TableOutOfBounds);
  a_.mov(kScratch, x86::qword_ptr(kScratch, layout::kTableElems));
  x86::Mem elem = x86::qword_ptr(kScratch, index.r64(), 3);
  if (is_set) {
    a_.mov(elem, value);
    stack_.release(value);
    stack_.release(index);
  } else {
    a_.mov(index.r64(), elem);
    stack_.push_gp(ValKind::Ref, index);
  }
  return {};
}

Status CodeGenerator::table_size(uint32_t table) {
  rt::TableInst* t = inst_.tables[table];
  x86::Gp r = stack_.alloc_gp();
  masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(t));
  a_.mov(r, x86::qword_ptr(kScratch, layout::kTableSize));
  stack_.push_gp(t->is64 ? ValKind::I64 : ValKind::I32, r);
  return {};
}

Status CodeGenerator::table_grow(uint32_t table) {
  rt::TableInst* t = inst_.tables[table];
  uint32_t base = prepare_helper_call(2);
  masm_.mov_imm(x86::rdi, reinterpret_cast<uint64_t>(t));
  a_.lea(x86::rsi, stack_.slot_of(base));
  masm_.call_address(reinterpret_cast<const void*>(&calls::table_grow));
  finish_helper_call(2, t->is64 ? ValKind::I64 : ValKind::I32);
  return {};
}

Status CodeGenerator::table_fill(uint32_t table) {
  uint32_t base = prepare_helper_call(3);
  masm_.mov_imm(x86::rdi, reinterpret_cast<uint64_t>(inst_.tables[table]));
  a_.lea(x86::rsi, stack_.slot_of(base));
  masm_.call_address(reinterpret_cast<const void*>(&calls::table_fill));
  masm_.check_helper_trap();
  finish_helper_call(3, std::nullopt);
  return {};
}

Status CodeGenerator::table_copy(uint32_t dst, uint32_t src) {
  uint32_t base = prepare_helper_call(3);
  masm_.mov_imm(x86::rdi, reinterpret_cast<uint64_t>(inst_.tables[dst]));
  masm_.mov_imm(x86::rsi, reinterpret_cast<uint64_t>(inst_.tables[src]));
  a_.lea(x86::rdx, stack_.slot_of(base));
  masm_.call_address(reinterpret_cast<const void*>(&calls::table_copy));
  masm_.check_helper_trap();
  finish_helper_call(3, std::nullopt);
  return {};
}

Status CodeGenerator::table_init(uint32_t elem, uint32_t table) {
  uint32_t base = prepare_helper_call(3);
  masm_.mov_imm(x86::rdi, reinterpret_cast<uint64_t>(inst_.tables[table]));
  masm_.mov_imm(x86::rsi, reinterpret_cast<uint64_t>(&inst_.elems[elem]));
  a_.lea(x86::rdx, stack_.slot_of(base));
  masm_.call_address(reinterpret_cast<const void*>(&calls::table_init));
  masm_.check_helper_trap();
  finish_helper_call(3, std::nullopt);
  return {};
}

Status CodeGenerator::elem_drop(uint32_t elem) {
  masm_.mov_imm(kScratch, reinterpret_cast<uint64_t>(&inst_.elems[elem].size));
  a_.mov(x86::qword_ptr(kScratch), Imm(0));
  return {};
}

} // namespace tandem::jit
