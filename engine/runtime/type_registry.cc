// Canonicalisation of recursion groups and subtyping over canonical ids.
// See type_registry.h for the model.
#include "runtime/type_registry.h"

namespace tandem::rt {
namespace {

// Builds the structural key of one rec group. A type index inside the group
// is written relative to the group ('r'), one outside as its canonical id ('c').
class GroupKey {
public:
  GroupKey(uint32_t group_start, uint32_t group_size, std::span<const uint32_t> ids)
      : start_(group_start), size_(group_size), ids_(ids) {}

  void index(uint32_t idx) {
    if (idx >= start_ && idx < start_ + size_) {
      put('r', idx - start_);
    } else {
      put('c', idx < ids_.size() ? ids_[idx] : 0xffffffffu);
    }
  }
  void heap(HeapType h) {
    if (h.is_abstract()) {
      put('a', h.bits());
    } else {
      key_ += h.shared() ? 'S' : 'U';
      if (h.exact()) key_ += 'X';
      index(h.type_index());
    }
  }
  void val(ValType t) {
    put('v', uint32_t(t.kind()) | (t.nullable() ? 0x100 : 0));
    if (t.is_ref()) heap(t.heap());
  }
  void sub(const SubType& s) {
    put('t', (s.final ? 1 : 0) | (s.super ? 2 : 0) | (s.comp.shared ? 4 : 0) |
                 (uint32_t(s.comp.kind) << 4));
    if (s.super) index(*s.super);
    if (s.describes) {
      key_ += 'D';
      index(*s.describes);
    }
    if (s.descriptor) {
      key_ += 'E';
      index(*s.descriptor);
    }
    switch (s.comp.kind) {
    case CompositeKind::Func:
      put('p', uint32_t(s.comp.func.params.size()));
      for (ValType t : s.comp.func.params) val(t);
      put('q', uint32_t(s.comp.func.results.size()));
      for (ValType t : s.comp.func.results) val(t);
      break;
    case CompositeKind::Struct:
    case CompositeKind::Array:
      put('f', uint32_t(s.comp.fields.size()));
      for (const FieldType& f : s.comp.fields) {
        put('g', uint32_t(f.storage.packed) | (f.mut ? 0x100 : 0));
        val(f.storage.type);
      }
      break;
    case CompositeKind::Cont: index(s.comp.cont_type); break;
    }
  }
  const std::string& str() const { return key_; }

private:
  void put(char tag, uint32_t v) {
    key_ += tag;
    key_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  uint32_t start_, size_;
  std::span<const uint32_t> ids_;
  std::string key_;
};

HeapType canon_heap(HeapType h, std::span<const uint32_t> ids) {
  if (h.is_abstract()) return h;
  uint32_t idx = h.type_index();
  return HeapType::index(idx < ids.size() ? ids[idx] : idx, h.shared(), h.exact());
}

bool is_bottom(AbsHeap a) {
  return a == AbsHeap::None || a == AbsHeap::NoFunc || a == AbsHeap::NoExtern ||
         a == AbsHeap::NoExn;
}

AbsHeap abs_top(AbsHeap a) {
  switch (a) {
  case AbsHeap::Func:
  case AbsHeap::NoFunc: return AbsHeap::Func;
  case AbsHeap::Extern:
  case AbsHeap::NoExtern: return AbsHeap::Extern;
  case AbsHeap::Exn:
  case AbsHeap::NoExn: return AbsHeap::Exn;
  default: return AbsHeap::Any;
  }
}

// Subtyping between two abstract heap types of the same hierarchy.
bool abs_subtype(AbsHeap a, AbsHeap b) {
  if (a == b) return true;
  if (abs_top(a) != abs_top(b)) return false;
  if (is_bottom(a)) return true;
  if (b == abs_top(b)) return true; // everything is below its top
  // Inside the any hierarchy: i31, struct and array are below eq.
  return b == AbsHeap::Eq && (a == AbsHeap::I31 || a == AbsHeap::Struct || a == AbsHeap::Array);
}

} // namespace

ValType TypeRegistry::canon_val(ValType t, std::span<const uint32_t> ids) {
  if (!t.is_ref()) return t;
  return ValType::ref(canon_heap(t.heap(), ids), t.nullable());
}

std::vector<uint32_t> TypeRegistry::canonicalize(std::span<const SubType> types) {
  std::vector<uint32_t> ids(types.size(), 0);
  size_t i = 0;
  while (i < types.size()) {
    uint32_t start = uint32_t(i);
    uint32_t size = types[i].rec_size == 0 ? 1 : types[i].rec_size;
    if (start + size > types.size()) size = uint32_t(types.size() - start);
    GroupKey key(start, size, ids);
    for (uint32_t k = 0; k < size; ++k) key.sub(types[start + k]);
    auto it = groups_.find(key.str());
    if (it != groups_.end()) {
      for (uint32_t k = 0; k < size; ++k) ids[start + k] = it->second + k;
    } else {
      uint32_t first = uint32_t(types_.size());
      groups_.emplace(key.str(), first);
      for (uint32_t k = 0; k < size; ++k) ids[start + k] = first + k;
      // Store the canonical form: every index replaced by a canonical id.
      for (uint32_t k = 0; k < size; ++k) {
        SubType s = types[start + k];
        auto fix = [&](std::optional<uint32_t>& o) {
          if (o && *o < ids.size()) o = ids[*o];
        };
        fix(s.super);
        fix(s.describes);
        fix(s.descriptor);
        for (ValType& t : s.comp.func.params) t = canon_val(t, ids);
        for (ValType& t : s.comp.func.results) t = canon_val(t, ids);
        for (FieldType& f : s.comp.fields) f.storage.type = canon_val(f.storage.type, ids);
        if (s.comp.kind == CompositeKind::Cont && s.comp.cont_type < ids.size())
          s.comp.cont_type = ids[s.comp.cont_type];
        s.rec_group = first;
        s.rec_size = size;
        types_.push_back(std::move(s));
      }
    }
    i = start + size;
  }
  return ids;
}

uint32_t TypeRegistry::intern_func(const FuncType& type) {
  SubType s;
  s.final = true;
  s.comp.kind = CompositeKind::Func;
  s.comp.func = type;
  s.rec_group = 0;
  s.rec_size = 1;
  std::vector<uint32_t> ids = canonicalize(std::span<const SubType>(&s, 1));
  return ids[0];
}

bool TypeRegistry::is_subtype(uint32_t sub, uint32_t super) const {
  // Walk the declared supertype chain; chains are finite (validated modules
  // only declare supertypes with smaller indices).
  for (uint32_t cur = sub, steps = 0; steps <= types_.size(); ++steps) {
    if (cur == super) return true;
    if (cur >= types_.size() || !types_[cur].super) return false;
    cur = *types_[cur].super;
  }
  return false;
}

AbsHeap TypeRegistry::top_of(HeapType h) const {
  if (h.is_abstract()) return abs_top(h.abs());
  uint32_t id = h.type_index();
  if (id >= types_.size()) return AbsHeap::Any;
  switch (types_[id].comp.kind) {
  case CompositeKind::Func: return AbsHeap::Func;
  case CompositeKind::Cont: return AbsHeap::Any; // continuations: own hierarchy, unused here
  default: return AbsHeap::Any;
  }
}

bool TypeRegistry::heap_subtype(HeapType a, HeapType b) const {
  if (a == b) return true;
  if (a.shared() != b.shared()) return false;
  if (a.is_abstract() && b.is_abstract()) return abs_subtype(a.abs(), b.abs());
  if (a.is_index() && b.is_index()) {
    // An exact type is only below itself (or, inexactly, its supertypes).
    if (b.exact()) return a.exact() && a.type_index() == b.type_index();
    return is_subtype(a.type_index(), b.type_index());
  }
  if (a.is_index()) {
    a = a.with_exact(false);
    // Concrete below abstract: by the kind of its composite type.
    uint32_t id = a.type_index();
    if (id >= types_.size()) return false;
    AbsHeap target = b.abs();
    switch (types_[id].comp.kind) {
    case CompositeKind::Func: return target == AbsHeap::Func;
    case CompositeKind::Struct:
      return target == AbsHeap::Struct || target == AbsHeap::Eq || target == AbsHeap::Any;
    case CompositeKind::Array:
      return target == AbsHeap::Array || target == AbsHeap::Eq || target == AbsHeap::Any;
    case CompositeKind::Cont: return false;
    }
    return false;
  }
  // Abstract below concrete: only the bottom of that hierarchy.
  AbsHeap abs = a.abs();
  if (!is_bottom(abs)) return false;
  return abs_top(abs) == top_of(b);
}

bool TypeRegistry::val_subtype(ValType a, ValType b) const {
  if (a.kind() == ValKind::Bot) return true;
  if (a.kind() != b.kind()) return false;
  if (!a.is_ref()) return true;
  if (a.nullable() && !b.nullable()) return false;
  return heap_subtype(a.heap(), b.heap());
}

} // namespace tandem::rt
