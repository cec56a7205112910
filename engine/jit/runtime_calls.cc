// The JIT's runtime helpers (see runtime_calls.h). Numeric semantics come
// from runtime/op_semantics.h; bulk memory and table semantics from
// runtime/bulk_ops.h.
#include "jit/runtime_calls.h"

#include "runtime/bulk_ops.h"
#include "runtime/op_semantics.h"
#include "runtime/op_semantics_simd.h"
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

// ---- SIMD ----

template <typename T> T get_as(const RawValue& v) {
  T t;
  std::memcpy(static_cast<void*>(&t), &v, sizeof(T));
  return t;
}
template <typename T> void set_as(RawValue& v, const T& t) {
  std::memcpy(static_cast<void*>(&v), static_cast<const void*>(&t), sizeof(T));
}

template <Op op> uint32_t simd(RawValue* v, uint64_t lo, uint64_t hi) {
  using rt::SimdParam;
  using rt::SimdSemantics;
  using rt::Vec128;
  constexpr Shape kShape = op_info(op).shape;
  if constexpr (kShape == Shape::SimdUnary || kShape == Shape::SimdReduce ||
                kShape == Shape::SimdSplat) {
    set_as(v[0], SimdSemantics<op>::fn(get_as<SimdParam<op, 0>>(v[0])));
  } else if constexpr (kShape == Shape::SimdBinary || kShape == Shape::SimdCompare ||
                       kShape == Shape::SimdShift) {
    set_as(v[0],
           SimdSemantics<op>::fn(get_as<SimdParam<op, 0>>(v[0]), get_as<SimdParam<op, 1>>(v[1])));
  } else if constexpr (kShape == Shape::SimdTernary) {
    set_as(v[0],
           SimdSemantics<op>::fn(get_as<Vec128>(v[0]), get_as<Vec128>(v[1]), get_as<Vec128>(v[2])));
  } else if constexpr (kShape == Shape::SimdExtractLane) {
    set_as(v[0], SimdSemantics<op>::fn(get_as<Vec128>(v[0]), uint32_t(lo)));
  } else if constexpr (kShape == Shape::SimdReplaceLane) {
    set_as(v[0], SimdSemantics<op>::fn(get_as<Vec128>(v[0]), get_as<SimdParam<op, 1>>(v[1]),
                                       uint32_t(lo)));
  } else if constexpr (kShape == Shape::SimdShuffle) {
    uint8_t lanes[16];
    std::memcpy(lanes, &lo, 8);
    std::memcpy(lanes + 8, &hi, 8);
    set_as(v[0], num::simd::shuffle(get_as<Vec128>(v[0]), get_as<Vec128>(v[1]), lanes));
  } else if constexpr (kShape == Shape::SimdLoad) {
    uint8_t bytes[16];
    std::memcpy(bytes, &v[0], 16);
    set_as(v[0], rt::simd_load<op>(bytes));
  }
  return kOk;
}

template <Op op> constexpr SimdFn simd_or_null() {
  constexpr Shape s = op_info(op).shape;
  if constexpr (s == Shape::SimdShuffle || (s == Shape::SimdLoad && op != Op::v128_load)) {
    return &simd<op>;
  } else if constexpr (s == Shape::SimdUnary || s == Shape::SimdBinary || s == Shape::SimdTernary ||
                       s == Shape::SimdCompare || s == Shape::SimdReduce || s == Shape::SimdShift ||
                       s == Shape::SimdSplat || s == Shape::SimdExtractLane ||
                       s == Shape::SimdReplaceLane) {
    if constexpr (requires { rt::SimdSemantics<op>::fn; })
      return &simd<op>;
    else
      return nullptr;
  } else {
    return nullptr;
  }
}

constexpr std::array<SimdFn, kOpCount> kSimd = {
#define OP(id, name, prefix, code, imm, shape, sig, feature) simd_or_null<Op::id>(),
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

SimdFn simd_helper(Op op) {
  return kSimd[size_t(op)];
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

void throw_exception(rt::ExecContext* ctx, rt::TagInst* tag, RawValue* v) {
  ctx->exception = ctx->store->new_exception(tag, v);
  ctx->store->fail(Error::make(ErrorKind::Exception, "uncaught exception"));
}

uint32_t throw_ref(rt::ExecContext* ctx, uintptr_t exn) {
  if (exn == 0) return uint32_t(TrapKind::NullExceptionReference);
  ctx->exception = reinterpret_cast<rt::ExnObj*>(exn);
  ctx->store->fail(Error::make(ErrorKind::Exception, "uncaught exception"));
  return kOk;
}

rt::ExnObj* caught_exception(rt::ExecContext* ctx) {
  if (ctx->store->pending.kind != ErrorKind::Exception) return nullptr;
  return ctx->exception;
}

uint32_t func_type_matches(rt::ExecContext* ctx, rt::FuncInst* callee, uint32_t expected) {
  return callee->type_id == expected || ctx->store->types.is_subtype(callee->type_id, expected);
}

} // namespace tandem::jit::calls
