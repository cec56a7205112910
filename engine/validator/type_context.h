// Type equivalence and subtyping over a module's type section (wasm 3.0 GC).
//
// Types are compared iso-recursively: each rec group gets a canonical id from
// its structure, where references into the same group are group-relative and
// references to earlier groups use those types' canonical ids. Two type
// indices are equal when their canonical ids are equal. The context is built
// group by group (add_group) so the type-section validator can check each
// group against the ones before it.
//
// ValKind::Bot is the bottom value type of unreachable code: it is a subtype
// of every type.
#pragma once

#include "wasm/types.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tandem {

class TypeContext {
public:
  explicit TypeContext(const std::vector<SubType>& types) : types_(types) {}

  // Registers the canonical ids of types [first, first + size). All type
  // indices inside must be < first + size (checked by the caller).
  void add_group(uint32_t first, uint32_t size);
  // Registers every rec group of the type section.
  void add_all();

  uint32_t size() const { return uint32_t(types_.size()); }
  const SubType& type(uint32_t i) const { return types_[i]; }
  bool is_func(uint32_t i) const { return i < size() && type(i).comp.kind == CompositeKind::Func; }
  bool is_struct(uint32_t i) const {
    return i < size() && type(i).comp.kind == CompositeKind::Struct;
  }
  bool is_array(uint32_t i) const {
    return i < size() && type(i).comp.kind == CompositeKind::Array;
  }
  bool same_type(uint32_t a, uint32_t b) const { return canon_[a] == canon_[b]; }

  bool heap_subtype(HeapType a, HeapType b) const;
  bool subtype(ValType a, ValType b) const;
  bool subtype(const std::vector<ValType>& a, const std::vector<ValType>& b) const;
  bool field_subtype(const FieldType& a, const FieldType& b) const;
  bool storage_subtype(const StorageType& a, const StorageType& b) const;
  // True when sub type `sub`'s composite type matches its declared supertype `super`.
  bool comp_subtype(const CompositeType& sub, const CompositeType& super) const;

  // The top (any, func, extern, exn) and bottom (none, nofunc, noextern,
  // noexn) of a heap type's hierarchy.
  HeapType top_of(HeapType h) const;
  HeapType bottom_of(HeapType h) const;

  static bool defaultable(ValType t) { return !t.is_ref() || t.nullable(); }

  // Printable type for messages, e.g. "i32", "(ref null func)", "(ref 3)".
  static std::string name(ValType t) { return valtype_name(t); }

private:
  uint64_t heap_key(HeapType h, uint32_t first, uint32_t size) const;
  void key_of(const SubType& st, uint32_t first, uint32_t size, std::vector<uint64_t>& out) const;

  const std::vector<SubType>& types_;
  std::vector<uint32_t> canon_;
  std::map<std::vector<uint64_t>, uint32_t> groups_; // structure -> canonical id of its first type
  uint32_t next_id_ = 0;
};

} // namespace tandem
