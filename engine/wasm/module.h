// The decoded module: the IR produced by the module decoder and read by the
// validator, the runtime and both tiers.
//
// Invariants:
// - The Module owns its bytes. Every ByteRange (constant expressions, function
//   bodies, data payloads, custom sections) indexes into `bytes`, and
//   `range.offset` is also the byte offset used in error messages.
// - Each index space lists imports first: funcs[0..num_imported_funcs) are the
//   imported functions, and likewise for tables, memories, globals and tags.
// - Types are the flattened type section: types[i] is type index i; rec
//   groups are recorded in SubType::rec_group / rec_size (types.h).
// - The decoder checks only the binary format. Index bounds, types and
//   feature gating are the validator's job; `features_used` lists features
//   the decoder saw in module-level encodings (limits flags, rec groups, tags,
//   ...), so the validator can reject a disabled feature with a clear message.
#pragma once

#include "wasm/features.h"
#include "wasm/types.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

// NOTE (lead): the IR lives in namespace tandem::wasm, because the public API
// (engine/include/tandem/tandem.h) owns tandem::Module, Table, Global and Tag.
namespace tandem::wasm {

// A half-open range [offset, offset + size) of Module::bytes.
struct ByteRange {
  uint32_t offset = 0;
  uint32_t size = 0;
  uint32_t end() const { return offset + size; }
  bool empty() const { return size == 0; }
};

// A constant expression: its instructions including the final `end`.
struct ConstExpr {
  ByteRange range;
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t type_index = 0; // Func and Tag: the function type index
  bool exact = false;      // Func: an exact import (custom-descriptors, kind 0x20)
  TableType table;         // Table
  MemoryType memory;       // Memory
  GlobalType global;       // Global
  uint32_t offset = 0;     // byte offset of the import entry
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
  uint32_t offset = 0; // byte offset of the export entry
};

struct Table {
  TableType type;
  std::optional<ConstExpr> init; // `table` with an initialiser (0x40 0x00 encoding)
};

struct Global {
  GlobalType type;
  ConstExpr init; // empty range for imported globals
};

struct Tag {
  uint32_t type_index = 0; // a function type with no results (validated)
};

enum class SegmentMode : uint8_t { Passive, Active, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Passive;
  uint32_t table = 0;            // Active only
  ConstExpr offset;              // Active only
  ValType type = kFuncRef;       // element reference type
  bool uses_exprs = false;       // items are expressions (else function indices)
  std::vector<uint32_t> funcs;   // !uses_exprs
  std::vector<ConstExpr> exprs;  // uses_exprs
  uint32_t offset_in_module = 0; // byte offset of the segment entry
  size_t size() const { return uses_exprs ? exprs.size() : funcs.size(); }
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Passive; // Passive or Active
  uint32_t memory = 0;                     // Active only
  ConstExpr offset;                        // Active only
  ByteRange init;                          // the payload
  uint32_t offset_in_module = 0;
};

struct LocalGroup {
  uint32_t count = 0;
  ValType type;
};

struct FunctionBody {
  ByteRange body; // the whole entry after its size: locals and code
  ByteRange code; // the instructions, including the final `end`
  std::vector<LocalGroup> locals;
  uint64_t num_locals = 0; // declared locals, excluding parameters
};

struct CustomSection {
  std::string name;
  ByteRange content;         // after the name
  uint8_t after_section = 0; // id of the last non-custom section before it (0 = none)
};

class Module {
public:
  std::vector<uint8_t> bytes;

  std::vector<SubType> types;
  std::vector<Import> imports;

  std::vector<uint32_t> funcs; // type index of each function
  std::vector<Table> tables;
  std::vector<MemoryType> memories;
  std::vector<Global> globals;
  std::vector<Tag> tags;
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  uint32_t num_imported_tags = 0;

  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;
  std::vector<FunctionBody> bodies; // bodies[i] is funcs[num_imported_funcs + i]
  std::vector<CustomSection> customs;

  FeatureSet features_used; // module-level encodings that need a feature (see top)

  std::span<const uint8_t> span(ByteRange r) const {
    return std::span<const uint8_t>(bytes.data() + r.offset, r.size);
  }
  bool is_func_type(uint32_t type_index) const {
    return type_index < types.size() && types[type_index].comp.kind == CompositeKind::Func;
  }
  // Precondition: is_func_type(type_index).
  const FuncType& func_type(uint32_t type_index) const { return types[type_index].comp.func; }
  // Precondition: func_index < funcs.size() and its type index is valid.
  const FuncType& func_type_of(uint32_t func_index) const { return func_type(funcs[func_index]); }
  bool is_imported_func(uint32_t func_index) const { return func_index < num_imported_funcs; }
  uint32_t num_defined_funcs() const { return uint32_t(funcs.size()) - num_imported_funcs; }
  const FunctionBody& body_of(uint32_t func_index) const {
    return bodies[func_index - num_imported_funcs];
  }
};

} // namespace tandem::wasm
