// FuncValidator: linear memory, tables, atomics and SIMD lane immediates.
#include "validator/func_validator.h"

namespace tandem {

Result<ValType> FuncValidator::memory_address(uint32_t memory) const {
  if (memory >= m_.memories.size()) return err("unknown memory " + std::to_string(memory));
  return m_.memories[memory].limits.is64 ? kI64 : kI32;
}

Result<ValType> FuncValidator::table_address(uint32_t table) const {
  if (table >= m_.tables.size()) return err("unknown table " + std::to_string(table));
  return m_.tables[table].type.limits.is64 ? kI64 : kI32;
}

Status FuncValidator::check_memarg(Op op, const MemArgImm& m, ValType& addr) const {
  TANDEM_ASSIGN(addr, memory_address(m.memory));
  uint32_t bytes = memory_access_bytes(op);
  Shape shape = op_info(op).shape;
  bool atomic = shape >= Shape::AtomicLoad && shape <= Shape::AtomicWait;
  if (m.align_log2 >= 32 || (uint64_t(1) << m.align_log2) > bytes)
    return err("alignment must not be larger than natural");
  if (atomic && (uint64_t(1) << m.align_log2) != bytes)
    return err("atomic alignment must be natural");
  if (addr == kI32 && m.offset > 0xffffffffull) return err("offset out of range");
  return {};
}

Status FuncValidator::check_lane(Op op, uint8_t lane) const {
  uint32_t lanes = 16;
  std::string_view n = op_name(op);
  if (n.starts_with("i16x8"))
    lanes = 8;
  else if (n.starts_with("i32x4") || n.starts_with("f32x4"))
    lanes = 4;
  else if (n.starts_with("i64x2") || n.starts_with("f64x2"))
    lanes = 2;
  else if (uint32_t bytes = memory_access_bytes(op))
    lanes = 16 / bytes;
  if (lane >= lanes) return err("invalid lane index");
  return {};
}

Status FuncValidator::on(Op op, const MemArgImm& m, const OpSig& sig) {
  ValType addr;
  TANDEM_TRY(check_memarg(op, m, addr));
  return apply(sig, addr);
}

Status FuncValidator::on(Op op, const MemArgLaneImm& m, const OpSig& sig) {
  ValType addr;
  TANDEM_TRY(check_memarg(op, m.mem, addr));
  TANDEM_TRY(check_lane(op, m.lane));
  return apply(sig, addr);
}

Status FuncValidator::on(Op op, const LaneImm& imm, const OpSig& sig) {
  TANDEM_TRY(check_lane(op, imm.lane));
  return apply(sig, kI32);
}

Status FuncValidator::on(Op op, const ShuffleImm& imm, const OpSig& sig) {
  for (uint8_t lane : imm.lanes)
    if (lane >= 32) return err("invalid lane index");
  return apply(sig, kI32);
}

Status FuncValidator::check_elem(uint32_t elem) const {
  if (elem >= m_.elems.size()) return err("unknown elem segment " + std::to_string(elem));
  return {};
}

Status FuncValidator::check_data(uint32_t data) const {
  size_t count = m_.data_count ? *m_.data_count : m_.datas.size();
  if (data >= count) return err("unknown data segment " + std::to_string(data));
  return {};
}

Status FuncValidator::on(Op op, const MemoryInitImm& imm, const OpSig& sig) {
  TANDEM_ASSIGN(ValType addr, memory_address(imm.memory));
  TANDEM_TRY(check_data(imm.data));
  return apply(sig, addr);
}

Status FuncValidator::on(Op op, const MemoryCopyImm& imm, const OpSig&) {
  TANDEM_ASSIGN(ValType dst, memory_address(imm.dst));
  TANDEM_ASSIGN(ValType src, memory_address(imm.src));
  ValType len = dst == kI64 && src == kI64 ? kI64 : kI32;
  ValType operands[] = {dst, src, len};
  return pop(operands);
}

Status FuncValidator::on(Op op, const TableCopyImm& imm, const OpSig&) {
  TANDEM_ASSIGN(ValType dst, table_address(imm.dst));
  TANDEM_ASSIGN(ValType src, table_address(imm.src));
  if (!types_.subtype(m_.tables[imm.src].type.elem, m_.tables[imm.dst].type.elem))
    return err("type mismatch: table.copy between incompatible tables");
  ValType len = dst == kI64 && src == kI64 ? kI64 : kI32;
  ValType operands[] = {dst, src, len};
  return pop(operands);
}

Status FuncValidator::on(Op op, const TableInitImm& imm, const OpSig&) {
  TANDEM_ASSIGN(ValType addr, table_address(imm.table));
  TANDEM_TRY(check_elem(imm.elem));
  if (!types_.subtype(m_.elems[imm.elem].type, m_.tables[imm.table].type.elem))
    return err("type mismatch: element segment does not match the table");
  ValType operands[] = {addr, kI32, kI32};
  return pop(operands);
}

Status FuncValidator::memory_on_index(Op op, uint32_t x, const OpSig& sig) {
  switch (op) {
  case Op::memory_size:
  case Op::memory_grow:
  case Op::memory_fill: {
    TANDEM_ASSIGN(ValType addr, memory_address(x));
    return apply(sig, addr);
  }
  case Op::data_drop: return check_data(x);
  case Op::elem_drop: return check_elem(x);
  case Op::table_get: {
    TANDEM_ASSIGN(ValType addr, table_address(x));
    TANDEM_TRY(pop(addr));
    push(m_.tables[x].type.elem);
    return {};
  }
  case Op::table_set: {
    TANDEM_ASSIGN(ValType addr, table_address(x));
    ValType operands[] = {addr, m_.tables[x].type.elem};
    return pop(operands);
  }
  case Op::table_size: {
    TANDEM_ASSIGN(ValType addr, table_address(x));
    push(addr);
    return {};
  }
  case Op::table_grow: {
    TANDEM_ASSIGN(ValType addr, table_address(x));
    ValType operands[] = {m_.tables[x].type.elem, addr};
    TANDEM_TRY(pop(operands));
    push(addr);
    return {};
  }
  case Op::table_fill: {
    TANDEM_ASSIGN(ValType addr, table_address(x));
    ValType operands[] = {addr, m_.tables[x].type.elem, addr};
    return pop(operands);
  }
  default: return gc_on_index(op, x);
  }
}

} // namespace tandem
