// Component subtyping (Explainer.md "Type Checking"), following wasmtime's
// rules and messages: function and value types must match exactly, instance
// and component types are width-subtyped, and resources are matched through
// the substitution computed by open_instance (types.h).
//
// Every recursion here follows type structure, whose depth is bounded by
// kMaxTypeDepth; temporary types made by substitution are discarded with
// arena checkpoints.
#include "component/names.h"
#include "component/types.h"

namespace tandem::component {
namespace {

bool kebab_eq(const std::string& a, const std::string& b) {
  return ascii_lower(a) == ascii_lower(b);
}

std::string table_elem_name(ValType t) {
  if (t == kFuncRef) return "funcref";
  if (t == kExternRef) return "externref";
  return valtype_name(t);
}

bool limits_match(const Limits& a, const Limits& b) {
  if (a.min < b.min) return false;
  if (!b.max) return true;
  return a.max && *a.max <= *b.max;
}

} // namespace

Status Subtyping::entity(const EntityType& a, const EntityType& b) {
  using K = EntityType::Kind;
  if (a.kind != b.kind) return fail(std::string("expected ") + b.desc() + ", found " + a.desc());
  switch (a.kind) {
  case K::Module: return module(a.id, b.id);
  case K::Func: return func(a.id, b.id);
  case K::Value: return value(a.value, b.value);
  case K::Type: return any_type(a.referenced, b.referenced);
  case K::Instance: return instance(a.id, b.id);
  case K::Component: return component(a.id, b.id);
  }
  return {};
}

Status Subtyping::any_type(const AnyTypeId& a, const AnyTypeId& b) {
  using K = AnyTypeId::Kind;
  if (a.kind != b.kind) {
    std::string found = a.desc();
    if (a.kind == K::Func || a.kind == K::Instance || a.kind == K::Component) found += " type";
    return fail(std::string("expected ") + b.desc() + ", found " + found);
  }
  switch (a.kind) {
  case K::Resource:
    if (a.id == b.id) return {};
    return fail("resource types are not the same (resource " + std::to_string(a.id) +
                " vs. resource " + std::to_string(b.id) + ")");
  case K::Defined: return defined(a.id, b.id);
  case K::Func: return func(a.id, b.id);
  case K::Instance: return instance(a.id, b.id);
  case K::Component: return component(a.id, b.id);
  }
  return {};
}

Status Subtyping::component(uint32_t a, uint32_t b) {
  EntityMap b_imports = t_.components[b].imports;
  TANDEM_ASSIGN(Remapping import_mapping, open_instance(b_imports, a, true));
  auto cp = t_.checkpoint();
  EntityMap a_exports = t_.components[a].exports;
  for (auto& [n, e] : a_exports.items) t_.remap(e, import_mapping);
  auto r = open_instance(a_exports, b, false);
  t_.reset(cp);
  if (!r.ok()) return std::move(r).error();
  return {};
}

Status Subtyping::instance(uint32_t a_id, uint32_t b_id) {
  std::vector<std::pair<EntityType, EntityType>> pairs;
  for (const auto& [name, be] : t_.instances[b_id].exports.items) {
    const EntityType* ae = t_.instances[a_id].exports.find(name);
    if (!ae) return fail("missing expected export `" + name + "`");
    pairs.emplace_back(*ae, be);
  }
  for (size_t i = 0; i < pairs.size(); ++i) {
    Status s = entity(pairs[i].first, pairs[i].second);
    if (!s.ok())
      return with_context(std::move(s).error(), "type mismatch in instance export `" +
                                                    t_.instances[b_id].exports.items[i].first +
                                                    "`");
  }
  return {};
}

Status Subtyping::func(uint32_t a_id, uint32_t b_id) {
  FuncTy a = t_.funcs[a_id];
  FuncTy b = t_.funcs[b_id];
  if (a.async != b.async)
    return fail(std::string("expected ") + (b.async ? "async" : "sync") + " function, found " +
                (a.async ? "async" : "sync") + " function");
  if (a.params.size() != b.params.size())
    return fail("expected " + std::to_string(b.params.size()) + " parameters, found " +
                std::to_string(a.params.size()));
  for (size_t i = 0; i < a.params.size(); ++i) {
    const auto& [an, at] = a.params[i];
    const auto& [bn, bt] = b.params[i];
    if (!kebab_eq(an, bn)) return fail("expected parameter named `" + bn + "`, found `" + an + "`");
    Status s = value(at, bt);
    if (!s.ok())
      return with_context(std::move(s).error(), "type mismatch in function parameter `" + an + "`");
  }
  if (a.result && b.result) {
    Status s = value(*a.result, *b.result);
    if (!s.ok()) return with_context(std::move(s).error(), "type mismatch with result type");
  } else if (a.result) {
    return fail("expected a result, found none");
  } else if (b.result) {
    return fail("expected no result, found one");
  }
  return {};
}

Status Subtyping::module(uint32_t a_id, uint32_t b_id) {
  const ModuleTy& a = t_.modules[a_id];
  const ModuleTy& b = t_.modules[b_id];
  for (const auto& [k, ai] : a.imports.items) {
    const CoreEntity* bi = b.imports.find(k);
    if (!bi) return fail("missing expected import `" + k.first + "::" + k.second + "`");
    Status s = core_entity(*bi, ai);
    if (!s.ok())
      return with_context(std::move(s).error(),
                          "type mismatch in import `" + k.first + "::" + k.second + "`");
  }
  for (const auto& [k, be] : b.exports.items) {
    const CoreEntity* ae = a.exports.find(k);
    if (!ae) return fail("missing expected export `" + k + "`");
    Status s = core_entity(*ae, be);
    if (!s.ok()) return with_context(std::move(s).error(), "type mismatch in export `" + k + "`");
  }
  return {};
}

Status Subtyping::table(const TableType& a, const TableType& b, uint64_t offset) {
  if (!(a.elem == b.elem))
    return Error::invalid(offset, "expected table element type " + table_elem_name(b.elem) +
                                      ", found " + table_elem_name(a.elem));
  if (a.limits.shared != b.limits.shared)
    return Error::invalid(offset, "mismatch in the shared flag for tables");
  if (a.limits.is64 != b.limits.is64)
    return Error::invalid(offset, "mismatch in index type used for tables");
  if (!limits_match(a.limits, b.limits)) return Error::invalid(offset, "mismatch in table limits");
  return {};
}

Status Subtyping::memory(const MemoryType& a, const MemoryType& b, uint64_t offset) {
  if (a.limits.shared != b.limits.shared)
    return Error::invalid(offset, "mismatch in the shared flag for memories");
  if (a.limits.is64 != b.limits.is64)
    return Error::invalid(offset, "mismatch in index type used for memories");
  if (!limits_match(a.limits, b.limits)) return Error::invalid(offset, "mismatch in memory limits");
  if (a.page_size() != b.page_size())
    return Error::invalid(offset, "mismatch in page size for memories");
  return {};
}

Status Subtyping::core_entity(const CoreEntity& a, const CoreEntity& b) {
  if (a.kind != b.kind) return fail(std::string("expected ") + b.desc() + ", found " + a.desc());
  switch (a.kind) {
  case ExternKind::Func:
  case ExternKind::Tag:
    if (a.type == b.type) return {};
    return fail("expected: " + t_.core.describe(b.type) +
                "\nfound:    " + t_.core.describe(a.type));
  case ExternKind::Table: return table(a.table, b.table, offset_);
  case ExternKind::Memory: return memory(a.memory, b.memory, offset_);
  case ExternKind::Global:
    if (a.global.mut != b.global.mut) return fail("global types differ in mutability");
    if (!(a.global.type == b.global.type))
      return fail("expected global type " + valtype_name(b.global.type) + ", found " +
                  valtype_name(a.global.type));
    return {};
  }
  return {};
}

Status Subtyping::prim(PrimVal a, PrimVal b) {
  if (a == b) return {};
  return fail(std::string("expected primitive `") + prim_name(b) + "` found primitive `" +
              prim_name(a) + "`");
}

Status Subtyping::value(const ValTy& a, const ValTy& b) {
  if (a.is_prim && b.is_prim) return prim(a.prim, b.prim);
  if (!a.is_prim && !b.is_prim) return defined(a.def, b.def);
  if (a.is_prim) {
    const DefinedType& bd = t_.defined[b.def];
    if (bd.kind == DefKind::Primitive) return prim(a.prim, bd.prim);
    return fail(std::string("expected ") + bd.desc() + ", found " + prim_name(a.prim));
  }
  const DefinedType& ad = t_.defined[a.def];
  if (ad.kind == DefKind::Primitive) return prim(ad.prim, b.prim);
  return fail(std::string("expected ") + prim_name(b.prim) + ", found " + ad.desc());
}

Status Subtyping::defined(uint32_t a_id, uint32_t b_id) {
  // Copies: the arena may grow while checking nested types.
  DefinedType a = t_.defined[a_id];
  DefinedType b = t_.defined[b_id];
  if (a.kind == DefKind::Primitive && b.kind == DefKind::Primitive) return prim(a.prim, b.prim);
  if (a.kind == DefKind::Primitive)
    return fail(std::string("expected ") + b.desc() + ", found " + prim_name(a.prim));
  auto kind_mismatch = [&]() {
    const char* found = a.desc();
    if (a.kind == DefKind::FixedList) found = "list";
    return fail(std::string("expected ") + b.desc() + ", found " + found);
  };
  if (a.kind != b.kind) return kind_mismatch();
  switch (a.kind) {
  case DefKind::Primitive: return {};
  case DefKind::Record:
    if (a.fields.size() != b.fields.size())
      return fail("expected " + std::to_string(b.fields.size()) + " fields, found " +
                  std::to_string(a.fields.size()));
    for (size_t i = 0; i < a.fields.size(); ++i) {
      const auto& [an, at] = a.fields[i];
      const auto& [bn, bt] = b.fields[i];
      if (!kebab_eq(an, bn)) return fail("expected field name `" + bn + "`, found `" + an + "`");
      Status s = value(at, bt);
      if (!s.ok())
        return with_context(std::move(s).error(), "type mismatch in record field `" + an + "`");
    }
    return {};
  case DefKind::Variant:
    if (a.cases.size() != b.cases.size())
      return fail("expected " + std::to_string(b.cases.size()) + " cases, found " +
                  std::to_string(a.cases.size()));
    for (size_t i = 0; i < a.cases.size(); ++i) {
      const auto& [an, at] = a.cases[i];
      const auto& [bn, bt] = b.cases[i];
      if (!kebab_eq(an, bn)) return fail("expected case named `" + bn + "`, found `" + an + "`");
      if (at && bt) {
        Status s = value(*at, *bt);
        if (!s.ok())
          return with_context(std::move(s).error(), "type mismatch in variant case `" + an + "`");
      } else if (bt) {
        return fail("expected case `" + an + "` to have a type, found none");
      } else if (at) {
        return fail("expected case `" + an + "` to have no type");
      }
    }
    return {};
  case DefKind::List:
  case DefKind::Option: return value(*a.first, *b.first);
  case DefKind::FixedList:
    if (a.length != b.length)
      return fail("expected fixed size " + std::to_string(b.length) + ", found size " +
                  std::to_string(a.length));
    return value(*a.first, *b.first);
  case DefKind::Map: {
    Status s = value(*a.first, *b.first);
    if (!s.ok()) return with_context(std::move(s).error(), "type mismatch in map key");
    s = value(*a.second, *b.second);
    if (!s.ok()) return with_context(std::move(s).error(), "type mismatch in map value");
    return {};
  }
  case DefKind::Tuple:
    if (a.types.size() != b.types.size())
      return fail("expected " + std::to_string(b.types.size()) + " types, found " +
                  std::to_string(a.types.size()));
    for (size_t i = 0; i < a.types.size(); ++i) {
      Status s = value(a.types[i], b.types[i]);
      if (!s.ok())
        return with_context(std::move(s).error(),
                            "type mismatch in tuple field " + std::to_string(i));
    }
    return {};
  case DefKind::Flags:
  case DefKind::Enum: {
    bool same = a.names.size() == b.names.size();
    for (size_t i = 0; same && i < a.names.size(); ++i) same = kebab_eq(a.names[i], b.names[i]);
    if (same) return {};
    return fail(std::string("mismatch in ") + (a.kind == DefKind::Flags ? "flags" : "enum") +
                " elements");
  }
  case DefKind::Result: {
    if (a.first && b.first) {
      Status s = value(*a.first, *b.first);
      if (!s.ok()) return with_context(std::move(s).error(), "type mismatch in ok variant");
    } else if (b.first) {
      return fail("expected ok type, but found none");
    } else if (a.first) {
      return fail("expected ok type to not be present");
    }
    if (a.second && b.second) {
      Status s = value(*a.second, *b.second);
      if (!s.ok()) return with_context(std::move(s).error(), "type mismatch in err variant");
    } else if (b.second) {
      return fail("expected err type, but found none");
    } else if (a.second) {
      return fail("expected err type to not be present");
    }
    return {};
  }
  case DefKind::Own:
  case DefKind::Borrow:
    if (a.resource.id == b.resource.id) return {};
    return fail("resource types are not the same");
  case DefKind::Future:
  case DefKind::Stream: {
    const char* what = a.kind == DefKind::Future ? "future" : "stream";
    if (a.first && b.first) {
      Status s = value(*a.first, *b.first);
      if (!s.ok())
        return with_context(std::move(s).error(), std::string("type mismatch in ") + what);
    } else if (b.first) {
      return fail(std::string("expected ") + what + " type, but found none");
    } else if (a.first) {
      return fail(std::string("expected ") + what + " type to not be present");
    }
    return {};
  }
  }
  return {};
}

void Subtyping::register_renamings(const EntityType& actual, const EntityType& expected,
                                   std::map<AnyTypeId, AnyTypeId>& out) {
  if (expected.kind == EntityType::Kind::Type && actual.kind == EntityType::Kind::Type) {
    out[expected.created] = actual.created;
  } else if (expected.kind == EntityType::Kind::Instance &&
             actual.kind == EntityType::Kind::Instance) {
    InstanceTy exp = t_.instances[expected.id];
    for (const auto& [name, e] : exp.exports.items) {
      const EntityType* a = t_.instances[actual.id].exports.find(name);
      if (a) {
        EntityType copy = *a;
        register_renamings(copy, e, out);
      }
    }
  }
}

Result<Remapping> Subtyping::open_instance(const EntityMap& args, uint32_t b, bool imports) {
  // Copy: the arena may grow below.
  ComponentTy ct = t_.components[b];
  const EntityMap& entities = imports ? ct.imports : ct.exports;
  const auto& resources = imports ? ct.imported_resources : ct.defined_resources;
  Remapping mapping;
  for (const auto& [resource, path] : resources) {
    if (path.empty() || path[0] >= entities.items.size()) continue;
    EntityType ty = entities.items[path[0]].second;
    const EntityType* arg = args.find(entities.items[path[0]].first);
    bool skip = false;
    for (size_t i = 1; i < path.size(); ++i) {
      if (ty.kind != EntityType::Kind::Instance ||
          path[i] >= t_.instances[ty.id].exports.items.size()) {
        skip = true;
        break;
      }
      const auto& [name, next] = t_.instances[ty.id].exports.items[path[i]];
      ty = next;
      if (!arg || arg->kind != EntityType::Kind::Instance) {
        skip = true;
        break;
      }
      arg = t_.instances[arg->id].exports.find(name);
    }
    if (skip || !arg) continue;
    if (arg->kind == EntityType::Kind::Type && arg->created.kind == AnyTypeId::Kind::Resource)
      mapping.resources[resource] = arg->created.id;
  }
  std::vector<std::pair<EntityType, EntityType>> to_check;
  for (const auto& [name, expected] : entities.items) {
    const EntityType* arg = args.find(name);
    if (!arg)
      return fail(std::string("missing ") + (imports ? "import" : "export") + " named `" + name +
                  "`");
    to_check.emplace_back(*arg, expected);
  }
  std::map<AnyTypeId, AnyTypeId> type_map;
  for (size_t i = 0; i < to_check.size(); ++i) {
    const auto& [actual, expected] = to_check[i];
    auto cp = t_.checkpoint();
    EntityType exp = expected;
    t_.remap(exp, mapping);
    mapping.types.clear();
    Status s = entity(actual, exp);
    t_.reset(cp);
    if (!s.ok())
      return with_context(std::move(s).error(), std::string("type mismatch for ") +
                                                    (imports ? "import" : "export") + " `" +
                                                    entities.items[i].first + "`");
    register_renamings(actual, expected, type_map);
  }
  mapping.types = std::move(type_map);
  return mapping;
}

} // namespace tandem::component
