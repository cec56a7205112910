// The type arena (types.h): storage, type info, Canonical ABI facts, core type
// interning, free variables, remapping and external-visibility checks.
#include "component/types.h"

#include "component/names.h"

#include <algorithm>

namespace tandem::component {

Status TypeInfo::combine(const TypeInfo& child, uint64_t offset) {
  uint64_t s = uint64_t(size) + child.size;
  if (s > kMaxTypeSize)
    return Error::invalid(offset, "effective type size exceeds the limit of " +
                                      std::to_string(kMaxTypeSize));
  size = uint32_t(s);
  depth = std::max(depth, child.depth + 1);
  if (depth > kMaxTypeDepth) return Error::invalid(offset, "type nesting is too deep");
  borrow = borrow || child.borrow;
  return {};
}

Error with_context(Error e, const std::string& context) {
  e.message = context + "\n" + e.message;
  return e;
}

const char* AnyTypeId::desc() const {
  switch (kind) {
  case Kind::Resource: return "resource";
  case Kind::Defined: return "defined type";
  case Kind::Func: return "func";
  case Kind::Instance: return "instance";
  case Kind::Component: return "component";
  }
  return "?";
}

const char* DefinedType::desc() const {
  switch (kind) {
  case DefKind::Primitive: return "primitive";
  case DefKind::Record: return "record";
  case DefKind::Variant: return "variant";
  case DefKind::List: return "list";
  case DefKind::FixedList: return "fixed-length list";
  case DefKind::Tuple: return "tuple";
  case DefKind::Flags: return "flags";
  case DefKind::Enum: return "enum";
  case DefKind::Option: return "option";
  case DefKind::Result: return "result";
  case DefKind::Own: return "own";
  case DefKind::Borrow: return "borrow";
  case DefKind::Stream: return "stream";
  case DefKind::Future: return "future";
  case DefKind::Map: return "map";
  }
  return "?";
}

const char* EntityType::desc() const {
  switch (kind) {
  case Kind::Module: return "module";
  case Kind::Func: return "func";
  case Kind::Value: return "value";
  case Kind::Type: return "type";
  case Kind::Instance: return "instance";
  case Kind::Component: return "component";
  }
  return "?";
}

const char* CoreEntity::desc() const {
  return extern_kind_name(kind);
}

// Core type interning ----------------------------------------------------------

namespace {

uint64_t encode_heap(HeapType h, uint32_t first, uint32_t size,
                     const std::vector<uint32_t>& to_global) {
  uint64_t shared = h.shared() ? 1 : 0;
  if (h.is_abstract()) return (uint64_t(1) << 62) | (shared << 61) | uint64_t(h.abs());
  uint32_t i = h.type_index();
  if (i >= first && i < first + size) return (uint64_t(2) << 62) | (shared << 61) | (i - first);
  uint32_t g = i < to_global.size() ? to_global[i] : 0xffffffffu;
  return (uint64_t(3) << 62) | (shared << 61) | g;
}

uint64_t encode_val(ValType t, uint32_t first, uint32_t size,
                    const std::vector<uint32_t>& to_global) {
  if (!t.is_ref()) return uint64_t(t.kind());
  return (uint64_t(0x80 | (t.nullable() ? 0x40 : 0)) << 56) ^
         encode_heap(t.heap(), first, size, to_global);
}

ValType canon_val(ValType t, uint32_t first, uint32_t size, uint32_t base,
                  const std::vector<uint32_t>& to_global) {
  if (!t.is_ref() || t.heap().is_abstract()) return t;
  uint32_t i = t.heap().type_index();
  uint32_t g = (i >= first && i < first + size) ? base + (i - first)
                                                : (i < to_global.size() ? to_global[i] : 0);
  return ValType::ref(HeapType::index(g, t.heap().shared()), t.nullable());
}

std::string core_valtype_text(ValType t) {
  return valtype_name(t);
}

} // namespace

std::vector<uint32_t> CoreTypeInterner::intern_group(const std::vector<SubType>& local,
                                                     uint32_t first, uint32_t size,
                                                     const std::vector<uint32_t>& to_global) {
  std::vector<uint64_t> key;
  key.push_back(size);
  for (uint32_t k = 0; k < size; ++k) {
    const SubType& st = local[first + k];
    key.push_back(st.final ? 1 : 0);
    key.push_back(st.super ? encode_heap(HeapType::index(*st.super), first, size, to_global) : 0);
    key.push_back(uint64_t(st.comp.kind) | (st.comp.shared ? 0x100 : 0));
    switch (st.comp.kind) {
    case CompositeKind::Func:
      key.push_back(st.comp.func.params.size());
      for (ValType t : st.comp.func.params) key.push_back(encode_val(t, first, size, to_global));
      key.push_back(st.comp.func.results.size());
      for (ValType t : st.comp.func.results) key.push_back(encode_val(t, first, size, to_global));
      break;
    case CompositeKind::Struct:
    case CompositeKind::Array:
      key.push_back(st.comp.fields.size());
      for (const FieldType& f : st.comp.fields) {
        key.push_back(encode_val(f.storage.type, first, size, to_global));
        key.push_back(uint64_t(f.storage.packed) | (f.mut ? 0x10 : 0));
      }
      break;
    case CompositeKind::Cont:
      key.push_back(encode_heap(HeapType::index(st.comp.cont_type), first, size, to_global));
      break;
    }
  }
  auto it = groups_.find(key);
  uint32_t base;
  if (it != groups_.end()) {
    base = it->second;
  } else {
    base = uint32_t(types_.size());
    for (uint32_t k = 0; k < size; ++k) {
      SubType st = local[first + k];
      if (st.super) {
        uint32_t s = *st.super;
        st.super = (s >= first && s < first + size) ? base + (s - first)
                                                    : (s < to_global.size() ? to_global[s] : 0);
      }
      for (ValType& t : st.comp.func.params) t = canon_val(t, first, size, base, to_global);
      for (ValType& t : st.comp.func.results) t = canon_val(t, first, size, base, to_global);
      for (FieldType& f : st.comp.fields)
        f.storage.type = canon_val(f.storage.type, first, size, base, to_global);
      st.rec_group = base;
      st.rec_size = size;
      types_.push_back(std::move(st));
    }
    groups_.emplace(std::move(key), base);
  }
  std::vector<uint32_t> ids;
  for (uint32_t k = 0; k < size; ++k) ids.push_back(base + k);
  return ids;
}

uint32_t CoreTypeInterner::intern_func(const FuncType& ft) {
  std::vector<SubType> local(1);
  local[0].comp.kind = CompositeKind::Func;
  local[0].comp.func = ft;
  return intern_group(local, 0, 1, {})[0];
}

std::string CoreTypeInterner::describe(uint32_t id) const {
  const SubType& st = types_[id];
  std::string s;
  switch (st.comp.kind) {
  case CompositeKind::Func: {
    s = "(func";
    if (!st.comp.func.params.empty()) {
      s += " (param";
      for (ValType t : st.comp.func.params) s += " " + core_valtype_text(t);
      s += ")";
    }
    if (!st.comp.func.results.empty()) {
      s += " (result";
      for (ValType t : st.comp.func.results) s += " " + core_valtype_text(t);
      s += ")";
    }
    return s + ")";
  }
  case CompositeKind::Struct: return "(struct)";
  case CompositeKind::Array: return "(array)";
  case CompositeKind::Cont: return "(cont)";
  }
  return "?";
}

std::string debug_valtype(ValType t) {
  switch (t.kind()) {
  case ValKind::I32: return "I32";
  case ValKind::I64: return "I64";
  case ValKind::F32: return "F32";
  case ValKind::F64: return "F64";
  case ValKind::V128: return "V128";
  default: return "Ref(" + valtype_name(t) + ")";
  }
}

std::string debug_valtypes(const std::vector<ValType>& ts) {
  std::string s = "[";
  for (size_t i = 0; i < ts.size(); ++i) {
    if (i) s += ", ";
    s += debug_valtype(ts[i]);
  }
  return s + "]";
}

// Arena storage and info ----------------------------------------------------------

uint32_t TypeArena::push(DefinedType t) {
  defined.push_back(std::move(t));
  return uint32_t(defined.size() - 1);
}
uint32_t TypeArena::push(FuncTy t) {
  funcs.push_back(std::move(t));
  return uint32_t(funcs.size() - 1);
}
uint32_t TypeArena::push(InstanceTy t) {
  instances.push_back(std::move(t));
  return uint32_t(instances.size() - 1);
}
uint32_t TypeArena::push(ComponentTy t) {
  components.push_back(std::move(t));
  return uint32_t(components.size() - 1);
}

TypeInfo TypeArena::info(const ValTy& t) const {
  if (t.is_prim) return TypeInfo{};
  return defined[t.def].info;
}

TypeInfo TypeArena::info(const AnyTypeId& t) const {
  switch (t.kind) {
  case AnyTypeId::Kind::Resource: return TypeInfo{};
  case AnyTypeId::Kind::Defined: return defined[t.id].info;
  case AnyTypeId::Kind::Func: return funcs[t.id].info;
  case AnyTypeId::Kind::Instance: return instances[t.id].info;
  case AnyTypeId::Kind::Component: return components[t.id].info;
  }
  return TypeInfo{};
}

TypeInfo TypeArena::info(const EntityType& e) const {
  switch (e.kind) {
  case EntityType::Kind::Module: return modules[e.id].info;
  case EntityType::Kind::Func: return funcs[e.id].info;
  case EntityType::Kind::Value: return info(e.value);
  case EntityType::Kind::Type: return info(e.referenced);
  case EntityType::Kind::Instance: return instances[e.id].info;
  case EntityType::Kind::Component: return components[e.id].info;
  }
  return TypeInfo{};
}

const AbiInfo* TypeArena::abi(const ValTy& t) const {
  return t.is_prim ? nullptr : &defined[t.def].abi;
}

bool TypeArena::contains_ptr(const ValTy& t) const {
  if (t.is_prim) return t.prim == PrimVal::String;
  return defined[t.def].abi.contains_ptr;
}

std::optional<PrimVal> TypeArena::as_prim(const ValTy& t) const {
  if (t.is_prim) return t.prim;
  if (defined[t.def].kind == DefKind::Primitive) return defined[t.def].prim;
  return std::nullopt;
}

// Canonical ABI ---------------------------------------------------------------------

namespace {

uint64_t align_to(uint64_t v, uint64_t a) {
  return (v + a - 1) / a * a;
}

void push_flat(std::vector<ValType>& out, ValType t) {
  if (out.size() <= kMaxFlatParams) out.push_back(t);
}

ValType join(ValType a, ValType b) {
  if (a == b) return a;
  if ((a == kI32 && b == kF32) || (a == kF32 && b == kI32)) return kI32;
  return kI64;
}

AbiInfo variant_abi(const std::vector<std::optional<AbiInfo>>& cases) {
  AbiInfo r;
  size_t n = cases.size();
  uint64_t disc = n <= 256 ? 1 : (n <= 65536 ? 2 : 4);
  uint64_t max_align32 = 1, max_align64 = 1, max32 = 0, max64 = 0;
  std::vector<ValType> flat;
  for (const auto& c : cases) {
    if (!c) continue;
    max_align32 = std::max(max_align32, c->align32);
    max_align64 = std::max(max_align64, c->align64);
    max32 = std::max(max32, c->size32);
    max64 = std::max(max64, c->size64);
    r.contains_ptr = r.contains_ptr || c->contains_ptr;
    for (size_t i = 0; i < c->flat.size(); ++i) {
      if (i < flat.size())
        flat[i] = join(flat[i], c->flat[i]);
      else
        push_flat(flat, c->flat[i]);
    }
  }
  r.align32 = std::max(disc, max_align32);
  r.align64 = std::max(disc, max_align64);
  r.size32 = align_to(align_to(disc, max_align32) + max32, r.align32);
  r.size64 = align_to(align_to(disc, max_align64) + max64, r.align64);
  r.flat.push_back(kI32);
  for (ValType t : flat) push_flat(r.flat, t);
  return r;
}

AbiInfo record_abi(const std::vector<AbiInfo>& fields) {
  AbiInfo r;
  uint64_t s32 = 0, s64 = 0;
  for (const AbiInfo& f : fields) {
    s32 = align_to(s32, f.align32) + f.size32;
    s64 = align_to(s64, f.align64) + f.size64;
    r.align32 = std::max(r.align32, f.align32);
    r.align64 = std::max(r.align64, f.align64);
    r.contains_ptr = r.contains_ptr || f.contains_ptr;
    for (ValType t : f.flat) push_flat(r.flat, t);
  }
  r.size32 = align_to(s32, r.align32);
  r.size64 = align_to(s64, r.align64);
  return r;
}

AbiInfo pointer_pair() {
  AbiInfo r;
  r.size32 = 8;
  r.align32 = 4;
  r.size64 = 16;
  r.align64 = 8;
  r.contains_ptr = true;
  r.flat = {kI32, kI32};
  return r;
}

AbiInfo scalar(uint64_t size, ValType flat) {
  AbiInfo r;
  r.size32 = r.size64 = size;
  r.align32 = r.align64 = size;
  r.flat = {flat};
  return r;
}

AbiInfo child_abi(const TypeArena& arena, const ValTy& t) {
  if (t.is_prim) return prim_abi(t.prim);
  return arena.defined[t.def].abi;
}

} // namespace

AbiInfo prim_abi(PrimVal p) {
  switch (p) {
  case PrimVal::Bool:
  case PrimVal::S8:
  case PrimVal::U8: return scalar(1, kI32);
  case PrimVal::S16:
  case PrimVal::U16: return scalar(2, kI32);
  case PrimVal::S32:
  case PrimVal::U32:
  case PrimVal::Char:
  case PrimVal::ErrorContext: return scalar(4, kI32);
  case PrimVal::S64:
  case PrimVal::U64: return scalar(8, kI64);
  case PrimVal::F32: return scalar(4, kF32);
  case PrimVal::F64: return scalar(8, kF64);
  case PrimVal::String: return pointer_pair();
  }
  return scalar(4, kI32);
}

AbiInfo compute_abi(const TypeArena& arena, const DefinedType& t) {
  switch (t.kind) {
  case DefKind::Primitive: return prim_abi(t.prim);
  case DefKind::Record: {
    std::vector<AbiInfo> f;
    for (const auto& [n, v] : t.fields) f.push_back(child_abi(arena, v));
    return record_abi(f);
  }
  case DefKind::Tuple: {
    std::vector<AbiInfo> f;
    for (const ValTy& v : t.types) f.push_back(child_abi(arena, v));
    return record_abi(f);
  }
  case DefKind::Variant: {
    std::vector<std::optional<AbiInfo>> c;
    for (const auto& [n, v] : t.cases)
      c.push_back(v ? std::optional<AbiInfo>(child_abi(arena, *v)) : std::nullopt);
    return variant_abi(c);
  }
  case DefKind::Enum: {
    std::vector<std::optional<AbiInfo>> c(t.names.size());
    return variant_abi(c);
  }
  case DefKind::Option: {
    std::vector<std::optional<AbiInfo>> c{std::nullopt, child_abi(arena, *t.first)};
    return variant_abi(c);
  }
  case DefKind::Result: {
    std::vector<std::optional<AbiInfo>> c{
        t.first ? std::optional<AbiInfo>(child_abi(arena, *t.first)) : std::nullopt,
        t.second ? std::optional<AbiInfo>(child_abi(arena, *t.second)) : std::nullopt};
    return variant_abi(c);
  }
  case DefKind::List:
  case DefKind::Map: return pointer_pair();
  case DefKind::FixedList: {
    AbiInfo e = child_abi(arena, *t.first);
    AbiInfo r;
    r.size32 = e.size32 * t.length;
    r.size64 = e.size64 * t.length;
    r.align32 = e.align32;
    r.align64 = e.align64;
    r.contains_ptr = e.contains_ptr;
    for (uint32_t i = 0; i < t.length && r.flat.size() <= kMaxFlatParams; ++i)
      for (ValType v : e.flat) push_flat(r.flat, v);
    return r;
  }
  case DefKind::Flags: {
    size_t n = t.names.size();
    return scalar(n <= 8 ? 1 : (n <= 16 ? 2 : 4), kI32);
  }
  case DefKind::Own:
  case DefKind::Borrow:
  case DefKind::Stream:
  case DefKind::Future: return scalar(4, kI32);
  }
  return scalar(4, kI32);
}

bool flatten(const TypeArena& arena, const ValTy& t, std::vector<ValType>& out, size_t max) {
  std::vector<ValType> flat = t.is_prim ? prim_abi(t.prim).flat : arena.defined[t.def].abi.flat;
  for (ValType v : flat) {
    if (out.size() >= max) return false;
    out.push_back(v);
  }
  return true;
}

// Free variables ------------------------------------------------------------------

void TypeArena::free_vars(const ValTy& t, std::set<ResourceId>& out) const {
  if (!t.is_prim) free_vars_defined(t.def, out);
}

void TypeArena::free_vars_defined(uint32_t id, std::set<ResourceId>& out) const {
  const DefinedType& d = defined[id];
  switch (d.kind) {
  case DefKind::Own:
  case DefKind::Borrow: out.insert(d.resource.id); return;
  default: break;
  }
  for (const auto& [n, v] : d.fields) free_vars(v, out);
  for (const auto& [n, v] : d.cases)
    if (v) free_vars(*v, out);
  for (const ValTy& v : d.types) free_vars(v, out);
  if (d.first) free_vars(*d.first, out);
  if (d.second) free_vars(*d.second, out);
}

void TypeArena::free_vars_func(uint32_t id, std::set<ResourceId>& out) const {
  const FuncTy& f = funcs[id];
  for (const auto& [n, v] : f.params) free_vars(v, out);
  if (f.result) free_vars(*f.result, out);
}

void TypeArena::free_vars_instance(uint32_t id, std::set<ResourceId>& out) const {
  std::set<ResourceId> inner;
  for (const auto& [n, e] : instances[id].exports.items) free_vars(e, inner);
  for (ResourceId r : instances[id].defined_resources) inner.erase(r);
  out.insert(inner.begin(), inner.end());
}

void TypeArena::free_vars_component(uint32_t id, std::set<ResourceId>& out) const {
  std::set<ResourceId> inner;
  const ComponentTy& c = components[id];
  for (const auto& [n, e] : c.imports.items) free_vars(e, inner);
  for (const auto& [n, e] : c.exports.items) free_vars(e, inner);
  for (const auto& [r, p] : c.imported_resources) inner.erase(r);
  for (const auto& [r, p] : c.defined_resources) inner.erase(r);
  out.insert(inner.begin(), inner.end());
}

void TypeArena::free_vars(const AnyTypeId& t, std::set<ResourceId>& out) const {
  switch (t.kind) {
  case AnyTypeId::Kind::Resource: out.insert(t.id); return;
  case AnyTypeId::Kind::Defined: free_vars_defined(t.id, out); return;
  case AnyTypeId::Kind::Func: free_vars_func(t.id, out); return;
  case AnyTypeId::Kind::Instance: free_vars_instance(t.id, out); return;
  case AnyTypeId::Kind::Component: free_vars_component(t.id, out); return;
  }
}

void TypeArena::free_vars(const EntityType& e, std::set<ResourceId>& out) const {
  switch (e.kind) {
  case EntityType::Kind::Module: return;
  case EntityType::Kind::Func: free_vars_func(e.id, out); return;
  case EntityType::Kind::Value: free_vars(e.value, out); return;
  case EntityType::Kind::Type: free_vars(e.created, out); return;
  case EntityType::Kind::Instance: free_vars_instance(e.id, out); return;
  case EntityType::Kind::Component: free_vars_component(e.id, out); return;
  }
}

// Remapping ---------------------------------------------------------------------------

namespace {

// Looks `key` up in the type cache; returns true and sets `changed` if found.
bool cached(const Remapping& m, const AnyTypeId& key, AnyTypeId& out) {
  auto it = m.types.find(key);
  if (it == m.types.end()) return false;
  out = it->second;
  return true;
}

void remap_paths(std::vector<std::pair<ResourceId, ResourcePath>>& v, const Remapping& m,
                 bool& changed) {
  for (auto& [r, p] : v) {
    auto it = m.resources.find(r);
    if (it != m.resources.end()) {
      r = it->second;
      changed = true;
    }
  }
}

} // namespace

bool TypeArena::remap_resource(ResRef& r, Remapping& m) {
  AnyTypeId key{AnyTypeId::Kind::Resource, r.id, r.alias}, out;
  if (cached(m, key, out)) {
    bool changed = !(out == key);
    r = ResRef{out.id, out.alias};
    return changed;
  }
  auto it = m.resources.find(r.id);
  if (it == m.resources.end()) return false;
  r.id = it->second;
  return true;
}

bool TypeArena::remap_defined(uint32_t& id, uint32_t& alias, Remapping& m) {
  AnyTypeId key{AnyTypeId::Kind::Defined, id, alias}, out;
  if (cached(m, key, out)) {
    bool changed = !(out == key);
    id = out.id;
    alias = out.alias;
    return changed;
  }
  DefinedType d = defined[id];
  bool changed = false;
  if (d.kind == DefKind::Own || d.kind == DefKind::Borrow) changed |= remap_resource(d.resource, m);
  for (auto& [n, v] : d.fields) changed |= remap(v, m);
  for (auto& [n, v] : d.cases)
    if (v) changed |= remap(*v, m);
  for (ValTy& v : d.types) changed |= remap(v, m);
  if (d.first) changed |= remap(*d.first, m);
  if (d.second) changed |= remap(*d.second, m);
  AnyTypeId result = key;
  if (changed) result = AnyTypeId{AnyTypeId::Kind::Defined, push(std::move(d)), 0};
  m.types[key] = result;
  id = result.id;
  alias = result.alias;
  return changed;
}

bool TypeArena::remap_func(uint32_t& id, Remapping& m) {
  AnyTypeId key{AnyTypeId::Kind::Func, id, 0}, out;
  if (cached(m, key, out)) {
    bool changed = out.id != id;
    id = out.id;
    return changed;
  }
  FuncTy f = funcs[id];
  bool changed = false;
  for (auto& [n, v] : f.params) changed |= remap(v, m);
  if (f.result) changed |= remap(*f.result, m);
  uint32_t nid = changed ? push(std::move(f)) : id;
  m.types[key] = AnyTypeId{AnyTypeId::Kind::Func, nid, 0};
  id = nid;
  return changed;
}

bool TypeArena::remap_instance(uint32_t& id, Remapping& m) {
  AnyTypeId key{AnyTypeId::Kind::Instance, id, 0}, out;
  if (cached(m, key, out)) {
    bool changed = out.id != id;
    id = out.id;
    return changed;
  }
  InstanceTy t = instances[id];
  bool changed = false;
  for (auto& [n, e] : t.exports.items) changed |= remap(e, m);
  for (ResourceId& r : t.defined_resources) {
    auto it = m.resources.find(r);
    if (it != m.resources.end()) {
      r = it->second;
      changed = true;
    }
  }
  remap_paths(t.explicit_resources, m, changed);
  uint32_t nid = changed ? push(std::move(t)) : id;
  m.types[key] = AnyTypeId{AnyTypeId::Kind::Instance, nid, 0};
  id = nid;
  return changed;
}

bool TypeArena::remap_component(uint32_t& id, Remapping& m) {
  AnyTypeId key{AnyTypeId::Kind::Component, id, 0}, out;
  if (cached(m, key, out)) {
    bool changed = out.id != id;
    id = out.id;
    return changed;
  }
  ComponentTy t = components[id];
  bool changed = false;
  for (auto& [n, e] : t.imports.items) changed |= remap(e, m);
  for (auto& [n, e] : t.exports.items) changed |= remap(e, m);
  remap_paths(t.imported_resources, m, changed);
  remap_paths(t.defined_resources, m, changed);
  remap_paths(t.explicit_resources, m, changed);
  uint32_t nid = changed ? push(std::move(t)) : id;
  m.types[key] = AnyTypeId{AnyTypeId::Kind::Component, nid, 0};
  id = nid;
  return changed;
}

bool TypeArena::remap(ValTy& t, Remapping& m) {
  if (t.is_prim) return false;
  return remap_defined(t.def, t.alias, m);
}

bool TypeArena::remap(AnyTypeId& t, Remapping& m) {
  switch (t.kind) {
  case AnyTypeId::Kind::Resource: {
    ResRef r{t.id, t.alias};
    bool changed = remap_resource(r, m);
    t.id = r.id;
    t.alias = r.alias;
    return changed;
  }
  case AnyTypeId::Kind::Defined: return remap_defined(t.id, t.alias, m);
  case AnyTypeId::Kind::Func: return remap_func(t.id, m);
  case AnyTypeId::Kind::Instance: return remap_instance(t.id, m);
  case AnyTypeId::Kind::Component: return remap_component(t.id, m);
  }
  return false;
}

bool TypeArena::remap(EntityType& e, Remapping& m) {
  switch (e.kind) {
  case EntityType::Kind::Module: return false;
  case EntityType::Kind::Func: return remap_func(e.id, m);
  case EntityType::Kind::Value: return remap(e.value, m);
  case EntityType::Kind::Instance: return remap_instance(e.id, m);
  case EntityType::Kind::Component: return remap_component(e.id, m);
  case EntityType::Kind::Type: {
    bool changed = remap(e.referenced, m);
    if (!(e.referenced == e.created)) changed |= remap(e.created, m);
    return changed;
  }
  }
  return false;
}

// External visibility ------------------------------------------------------------------

bool TypeArena::named_valtype(const ValTy& t, const std::set<AnyTypeId>& named) const {
  if (t.is_prim) return true;
  const DefinedType& d = defined[t.def];
  switch (d.kind) {
  case DefKind::Primitive: return true;
  case DefKind::Flags:
  case DefKind::Enum:
  case DefKind::Record:
  case DefKind::Variant:
    return named.count(AnyTypeId{AnyTypeId::Kind::Defined, t.def, t.alias}) != 0;
  case DefKind::Own:
  case DefKind::Borrow:
    return named.count(AnyTypeId{AnyTypeId::Kind::Resource, d.resource.id, d.resource.alias}) != 0;
  default: break;
  }
  for (const ValTy& v : d.types)
    if (!named_valtype(v, named)) return false;
  if (d.first && !named_valtype(*d.first, named)) return false;
  if (d.second && !named_valtype(*d.second, named)) return false;
  return true;
}

} // namespace tandem::component
