// The JIT's runtime helpers (see runtime_calls.h). Numeric semantics come
// from runtime/op_semantics.h; bulk memory and table semantics from
// runtime/bulk_ops.h.
#include "jit/runtime_calls.h"

#include "runtime/bulk_ops.h"
#include "runtime/op_semantics.h"
#include "runtime/store.h"

#include <array>

namespace tandem::jit::calls {
namespace {

constexpr uint32_t kOk = uint32_t(TrapKind::kCount);

constexpr bool is_numeric_shape(Shape s) {
  return s == Shape::Unary || s == Shape::Binary || s == Shape::Compare || s == Shape::Test ||
         s == Shape::Convert;
}

template <Op op> uint32_t numeric(RawValue* v) {
  using T = rt::OpTypes<op>;
  auto r = [&] {
    if constexpr (T::binary)
      return rt::OpSemantics<op>::apply(v[0].get<typename T::A>(), v[1].get<typename T::B>());
    else
      return rt::OpSemantics<op>::apply(v[0].get<typename T::A>());
  }();
  if constexpr (rt::IsOutcome<decltype(r)>::value) {
    if (!r.ok()) return uint32_t(r.trap);
    v[0].set(typename T::R(r.value));
  } else {
    v[0].set(typename T::R(r));
  }
  return kOk;
}

template <Op op> constexpr NumericFn numeric_or_null() {
  if constexpr (is_numeric_shape(op_info(op).shape) && op_info(op).feature != Feature::simd &&
                op_info(op).sig.size() >= 3 && op_info(op).sig != "*") {
    return &numeric<op>;
  } else {
    return nullptr;
  }
}

constexpr std::array<NumericFn, kOpCount> kNumeric = {
#define OP(id, name, prefix, code, imm, shape, sig, feature) numeric_or_null<Op::id>(),
#include "wasm/opcodes.def"
#undef OP
};

uint64_t address(const RawValue& v, bool is64) {
  return is64 ? v.get<uint64_t>() : v.get<uint32_t>();
}

} // namespace

void raise_trap(rt::ExecContext* ctx, uint32_t kind) {
  ctx->store->fail(TrapKind(kind));
}

NumericFn numeric_helper(Op op) {
  return kNumeric[size_t(op)];
}

uint32_t memory_grow(rt::MemoryInst* m, RawValue* v) {
  int64_t old = rt::memory_grow(*m, address(v[0], m->is64));
  if (m->is64)
    v[0].set(uint64_t(old));
  else
    v[0].set(uint32_t(old));
  return kOk;
}

uint32_t memory_fill(rt::MemoryInst* m, RawValue* v) {
  return uint32_t(rt::memory_fill_op(*m, address(v[0], m->is64), uint8_t(v[1].get<uint32_t>()),
                                     address(v[2], m->is64)));
}

uint32_t memory_copy(rt::MemoryInst* dst, rt::MemoryInst* src, RawValue* v) {
  return uint32_t(rt::memory_copy_op(*dst, *src, address(v[0], dst->is64), address(v[1], src->is64),
                                     address(v[2], dst->is64 && src->is64)));
}

uint32_t memory_init(rt::MemoryInst* m, rt::DataSegInst* seg, RawValue* v) {
  return uint32_t(rt::memory_init_op(*m, *seg, address(v[0], m->is64), v[1].get<uint32_t>(),
                                     v[2].get<uint32_t>()));
}

uint32_t table_grow(rt::TableInst* t, RawValue* v) {
  int64_t old = rt::table_grow(*t, address(v[1], t->is64), v[0].get<uintptr_t>());
  if (t->is64)
    v[0].set(uint64_t(old));
  else
    v[0].set(uint32_t(old));
  return kOk;
}

uint32_t table_fill(rt::TableInst* t, RawValue* v) {
  return uint32_t(
      rt::table_fill_op(*t, address(v[0], t->is64), v[1].get<uintptr_t>(), address(v[2], t->is64)));
}

uint32_t table_copy(rt::TableInst* dst, rt::TableInst* src, RawValue* v) {
  return uint32_t(rt::table_copy_op(*dst, *src, address(v[0], dst->is64), address(v[1], src->is64),
                                    address(v[2], dst->is64 && src->is64)));
}

uint32_t table_init(rt::TableInst* t, rt::ElemSegInst* seg, RawValue* v) {
  return uint32_t(rt::table_init_op(*t, *seg, address(v[0], t->is64), v[1].get<uint32_t>(),
                                    v[2].get<uint32_t>()));
}

uint32_t func_type_matches(rt::ExecContext* ctx, rt::FuncInst* callee, uint32_t expected) {
  return callee->type_id == expected || ctx->store->types.is_subtype(callee->type_id, expected);
}

} // namespace tandem::jit::calls
