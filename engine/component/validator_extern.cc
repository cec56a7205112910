// Validation of imports, exports and instances: extern names and their
// uniqueness, `implements`/`external-id` attributes, annotated names
// (`[constructor]`, `[method]`, `[static]`), external visibility of types,
// resource bookkeeping (imported, defined and explicitly exported resources,
// freshening on import/export/instantiation) and the final component type.
#include "component/validator_state.h"

namespace tandem::component {
namespace {

Error invalid(uint64_t off, std::string msg) {
  return Error::invalid(off, std::move(msg));
}

ResourcePath prefixed(uint32_t first, const ResourcePath& rest) {
  ResourcePath p{first};
  p.insert(p.end(), rest.begin(), rest.end());
  return p;
}

} // namespace

// Named (externally visible) types ------------------------------------------------------

bool Validator::all_named(const AnyTypeId& id, const std::set<AnyTypeId>& set) const {
  switch (id.kind) {
  case AnyTypeId::Kind::Resource:
  case AnyTypeId::Kind::Component: return true;
  case AnyTypeId::Kind::Defined: return all_named_defined(id.id, set);
  case AnyTypeId::Kind::Func: return all_named_func(id.id, set);
  case AnyTypeId::Kind::Instance: return all_named_instance(id.id, set);
  }
  return true;
}

bool Validator::all_named_defined(uint32_t id, const std::set<AnyTypeId>& set) const {
  const DefinedType& d = t_.defined[id];
  switch (d.kind) {
  case DefKind::Primitive:
  case DefKind::Flags:
  case DefKind::Enum: return true;
  case DefKind::Own:
  case DefKind::Borrow:
    return set.count(AnyTypeId{AnyTypeId::Kind::Resource, d.resource.id, d.resource.alias}) != 0;
  default: break;
  }
  for (const auto& [n, v] : d.fields)
    if (!t_.named_valtype(v, set)) return false;
  for (const auto& [n, v] : d.cases)
    if (v && !t_.named_valtype(*v, set)) return false;
  for (const ValTy& v : d.types)
    if (!t_.named_valtype(v, set)) return false;
  if (d.first && !t_.named_valtype(*d.first, set)) return false;
  if (d.second && !t_.named_valtype(*d.second, set)) return false;
  return true;
}

bool Validator::all_named_func(uint32_t id, const std::set<AnyTypeId>& set) const {
  const FuncTy& f = t_.funcs[id];
  for (const auto& [n, v] : f.params)
    if (!t_.named_valtype(v, set)) return false;
  return !f.result || t_.named_valtype(*f.result, set);
}

bool Validator::all_named_instance(uint32_t id, const std::set<AnyTypeId>& set) const {
  for (const auto& [n, e] : t_.instances[id].exports.items) {
    switch (e.kind) {
    case EntityType::Kind::Module:
    case EntityType::Kind::Component: break;
    case EntityType::Kind::Func:
      if (!all_named_func(e.id, set)) return false;
      break;
    case EntityType::Kind::Type:
      if (!all_named(e.created, set)) return false;
      break;
    case EntityType::Kind::Value:
      if (!e.value.is_prim && !all_named_defined(e.value.def, set)) return false;
      break;
    case EntityType::Kind::Instance:
      if (!all_named_instance(e.id, set)) return false;
      break;
    }
  }
  return true;
}

bool Validator::register_named_types(const std::string* name, ExternKindC kind,
                                     const EntityType& ty) {
  Scope& s = cur();
  if (ty.kind == EntityType::Kind::Type && name && ty.created.kind == AnyTypeId::Kind::Resource) {
    NameContext& cx = kind == ExternKindC::Import ? s.imported_names : s.exported_names;
    cx.add(*name, ty.created);
  }
  if (s.kind == ScopeKind::InstanceType) return true;
  const std::set<AnyTypeId>& set =
      kind == ExternKindC::Import ? s.imported_types : s.exported_types;
  switch (ty.kind) {
  case EntityType::Kind::Type:
    if (!all_named(ty.referenced, set)) return false;
    if (kind == ExternKindC::Import) s.imported_types.insert(ty.created);
    s.exported_types.insert(ty.created);
    return true;
  case EntityType::Kind::Instance: {
    InstanceTy it = t_.instances[ty.id];
    for (const auto& [n, e] : it.exports.items)
      if (!register_named_types(nullptr, kind, e)) return false;
    return true;
  }
  case EntityType::Kind::Func: return all_named_func(ty.id, set);
  case EntityType::Kind::Value: return t_.named_valtype(ty.value, set);
  case EntityType::Kind::Component:
  case EntityType::Kind::Module: return true;
  }
  return true;
}

// Resource freshening ---------------------------------------------------------------------

void Validator::prepare_instance_import(uint32_t& id) {
  InstanceTy ty = t_.instances[id];
  if (ty.defined_resources.empty()) return;
  Remapping m;
  Scope& s = cur();
  std::map<ResourceId, const ResourcePath*> explicit_paths;
  for (const auto& [r, p] : ty.explicit_resources) explicit_paths[r] = &p;
  for (ResourceId old : ty.defined_resources) {
    ResourceId fresh = t_.alloc_resource();
    m.resources[old] = fresh;
    ResourcePath path{uint32_t(s.imports.items.size())};
    auto it = explicit_paths.find(old);
    if (it != explicit_paths.end()) path.insert(path.end(), it->second->begin(), it->second->end());
    s.imported_resources.emplace_back(fresh, std::move(path));
  }
  for (auto& [n, e] : ty.exports.items) t_.remap(e, m);
  for (auto& [r, p] : ty.explicit_resources) {
    auto it = m.resources.find(r);
    if (it != m.resources.end()) r = it->second;
  }
  ty.defined_resources.clear();
  id = t_.push(std::move(ty));
}

void Validator::prepare_instance_export(uint32_t& id) {
  InstanceTy ty = t_.instances[id];
  if (!ty.defined_resources.empty()) {
    Remapping m;
    for (ResourceId old : ty.defined_resources) {
      ResourceId fresh = t_.alloc_resource();
      m.resources[old] = fresh;
      cur().add_defined(fresh, std::nullopt);
    }
    for (auto& [n, e] : ty.exports.items) t_.remap(e, m);
    for (auto& [r, p] : ty.explicit_resources) {
      auto it = m.resources.find(r);
      if (it != m.resources.end()) r = it->second;
    }
    ty.defined_resources.clear();
    id = t_.push(ty);
  }
  Scope& s = cur();
  for (const auto& [r, p] : ty.explicit_resources)
    s.set_explicit(r, prefixed(uint32_t(s.exports.items.size()), p));
}

// Entities -----------------------------------------------------------------------------------

Status Validator::add_entity(EntityType& ty, const std::string* name,
                             std::optional<ExternKindC> kind, uint64_t off) {
  switch (ty.kind) {
  case EntityType::Kind::Module: cur().core_modules.push_back(ty.id); break;
  case EntityType::Kind::Component: cur().components.push_back(ty.id); break;
  case EntityType::Kind::Instance:
    if (kind == ExternKindC::Import)
      prepare_instance_import(ty.id);
    else if (kind == ExternKindC::Export)
      prepare_instance_export(ty.id);
    cur().instances.push_back(ty.id);
    break;
  case EntityType::Kind::Func: cur().funcs.push_back(ty.id); break;
  case EntityType::Kind::Value:
    return invalid(off, "support for component model `value`s is not enabled");
  case EntityType::Kind::Type: {
    Scope& s = cur();
    s.types.push_back(ty.created);
    if (ty.created.kind == AnyTypeId::Kind::Resource) {
      ResourceId r = ty.created.id;
      if (kind == ExternKindC::Import) {
        if (ty.created == ty.referenced)
          s.imported_resources.emplace_back(r, ResourcePath{uint32_t(s.imports.items.size())});
      } else if (kind == ExternKindC::Export) {
        if (ty.created == ty.referenced) s.add_defined(r, std::nullopt);
        s.set_explicit(r, ResourcePath{uint32_t(s.exports.items.size())});
      }
    }
    break;
  }
  }
  if (name && kind) {
    if (!register_named_types(name, *kind, ty))
      return invalid(off,
                     std::string(ty.desc()) + " not valid to be used as " + extern_desc(*kind));
  }
  return {};
}

Status Validator::check_annotated(const ParsedName& n, const EntityType& ty,
                                  const NameContext& names, uint64_t off) {
  if (n.kind != ParsedName::Kind::Plain || n.annotation == ParsedName::Annotation::None) return {};
  if (ty.kind != EntityType::Kind::Func) return invalid(off, "item is not a func");
  FuncTy f = t_.funcs[ty.id];
  auto check_resource = [&](const ResRef& r) -> Status {
    auto it = names.resource_name_map.find(AnyTypeId{AnyTypeId::Kind::Resource, r.id, r.alias});
    if (it == names.resource_name_map.end())
      return invalid(off, "resource used in function does not have a name in this context");
    const std::string& expected = names.all_resource_names[it->second];
    if (n.resource != expected)
      return invalid(off, "function does not match expected resource name `" + expected + "`");
    return {};
  };
  switch (n.annotation) {
  case ParsedName::Annotation::Constructor: {
    if (f.async) return invalid(off, "constructor function cannot be async");
    if (!f.result) return invalid(off, "function should return one value");
    const ResRef* res = nullptr;
    if (const DefinedType* d = t_.def(*f.result)) {
      if (d->kind == DefKind::Own) {
        res = &d->resource;
      } else if (d->kind == DefKind::Result && d->first) {
        const DefinedType* ok = t_.def(*d->first);
        if (ok && ok->kind == DefKind::Own) res = &ok->resource;
      }
    }
    if (!res) return invalid(off, "function should return `(own $T)` or `(result (own $T))`");
    return check_resource(*res);
  }
  case ParsedName::Annotation::Method: {
    if (f.params.empty()) return invalid(off, "function should have at least one argument");
    if (f.params[0].first != "self")
      return invalid(off, "function should have a first argument called `self`");
    const DefinedType* d = t_.def(f.params[0].second);
    if (!d || d->kind != DefKind::Borrow)
      return invalid(off, "function should take a first argument of `(borrow $T)`");
    return check_resource(d->resource);
  }
  case ParsedName::Annotation::Static:
    if (!names.knows(n.resource))
      return invalid(off, "static resource name is not known in this context");
    return {};
  case ParsedName::Annotation::None: break;
  }
  return {};
}

Status Validator::validate_extern(const ExternName& name, ExternKindC kind, const EntityType& ty,
                                  const NameContext& names,
                                  std::map<std::string, std::string>& keys, EntityMap& items,
                                  TypeInfo& info, uint64_t off) {
  const std::string desc = extern_desc(kind);
  if (!name.duplicate_attribute.empty())
    return invalid(off, "duplicate '" + name.duplicate_attribute + "' option in name");
  auto parsed = parse_extern_name(name.name, off);
  if (!parsed.ok())
    return with_context(std::move(parsed).error(),
                        desc + " name `" + name.name + "` is not a valid extern name");
  const ParsedName& n = *parsed;
  if (name.version_suffix) return invalid(off, "the `cm-canon-names` feature is not active");
  if (name.implements) {
    if (!n.is_bare_label())
      return invalid(off, "name `" + name.name + "` is not valid with `implements`");
    if (ty.kind != EntityType::Kind::Instance)
      return invalid(off, "only instances can have an `implements`");
    auto impl = parse_extern_name(*name.implements, off);
    if (!impl.ok())
      return with_context(std::move(impl).error(),
                          "`" + *name.implements + "` is not a valid name");
    if (impl->kind != ParsedName::Kind::Interface)
      return invalid(off, "name `" + *name.implements + "` must be an interface");
  }
  Status s = check_annotated(n, ty, names, off);
  if (!s.ok())
    return with_context(std::move(s).error(), desc + " name `" + name.name + "` is not valid");
  std::string key = unique_key(n);
  auto it = keys.find(key);
  if (it != keys.end())
    return invalid(off, desc + " name `" + name.name + "` conflicts with previous name `" +
                            it->second + "`");
  keys.emplace(key, name.name);
  if (!items.add(name.name, ty))
    return invalid(off, desc + " name `" + name.name + "` conflicts with previous name `" +
                            name.name + "`");
  return info.combine(t_.info(ty), off);
}

Status Validator::import(const ExternName& name, const ExternType& type, uint64_t off) {
  TANDEM_ASSIGN(EntityType ty, check_extern_type(type, off));
  TANDEM_TRY(add_entity(ty, &name.name, ExternKindC::Import, off));
  Scope& s = cur();
  return validate_extern(name, ExternKindC::Import, ty, s.imported_names, s.import_keys, s.imports,
                         s.type_info, off);
}

Status Validator::add_export(const ExternName& name, EntityType ty, uint64_t off) {
  TANDEM_TRY(add_entity(ty, &name.name, ExternKindC::Export, off));
  Scope& s = cur();
  return validate_extern(name, ExternKindC::Export, ty, s.exported_names, s.export_keys, s.exports,
                         s.type_info, off);
}

Result<EntityType> Validator::sort_entity(const SortIndex& si, uint64_t off) {
  EntityType e;
  switch (si.sort) {
  case Sort::CoreModule: {
    e.kind = EntityType::Kind::Module;
    TANDEM_ASSIGN(e.id, module_at(si.index, off));
    return e;
  }
  case Sort::Func: {
    e.kind = EntityType::Kind::Func;
    TANDEM_ASSIGN(e.id, func_at(si.index, off));
    return e;
  }
  case Sort::Value: return invalid(off, "support for component model `value`s is not enabled");
  case Sort::Type: {
    e.kind = EntityType::Kind::Type;
    TANDEM_ASSIGN(e.referenced, type_at(si.index, off));
    e.created = e.referenced;
    return e;
  }
  case Sort::Instance: {
    e.kind = EntityType::Kind::Instance;
    TANDEM_ASSIGN(e.id, instance_at(si.index, off));
    return e;
  }
  case Sort::Component: {
    e.kind = EntityType::Kind::Component;
    TANDEM_ASSIGN(e.id, component_at(si.index, off));
    return e;
  }
  default: return invalid(off, std::string("invalid sort ") + sort_name(si.sort));
  }
}

Status Validator::export_item(const ExportDef& ex) {
  uint64_t off = ex.offset;
  TANDEM_ASSIGN(EntityType actual, sort_entity(ex.item, off));
  if (actual.kind == EntityType::Kind::Type) {
    actual.created = actual.referenced;
    if (actual.referenced.kind == AnyTypeId::Kind::Resource ||
        actual.referenced.kind == AnyTypeId::Kind::Defined)
      actual.created = t_.with_unique(actual.referenced);
  }
  EntityType ty = actual;
  if (ex.type) {
    TANDEM_ASSIGN(EntityType ascribed, check_extern_type(*ex.type, off));
    Subtyping sub(t_, off);
    auto cp = t_.checkpoint();
    Status s = sub.entity(actual, ascribed);
    t_.reset(cp);
    if (!s.ok())
      return with_context(std::move(s).error(),
                          "ascribed type of export is not compatible with item's type");
    ty = ascribed;
  }
  return add_export(ex.name, ty, off);
}

// Instances ------------------------------------------------------------------------------------

Status Validator::instance(const InstanceDef& d) {
  uint64_t off = d.offset;
  if (d.instantiate) {
    TANDEM_ASSIGN(uint32_t ct_id, component_at(d.component, off));
    EntityMap args;
    for (const InstantiateArg& a : d.args) {
      TANDEM_ASSIGN(EntityType e, sort_entity(a.item, off));
      if (!args.add(a.name, e))
        return invalid(off, "instantiation argument `" + a.name +
                                "` conflicts with previous argument `" + a.name + "`");
    }
    Subtyping sub(t_, off);
    TANDEM_ASSIGN(Remapping mapping, sub.open_instance(args, ct_id, true));
    ComponentTy ct = t_.components[ct_id];
    InstanceTy it;
    for (const auto& [n, e] : ct.exports.items) TANDEM_TRY(it.info.combine(t_.info(e), off));
    std::vector<ResourceId> fresh;
    for (const auto& [old, path] : ct.defined_resources) {
      ResourceId r = t_.alloc_resource();
      mapping.resources[old] = r;
      fresh.push_back(r);
    }
    it.exports = ct.exports;
    for (auto& [n, e] : it.exports.items) t_.remap(e, mapping);
    for (const auto& [r, p] : ct.explicit_resources) {
      auto m = mapping.resources.find(r);
      it.explicit_resources.emplace_back(m != mapping.resources.end() ? m->second : r, p);
    }
    for (ResourceId r : fresh) cur().add_defined(r, std::nullopt);
    cur().instances.push_back(t_.push(std::move(it)));
    return {};
  }
  // A bag of exports.
  InstanceTy it;
  std::map<std::string, std::string> keys;
  NameContext names;
  for (const InlineExport& e : d.exports) {
    TANDEM_ASSIGN(EntityType ty, sort_entity(e.item, off));
    if (ty.kind == EntityType::Kind::Instance) {
      for (const auto& [r, p] : t_.instances[ty.id].explicit_resources)
        it.explicit_resources.emplace_back(r, prefixed(uint32_t(it.exports.items.size()), p));
    } else if (ty.kind == EntityType::Kind::Type &&
               ty.referenced.kind == AnyTypeId::Kind::Resource) {
      it.explicit_resources.emplace_back(ty.referenced.id,
                                         ResourcePath{uint32_t(it.exports.items.size())});
    }
    TANDEM_TRY(
        validate_extern(e.name, ExternKindC::Export, ty, names, keys, it.exports, it.info, off));
  }
  cur().instances.push_back(t_.push(std::move(it)));
  return {};
}

Status Validator::start(const StartDef& s) {
  return invalid(s.offset, "support for component model `value`s is not enabled");
}

// The final component type --------------------------------------------------------------------

Result<uint32_t> Validator::finish(Scope& s, uint64_t off) {
  ComponentTy ty;
  ty.info = s.type_info;
  ty.imports = s.imports;
  ty.exports = s.exports;
  ty.imported_resources = s.imported_resources;
  ty.explicit_resources = s.explicit_resources;
  std::set<ResourceId> free;
  for (const auto& [n, e] : ty.imports.items) t_.free_vars(e, free);
  for (const auto& [r, rep] : s.defined_resources)
    if (free.count(r)) return invalid(off, "local resource type found in imports");
  free.clear();
  for (const auto& [n, e] : ty.exports.items) t_.free_vars(e, free);
  for (const auto& [r, rep] : s.defined_resources) {
    if (!free.count(r)) continue;
    const ResourcePath* path = s.explicit_path(r);
    if (!path) return invalid(off, "local resource type found in export but not exported itself");
    ty.defined_resources.emplace_back(r, *path);
  }
  return t_.push(std::move(ty));
}

} // namespace tandem::component
