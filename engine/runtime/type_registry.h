// TypeRegistry: the store-wide canonical type space.
//
// Modules number their types locally. Two modules' types are the same type
// when their recursion groups are structurally identical (iso-recursive
// equivalence, wasm 3.0), so the registry hashes each rec group with its
// internal references made relative and its external references replaced by
// canonical ids, and hands out one canonical id per distinct type.
//
// Canonical types are stored with every type index replaced by a canonical id
// (ValType heap indices included), so they can be compared across modules.
// call_indirect, import matching, ref.test/ref.cast and host functions all
// work on canonical ids. Ids are stable for the lifetime of the store.
#pragma once

#include "wasm/types.h"

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace tandem::rt {

class TypeRegistry {
public:
  // Canonicalises a module's type section (flattened, with rec_group /
  // rec_size filled in); returns the canonical id of each module type index.
  std::vector<uint32_t> canonicalize(std::span<const SubType> types);

  // A final function type without supertype in a singleton group (host
  // functions). Heap-type indices in `type` must already be canonical ids.
  uint32_t intern_func(const FuncType& type);

  const SubType& get(uint32_t id) const { return types_[id]; }
  const FuncType& func_type(uint32_t id) const { return types_[id].comp.func; }
  bool is_func(uint32_t id) const { return types_[id].comp.kind == CompositeKind::Func; }

  // Declared subtyping between canonical ids (reflexive, transitive).
  bool is_subtype(uint32_t sub, uint32_t super) const;
  // Heap and value subtyping over canonical types.
  bool heap_subtype(HeapType a, HeapType b) const;
  bool val_subtype(ValType a, ValType b) const;
  // The top of the hierarchy a heap type belongs to (Func, Extern, Any, Exn).
  AbsHeap top_of(HeapType h) const;

  // Rewrites module-relative indices in a value type to canonical ids.
  static ValType canon_val(ValType t, std::span<const uint32_t> ids);

private:
  std::deque<SubType> types_;                        // canonical form, indexed by canonical id
  std::unordered_map<std::string, uint32_t> groups_; // rec-group key -> first id
};

} // namespace tandem::rt
