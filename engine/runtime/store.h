// StoreImpl: owner of every runtime object of a tandem::Store, and the
// execution state (value stack, call depth, pending error) of its thread.
//
// Objects are allocated in deques so their addresses never change; handles
// in the public API are raw pointers into them. Nothing is freed before the
// store dies (wasm has no way to free a function, table, memory or global).
#pragma once

#include "base/result.h"
#include "runtime/gc.h"
#include "runtime/objects.h"
#include "runtime/type_registry.h"
#include "tandem/tandem.h"

#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

namespace tandem::rt {

struct ModuleImpl;

struct HostFunc {
  FuncType type;
  Func::HostCallback callback;
};

// A module instance: the context compiled code reads, plus its storage.
struct ModuleInst {
  InstanceContext ctx; // must stay the first member
  std::shared_ptr<const ModuleImpl> module;
  std::vector<FuncInst*> funcs;
  std::vector<TableInst*> tables;
  std::vector<MemoryInst*> memories;
  std::vector<GlobalInst*> globals;
  std::vector<TagInst*> tags;
  std::vector<uint32_t> type_ids;
  std::vector<ElemSegInst> elems;
  std::vector<std::vector<uintptr_t>> elem_storage;
  std::vector<DataSegInst> datas;
  std::vector<std::pair<std::string, Extern>> exports;
  // Tier-private data (e.g. interpreter code of each function), freed with the instance.
  std::vector<std::shared_ptr<void>> tier_data;

  void sync_context(StoreImpl* store);
};

struct StoreImpl {
  explicit StoreImpl(const Engine& engine);
  ~StoreImpl();

  const Engine& engine;
  TypeRegistry types;
  ExecContext exec;
  std::vector<CallFrame> call_frames; // backing store of exec.frames
  // The error behind the last `false` from an EntryFn (see objects.h).
  Error pending;

  std::deque<FuncInst> funcs;
  std::deque<TableInst> tables;
  std::deque<MemoryInst> memories;
  std::deque<GlobalInst> globals;
  std::deque<TagInst> tags;
  std::deque<HostFunc> host_funcs;
  std::deque<HostRefObj> host_refs;
  std::deque<ModuleInst> instances;
  std::deque<ExnObj> exceptions;
  std::deque<std::vector<RawValue>> exception_payloads;
  std::unordered_map<uint32_t, HostRefObj*> host_ref_index;  // host id -> object
  std::vector<void*> gc_objects;                             // structs and arrays (malloc)
  std::unordered_map<uint32_t, StructLayout> struct_layouts; // by canonical type id

  // GC allocation (zero-initialised); null when the size is unreasonable.
  const StructLayout& struct_layout(uint32_t type_id);
  StructObj* alloc_struct(uint32_t type_id);
  ArrayObj* alloc_array(uint32_t type_id, uint64_t length);

  FuncInst* new_host_func(FuncType type, Func::HostCallback cb);
  HostRefObj* host_ref(uint32_t host_id);
  ExnObj* new_exception(TagInst* tag, const RawValue* values);

  // Records a trap (or other error) for the current EntryFn to return false.
  bool fail(TrapKind kind);
  bool fail(Error error);

  // Calls `f` with `args` (already placed in the value stack by the caller is
  // not required): checks depth and native stack, runs the entry, returns
  // results or the pending error.
  Result<std::vector<Value>> invoke(FuncInst* f, std::span<const Value> args);

  bool ref_fits(const Value& v, ValType param) const;

  // True when the native stack still has room for another nested entry.
  bool native_stack_ok() const;
};

// The entry used by host functions: converts raw slots to Values and back.
bool host_entry(ExecContext* ctx, FuncInst* f, RawValue* frame);

// Value <-> RawValue by type (canonical types; refs are RefBits).
RawValue to_raw(const Value& v);
Value from_raw(const RawValue& r, ValType type);

// The store of an execution context.
inline StoreImpl* store_of(ExecContext* ctx) {
  return ctx->store;
}

} // namespace tandem::rt
