// Component runtime internals: the instance graph, runtime items of every
// index space, resources and handle tables, and the canonical ABI entry
// points (canonical_abi.cc). Used by instantiate.cc and component_api.cc.
//
// Invariants:
// - Every CompInst is owned by one ComponentRuntime (one per top-level
//   instantiation) and lives as long as it; host functions made for
//   `canon lower` / `resource.*` capture raw pointers into it, so the
//   runtime must outlive the Store's use of them (the harness keeps it).
// - Every lifted function and resource type records its owner CI.
// - Every call into a lifted function goes through call_adapter (the single
//   choke point for cross-CI and host calls).
#pragma once

#include "component/component.h"
#include "component/types.h"
#include "component/validator.h"
#include "tandem/component.h"
#include "tandem/tandem.h"

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tandem::component {

struct CompInst;
class IsolationLedger; // isolation_ledger.h

// A compiled component: the decoded IR, the validated types, and the bytes
// its embedded core modules are compiled from.
struct CompiledComponent {
  std::shared_ptr<const std::vector<uint8_t>> bytes;
  std::shared_ptr<const Component> def;
  ValidatedComponent types;
};

struct ResourceRt {
  uint32_t id = 0; // runtime id (unique per ComponentRuntime)
  CompInst* owner = nullptr;
  Func dtor;                // may be empty
  HostDestructor host_dtor; // host resources (owner->kind == Host); may be empty
  std::string name;         // host resources: the declared name
  // The resource type as a host item: a host resource's declaration, or (for
  // a guest resource) the one made the first time ComponentInstance::reflect
  // exports it. Every reflection of this type shares it, so importers of it
  // see one type.
  std::shared_ptr<const HostInstance::ResourceDecl> decl;
};

struct CanonOpts {
  StringEncoding encoding = StringEncoding::Utf8;
  Memory memory;
  bool has_memory = false;
  Func realloc;
  Func post_return;
};

// A component function: lifted from a core function of `owner`, or (when
// `host` is set) a host function of the host CI `owner`, typed by the
// importer's declaration (`arena`, `type`).
struct FuncRt {
  CompInst* owner = nullptr;
  Func core;
  HostFunction host;
  std::string name;             // host functions: the export name
  CompInst* type_env = nullptr; // host functions: the importer, whose `resources` maps
                                // the static resource ids of `type`
  const TypeArena* arena = nullptr;
  uint32_t type = 0; // arena->funcs
  CanonOpts opts;
  // Provenance (isolation audit): set when this is a pass-through lift, i.e.
  // its core function is directly a `canon lower` of `forwards` with no core
  // code of `owner` in between.
  const FuncRt* forwards = nullptr;
};

struct InstanceRt;
struct ComponentClosure {
  const Component* def = nullptr;
  CompInst* env = nullptr; // where outer aliases resolve
};

// One runtime item of any index space.
struct Item {
  Sort sort = Sort::Func;
  std::shared_ptr<FuncRt> func;
  std::shared_ptr<InstanceRt> instance;       // Instance
  std::shared_ptr<ComponentClosure> comp;     // Component
  ResourceRt* resource = nullptr;             // Type (resources only)
  std::optional<Module> module;               // CoreModule
  std::map<std::string, Extern> core_exports; // CoreInstance
  Extern core;                                // core func/table/memory/global/tag
  // Provenance (isolation audit).
  std::shared_ptr<FuncRt> lowered; // CoreFunc made by `canon lower` of this function
  CompInst* via = nullptr;         // the last CI that re-exported this item (not its owner)
};

struct InstanceRt {
  std::map<std::string, Item> exports;
  CompInst* ci = nullptr; // the CI, for an `instantiate` (not an export bundle)
};

struct Handle {
  ResourceRt* res = nullptr; // nullptr: free slot
  uint32_t rep = 0;
  bool own = true;
  uint32_t lend_count = 0;
  uint64_t call_id = 0; // borrow: the call it belongs to
};

struct CompInst {
  enum class Kind : uint8_t { Component, Host };
  Kind kind = Kind::Component;
  uint32_t id = 0;
  CompInst* parent = nullptr;
  std::string path;
  const Component* def = nullptr;
  const ComponentSpaceTypes* spaces = nullptr;
  bool may_leave = true;
  bool may_enter = true;
  // context.get/set slots of the calls (sync tasks) running in this CI,
  // innermost last; pushed and popped by call_adapter.
  std::vector<std::array<uint64_t, 2>> task_contexts;
  uint32_t backpressure = 0; // backpressure.inc/dec counter
  // The handle table (CanonicalABI.md "Handle tables"): slots are added,
  // looked up with their traps and freed only by the functions below
  // (canonical_abi.cc).
  std::vector<Handle> handles{Handle{}}; // index 0 is never used
  std::vector<uint32_t> free_handles;
  // Adds `h` (in a freed slot first) and returns its index.
  uint32_t add_handle(const Handle& h);
  // The live handle at `i`; traps "unknown handle index i", or, when
  // `expected` is given and the handle is of another resource type, "handle
  // index i used with the wrong type ...".
  Result<Handle*> live_handle(uint32_t i, const ResourceRt* expected);
  // Frees slot `i` and returns what it held.
  Handle remove_handle(uint32_t i);
  std::map<ResourceId, ResourceRt*> resources; // static id -> runtime
  PerSort<Item> items;                         // the index spaces
  std::map<std::string, Item> exports;
};

struct ComponentRuntime {
  Store* store = nullptr;
  std::shared_ptr<const CompiledComponent> compiled;
  std::vector<std::unique_ptr<CompInst>> instances;
  std::vector<std::unique_ptr<ResourceRt>> resources;
  uint64_t next_call = 1;
  // The isolation audit's ledger (isolation_ledger.h), set after
  // instantiation when auditing is on; nullptr costs one branch per call.
  IsolationLedger* ledger = nullptr;
  uint32_t audit_root = 0; // this runtime's serial number in the audit
};

// Builds the instance graph of `cc` and returns its root CI. Root imports
// are taken from `imports` (nullptr: none); host instances become host CIs.
Result<CompInst*> instantiate_root(ComponentRuntime& rt, const HostInstance* imports = nullptr);

// The single adapter: every call of a component function (from the host,
// caller == nullptr, or from a `canon lower` in CI `caller`).
Result<std::vector<ComponentValue>> call_adapter(ComponentRuntime& rt, CompInst* caller,
                                                 const FuncRt& callee,
                                                 std::vector<ComponentValue> args);

// Canonical ABI (canonical_abi.cc) --------------------------------------------

// Where lifting/lowering reads or writes: the options and the CI whose
// handle table is used.
struct AbiCx {
  ComponentRuntime* rt = nullptr;
  CompInst* inst = nullptr;
  const CanonOpts* opts = nullptr;
  const TypeArena* arena = nullptr;
  uint64_t call_id = 0;
  bool callee_side = false; // lowering borrows into the callee of a call
  // The other side is the host (wasmtime's host wording for realloc and
  // string bounds traps) rather than another component (adapter wording).
  bool host = false;
  std::vector<uint32_t>* lent = nullptr;     // handles lent for this call (caller side)
  std::vector<uint32_t>* borrowed = nullptr; // borrow handles created (callee side)
  CompInst* peer = nullptr; // the other side of the crossing (nullptr: host); for the ledger
};

Result<std::vector<ComponentValue>> lift_flat_values(AbiCx& cx, const std::vector<ValTy>& types,
                                                     std::span<const Value> flat, size_t max_flat);
// Lowers `values` of `types` to core values; spills to memory past `max_flat`
// (params: through realloc; results: `retptr` given by the caller, or
// allocated via realloc when `retptr` is empty and allocate is true).
Result<std::vector<Value>> lower_flat_values(AbiCx& cx, const std::vector<ValTy>& types,
                                             const std::vector<ComponentValue>& values,
                                             size_t max_flat, std::optional<uint32_t> retptr);
// Flattened core types of a value type list.
std::vector<ValType> flatten_types(const TypeArena& arena, const std::vector<ValTy>& types);
Status store_values_at(AbiCx& cx, const std::vector<ValTy>& types,
                       const std::vector<ComponentValue>& values, uint32_t ptr);

// Host-made values (host function results, host-call arguments): strings
// to in-flight UTF-8, case labels to indices, handles without a runtime
// resource id to the one `env` maps their declared resource to.
Status normalize_host_values(const TypeArena& arena, const CompInst* env,
                             const std::vector<ValTy>& types, std::vector<ComponentValue>& values);

Error trap(std::string message);

} // namespace tandem::component
