// StoreImpl: object allocation, host-function glue, host references, and the
// top-level invocation path with its depth and native-stack limits.
#include "runtime/store.h"

#include "runtime/memory.h"

#include <algorithm>
#include <cstdlib>
#include <pthread.h>
#include <sys/mman.h>

namespace tandem::rt {
namespace {

// Value stack: a reservation that the kernel commits on first touch.
constexpr size_t kValueStackSlots = size_t(4) << 20; // 64 MiB of 16-byte slots
// Native stack kept free below the current frame before refusing to nest
// (room for the frames between two checks: interpreter loop, host glue,
// JIT helpers, signal handlers): a quarter of this thread's stack, at most
// 256 KiB and at least 16 KiB, so a 256 KiB thread still runs wasm.
constexpr uintptr_t kMaxNativeStackReserve = 256 * 1024;
constexpr uintptr_t kMinNativeStackReserve = 16 * 1024;

// The lowest address this thread may use for wasm (stack low end + reserve),
// from the thread's real stack bounds; computed once per thread.
uintptr_t current_thread_stack_floor() {
  thread_local uintptr_t floor = 0;
  if (floor != 0) return floor;
  pthread_attr_t attr;
  void* addr = nullptr;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
  }
  uintptr_t low = reinterpret_cast<uintptr_t>(addr);
  uintptr_t reserve =
      std::clamp<uintptr_t>(size / 4, kMinNativeStackReserve, kMaxNativeStackReserve);
  floor = low == 0 ? 1 : low + reserve; // unknown bounds: never refuse on native-stack grounds
  return floor;
}

} // namespace

void ModuleInst::sync_context(StoreImpl* store) {
  ctx.funcs = funcs.data();
  ctx.tables = tables.data();
  ctx.memories = memories.data();
  ctx.globals = globals.data();
  ctx.tags = tags.data();
  ctx.type_ids = type_ids.data();
  ctx.elems = elems.data();
  ctx.datas = datas.data();
  ctx.memory0 = memories.empty() ? nullptr : memories[0];
  ctx.store = store;
}

StoreImpl::StoreImpl(const Engine& e) : engine(e) {
  void* p = mmap(nullptr, kValueStackSlots * sizeof(RawValue), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p != MAP_FAILED) {
    exec.stack_base = static_cast<RawValue*>(p);
    exec.stack_limit = exec.stack_base + kValueStackSlots;
  }
  exec.stack_top = exec.stack_base;
  exec.max_depth = e.config().max_call_depth;
  call_frames.resize(size_t(exec.max_depth) + 2);
  exec.frames = call_frames.data();
  exec.store = this;
}

StoreImpl::~StoreImpl() {
  for (MemoryInst& m : memories) memory_destroy(m);
  for (TableInst& t : tables) table_destroy(t);
  for (void* p : gc_objects) std::free(p);
  if (exec.stack_base) munmap(exec.stack_base, kValueStackSlots * sizeof(RawValue));
}

FuncInst* StoreImpl::new_host_func(FuncType type, Func::HostCallback cb) {
  HostFunc& h = host_funcs.emplace_back(HostFunc{std::move(type), std::move(cb)});
  FuncInst& f = funcs.emplace_back();
  f.type_id = types.intern_func(h.type);
  f.type = &types.func_type(f.type_id);
  f.entry = host_entry;
  f.host = &h;
  f.num_params = uint32_t(h.type.params.size());
  f.num_results = uint32_t(h.type.results.size());
  return &f;
}

HostRefObj* StoreImpl::host_ref(uint32_t host_id) {
  auto it = host_ref_index.find(host_id);
  if (it != host_ref_index.end()) return it->second;
  HostRefObj& o = host_refs.emplace_back(HostRefObj{ObjHeader{ObjKind::Host}, host_id});
  host_ref_index.emplace(host_id, &o);
  return &o;
}

const StructLayout& StoreImpl::struct_layout(uint32_t type_id) {
  auto it = struct_layouts.find(type_id);
  if (it != struct_layouts.end()) return it->second;
  StructLayout layout;
  if (types.get(type_id).descriptor) {
    layout.has_descriptor = true;
    layout.total = sizeof(uintptr_t);
  }
  for (const FieldType& f : types.get(type_id).comp.fields) {
    uint32_t size = storage_size(f.storage);
    layout.offsets.push_back(layout.total);
    layout.sizes.push_back(size);
    layout.total += size;
  }
  return struct_layouts.emplace(type_id, std::move(layout)).first->second;
}

StructObj* StoreImpl::alloc_struct(uint32_t type_id) {
  const StructLayout& layout = struct_layout(type_id);
  size_t bytes = sizeof(StructObj) + layout.total;
  void* p = std::calloc(1, bytes);
  if (!p) return nullptr;
  gc_objects.push_back(p);
  auto* s = static_cast<StructObj*>(p);
  s->gc.header.kind = ObjKind::Struct;
  if (layout.has_descriptor) s->gc.flags = kHasDescriptor;
  s->gc.type_id = type_id;
  return s;
}

ArrayObj* StoreImpl::alloc_array(uint32_t type_id, uint64_t length) {
  constexpr uint64_t kMaxArrayBytes = uint64_t(1) << 30;
  uint32_t elem = storage_size(types.get(type_id).comp.fields[0].storage);
  if (length > kMaxArrayBytes / elem) return nullptr;
  void* p = std::calloc(1, sizeof(ArrayObj) + length * elem);
  if (!p) return nullptr;
  gc_objects.push_back(p);
  auto* a = static_cast<ArrayObj*>(p);
  a->gc.header.kind = ObjKind::Array;
  a->gc.type_id = type_id;
  a->length = uint32_t(length);
  a->elem_size = elem;
  return a;
}

ExnObj* StoreImpl::new_exception(TagInst* tag, const RawValue* values) {
  std::vector<RawValue>& payload = exception_payloads.emplace_back();
  size_t n = tag->type ? tag->type->params.size() : 0;
  payload.assign(values, values + n);
  ExnObj& e = exceptions.emplace_back();
  e.tag = tag;
  e.num_values = uint32_t(n);
  e.values = payload.data();
  return &e;
}

bool StoreImpl::fail(TrapKind kind) {
  if (kind == TrapKind::CallStackExhausted) {
    pending = Error::make(ErrorKind::Exhaustion, std::string(trap_message(kind)));
  } else {
    pending = Error::make(ErrorKind::Trap, std::string(trap_message(kind)));
  }
  return false;
}

bool StoreImpl::fail(Error error) {
  pending = std::move(error);
  return false;
}

bool StoreImpl::native_stack_ok() const {
  uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  return here > current_thread_stack_floor();
}

RawValue to_raw(const Value& v) {
  RawValue r;
  switch (v.type().kind()) {
  case ValKind::I32: r.set(v.i32()); break;
  case ValKind::I64: r.set(v.i64()); break;
  case ValKind::F32: r.set(v.f32_bits()); break;
  case ValKind::F64: r.set(v.f64_bits()); break;
  case ValKind::V128: r.set(v.v128()); break;
  case ValKind::Ref: r.set(v.ref().bits); break;
  case ValKind::Bot: break;
  }
  return r;
}

Value from_raw(const RawValue& r, ValType type) {
  switch (type.kind()) {
  case ValKind::I32: return Value::i32(r.get<uint32_t>());
  case ValKind::I64: return Value::i64(r.get<uint64_t>());
  case ValKind::F32: return Value::f32_bits(r.get<uint32_t>());
  case ValKind::F64: return Value::f64_bits(r.get<uint64_t>());
  case ValKind::V128: return Value::v128(r.get<V128>());
  case ValKind::Ref: return Value::ref(type, RefBits{r.get<uintptr_t>()});
  case ValKind::Bot: break;
  }
  return Value();
}

bool host_entry(ExecContext* ctx, FuncInst* f, RawValue* frame) {
  StoreImpl* store = ctx->store;
  const HostFunc& h = *f->host;
  std::vector<Value> args;
  args.reserve(h.type.params.size());
  for (size_t i = 0; i < h.type.params.size(); ++i)
    args.push_back(from_raw(frame[i], h.type.params[i]));
  std::vector<Value> results(h.type.results.size());
  for (size_t i = 0; i < results.size(); ++i) results[i] = Value::null(h.type.results[i]);
  // The callback may re-enter wasm: nested frames start above ours.
  RawValue* saved_top = ctx->stack_top;
  size_t used = std::max(h.type.params.size(), h.type.results.size());
  if (ctx->stack_top < frame + used) ctx->stack_top = frame + used;
  Status st = h.callback(args, results);
  ctx->stack_top = saved_top;
  if (!st.ok()) return store->fail(std::move(st).error());
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].type().kind() != h.type.results[i].kind())
      return store->fail(Error::make(ErrorKind::Trap, "host function returned a wrong type"));
    frame[i] = to_raw(results[i]);
  }
  return true;
}

// Whether a reference argument fits a parameter type, judged on the object
// itself (a host can hand any bits to Func::call; a wrong object would break
// the callee).
bool StoreImpl::ref_fits(const Value& v, ValType param) const {
  if (!param.is_ref()) return true;
  uintptr_t bits = v.ref().bits;
  if (bits == 0) return param.nullable();
  ObjKind kind = obj_kind(bits);
  switch (types.top_of(param.heap())) {
  case AbsHeap::Func:
    if (kind != ObjKind::Func) return false;
    break;
  case AbsHeap::Exn: return kind == ObjKind::Exn;
  case AbsHeap::Extern: return kind != ObjKind::Func && kind != ObjKind::Exn;
  default:
    if (kind == ObjKind::Func || kind == ObjKind::Exn) return false;
    break;
  }
  uint32_t target =
      param.heap().is_abstract() ? abstract_target(param.heap().abs()) : param.heap().type_index();
  return ref_test(types, bits, target, param.nullable());
}

Result<std::vector<Value>> StoreImpl::invoke(FuncInst* f, std::span<const Value> args) {
  const FuncType& type = *f->type;
  if (args.size() != type.params.size())
    return Error::make(ErrorKind::Usage, "wrong number of arguments");
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type().kind() != type.params[i].kind() || !ref_fits(args[i], type.params[i]))
      return Error::make(ErrorKind::Usage, "wrong type of argument");
  }
  if (!exec.stack_base) return Error::make(ErrorKind::Exhaustion, "call stack exhausted");
  size_t used = std::max(type.params.size(), type.results.size());
  RawValue* frame = exec.stack_top;
  if (size_t(exec.stack_limit - frame) < used + 1 || !native_stack_ok())
    return Error::make(ErrorKind::Exhaustion, "call stack exhausted");
  for (size_t i = 0; i < args.size(); ++i) frame[i] = to_raw(args[i]);

  // Restore the execution state whatever happens, so a trap or exhaustion
  // leaves the store ready for the next call.
  RawValue* saved_top = exec.stack_top;
  uint32_t saved_depth = exec.depth;
  exec.stack_top = frame + used;
  // Compiled code compares its stack pointer against this (this thread's stack).
  exec.native_stack_limit = current_thread_stack_floor();
  bool ok = f->entry(&exec, f, frame);
  exec.stack_top = saved_top;
  exec.depth = saved_depth;
  if (!ok) return std::move(pending); // exec.exception stays set for an Exception
  std::vector<Value> results;
  results.reserve(type.results.size());
  for (size_t i = 0; i < type.results.size(); ++i)
    results.push_back(from_raw(frame[i], type.results[i]));
  return results;
}

} // namespace tandem::rt
