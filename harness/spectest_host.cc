// The spectest host module (see spectest_host.h). The print functions accept
// their arguments and do nothing, as wasmtime's quiet mode does.
#include "spectest_host.h"

namespace tandem::harness {
namespace {

void add_print(Store& store, ImportSource& out, const char* name, std::vector<ValType> params) {
  Func f = Func::host(store, FuncType{std::move(params), {}},
                      [](std::span<const Value>, std::span<Value>) -> Status { return {}; });
  out.items[name] = Extern{ExternKind::Func, f, {}, {}, {}, {}};
}

void add_global(Store& store, ImportSource& out, const char* name, ValType t, Value v) {
  auto g = Global::create(store, GlobalType{t, false}, v);
  if (!g) {
    out.unavailable[name] = g.error().message;
    return;
  }
  Extern e;
  e.kind = ExternKind::Global;
  e.global = *g;
  out.items[name] = e;
}

void add_table(Store& store, ImportSource& out, const char* name, bool is64) {
  TableType t;
  t.elem = kFuncRef;
  t.limits.min = 10;
  t.limits.max = 20;
  t.limits.is64 = is64;
  auto table = Table::create(store, t, Value::null(kFuncRef));
  if (!table) {
    out.unavailable[name] = table.error().message;
    return;
  }
  Extern e;
  e.kind = ExternKind::Table;
  e.table = *table;
  out.items[name] = e;
}

void add_memory(Store& store, ImportSource& out, const char* name, bool shared) {
  MemoryType t;
  t.limits.min = 1;
  t.limits.max = 2;
  t.limits.shared = shared;
  auto mem = Memory::create(store, t);
  if (!mem) {
    out.unavailable[name] = mem.error().message;
    return;
  }
  Extern e;
  e.kind = ExternKind::Memory;
  e.memory = *mem;
  out.items[name] = e;
}

} // namespace

ImportSource make_spectest_module(Store& store) {
  ImportSource out;
  add_print(store, out, "print", {});
  add_print(store, out, "print_i32", {kI32});
  add_print(store, out, "print_i64", {kI64});
  add_print(store, out, "print_f32", {kF32});
  add_print(store, out, "print_f64", {kF64});
  add_print(store, out, "print_i32_f32", {kI32, kF32});
  add_print(store, out, "print_f64_f64", {kF64, kF64});
  add_global(store, out, "global_i32", kI32, Value::i32(666));
  add_global(store, out, "global_i64", kI64, Value::i64(666));
  add_global(store, out, "global_f32", kF32, Value::f32_bits(0x4426a666u));
  add_global(store, out, "global_f64", kF64, Value::f64_bits(0x4084d4cccccccccdull));
  add_table(store, out, "table", false);
  add_table(store, out, "table64", true);
  add_memory(store, out, "memory", false);
  add_memory(store, out, "shared_memory", true);
  return out;
}

} // namespace tandem::harness
