// Validation of type definitions (Explainer.md "Type Definitions"): defined
// value types (labels, non-emptiness, element-size bound), function types,
// resource types, component and instance types with their declarators, and
// the externtype ascriptions used by imports and exports.
#include "component/validator_state.h"

namespace tandem::component {
namespace {

Error invalid(uint64_t off, std::string msg) {
  return Error::invalid(off, std::move(msg));
}

// A label that must be kebab-case; `desc` is e.g. "record field".
Status check_label(const std::string& s, const char* desc, uint64_t off) {
  if (is_kebab(s)) return {};
  if (s.empty()) return invalid(off, std::string(desc) + " name cannot be empty");
  return invalid(off, std::string(desc) + " name `" + s + "` is not in kebab case");
}

// Finds a case-insensitively equal label among `seen`.
const std::string* find_label(const std::vector<std::string>& seen, const std::string& s) {
  std::string k = ascii_lower(s);
  for (const auto& x : seen)
    if (ascii_lower(x) == k) return &x;
  return nullptr;
}

bool is_key_type(PrimVal p) {
  return p != PrimVal::F32 && p != PrimVal::F64 && p != PrimVal::ErrorContext;
}

} // namespace

Result<ValTy> Validator::val_type(const ValTypeRef& r, uint64_t off) {
  if (r.is_prim) {
    if (r.prim == PrimVal::ErrorContext) TANDEM_TRY(require_async("`error-context`", off));
    return ValTy::primitive(r.prim);
  }
  TANDEM_ASSIGN(AnyTypeId t, type_at(r.index, off));
  if (t.kind != AnyTypeId::Kind::Defined)
    return invalid(off, "type index " + std::to_string(r.index) + " is not a defined type");
  return ValTy::defined(t.id, t.alias);
}

Result<uint32_t> Validator::defined_type(const DefValTypeDecl& d, uint64_t off) {
  DefinedType t;
  t.kind = d.kind;
  auto child = [&](const ValTypeRef& r) -> Result<ValTy> {
    TANDEM_ASSIGN(ValTy v, val_type(r, off));
    TANDEM_TRY(t.info.combine(t_.info(v), off));
    return v;
  };
  switch (d.kind) {
  case DefKind::Primitive:
    if (d.prim == PrimVal::ErrorContext) TANDEM_TRY(require_async("`error-context`", off));
    t.prim = d.prim;
    break;
  case DefKind::Record: {
    if (d.fields.empty()) return invalid(off, "record type must have at least one field");
    std::vector<std::string> seen;
    for (const LabeledType& f : d.fields) {
      TANDEM_TRY(check_label(f.label, "record field", off));
      TANDEM_ASSIGN(ValTy v, child(f.type));
      if (const std::string* prev = find_label(seen, f.label))
        return invalid(off, "record field name `" + f.label +
                                "` conflicts with previous field name `" + *prev + "`");
      seen.push_back(f.label);
      t.fields.emplace_back(f.label, v);
    }
    break;
  }
  case DefKind::Variant: {
    if (d.cases.empty()) return invalid(off, "variant type must have at least one case");
    std::vector<std::string> seen;
    for (const CaseDecl& c : d.cases) {
      TANDEM_TRY(check_label(c.label, "variant case", off));
      std::optional<ValTy> v;
      if (c.type) {
        TANDEM_ASSIGN(ValTy x, child(*c.type));
        v = x;
      }
      if (const std::string* prev = find_label(seen, c.label))
        return invalid(off, "variant case name `" + c.label +
                                "` conflicts with previous case name `" + *prev + "`");
      seen.push_back(c.label);
      t.cases.emplace_back(c.label, v);
    }
    break;
  }
  case DefKind::List:
  case DefKind::Option: {
    TANDEM_ASSIGN(ValTy v, child(*d.first));
    t.first = v;
    break;
  }
  case DefKind::FixedList: {
    if (d.length == 0) return invalid(off, "Fixed-length lists must have more than zero elements");
    TANDEM_ASSIGN(ValTy v, child(*d.first));
    t.first = v;
    t.length = d.length;
    break;
  }
  case DefKind::Map: {
    TANDEM_ASSIGN(ValTy k, child(*d.first));
    TANDEM_ASSIGN(ValTy v, child(*d.second));
    std::optional<PrimVal> kp = t_.as_prim(k);
    if (!kp || !is_key_type(*kp))
      return invalid(off, "map key type must be a boolean, integer, char or string type");
    t.first = k;
    t.second = v;
    break;
  }
  case DefKind::Tuple: {
    if (d.types.empty()) return invalid(off, "tuple type must have at least one type");
    for (const ValTypeRef& r : d.types) {
      TANDEM_ASSIGN(ValTy v, child(r));
      t.types.push_back(v);
    }
    break;
  }
  case DefKind::Flags: {
    if (d.labels.empty()) return invalid(off, "flags must have at least one entry");
    if (d.labels.size() > 32) return invalid(off, "cannot have more than 32 flags");
    std::vector<std::string> seen;
    for (const std::string& l : d.labels) {
      TANDEM_TRY(check_label(l, "flag", off));
      if (const std::string* prev = find_label(seen, l))
        return invalid(off,
                       "flag name `" + l + "` conflicts with previous flag name `" + *prev + "`");
      seen.push_back(l);
    }
    t.names = d.labels;
    break;
  }
  case DefKind::Enum: {
    if (d.labels.empty()) return invalid(off, "enum type must have at least one variant");
    std::vector<std::string> seen;
    for (const std::string& l : d.labels) {
      TANDEM_TRY(check_label(l, "enum tag", off));
      if (const std::string* prev = find_label(seen, l))
        return invalid(off, "enum tag name `" + l + "` conflicts with previous tag name `" + *prev +
                                "`");
      seen.push_back(l);
    }
    t.names = d.labels;
    break;
  }
  case DefKind::Result: {
    if (d.first) {
      TANDEM_ASSIGN(ValTy v, child(*d.first));
      t.first = v;
    }
    if (d.second) {
      TANDEM_ASSIGN(ValTy v, child(*d.second));
      t.second = v;
    }
    break;
  }
  case DefKind::Own:
  case DefKind::Borrow: {
    TANDEM_ASSIGN(AnyTypeId r, resource_at(d.resource, off));
    t.resource = ResRef{r.id, r.alias};
    if (d.kind == DefKind::Borrow) t.info.borrow = true;
    break;
  }
  case DefKind::Stream:
  case DefKind::Future: {
    bool stream = d.kind == DefKind::Stream;
    TANDEM_TRY(require_async(stream ? "`stream`" : "`future`", off));
    if (d.first) {
      TANDEM_ASSIGN(ValTy v, child(*d.first));
      if (stream && t_.as_prim(v) == PrimVal::Char)
        return invalid(off, "`stream<char>` is not valid at this time, use `stream<u8>` with a "
                            "defined by encoding instead for now");
      if (t_.info(v).borrow)
        return invalid(off, std::string(stream ? "stream" : "future") +
                                " payload cannot contain a `borrow` type");
      t.first = v;
      t.info.borrow = false;
    }
    break;
  }
  }
  t.abi = compute_abi(t_, t);
  if (t.abi.size64 >= kMaxValueByteSize)
    return invalid(off, "type exceeds maximum byte size of 2^28 (" + std::to_string(t.abi.size64) +
                            " bytes)");
  return t_.push(std::move(t));
}

Result<uint32_t> Validator::func_type(const FuncTypeDecl& d, uint64_t off) {
  FuncTy f;
  f.async = d.async;
  if (d.async) TANDEM_TRY(require_async("async component functions", off));
  std::vector<std::string> seen;
  for (const LabeledType& p : d.params) {
    TANDEM_TRY(check_label(p.label, "function parameter", off));
    if (const std::string* prev = find_label(seen, p.label))
      return invalid(off, "function parameter name `" + p.label +
                              "` conflicts with previous parameter name `" + *prev + "`");
    seen.push_back(p.label);
    TANDEM_ASSIGN(ValTy v, val_type(p.type, off));
    TANDEM_TRY(f.info.combine(t_.info(v), off));
    f.params.emplace_back(p.label, v);
  }
  if (d.result) {
    TANDEM_ASSIGN(ValTy v, val_type(*d.result, off));
    if (t_.info(v).borrow) return invalid(off, "function result cannot contain a `borrow` type");
    TANDEM_TRY(f.info.combine(t_.info(v), off));
    f.result = v;
  }
  return t_.push(std::move(f));
}

Status Validator::type_def(const TypeDef& d) {
  uint64_t off = d.offset;
  AnyTypeId id;
  switch (d.kind) {
  case TypeDef::Kind::Defined: {
    TANDEM_ASSIGN(uint32_t i, defined_type(d.defined, off));
    id = AnyTypeId{AnyTypeId::Kind::Defined, i, 0};
    break;
  }
  case TypeDef::Kind::Func: {
    TANDEM_ASSIGN(uint32_t i, func_type(d.func, off));
    id = AnyTypeId{AnyTypeId::Kind::Func, i, 0};
    break;
  }
  case TypeDef::Kind::Component: {
    TANDEM_ASSIGN(uint32_t i, component_type(d));
    id = AnyTypeId{AnyTypeId::Kind::Component, i, 0};
    break;
  }
  case TypeDef::Kind::Instance: {
    TANDEM_ASSIGN(uint32_t i, instance_type(d));
    id = AnyTypeId{AnyTypeId::Kind::Instance, i, 0};
    break;
  }
  case TypeDef::Kind::Resource: {
    if (cur().kind != ScopeKind::Component)
      return invalid(off, "resources can only be defined within a concrete component");
    ValType rep = d.resource.rep;
    if (rep == kI64)
      return invalid(off, "resources with `i64` require the `cm64` feature to be enabled");
    if (rep != kI32) return invalid(off, "resources can only be represented by `i32` or `i64`");
    if (d.resource.dtor) {
      TANDEM_ASSIGN(uint32_t ft, core_func_at(*d.resource.dtor, off));
      const FuncType& f = t_.core.func(ft);
      if (!t_.core.is_func(ft) || f.params != std::vector<ValType>{rep} || !f.results.empty())
        return invalid(off, "core function " + std::to_string(*d.resource.dtor) +
                                " has wrong signature for a destructor");
    }
    ResourceId r = t_.alloc_resource();
    cur().add_defined(r, rep);
    id = AnyTypeId{AnyTypeId::Kind::Resource, r, 0};
    break;
  }
  }
  cur().types.push_back(id);
  return {};
}

Result<EntityType> Validator::check_extern_type(const ExternType& t, uint64_t off) {
  EntityType e;
  std::string idx = std::to_string(t.index);
  switch (t.kind) {
  case ExternType::Kind::Module: {
    TANDEM_ASSIGN(CoreTypeSlot s, core_type_at(t.index, off));
    if (!s.is_module) return invalid(off, "core type index " + idx + " is not a module type");
    e.kind = EntityType::Kind::Module;
    e.id = s.id;
    return e;
  }
  case ExternType::Kind::Func: {
    TANDEM_ASSIGN(AnyTypeId a, type_at(t.index, off));
    if (a.kind != AnyTypeId::Kind::Func)
      return invalid(off, "type index " + idx + " is not a function type");
    e.kind = EntityType::Kind::Func;
    e.id = a.id;
    return e;
  }
  case ExternType::Kind::Value:
    return invalid(off, "support for component model `value`s is not enabled");
  case ExternType::Kind::Type: {
    e.kind = EntityType::Kind::Type;
    if (t.sub_resource) {
      AnyTypeId r{AnyTypeId::Kind::Resource, t_.alloc_resource(), 0};
      e.referenced = e.created = r;
      return e;
    }
    TANDEM_ASSIGN(AnyTypeId a, type_at(t.index, off));
    e.referenced = a;
    e.created = a;
    if (a.kind == AnyTypeId::Kind::Resource || a.kind == AnyTypeId::Kind::Defined)
      e.created = t_.with_unique(a);
    return e;
  }
  case ExternType::Kind::Instance: {
    TANDEM_ASSIGN(AnyTypeId a, type_at(t.index, off));
    if (a.kind != AnyTypeId::Kind::Instance)
      return invalid(off, "type index " + idx + " is not an instance type");
    e.kind = EntityType::Kind::Instance;
    e.id = a.id;
    return e;
  }
  case ExternType::Kind::Component: {
    TANDEM_ASSIGN(AnyTypeId a, type_at(t.index, off));
    if (a.kind != AnyTypeId::Kind::Component)
      return invalid(off, "type index " + idx + " is not a component type");
    e.kind = EntityType::Kind::Component;
    e.id = a.id;
    return e;
  }
  }
  return e;
}

Status Validator::declarator(const Declarator& d) {
  switch (d.kind) {
  case Declarator::Kind::CoreType: return core_type(*d.core_type, d.core_type->offset);
  case Declarator::Kind::Type: return type_def(*d.type);
  case Declarator::Kind::Alias: return alias(d.alias);
  case Declarator::Kind::Import: return import(d.name, d.extern_type, d.offset);
  case Declarator::Kind::Export: {
    TANDEM_ASSIGN(EntityType ty, check_extern_type(d.extern_type, d.offset));
    return add_export(d.name, ty, d.offset);
  }
  }
  return {};
}

Result<uint32_t> Validator::component_type(const TypeDef& d) {
  scopes_.emplace_back();
  scopes_.back().kind = ScopeKind::ComponentType;
  for (const Declarator& decl : d.decls) {
    Status s = declarator(decl);
    if (!s.ok()) {
      scopes_.pop_back();
      return std::move(s).error();
    }
  }
  Scope s = std::move(scopes_.back());
  scopes_.pop_back();
  return finish(s, d.offset);
}

Result<uint32_t> Validator::instance_type(const TypeDef& d) {
  scopes_.emplace_back();
  scopes_.back().kind = ScopeKind::InstanceType;
  for (const Declarator& decl : d.decls) {
    Status s = declarator(decl);
    if (!s.ok()) {
      scopes_.pop_back();
      return std::move(s).error();
    }
  }
  Scope s = std::move(scopes_.back());
  scopes_.pop_back();
  InstanceTy it;
  it.info = s.type_info;
  for (const auto& [r, rep] : s.defined_resources) it.defined_resources.push_back(r);
  it.explicit_resources = std::move(s.explicit_resources);
  it.exports = std::move(s.exports);
  return t_.push(std::move(it));
}

} // namespace tandem::component
