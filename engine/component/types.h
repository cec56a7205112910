// Validated component types: the type arena shared by one validation run.
//
// The model follows the Component Model's type system (Explainer.md "Type
// Definitions", "Type Checking"):
// - A type index refers to an AnyTypeId: a resource, a defined (value) type,
//   a func, an instance or a component type. Types are stored once in the
//   arena and referred to by id; ids are never reused within a run.
// - `alias` tags distinguish type *names* that denote the same type: an
//   import or export of a type creates a fresh tag, so "this type has an
//   externally visible name" is membership of (kind, id, alias) in a set,
//   while type equality ignores the tag.
// - Resources are abstract: a ResourceId is fresh per definition, per
//   `(sub resource)` import/export and per instantiation of a component that
//   defines resources (generativity). Subtyping substitutes resources through
//   a Remapping (imports are "type variables" of a component type).
// - Core types are interned across modules: a core type id is the canonical id
//   of an iso-recursive rec group member, so equal core function types from
//   different modules have equal ids.
//
// Every type records a TypeInfo: its effective size (number of nodes when
// the DAG is unfolded into a tree) and depth. Both are bounded (kMaxTypeSize,
// kMaxTypeDepth), which bounds the time and native recursion of every
// recursive algorithm here (subtyping, remapping, free variables).
#pragma once

#include "base/result.h"
#include "component/component.h"
#include "wasm/types.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tandem::component {

inline constexpr uint32_t kMaxTypeSize = 1'000'000;
inline constexpr uint32_t kMaxTypeDepth = 100;
inline constexpr uint64_t kMaxValueByteSize = uint64_t(1) << 28;
inline constexpr uint32_t kMaxFlatParams = 16;
inline constexpr uint32_t kMaxFlatAsyncParams = 4;
inline constexpr uint32_t kMaxFlatResults = 1;

using ResourceId = uint32_t;

struct TypeInfo {
  uint32_t size = 1;
  uint32_t depth = 1;
  bool borrow = false; // transitively contains a `borrow`
  // Adds a child's info; fails when the effective size limit is exceeded.
  Status combine(const TypeInfo& child, uint64_t offset);
};

// A validated value type: a primitive or a defined type (with alias tag).
struct ValTy {
  bool is_prim = true;
  PrimVal prim = PrimVal::Bool;
  uint32_t def = 0;
  uint32_t alias = 0;
  static ValTy primitive(PrimVal p) { return ValTy{true, p, 0, 0}; }
  static ValTy defined(uint32_t id, uint32_t alias = 0) {
    return ValTy{false, PrimVal::Bool, id, alias};
  }
};

struct ResRef {
  ResourceId id = 0;
  uint32_t alias = 0;
};

struct AnyTypeId {
  enum class Kind : uint8_t { Resource, Defined, Func, Instance, Component };
  Kind kind = Kind::Defined;
  uint32_t id = 0;
  uint32_t alias = 0;
  bool operator==(const AnyTypeId&) const = default;
  auto operator<=>(const AnyTypeId&) const = default;
  const char* desc() const;
};

// Canonical ABI facts of a value type (CanonicalABI.md).
struct AbiInfo {
  uint64_t size32 = 0, align32 = 1; // elem_size / alignment with i32 pointers
  uint64_t size64 = 0, align64 = 1; // ... with i64 pointers (validation bound)
  bool contains_ptr = false;        // contains a string or variable-length list
  std::vector<ValType> flat;        // flattened core types, capped at kMaxFlatParams + 1
};

struct DefinedType {
  DefKind kind = DefKind::Primitive;
  PrimVal prim = PrimVal::Bool;
  std::vector<std::pair<std::string, ValTy>> fields;               // Record
  std::vector<std::pair<std::string, std::optional<ValTy>>> cases; // Variant
  std::vector<ValTy> types;                                        // Tuple
  std::vector<std::string> names;                                  // Flags, Enum
  std::optional<ValTy> first, second;                              // see DefValTypeDecl
  uint32_t length = 0;                                             // FixedList
  ResRef resource;                                                 // Own, Borrow
  TypeInfo info;
  AbiInfo abi;
  const char* desc() const;
};

struct FuncTy {
  bool async = false;
  std::vector<std::pair<std::string, ValTy>> params;
  std::optional<ValTy> result;
  TypeInfo info;
};

// The type of an import/export/instance export.
struct EntityType {
  enum class Kind : uint8_t { Module, Func, Value, Type, Instance, Component };
  Kind kind = Kind::Func;
  uint32_t id = 0;      // Module, Func, Instance, Component
  ValTy value;          // Value
  AnyTypeId referenced; // Type
  AnyTypeId created;    // Type
  const char* desc() const;
};

// An insertion-ordered map with O(log n) lookup. Values may be changed in
// place through `items`; keys must not be.
template <typename K, typename V> struct OrderedMap {
  std::vector<std::pair<K, V>> items;
  std::map<K, uint32_t> index;
  // Appends unless the key exists; returns false then.
  bool add(const K& k, V v) {
    if (!index.emplace(k, uint32_t(items.size())).second) return false;
    items.emplace_back(k, std::move(v));
    return true;
  }
  const V* find(const K& k) const {
    auto it = index.find(k);
    return it == index.end() ? nullptr : &items[it->second].second;
  }
  size_t size() const { return items.size(); }
};

// Imports and exports: name -> entity, in definition order.
using EntityMap = OrderedMap<std::string, EntityType>;

using ResourcePath = std::vector<uint32_t>;

struct InstanceTy {
  EntityMap exports;
  std::vector<ResourceId> defined_resources;
  std::vector<std::pair<ResourceId, ResourcePath>> explicit_resources;
  TypeInfo info;
};

struct ComponentTy {
  EntityMap imports, exports;
  std::vector<std::pair<ResourceId, ResourcePath>> imported_resources;
  std::vector<std::pair<ResourceId, ResourcePath>> defined_resources;
  std::vector<std::pair<ResourceId, ResourcePath>> explicit_resources;
  TypeInfo info;
};

// Core types ---------------------------------------------------------------------

// The type of a core import/export. Func/Tag: `type` is a canonical core type
// id. Table element types hold canonical ids in their heap types.
struct CoreEntity {
  ExternKind kind = ExternKind::Func;
  uint32_t type = 0;
  TableType table;
  MemoryType memory;
  GlobalType global;
  const char* desc() const;
};

struct ModuleTy {
  OrderedMap<std::pair<std::string, std::string>, CoreEntity> imports;
  OrderedMap<std::string, CoreEntity> exports;
  TypeInfo info;
};

struct CoreInstanceTy {
  OrderedMap<std::string, CoreEntity> exports;
  TypeInfo info;
};

// Interns core rec groups across modules (iso-recursive canonicalisation).
class CoreTypeInterner {
public:
  // Interns the group [first, first + size) of `local`, whose heap type
  // indices below `first` are mapped by `to_global`. Returns the canonical
  // id of each member.
  std::vector<uint32_t> intern_group(const std::vector<SubType>& local, uint32_t first,
                                     uint32_t size, const std::vector<uint32_t>& to_global);
  // A final function type with only numeric / abstract reference types.
  uint32_t intern_func(const FuncType& ft);
  const SubType& type(uint32_t id) const { return types_[id]; }
  bool is_func(uint32_t id) const { return types_[id].comp.kind == CompositeKind::Func; }
  const FuncType& func(uint32_t id) const { return types_[id].comp.func; }
  // "(func (param i32) (result i32))", "(struct ...)", "(array ...)".
  std::string describe(uint32_t id) const;

private:
  std::vector<SubType> types_;
  std::map<std::vector<uint64_t>, uint32_t> groups_;
};

// Remapping ------------------------------------------------------------------------

struct Remapping {
  std::map<ResourceId, ResourceId> resources;
  // (kind, id, alias) -> replacement, filled while remapping (a cache) and
  // with type-import renamings after instantiation.
  std::map<AnyTypeId, AnyTypeId> types;
};

// The arena --------------------------------------------------------------------------

class TypeArena {
public:
  std::vector<DefinedType> defined;
  std::vector<FuncTy> funcs;
  std::vector<InstanceTy> instances;
  std::vector<ComponentTy> components;
  std::vector<ModuleTy> modules;
  std::vector<CoreInstanceTy> core_instances;
  CoreTypeInterner core;

  ResourceId alloc_resource() { return next_resource_++; }
  uint32_t fresh_alias() { return next_alias_++; }
  AnyTypeId with_unique(AnyTypeId id) {
    id.alias = fresh_alias();
    return id;
  }

  uint32_t push(DefinedType t);
  uint32_t push(FuncTy t);
  uint32_t push(InstanceTy t);
  uint32_t push(ComponentTy t);

  TypeInfo info(const ValTy& t) const;
  TypeInfo info(const EntityType& e) const;
  TypeInfo info(const AnyTypeId& t) const;
  const AbiInfo* abi(const ValTy& t) const; // nullptr for primitives
  bool contains_ptr(const ValTy& t) const;
  // The defined type a value type refers to, or nullptr for a primitive.
  const DefinedType* def(const ValTy& t) const { return t.is_prim ? nullptr : &defined[t.def]; }
  // A primitive, or a defined type that is a primitive.
  std::optional<PrimVal> as_prim(const ValTy& t) const;

  // Free resource variables.
  void free_vars(const AnyTypeId& t, std::set<ResourceId>& out) const;
  void free_vars(const EntityType& e, std::set<ResourceId>& out) const;
  void free_vars(const ValTy& t, std::set<ResourceId>& out) const;

  // Substitution of resources (and renamed types); returns true if changed.
  bool remap(EntityType& e, Remapping& m);
  bool remap(AnyTypeId& t, Remapping& m);
  bool remap(ValTy& t, Remapping& m);

  // External visibility: every record/variant/enum/flags and resource in `t`
  // must be in `named` (by alias-tagged id).
  bool named_valtype(const ValTy& t, const std::set<AnyTypeId>& named) const;

  // Truncation points for temporary types made during subtype checks.
  struct Checkpoint {
    size_t defined, funcs, instances, components;
  };
  Checkpoint checkpoint() const {
    return Checkpoint{defined.size(), funcs.size(), instances.size(), components.size()};
  }
  void reset(const Checkpoint& c) {
    defined.resize(c.defined);
    funcs.resize(c.funcs);
    instances.resize(c.instances);
    components.resize(c.components);
  }

private:
  bool remap_resource(ResRef& r, Remapping& m);
  bool remap_defined(uint32_t& id, uint32_t& alias, Remapping& m);
  bool remap_func(uint32_t& id, Remapping& m);
  bool remap_instance(uint32_t& id, Remapping& m);
  bool remap_component(uint32_t& id, Remapping& m);
  void free_vars_defined(uint32_t id, std::set<ResourceId>& out) const;
  void free_vars_func(uint32_t id, std::set<ResourceId>& out) const;
  void free_vars_instance(uint32_t id, std::set<ResourceId>& out) const;
  void free_vars_component(uint32_t id, std::set<ResourceId>& out) const;

  ResourceId next_resource_ = 0;
  uint32_t next_alias_ = 1;
};

// Computes the ABI facts of a defined type from its children (validation of
// the element-size bound is the caller's).
AbiInfo compute_abi(const TypeArena& arena, const DefinedType& t);
AbiInfo prim_abi(PrimVal p);

// Flattens a value type into core types (CanonicalABI.md flatten_type); stops
// after `max + 1` entries. Returns false when the limit was exceeded.
bool flatten(const TypeArena& arena, const ValTy& t, std::vector<ValType>& out, size_t max);

// Printable name of a core value type in wasmparser's Debug style ("I32").
std::string debug_valtype(ValType t);
std::string debug_valtypes(const std::vector<ValType>& ts);

// Subtyping (wasmparser's SubtypeCx): `a` is a subtype of `b`. Errors are
// Invalid at `offset`, with context lines prepended as in wasmparser.
class Subtyping {
public:
  Subtyping(TypeArena& arena, uint64_t offset) : t_(arena), offset_(offset) {}

  Status entity(const EntityType& a, const EntityType& b);
  Status any_type(const AnyTypeId& a, const AnyTypeId& b);
  Status component(uint32_t a, uint32_t b);
  Status instance(uint32_t a, uint32_t b);
  Status func(uint32_t a, uint32_t b);
  Status module(uint32_t a, uint32_t b);
  Status value(const ValTy& a, const ValTy& b);
  Status core_entity(const CoreEntity& a, const CoreEntity& b);
  static Status table(const TableType& a, const TableType& b, uint64_t offset);
  static Status memory(const MemoryType& a, const MemoryType& b, uint64_t offset);
  // Checks `args` against the imports (or exports) of component type `b` and
  // returns the resource mapping from `b`'s imported (defined) resources.
  Result<Remapping> open_instance(const EntityMap& args, uint32_t b, bool imports);

private:
  Status defined(uint32_t a, uint32_t b);
  Status prim(PrimVal a, PrimVal b);
  Error fail(std::string msg) const { return Error::invalid(offset_, std::move(msg)); }
  void register_renamings(const EntityType& actual, const EntityType& expected,
                          std::map<AnyTypeId, AnyTypeId>& out);

  TypeArena& t_;
  uint64_t offset_;
};

// Prepends a context line to an error message (wasmparser's add_context).
Error with_context(Error e, const std::string& context);

} // namespace tandem::component
