// The decoded Component Model binary (Binary.md): the IR produced by
// decode_component and read by validate_component and, later, by the
// instantiation step that builds the instance graph.
//
// Invariants:
// - The IR mirrors the binary grammar. It is syntactically well formed
//   (every byte was consumed by some production) but not validated: indices,
//   types and names are checked by validate_component.
// - Each definition records its byte offset, used for error messages. Offsets
//   are relative to the start of the outermost component binary.
// - `order` lists every definition in binary order; each entry points into
//   the per-kind vector (imports[i], canons[i], ...).
// - `spaces` lists, per index space, where each index comes from (import,
//   alias, canon, instantiate, ...). It is computed from the syntax alone, so
//   it is complete even before validation.
// - Embedded core modules are decoded by the core decoder (decoder/); nested
//   components are decoded recursively with a nesting limit.
#pragma once

#include "wasm/component_sorts.h"
#include "wasm/features.h"
#include "wasm/module.h"
#include "wasm/types.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tandem::component {

// Every sort of the component and core index spaces (wasm/component_sorts.h).
using Sort = ComponentSort;
inline const char* sort_name(Sort s) { // "core func", "func", "type", ...
  return sort_info(s).name;
}

struct SortIndex {
  Sort sort = Sort::Func;
  uint32_t index = 0;
};

// Primitive value types with their binary codes.
enum class PrimVal : uint8_t {
  Bool = 0x7f,
  S8 = 0x7e,
  U8 = 0x7d,
  S16 = 0x7c,
  U16 = 0x7b,
  S32 = 0x7a,
  U32 = 0x79,
  S64 = 0x78,
  U64 = 0x77,
  F32 = 0x76,
  F64 = 0x75,
  Char = 0x74,
  String = 0x73,
  ErrorContext = 0x64,
};
const char* prim_name(PrimVal p); // "bool", "u32", "error-context", ...

// `valtype`: a primitive or a type index.
struct ValTypeRef {
  bool is_prim = true;
  PrimVal prim = PrimVal::Bool;
  uint32_t index = 0;
  static ValTypeRef primitive(PrimVal p) { return ValTypeRef{true, p, 0}; }
  static ValTypeRef type(uint32_t i) { return ValTypeRef{false, PrimVal::Bool, i}; }
};

struct LabeledType {
  std::string label;
  ValTypeRef type;
};

struct CaseDecl {
  std::string label;
  std::optional<ValTypeRef> type;
};

enum class DefKind : uint8_t {
  Primitive,
  Record,
  Variant,
  List,
  FixedList,
  Tuple,
  Flags,
  Enum,
  Option,
  Result,
  Own,
  Borrow,
  Stream,
  Future,
  Map,
};

// `defvaltype`.
struct DefValTypeDecl {
  DefKind kind = DefKind::Primitive;
  PrimVal prim = PrimVal::Bool;     // Primitive
  std::vector<LabeledType> fields;  // Record
  std::vector<CaseDecl> cases;      // Variant
  std::vector<ValTypeRef> types;    // Tuple
  std::vector<std::string> labels;  // Flags, Enum
  std::optional<ValTypeRef> first;  // List/FixedList/Option element, Result ok,
                                    // Stream/Future payload, Map key
  std::optional<ValTypeRef> second; // Result error, Map value
  uint32_t length = 0;              // FixedList
  uint32_t resource = 0;            // Own, Borrow: type index
};

struct FuncTypeDecl {
  bool async = false;
  std::vector<LabeledType> params;
  std::optional<ValTypeRef> result;
};

struct ResourceTypeDecl {
  ValType rep = kI32;
  std::optional<uint32_t> dtor; // core func index
};

// `externname` plus attributes (`nameattributes`).
struct ExternName {
  std::string name;
  std::optional<std::string> implements;
  std::optional<std::string> version_suffix;
  std::optional<std::string> external_id;
  // The first attribute kind given twice ("implements", ...), reported by
  // validation; empty when none.
  std::string duplicate_attribute;
};

// `externtype`.
struct ExternType {
  enum class Kind : uint8_t { Module, Func, Value, Type, Component, Instance };
  Kind kind = Kind::Func;
  uint32_t index = 0;        // type index (core type index for Module)
  bool sub_resource = false; // Type: `(sub resource)`, else `(eq index)`
  bool value_eq = false;     // Value: `(eq valueidx)` in `index`, else `value_type`
  ValTypeRef value_type;     // Value
};

// An alias (definition or declarator).
struct Alias {
  enum class Kind : uint8_t { InstanceExport, CoreInstanceExport, Outer };
  Kind kind = Kind::InstanceExport;
  Sort sort = Sort::Func;
  uint32_t instance = 0; // InstanceExport / CoreInstanceExport
  std::string name;      // InstanceExport / CoreInstanceExport
  uint32_t count = 0;    // Outer
  uint32_t index = 0;    // Outer
  uint32_t offset = 0;
};

// Core items -----------------------------------------------------------------

// A core `externtype` in a module type declaration.
struct CoreExternType {
  ExternKind kind = ExternKind::Func;
  uint32_t type_index = 0; // Func, Tag
  TableType table;
  MemoryType memory;
  GlobalType global;
};

struct CoreTypeDef;

struct ModuleDecl {
  enum class Kind : uint8_t { Import, Type, Alias, Export };
  Kind kind = Kind::Import;
  std::string module;                     // Import
  std::string name;                       // Import, Export
  CoreExternType type;                    // Import, Export
  std::shared_ptr<CoreTypeDef> core_type; // Type
  uint32_t count = 0, index = 0;          // Alias (outer type alias)
  uint32_t offset = 0;
};

// `core:type`: a rec group (one or more sub types) or a module type.
struct CoreTypeDef {
  bool is_module = false;
  // Rec group: heap type indices refer to the enclosing core type space;
  // rec_group/rec_size are relative to this vector.
  std::vector<SubType> rec;
  std::vector<ModuleDecl> decls; // module type
  uint32_t offset = 0;
};

struct CoreModuleDef {
  std::shared_ptr<const wasm::Module> module;
  uint32_t offset = 0; // of the embedded module's first byte
  uint32_t size = 0;
};

struct CoreInlineExport {
  std::string name;
  Sort sort = Sort::CoreFunc; // a core sort
  uint32_t index = 0;
};

struct CoreInstanceDef {
  bool instantiate = true;
  uint32_t module = 0;                                // instantiate
  std::vector<std::pair<std::string, uint32_t>> args; // (name, core instance idx)
  std::vector<CoreInlineExport> exports;              // inline exports
  uint32_t offset = 0;
};

// Component items --------------------------------------------------------------

struct TypeDef;

// A declarator of a component or instance type.
struct Declarator {
  enum class Kind : uint8_t { CoreType, Type, Alias, Import, Export };
  Kind kind = Kind::Type;
  std::shared_ptr<CoreTypeDef> core_type; // CoreType
  std::shared_ptr<TypeDef> type;          // Type
  Alias alias;                            // Alias
  ExternName name;                        // Import, Export
  ExternType extern_type;                 // Import, Export
  uint32_t offset = 0;
};

// `type` definitions (`deftype`).
struct TypeDef {
  enum class Kind : uint8_t { Defined, Func, Component, Instance, Resource };
  Kind kind = Kind::Defined;
  DefValTypeDecl defined;
  FuncTypeDecl func;
  ResourceTypeDecl resource;
  std::vector<Declarator> decls; // Component, Instance
  uint32_t offset = 0;
};

struct InstantiateArg {
  std::string name;
  SortIndex item;
};

struct InlineExport {
  ExternName name;
  SortIndex item;
};

struct InstanceDef {
  bool instantiate = true;
  uint32_t component = 0;
  std::vector<InstantiateArg> args;
  std::vector<InlineExport> exports;
  uint32_t offset = 0;
};

enum class StringEncoding : uint8_t { Utf8, Utf16, Latin1Utf16 };

struct CanonOption {
  enum class Kind : uint8_t {
    Utf8,
    Utf16,
    Latin1Utf16,
    Memory,
    Realloc,
    PostReturn,
    Async,
    Callback,
    CoreType, // wasmparser's GC-ABI extension; rejected by validation
    Gc,       // likewise
  };
  Kind kind = Kind::Utf8;
  uint32_t index = 0; // Memory, Realloc, PostReturn, Callback, CoreType
};

// Canonical definitions; `code` is the binary opcode (Binary.md `canon`).
struct CanonDef {
  enum class Kind : uint8_t {
    Lift = 0x00,
    Lower = 0x01,
    ResourceNew = 0x02,
    ResourceDrop = 0x03,
    ResourceRep = 0x04,
    TaskCancel = 0x05,
    SubtaskCancel = 0x06,
    TaskReturn = 0x09,
    ContextGet = 0x0a,
    ContextSet = 0x0b,
    ThreadYield = 0x0c,
    SubtaskDrop = 0x0d,
    StreamNew = 0x0e,
    StreamRead = 0x0f,
    StreamWrite = 0x10,
    StreamCancelRead = 0x11,
    StreamCancelWrite = 0x12,
    StreamDropReadable = 0x13,
    StreamDropWritable = 0x14,
    FutureNew = 0x15,
    FutureRead = 0x16,
    FutureWrite = 0x17,
    FutureCancelRead = 0x18,
    FutureCancelWrite = 0x19,
    FutureDropReadable = 0x1a,
    FutureDropWritable = 0x1b,
    ErrorContextNew = 0x1c,
    ErrorContextDebugMessage = 0x1d,
    ErrorContextDrop = 0x1e,
    WaitableSetNew = 0x1f,
    WaitableSetWait = 0x20,
    WaitableSetPoll = 0x21,
    WaitableSetDrop = 0x22,
    WaitableJoin = 0x23,
    BackpressureInc = 0x24,
    BackpressureDec = 0x25,
    ThreadIndex = 0x26,
    ThreadNewIndirect = 0x27,
    ThreadResumeLater = 0x28,
    ThreadSuspend = 0x29,
    ThreadSuspendThenResume = 0x2a,
    ThreadYieldThenResume = 0x2b,
    ThreadSuspendThenPromote = 0x2c,
    ThreadYieldThenPromote = 0x2d,
    ThreadSpawnRef = 0x40,
    ThreadSpawnIndirect = 0x41,
    ThreadAvailableParallelism = 0x42,
  };
  Kind kind = Kind::Lift;
  uint32_t func = 0;                // Lift: core func; Lower: func
  uint32_t type = 0;                // Lift: func type; resource.*, stream.*, future.*: type;
                                    // thread.new-indirect/spawn: core type
  uint32_t table = 0;               // thread.new-indirect / spawn-indirect
  uint32_t memory = 0;              // waitable-set.wait/poll
  uint32_t slot = 0;                // context.get/set
  ValType core_type = kI32;         // context.get/set
  bool flag = false;                // async? / cancellable? / shared?
  std::optional<ValTypeRef> result; // task.return
  std::vector<CanonOption> options;
  uint32_t offset = 0;
  // The canon adds a component func (Lift) or a core func (everything else).
  bool defines_component_func() const { return kind == Kind::Lift; }
};
const char* canon_name(CanonDef::Kind k); // "canon lift", "resource.new", ...

struct StartDef {
  uint32_t func = 0;
  std::vector<uint32_t> args; // value indices
  uint32_t results = 0;
  uint32_t offset = 0;
};

struct ImportDef {
  ExternName name;
  ExternType type;
  uint32_t offset = 0;
};

struct ExportDef {
  ExternName name;
  SortIndex item;
  std::optional<ExternType> type; // ascribed type
  uint32_t offset = 0;
};

// Value definitions (🪙) are decoded but not interpreted.
struct ValueDef {
  ValTypeRef type;
  uint32_t offset = 0; // of the value bytes
  uint32_t size = 0;
};

struct Component;

struct NestedComponentDef {
  std::shared_ptr<const Component> component;
  uint32_t offset = 0;
};

// Where an index of some index space comes from. `def` indexes the vector of
// the definition kind (imports, aliases, canons, core_instances, ...).
enum class Origin : uint8_t {
  Import,          // imports[def]
  Export,          // exports[def]: exports add a new index aliasing the item
  Alias,           // aliases[def] (instance export, core export or outer)
  CoreModule,      // modules[def]
  CoreInstance,    // core_instances[def]
  CoreType,        // core_types[def], `sub` = position in a rec group
  NestedComponent, // components[def]
  Instance,        // instances[def]
  Type,            // types[def]
  Canon,           // canons[def]
  Start,           // starts[def], `sub` = result position
  Value,           // values[def]
};
const char* origin_name(Origin o);

struct IndexEntry {
  Origin origin = Origin::Import;
  uint32_t def = 0;
  uint32_t sub = 0;
};

// One vector of T per sort: a component's index spaces, by name or by Sort.
template <typename T> struct PerSort {
  std::vector<T> core_funcs, core_tables, core_memories, core_globals, core_tags;
  std::vector<T> core_types, core_modules, core_instances;
  std::vector<T> funcs, values, types, components, instances;
  std::vector<T>& of(Sort s) {
    switch (s) {
    case Sort::CoreFunc: return core_funcs;
    case Sort::CoreTable: return core_tables;
    case Sort::CoreMemory: return core_memories;
    case Sort::CoreGlobal: return core_globals;
    case Sort::CoreTag: return core_tags;
    case Sort::CoreType: return core_types;
    case Sort::CoreModule: return core_modules;
    case Sort::CoreInstance: return core_instances;
    case Sort::Func: return funcs;
    case Sort::Value: return values;
    case Sort::Type: return types;
    case Sort::Component: return components;
    case Sort::Instance: return instances;
    }
    return funcs;
  }
  const std::vector<T>& of(Sort s) const { return const_cast<PerSort*>(this)->of(s); }
};
using IndexSpaces = PerSort<IndexEntry>;

enum class DefinitionKind : uint8_t {
  CoreModule,
  CoreInstance,
  CoreType,
  Component,
  Instance,
  Alias,
  Type,
  Canon,
  Start,
  Import,
  Export,
  Value,
};

struct DefinitionRef {
  DefinitionKind kind = DefinitionKind::Import;
  uint32_t index = 0; // into the vector of that kind
};

struct Component {
  std::vector<CoreModuleDef> modules;
  std::vector<CoreInstanceDef> core_instances;
  std::vector<std::shared_ptr<CoreTypeDef>> core_types;
  std::vector<NestedComponentDef> components;
  std::vector<InstanceDef> instances;
  std::vector<Alias> aliases;
  std::vector<std::shared_ptr<TypeDef>> types;
  std::vector<CanonDef> canons;
  std::vector<StartDef> starts;
  std::vector<ImportDef> imports;
  std::vector<ExportDef> exports;
  std::vector<ValueDef> values;
  std::vector<DefinitionRef> order;
  IndexSpaces spaces;
  uint32_t offset = 0; // of the preamble
  uint32_t size = 0;
  // From the `component-name` custom section (absent or malformed: empty):
  // names of instance-space and core-instance-space indices.
  std::map<uint32_t, std::string> instance_names, core_instance_names;
};

} // namespace tandem::component
