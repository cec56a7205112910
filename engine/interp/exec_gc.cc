// Out-of-line handlers of the GC instructions (structs, arrays, i31, casts).
// Operand layouts are in internal_ops.def; object layout in runtime/gc.h.
#include "interp/exec_helpers.h"
#include "runtime/gc.h"

namespace tandem::interp {
namespace {

using rt::RawValue;

constexpr TrapKind kOk = TrapKind::kCount;

rt::StructObj* as_struct(uintptr_t r) {
  return reinterpret_cast<rt::StructObj*>(r);
}
rt::ArrayObj* as_array(uintptr_t r) {
  return reinterpret_cast<rt::ArrayObj*>(r);
}
RawValue& slot(char* fp, uint32_t off) {
  return *reinterpret_cast<RawValue*>(fp + off);
}

bool range_ok(uint64_t offset, uint64_t n, uint64_t size) {
  return offset <= size && n <= size - offset;
}

void put_ref(char* fp, uint32_t off, const void* p) {
  wr<uintptr_t>(fp, off, reinterpret_cast<uintptr_t>(p));
}

} // namespace

TrapKind exec_gc_op(IOp op, char* fp, const uint32_t* pc, rt::ModuleInst* inst) {
  rt::StoreImpl& store = *inst->ctx.store;
  switch (op) {
  case IOp::ref_i31: wr<uintptr_t>(fp, pc[1], rt::make_i31(rd<uint32_t>(fp, pc[2]))); return kOk;
  case IOp::i31_get_s:
  case IOp::i31_get_u: {
    uintptr_t r = rd<uintptr_t>(fp, pc[2]);
    if (r == 0) return TrapKind::NullI31Reference;
    wr<uint32_t>(fp, pc[1], op == IOp::i31_get_s ? rt::i31_get_s(r) : rt::i31_get_u(r));
    return kOk;
  }
  case IOp::struct_new:
  case IOp::struct_new_default: {
    const rt::StructLayout& layout = store.struct_layout(pc[2]);
    rt::StructObj* s = store.alloc_struct(pc[2]);
    if (!s) return TrapKind::ArrayAllocationTooLarge;
    if (op == IOp::struct_new) {
      for (uint32_t i = 0; i < pc[4]; ++i)
        rt::write_field(s->fields() + layout.offsets[i], slot(fp, pc[3] + slot_offset(i)),
                        layout.sizes[i]);
    }
    put_ref(fp, pc[1], s);
    return kOk;
  }
  case IOp::struct_new_desc:
  case IOp::struct_new_default_desc: {
    bool with_fields = op == IOp::struct_new_desc;
    uintptr_t desc =
        with_fields ? rd<uintptr_t>(fp, pc[3] + slot_offset(pc[4])) : rd<uintptr_t>(fp, pc[3]);
    if (desc == 0) return TrapKind::NullDescriptorReference;
    const rt::StructLayout& layout = store.struct_layout(pc[2]);
    rt::StructObj* s = store.alloc_struct(pc[2]);
    if (!s) return TrapKind::ArrayAllocationTooLarge;
    s->set_descriptor(desc);
    if (with_fields) {
      for (uint32_t i = 0; i < pc[4]; ++i)
        rt::write_field(s->fields() + layout.offsets[i], slot(fp, pc[3] + slot_offset(i)),
                        layout.sizes[i]);
    }
    put_ref(fp, pc[1], s);
    return kOk;
  }
  case IOp::ref_get_desc: {
    uintptr_t r = rd<uintptr_t>(fp, pc[2]);
    if (r == 0) return TrapKind::NullReference;
    wr<uintptr_t>(fp, pc[1], as_struct(r)->descriptor());
    return kOk;
  }
  case IOp::ref_cast_desc_eq: {
    uintptr_t desc = rd<uintptr_t>(fp, pc[2]);
    if (desc == 0) return TrapKind::NullDescriptorReference;
    if (!rt::desc_test(rd<uintptr_t>(fp, pc[1]), desc, pc[3] != 0))
      return TrapKind::DescriptorCastFailure;
    return kOk;
  }
  case IOp::struct_get: {
    uintptr_t r = rd<uintptr_t>(fp, pc[2]);
    if (r == 0) return TrapKind::NullStructReference;
    rt::read_field(slot(fp, pc[1]), as_struct(r)->fields() + pc[3], pc[4]);
    return kOk;
  }
  case IOp::struct_set: {
    uintptr_t r = rd<uintptr_t>(fp, pc[1]);
    if (r == 0) return TrapKind::NullStructReference;
    rt::write_field(as_struct(r)->fields() + pc[3], slot(fp, pc[2]), pc[4]);
    return kOk;
  }
  case IOp::array_new:
  case IOp::array_new_default: {
    uint32_t len_slot = op == IOp::array_new ? pc[4] : pc[3];
    rt::ArrayObj* a = store.alloc_array(pc[2], rd<uint32_t>(fp, len_slot));
    if (!a) return TrapKind::ArrayAllocationTooLarge;
    if (op == IOp::array_new) {
      const RawValue& init = slot(fp, pc[3]);
      for (uint32_t i = 0; i < a->length; ++i)
        rt::write_field(a->data() + uint64_t(i) * a->elem_size, init, a->elem_size);
    }
    put_ref(fp, pc[1], a);
    return kOk;
  }
  case IOp::array_new_fixed: {
    rt::ArrayObj* a = store.alloc_array(pc[2], pc[4]);
    if (!a) return TrapKind::ArrayAllocationTooLarge;
    for (uint32_t i = 0; i < pc[4]; ++i)
      rt::write_field(a->data() + uint64_t(i) * a->elem_size, slot(fp, pc[3] + slot_offset(i)),
                      a->elem_size);
    put_ref(fp, pc[1], a);
    return kOk;
  }
  case IOp::array_new_data: {
    const rt::DataSegInst& seg = inst->datas[pc[5]];
    uint64_t offset = rd<uint32_t>(fp, pc[3]);
    uint64_t n = rd<uint32_t>(fp, pc[4]);
    uint32_t elem = rt::storage_size(store.types.get(pc[2]).comp.fields[0].storage);
    if (n > (uint64_t(1) << 32) || !range_ok(offset, n * elem, seg.size))
      return TrapKind::MemoryOutOfBounds;
    rt::ArrayObj* a = store.alloc_array(pc[2], n);
    if (!a) return TrapKind::ArrayAllocationTooLarge;
    if (n) std::memcpy(a->data(), seg.bytes + offset, n * elem);
    put_ref(fp, pc[1], a);
    return kOk;
  }
  case IOp::array_new_elem: {
    const rt::ElemSegInst& seg = inst->elems[pc[5]];
    uint64_t offset = rd<uint32_t>(fp, pc[3]);
    uint64_t n = rd<uint32_t>(fp, pc[4]);
    if (!range_ok(offset, n, seg.size)) return TrapKind::TableOutOfBounds;
    rt::ArrayObj* a = store.alloc_array(pc[2], n);
    if (!a) return TrapKind::ArrayAllocationTooLarge;
    for (uint64_t i = 0; i < n; ++i)
      std::memcpy(a->data() + i * a->elem_size, &seg.elems[offset + i], sizeof(uintptr_t));
    put_ref(fp, pc[1], a);
    return kOk;
  }
  case IOp::array_get: {
    uintptr_t r = rd<uintptr_t>(fp, pc[2]);
    if (r == 0) return TrapKind::NullArrayReference;
    rt::ArrayObj* a = as_array(r);
    uint32_t i = rd<uint32_t>(fp, pc[3]);
    if (i >= a->length) return TrapKind::ArrayOutOfBounds;
    rt::read_field(slot(fp, pc[1]), a->data() + uint64_t(i) * a->elem_size,
                   a->elem_size | (pc[4] ? rt::kAccessSigned : 0));
    return kOk;
  }
  case IOp::array_set: {
    uintptr_t r = rd<uintptr_t>(fp, pc[1]);
    if (r == 0) return TrapKind::NullArrayReference;
    rt::ArrayObj* a = as_array(r);
    uint32_t i = rd<uint32_t>(fp, pc[2]);
    if (i >= a->length) return TrapKind::ArrayOutOfBounds;
    rt::write_field(a->data() + uint64_t(i) * a->elem_size, slot(fp, pc[3]), a->elem_size);
    return kOk;
  }
  case IOp::array_len: {
    uintptr_t r = rd<uintptr_t>(fp, pc[2]);
    if (r == 0) return TrapKind::NullArrayReference;
    wr<uint32_t>(fp, pc[1], as_array(r)->length);
    return kOk;
  }
  case IOp::array_fill: {
    uintptr_t r = rd<uintptr_t>(fp, pc[1]);
    if (r == 0) return TrapKind::NullArrayReference;
    rt::ArrayObj* a = as_array(r);
    uint64_t offset = rd<uint32_t>(fp, pc[2]);
    uint64_t n = rd<uint32_t>(fp, pc[4]);
    if (!range_ok(offset, n, a->length)) return TrapKind::ArrayOutOfBounds;
    const RawValue& v = slot(fp, pc[3]);
    for (uint64_t i = 0; i < n; ++i)
      rt::write_field(a->data() + (offset + i) * a->elem_size, v, a->elem_size);
    return kOk;
  }
  case IOp::array_copy: {
    uintptr_t dr = rd<uintptr_t>(fp, pc[1]);
    uintptr_t sr = rd<uintptr_t>(fp, pc[3]);
    if (dr == 0 || sr == 0) return TrapKind::NullArrayReference;
    rt::ArrayObj* d = as_array(dr);
    rt::ArrayObj* s = as_array(sr);
    uint64_t doff = rd<uint32_t>(fp, pc[2]);
    uint64_t soff = rd<uint32_t>(fp, pc[4]);
    uint64_t n = rd<uint32_t>(fp, pc[5]);
    if (!range_ok(doff, n, d->length) || !range_ok(soff, n, s->length))
      return TrapKind::ArrayOutOfBounds;
    if (n)
      std::memmove(d->data() + doff * d->elem_size, s->data() + soff * s->elem_size,
                   n * d->elem_size);
    return kOk;
  }
  case IOp::array_init_data: {
    uintptr_t r = rd<uintptr_t>(fp, pc[1]);
    if (r == 0) return TrapKind::NullArrayReference;
    rt::ArrayObj* a = as_array(r);
    const rt::DataSegInst& seg = inst->datas[pc[5]];
    uint64_t doff = rd<uint32_t>(fp, pc[2]);
    uint64_t soff = rd<uint32_t>(fp, pc[3]);
    uint64_t n = rd<uint32_t>(fp, pc[4]);
    if (!range_ok(doff, n, a->length)) return TrapKind::ArrayOutOfBounds;
    if (!range_ok(soff, n * a->elem_size, seg.size)) return TrapKind::MemoryOutOfBounds;
    if (n) std::memcpy(a->data() + doff * a->elem_size, seg.bytes + soff, n * a->elem_size);
    return kOk;
  }
  case IOp::array_init_elem: {
    uintptr_t r = rd<uintptr_t>(fp, pc[1]);
    if (r == 0) return TrapKind::NullArrayReference;
    rt::ArrayObj* a = as_array(r);
    const rt::ElemSegInst& seg = inst->elems[pc[5]];
    uint64_t doff = rd<uint32_t>(fp, pc[2]);
    uint64_t soff = rd<uint32_t>(fp, pc[3]);
    uint64_t n = rd<uint32_t>(fp, pc[4]);
    if (!range_ok(doff, n, a->length)) return TrapKind::ArrayOutOfBounds;
    if (!range_ok(soff, n, seg.size)) return TrapKind::TableOutOfBounds;
    for (uint64_t i = 0; i < n; ++i)
      std::memcpy(a->data() + (doff + i) * a->elem_size, &seg.elems[soff + i], sizeof(uintptr_t));
    return kOk;
  }
  case IOp::ref_test:
    wr<uint32_t>(fp, pc[1], rt::ref_test(store.types, rd<uintptr_t>(fp, pc[2]), pc[3], pc[4] != 0));
    return kOk;
  case IOp::ref_cast:
    if (!rt::ref_test(store.types, rd<uintptr_t>(fp, pc[1]), pc[2], pc[3] != 0))
      return TrapKind::CastFailure;
    return kOk;
  default: return TrapKind::Unreachable;
  }
}

} // namespace tandem::interp
