// Out-of-line handlers of the interpreter: general loads/stores (any memory,
// 64-bit addresses), bulk memory and table instructions (semantics shared
// with the JIT in runtime/bulk_ops.h). These are not on
// the hot path of typical code, so they live outside the dispatch loop.
#include "interp/exec_helpers.h"
#include "runtime/bulk_ops.h"

namespace tandem::interp {
namespace {

// Effective address of [addr + offset, +len) in `m`, or nullopt when out of bounds.
bool effective(const rt::MemoryInst* m, uint64_t addr, uint64_t offset, uint64_t len,
               uint64_t& ea) {
  if (offset > ~uint64_t(0) - addr) return false;
  ea = addr + offset;
  return rt::memory_in_bounds(*m, ea, len);
}

uint64_t read_address(const char* fp, uint32_t slot, bool is64) {
  return is64 ? rd<uint64_t>(fp, slot) : rd<uint32_t>(fp, slot);
}

template <Op op> void load_if_load(char* fp, uint32_t dst, const uint8_t* p) {
  uint64_t unused = 0; // no register form here
  if constexpr (op_info(op).shape == Shape::Load) load_value<op, false>(fp, dst, unused, p);
  if constexpr (op_info(op).shape == Shape::SimdLoad) simd_wr(fp, dst, rt::simd_load<op>(p));
}
template <Op op> void store_if_store(const char* fp, uint32_t src, uint8_t* p) {
  if constexpr (op_info(op).shape == Shape::Store) store_value<op, false>(fp, src, 0, p);
  if constexpr (op_info(op).shape == Shape::SimdStore) std::memcpy(p, fp + src, 16);
}

} // namespace

bool exec_load_x(char* fp, const uint32_t* pc, const rt::ModuleInst* inst) {
  Op op = Op(pc[1]);
  const rt::MemoryInst* m = inst->ctx.memories[pc[4]];
  uint64_t ea;
  if (!effective(m, read_address(fp, pc[3], m->is64), u64_at(pc + 5), memory_access_bytes(op), ea))
    return false;
  switch (op) {
#define OP(id, name, prefix, code, imm, shape, sig, feature)                                       \
  case Op::id:                                                                                     \
    load_if_load<Op::id>(fp, pc[2], m->base + ea);                                                 \
    break;
#include "wasm/opcodes.def"
#undef OP
  }
  return true;
}

bool exec_store_x(char* fp, const uint32_t* pc, const rt::ModuleInst* inst) {
  Op op = Op(pc[1]);
  rt::MemoryInst* m = inst->ctx.memories[pc[4]];
  uint64_t ea;
  if (!effective(m, read_address(fp, pc[2], m->is64), u64_at(pc + 5), memory_access_bytes(op), ea))
    return false;
  switch (op) {
#define OP(id, name, prefix, code, imm, shape, sig, feature)                                       \
  case Op::id:                                                                                     \
    store_if_store<Op::id>(fp, pc[3], m->base + ea);                                               \
    break;
#include "wasm/opcodes.def"
#undef OP
  }
  return true;
}

TrapKind exec_memory_op(IOp op, char* fp, const uint32_t* pc, rt::ModuleInst* inst) {
  switch (op) {
  case IOp::memory_fill: {
    rt::MemoryInst& m = *inst->ctx.memories[pc[4]];
    return rt::memory_fill_op(m, read_address(fp, pc[1], m.is64), uint8_t(rd<uint32_t>(fp, pc[2])),
                              read_address(fp, pc[3], m.is64));
  }
  case IOp::memory_copy: {
    rt::MemoryInst& dm = *inst->ctx.memories[pc[4]];
    rt::MemoryInst& sm = *inst->ctx.memories[pc[5]];
    return rt::memory_copy_op(dm, sm, read_address(fp, pc[1], dm.is64),
                              read_address(fp, pc[2], sm.is64),
                              read_address(fp, pc[3], dm.is64 && sm.is64));
  }
  case IOp::memory_init: {
    rt::MemoryInst& m = *inst->ctx.memories[pc[5]];
    return rt::memory_init_op(m, inst->datas[pc[4]], read_address(fp, pc[1], m.is64),
                              rd<uint32_t>(fp, pc[2]), rd<uint32_t>(fp, pc[3]));
  }
  default: return TrapKind::Unreachable;
  }
}

TrapKind exec_table_op(IOp op, char* fp, const uint32_t* pc, rt::ModuleInst* inst) {
  constexpr TrapKind kOk = TrapKind::kCount;
  switch (op) {
  case IOp::table_get: {
    const rt::TableInst* t = inst->ctx.tables[pc[3]];
    uint64_t i = read_address(fp, pc[2], t->is64);
    if (i >= t->size) return TrapKind::TableOutOfBounds;
    wr<uintptr_t>(fp, pc[1], t->elems[i]);
    return kOk;
  }
  case IOp::table_set: {
    rt::TableInst* t = inst->ctx.tables[pc[3]];
    uint64_t i = read_address(fp, pc[1], t->is64);
    if (i >= t->size) return TrapKind::TableOutOfBounds;
    t->elems[i] = rd<uintptr_t>(fp, pc[2]);
    return kOk;
  }
  case IOp::table_grow: {
    rt::TableInst* t = inst->ctx.tables[pc[4]];
    uintptr_t init = rd<uintptr_t>(fp, pc[2]);
    int64_t old = rt::table_grow(*t, read_address(fp, pc[3], t->is64), init);
    if (t->is64) {
      wr<uint64_t>(fp, pc[1], uint64_t(old));
    } else {
      wr<uint32_t>(fp, pc[1], uint32_t(old));
    }
    return kOk;
  }
  case IOp::table_fill: {
    rt::TableInst& t = *inst->ctx.tables[pc[4]];
    return rt::table_fill_op(t, read_address(fp, pc[1], t.is64), rd<uintptr_t>(fp, pc[2]),
                             read_address(fp, pc[3], t.is64));
  }
  case IOp::table_copy: {
    rt::TableInst& dt = *inst->ctx.tables[pc[4]];
    rt::TableInst& st = *inst->ctx.tables[pc[5]];
    return rt::table_copy_op(dt, st, read_address(fp, pc[1], dt.is64),
                             read_address(fp, pc[2], st.is64),
                             read_address(fp, pc[3], dt.is64 && st.is64));
  }
  case IOp::table_init: {
    rt::TableInst& t = *inst->ctx.tables[pc[5]];
    return rt::table_init_op(t, inst->elems[pc[4]], read_address(fp, pc[1], t.is64),
                             rd<uint32_t>(fp, pc[2]), rd<uint32_t>(fp, pc[3]));
  }
  default: return TrapKind::Unreachable;
  }
}

} // namespace tandem::interp
