// The runtime objects of a store and the layout both tiers read.
//
// Every object lives in its StoreImpl and is referenced by plain pointer for
// the store's lifetime. The parts compiled code reads (FuncInst, MemoryInst,
// TableInst, GlobalInst, InstanceContext, ExecContext) are standard-layout
// structs whose field offsets are constexpr (kOffset... below, checked by
// static_assert), so a JIT can address them directly.
//
// References: a RefBits value is 0 for null, otherwise the address of an
// object that starts with an ObjHeader (funcref -> FuncInst, externref/host
// references -> HostRefObj, exnref -> ExnObj). describe() and casts read the
// header's kind.
//
// The calling convention (EntryFn) is shared by the interpreter, compiled
// code and host functions: arguments are in frame[0..nparams), results are
// written to frame[0..nresults), and a false return means the error (trap,
// exhaustion, exception or host error) is in ExecContext::pending.
#pragma once

#include "runtime/raw_value.h"
#include "wasm/traps.h"
#include "wasm/types.h"

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace tandem::rt {

struct ExecContext;
struct FuncInst;
struct ModuleInst;
struct StoreImpl;
struct HostFunc;

// I31 never appears in a header: i31 references are tagged values (gc.h).
enum class ObjKind : uint8_t { Func, Host, Exn, Struct, Array, I31 };

struct ObjHeader {
  ObjKind kind;
};

// The entry of any callable function. See the file comment.
using EntryFn = bool (*)(ExecContext* ctx, FuncInst* f, RawValue* frame);

struct FuncInst {
  ObjHeader header{ObjKind::Func};
  uint32_t type_id = 0;    // canonical type id in the store's TypeRegistry
  uint32_t func_index = 0; // index in its module's function space
  EntryFn entry = nullptr; // how to call it (interpreter, compiled code or host glue)
  // Compiled code's internal entry (jit/macro_assembler.h), what compiled
  // callers call; null while the function has no compiled code.
  const void* jit_entry = nullptr;
  ModuleInst* module = nullptr;   // defining instance; null for host functions
  void* code = nullptr;           // tier-private code (interpreter bytecode), owned by the module
  const FuncType* type = nullptr; // canonical function type (owned by the registry)
  HostFunc* host = nullptr;       // host callback, or null
  uint32_t num_params = 0;
  uint32_t num_results = 0;
  uint32_t call_count = 0; // for tier-up policies
};

struct MemoryInst {
  uint8_t* base = nullptr; // data; stays in place while the memory grows
  uint64_t size = 0;       // current size in bytes
  uint64_t reserved = 0;   // bytes of address space reserved at `base` (accessible: `size`)
  uint64_t max_pages = 0;  // effective maximum in pages (declared or the spec's limit)
  uint64_t decl_max = 0;   // declared maximum (valid if has_max)
  uint8_t page_log2 = 16;
  bool has_max = false;
  bool is64 = false;
  bool shared = false;
  uint64_t pages() const { return size >> page_log2; }
};

struct TableInst {
  uintptr_t* elems = nullptr; // RefBits of each element
  uint64_t size = 0;
  uint64_t capacity = 0;
  uint64_t max = 0; // effective maximum (declared or the implementation limit)
  uint64_t decl_max = 0;
  ValType elem_type{}; // canonical
  bool has_max = false;
  bool is64 = false;
};

struct GlobalInst {
  RawValue value;
  ValType type{}; // canonical
  bool mut = false;
};

struct TagInst {
  uint32_t type_id = 0;
  const FuncType* type = nullptr;
};

// A reference made by the host: ref.extern n as an externref and ref.host n
// as an anyref are the same object (any.convert_extern keeps it).
struct HostRefObj {
  ObjHeader header;
  uint32_t host_id;
};

// A thrown exception: its tag and payload.
struct ExnObj {
  ObjHeader header{ObjKind::Exn};
  TagInst* tag = nullptr;
  uint32_t num_values = 0;
  RawValue* values = nullptr; // owned by the store
};

struct ElemSegInst {
  uintptr_t* elems = nullptr; // owned by the module instance
  uint64_t size = 0;          // 0 once dropped
};

struct DataSegInst {
  const uint8_t* bytes = nullptr; // into the module's binary
  uint64_t size = 0;              // 0 once dropped
};

// The part of a module instance compiled code reads: dense arrays indexed by
// the module's index spaces.
struct InstanceContext {
  FuncInst** funcs = nullptr;
  TableInst** tables = nullptr;
  MemoryInst** memories = nullptr;
  GlobalInst** globals = nullptr;
  TagInst** tags = nullptr;
  const uint32_t* type_ids = nullptr; // canonical id of each module type index
  ElemSegInst* elems = nullptr;
  DataSegInst* datas = nullptr;
  MemoryInst* memory0 = nullptr; // memories[0] or null
  StoreImpl* store = nullptr;
};

// One activation record of the wasm call stack, shared by the tiers: where
// to continue in the caller and the caller's frame. frames[depth] is the
// record of the innermost call.
struct CallFrame {
  const void* ret_pc = nullptr; // null: return to the native caller of the activation
  RawValue* fp = nullptr;       // the caller's frame
  FuncInst* func = nullptr;     // the caller's function
};

// Per-store execution state for one thread of wasm execution.
// Tier-up hook (added by H8, the JIT; see jit/tier_up.h). The interpreter
// counts calls and loop back-edges in FuncInst::call_count; when the count
// reaches `threshold` it calls on_hot, which may switch f->entry to compiled
// code (taken by the next call). Null: no tier-up.
struct TierUpHook {
  void (*on_hot)(ExecContext* ctx, FuncInst* f, TierUpHook* self) = nullptr;
  uint32_t threshold = 0;
  // jit (on-stack replacement): for f, now compiled, the entry that resumes f
  // at the head of the loop whose `loop` opcode is at decoder offset
  // `loop_offset`, with its locals in frame[0..num_locals) and an empty
  // operand stack (results to frame[0..n) as for any entry); or null.
  EntryFn (*osr_entry)(TierUpHook* self, FuncInst* f, uint32_t loop_offset) = nullptr;
};

struct ExecContext {
  CallFrame* frames = nullptr;     // max_depth + 1 records
  RawValue* stack_base = nullptr;  // value stack (slots of all frames)
  RawValue* stack_limit = nullptr; // one past the last usable slot
  RawValue* stack_top = nullptr;   // first free slot, for nested invocations
  uint32_t depth = 0;              // current wasm call depth
  uint32_t max_depth = 0;
  uintptr_t native_stack_limit = 0; // lowest native stack address we may reach
  StoreImpl* store = nullptr;
  ExnObj* exception = nullptr;  // in flight when pending is an Exception
  TierUpHook* tierup = nullptr; // Tier::Tiered only (H8)
  // H8: a tail call to a non-interpreted entry from the bottom frame of an
  // interpreter activation, made by interp_entry after run() returns, so
  // tail calls across tiers use constant native stack.
  FuncInst* tail_callee = nullptr;
};

static_assert(std::is_standard_layout_v<FuncInst>);
static_assert(std::is_standard_layout_v<MemoryInst>);
static_assert(std::is_standard_layout_v<TableInst>);
static_assert(std::is_standard_layout_v<GlobalInst>);
static_assert(std::is_standard_layout_v<InstanceContext>);
static_assert(std::is_standard_layout_v<ExecContext>);

// Offsets compiled code uses.
inline constexpr size_t kFuncEntryOffset = offsetof(FuncInst, entry);
inline constexpr size_t kFuncTypeIdOffset = offsetof(FuncInst, type_id);
inline constexpr size_t kMemoryBaseOffset = offsetof(MemoryInst, base);
inline constexpr size_t kMemorySizeOffset = offsetof(MemoryInst, size);
inline constexpr size_t kTableElemsOffset = offsetof(TableInst, elems);
inline constexpr size_t kTableSizeOffset = offsetof(TableInst, size);
inline constexpr size_t kGlobalValueOffset = offsetof(GlobalInst, value);
inline constexpr size_t kInstanceFuncsOffset = offsetof(InstanceContext, funcs);
inline constexpr size_t kInstanceMemory0Offset = offsetof(InstanceContext, memory0);
inline constexpr size_t kExecDepthOffset = offsetof(ExecContext, depth);
static_assert(kMemoryBaseOffset == 0 && kMemorySizeOffset == 8);
static_assert(kGlobalValueOffset == 0);

// The kind of a non-null reference (i31 references are odd values).
inline ObjKind obj_kind(uintptr_t ref) {
  return (ref & 1) ? ObjKind::I31 : reinterpret_cast<const ObjHeader*>(ref)->kind;
}

} // namespace tandem::rt
