// Canonical type ids and the subtyping relation (see type_context.h).
#include "validator/type_context.h"

namespace tandem {
namespace {

enum class Hierarchy : uint8_t { Any, Func, Extern, Exn };

Hierarchy abstract_hierarchy(AbsHeap a) {
  switch (a) {
  case AbsHeap::Func:
  case AbsHeap::NoFunc: return Hierarchy::Func;
  case AbsHeap::Extern:
  case AbsHeap::NoExtern: return Hierarchy::Extern;
  case AbsHeap::Exn:
  case AbsHeap::NoExn: return Hierarchy::Exn;
  default: return Hierarchy::Any;
  }
}

// Key tags keep the different kinds of key entries apart.
constexpr uint64_t kTagAbstract = 1ull << 60;
constexpr uint64_t kTagRelative = 2ull << 60;
constexpr uint64_t kTagCanonical = 3ull << 60;

} // namespace

uint64_t TypeContext::heap_key(HeapType h, uint32_t first, uint32_t size) const {
  uint64_t shared = (h.shared() ? (1ull << 40) : 0) | (h.exact() ? (1ull << 41) : 0);
  if (h.is_abstract()) return kTagAbstract | shared | uint64_t(h.abs());
  uint32_t idx = h.type_index();
  if (idx >= first && idx < first + size) return kTagRelative | shared | (idx - first);
  return kTagCanonical | shared | canon_[idx];
}

void TypeContext::key_of(const SubType& st, uint32_t first, uint32_t size,
                         std::vector<uint64_t>& out) const {
  auto val = [&](ValType t) {
    out.push_back(uint64_t(t.kind()) | (t.nullable() ? 0x100 : 0));
    if (t.is_ref()) out.push_back(heap_key(t.heap(), first, size));
  };
  out.push_back(st.final ? 1 : 0);
  out.push_back(st.super ? heap_key(HeapType::index(*st.super), first, size) : 0);
  out.push_back(st.describes ? heap_key(HeapType::index(*st.describes), first, size) + 1 : 0);
  out.push_back(st.descriptor ? heap_key(HeapType::index(*st.descriptor), first, size) + 1 : 0);
  const CompositeType& ct = st.comp;
  out.push_back(uint64_t(ct.kind) | (ct.shared ? 0x100 : 0));
  switch (ct.kind) {
  case CompositeKind::Func:
    out.push_back(ct.func.params.size());
    for (ValType t : ct.func.params) val(t);
    out.push_back(ct.func.results.size());
    for (ValType t : ct.func.results) val(t);
    break;
  case CompositeKind::Struct:
  case CompositeKind::Array:
    out.push_back(ct.fields.size());
    for (const FieldType& f : ct.fields) {
      out.push_back(uint64_t(f.storage.packed) | (f.mut ? 0x100 : 0));
      val(f.storage.type);
    }
    break;
  case CompositeKind::Cont: out.push_back(ct.cont_type); break;
  }
}

void TypeContext::add_group(uint32_t first, uint32_t size) {
  std::vector<uint64_t> key;
  key.push_back(size);
  for (uint32_t i = first; i < first + size; ++i) key_of(types_[i], first, size, key);
  auto [it, inserted] = groups_.emplace(std::move(key), next_id_);
  if (inserted) next_id_ += size;
  if (canon_.size() < first + size) canon_.resize(first + size);
  for (uint32_t i = 0; i < size; ++i) canon_[first + i] = it->second + i;
}

void TypeContext::add_all() {
  uint32_t i = 0;
  while (i < size()) {
    uint32_t n = std::max<uint32_t>(1, types_[i].rec_size);
    add_group(i, n);
    i += n;
  }
}

HeapType TypeContext::top_of(HeapType h) const {
  Hierarchy hier;
  if (h.is_index()) {
    hier = h.type_index() < size() && type(h.type_index()).comp.kind == CompositeKind::Func
               ? Hierarchy::Func
               : Hierarchy::Any;
  } else {
    hier = abstract_hierarchy(h.abs());
  }
  switch (hier) {
  case Hierarchy::Func: return HeapType::abstract(AbsHeap::Func, h.shared());
  case Hierarchy::Extern: return HeapType::abstract(AbsHeap::Extern, h.shared());
  case Hierarchy::Exn: return HeapType::abstract(AbsHeap::Exn, h.shared());
  case Hierarchy::Any: break;
  }
  return HeapType::abstract(AbsHeap::Any, h.shared());
}

HeapType TypeContext::bottom_of(HeapType h) const {
  switch (top_of(h).abs()) {
  case AbsHeap::Func: return HeapType::abstract(AbsHeap::NoFunc, h.shared());
  case AbsHeap::Extern: return HeapType::abstract(AbsHeap::NoExtern, h.shared());
  case AbsHeap::Exn: return HeapType::abstract(AbsHeap::NoExn, h.shared());
  default: return HeapType::abstract(AbsHeap::None, h.shared());
  }
}

bool TypeContext::heap_subtype(HeapType a, HeapType b) const {
  if (a == b) return true;
  if (a.shared() != b.shared()) return false;
  if (a.is_index()) {
    uint32_t ai = a.type_index();
    if (ai >= size()) return false;
    if (b.is_index()) {
      uint32_t bi = b.type_index();
      if (bi >= size()) return false;
      // An exact type is below exactly the same type, and its supertypes inexactly.
      if (b.exact()) return a.exact() && same_type(ai, bi);
      // Walk the declared supertype chain (it only points backwards).
      uint32_t t = ai;
      for (uint32_t steps = 0; steps <= size(); ++steps) {
        if (same_type(t, bi)) return true;
        const SubType& st = type(t);
        if (!st.super || *st.super >= t) return false;
        t = *st.super;
      }
      return false;
    }
    switch (type(ai).comp.kind) {
    case CompositeKind::Func: return b.abs() == AbsHeap::Func;
    case CompositeKind::Struct:
      return b.abs() == AbsHeap::Struct || b.abs() == AbsHeap::Eq || b.abs() == AbsHeap::Any;
    case CompositeKind::Array:
      return b.abs() == AbsHeap::Array || b.abs() == AbsHeap::Eq || b.abs() == AbsHeap::Any;
    case CompositeKind::Cont: return false;
    }
    return false;
  }
  // a is abstract.
  AbsHeap x = a.abs();
  if (b.is_index()) {
    uint32_t bi = b.type_index();
    if (bi >= size()) return false;
    CompositeKind k = type(bi).comp.kind;
    if (x == AbsHeap::None) return k == CompositeKind::Struct || k == CompositeKind::Array;
    if (x == AbsHeap::NoFunc) return k == CompositeKind::Func;
    return false;
  }
  AbsHeap y = b.abs();
  switch (x) {
  case AbsHeap::None: return abstract_hierarchy(y) == Hierarchy::Any;
  case AbsHeap::NoFunc: return y == AbsHeap::Func;
  case AbsHeap::NoExtern: return y == AbsHeap::Extern;
  case AbsHeap::NoExn: return y == AbsHeap::Exn;
  case AbsHeap::I31:
  case AbsHeap::Struct:
  case AbsHeap::Array: return y == AbsHeap::Eq || y == AbsHeap::Any;
  case AbsHeap::Eq: return y == AbsHeap::Any;
  default: return false;
  }
}

bool TypeContext::subtype(ValType a, ValType b) const {
  if (a.kind() == ValKind::Bot) return true;
  if (a.kind() != b.kind()) return false;
  if (!a.is_ref()) return true;
  if (a.nullable() && !b.nullable()) return false;
  return heap_subtype(a.heap(), b.heap());
}

bool TypeContext::subtype(const std::vector<ValType>& a, const std::vector<ValType>& b) const {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!subtype(a[i], b[i])) return false;
  return true;
}

bool TypeContext::storage_subtype(const StorageType& a, const StorageType& b) const {
  if (a.packed != b.packed) return false;
  return a.packed != Packed::None || subtype(a.type, b.type);
}

bool TypeContext::field_subtype(const FieldType& a, const FieldType& b) const {
  if (a.mut != b.mut) return false;
  if (!storage_subtype(a.storage, b.storage)) return false;
  return !a.mut || storage_subtype(b.storage, a.storage);
}

bool TypeContext::comp_subtype(const CompositeType& sub, const CompositeType& super) const {
  if (sub.kind != super.kind || sub.shared != super.shared) return false;
  switch (sub.kind) {
  case CompositeKind::Func:
    return subtype(super.func.params, sub.func.params) &&
           subtype(sub.func.results, super.func.results);
  case CompositeKind::Struct:
    if (sub.fields.size() < super.fields.size()) return false;
    for (size_t i = 0; i < super.fields.size(); ++i)
      if (!field_subtype(sub.fields[i], super.fields[i])) return false;
    return true;
  case CompositeKind::Array: return field_subtype(sub.fields[0], super.fields[0]);
  case CompositeKind::Cont: return sub.cont_type == super.cont_type;
  }
  return false;
}

} // namespace tandem
