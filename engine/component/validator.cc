// Component validation driver (validator.h): walks the definitions of a
// component in binary order, and validates core items (embedded modules,
// core instances, core types and module types) and aliases. Type
// definitions, imports/exports/instances and canonical definitions are in
// validator_types.cc, validator_extern.cc and validator_canon.cc.
#include "component/validator.h"

#include "component/validator_state.h"

#if TANDEM_HAVE_VALIDATOR
#include "validator/validator.h"
#endif

#include <map>
#include <set>

namespace tandem::component {
namespace {

Error invalid(uint64_t off, std::string msg) {
  return Error::invalid(off, std::move(msg));
}

std::string idx_str(uint32_t i) {
  return std::to_string(i);
}

// Module-relative heap indices -> canonical ids.
ValType canon_valtype(ValType t, const std::vector<uint32_t>& to_global) {
  if (!t.is_ref() || t.heap().is_abstract()) return t;
  uint32_t i = t.heap().type_index();
  uint32_t g = i < to_global.size() ? to_global[i] : 0;
  return ValType::ref(HeapType::index(g, t.heap().shared()), t.nullable());
}

Status check_memory_limits(const MemoryType& m, uint64_t off) {
  if (m.limits.max && *m.limits.max < m.limits.min)
    return invalid(off, "size minimum must not be greater than maximum");
  uint64_t max_pages = m.limits.is64 ? (uint64_t(1) << 48) : 65536;
  if (m.limits.min > max_pages || (m.limits.max && *m.limits.max > max_pages))
    return invalid(off, m.limits.is64 ? "memory size must be at most 2**48 pages"
                                      : "memory size must be at most 65536 pages (4GiB)");
  return {};
}

Status check_table_limits(const TableType& t, uint64_t off) {
  if (t.limits.max && *t.limits.max < t.limits.min)
    return invalid(off, "size minimum must not be greater than maximum");
  if (!t.limits.is64 &&
      (t.limits.min > 0xffffffffull || (t.limits.max && *t.limits.max > 0xffffffffull)))
    return invalid(off, "table size must be at most 2**32");
  return {};
}

} // namespace

Status Validator::require_async(const std::string& what, uint64_t off) const {
  if (async_enabled()) return {};
  return invalid(off, what + " requires the component model async feature");
}

// Lookups ----------------------------------------------------------------------------

Result<AnyTypeId> Validator::type_at(uint32_t i, uint64_t off) const {
  const Scope& s = scopes_.back();
  if (i >= s.types.size())
    return invalid(off, "unknown type " + idx_str(i) + ": type index out of bounds");
  return s.types[i];
}

Result<uint32_t> Validator::defined_type_at(uint32_t i, uint64_t off) const {
  TANDEM_ASSIGN(AnyTypeId t, type_at(i, off));
  if (t.kind != AnyTypeId::Kind::Defined)
    return invalid(off, "type index " + idx_str(i) + " is not a defined type");
  return t.id;
}

Result<uint32_t> Validator::func_type_at(uint32_t i, uint64_t off) const {
  TANDEM_ASSIGN(AnyTypeId t, type_at(i, off));
  if (t.kind != AnyTypeId::Kind::Func)
    return invalid(off, "type index " + idx_str(i) + " is not a function type");
  return t.id;
}

Result<AnyTypeId> Validator::resource_at(uint32_t i, uint64_t off) const {
  TANDEM_ASSIGN(AnyTypeId t, type_at(i, off));
  if (t.kind != AnyTypeId::Kind::Resource)
    return invalid(off, "type index " + idx_str(i) + " is not a resource type");
  return t;
}

Result<uint32_t> Validator::func_at(uint32_t i, uint64_t off) const {
  const Scope& s = scopes_.back();
  if (i >= s.funcs.size())
    return invalid(off, "unknown function " + idx_str(i) + ": function index out of bounds");
  return s.funcs[i];
}

Result<uint32_t> Validator::instance_at(uint32_t i, uint64_t off) const {
  const Scope& s = scopes_.back();
  if (i >= s.instances.size())
    return invalid(off, "unknown instance " + idx_str(i) + ": instance index out of bounds");
  return s.instances[i];
}

Result<uint32_t> Validator::component_at(uint32_t i, uint64_t off) const {
  const Scope& s = scopes_.back();
  if (i >= s.components.size())
    return invalid(off, "unknown component " + idx_str(i) + ": component index out of bounds");
  return s.components[i];
}

Result<uint32_t> Validator::module_at(uint32_t i, uint64_t off) const {
  const Scope& s = scopes_.back();
  if (i >= s.core_modules.size())
    return invalid(off, "unknown module " + idx_str(i) + ": module index out of bounds");
  return s.core_modules[i];
}

Result<uint32_t> Validator::core_instance_at(uint32_t i, uint64_t off) const {
  const Scope& s = scopes_.back();
  if (i >= s.core_instances.size())
    return invalid(off, "unknown core instance " + idx_str(i) + ": instance index out of bounds");
  return s.core_instances[i];
}

Result<uint32_t> Validator::core_func_at(uint32_t i, uint64_t off) const {
  const Scope& s = scopes_.back();
  if (i >= s.core_funcs.size())
    return invalid(off, "unknown core function " + idx_str(i) + ": function index out of bounds");
  return s.core_funcs[i];
}

Result<CoreTypeSlot> Validator::core_type_at(uint32_t i, uint64_t off) const {
  const Scope& s = scopes_.back();
  if (i >= s.core_types.size())
    return invalid(off, "unknown type " + idx_str(i) + ": type index out of bounds");
  return s.core_types[i];
}

// Driver ------------------------------------------------------------------------------

Result<uint32_t> Validator::component(const Component& c) {
  scopes_.emplace_back();
  scopes_.back().kind = ScopeKind::Component;
  for (const DefinitionRef& d : c.order) {
    Status s;
    switch (d.kind) {
    case DefinitionKind::CoreModule: s = core_module(c.modules[d.index]); break;
    case DefinitionKind::CoreInstance: s = core_instance(c.core_instances[d.index]); break;
    case DefinitionKind::CoreType:
      s = core_type(*c.core_types[d.index], c.core_types[d.index]->offset);
      break;
    case DefinitionKind::Component: {
      const NestedComponentDef& n = c.components[d.index];
      auto r = component(*n.component);
      if (!r.ok()) return std::move(r).error();
      cur().components.push_back(*r);
      break;
    }
    case DefinitionKind::Instance: s = instance(c.instances[d.index]); break;
    case DefinitionKind::Alias: s = alias(c.aliases[d.index]); break;
    case DefinitionKind::Type: s = type_def(*c.types[d.index]); break;
    case DefinitionKind::Canon: s = canon(c.canons[d.index]); break;
    case DefinitionKind::Start: s = start(c.starts[d.index]); break;
    case DefinitionKind::Import: {
      const ImportDef& im = c.imports[d.index];
      s = import(im.name, im.type, im.offset);
      break;
    }
    case DefinitionKind::Export: s = export_item(c.exports[d.index]); break;
    case DefinitionKind::Value:
      s = invalid(c.values[d.index].offset, "support for component model `value`s is not enabled");
      break;
    }
    if (!s.ok()) return std::move(s).error();
  }
  Scope s = std::move(scopes_.back());
  scopes_.pop_back();
  TANDEM_ASSIGN(uint32_t id, finish(s, c.offset + c.size));
  ComponentSpaceTypes& st = spaces[&c];
  st.core_funcs = std::move(s.core_funcs);
  st.core_modules = std::move(s.core_modules);
  st.core_instances = std::move(s.core_instances);
  st.types = std::move(s.types);
  st.funcs = std::move(s.funcs);
  st.instances = std::move(s.instances);
  st.components = std::move(s.components);
  st.defined_resources = std::move(s.defined_resources);
  st.component_type = id;
  return id;
}

// Core modules and instances ---------------------------------------------------------------

Status Validator::core_module(const CoreModuleDef& def) {
  const wasm::Module& m = *def.module;
#if TANDEM_HAVE_VALIDATOR
  {
    Status s = validate_module(m, features_);
    if (!s.ok()) {
      Error e = std::move(s).error();
      if (e.kind == ErrorKind::Malformed || e.kind == ErrorKind::Invalid) e.offset += def.offset;
      return e;
    }
  }
#endif
  // Imports must have distinct two-level names (they mangle to one name).
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& im : m.imports) {
    if (!seen.emplace(im.module, im.name).second)
      return invalid(def.offset + im.offset,
                     "duplicate import name `" + im.module + ":" + im.name + "` already defined");
  }
  // Intern the module's types.
  std::vector<uint32_t> to_global;
  for (uint32_t i = 0; i < m.types.size();) {
    uint32_t size = std::max<uint32_t>(1, m.types[i].rec_size);
    if (m.types[i].rec_group != i || i + size > m.types.size()) size = 1;
    auto ids = t_.core.intern_group(m.types, i, size, to_global);
    to_global.insert(to_global.end(), ids.begin(), ids.end());
    i += size;
  }
  auto type_of = [&](uint32_t type_index) -> uint32_t {
    return type_index < to_global.size() ? to_global[type_index] : 0;
  };
  auto canon_table = [&](TableType t) {
    t.elem = canon_valtype(t.elem, to_global);
    return t;
  };
  auto canon_global = [&](GlobalType g) {
    g.type = canon_valtype(g.type, to_global);
    return g;
  };
  ModuleTy mt;
  for (const auto& im : m.imports) {
    CoreEntity e;
    e.kind = im.kind;
    switch (im.kind) {
    case ExternKind::Func:
    case ExternKind::Tag: e.type = type_of(im.type_index); break;
    case ExternKind::Table: e.table = canon_table(im.table); break;
    case ExternKind::Memory: e.memory = im.memory; break;
    case ExternKind::Global: e.global = canon_global(im.global); break;
    }
    mt.imports.add(std::make_pair(im.module, im.name), e);
  }
  for (const auto& ex : m.exports) {
    CoreEntity e;
    e.kind = ex.kind;
    switch (ex.kind) {
    case ExternKind::Func:
      e.type = ex.index < m.funcs.size() ? type_of(m.funcs[ex.index]) : 0;
      break;
    case ExternKind::Tag:
      e.type = ex.index < m.tags.size() ? type_of(m.tags[ex.index].type_index) : 0;
      break;
    case ExternKind::Table:
      if (ex.index < m.tables.size()) e.table = canon_table(m.tables[ex.index].type);
      break;
    case ExternKind::Memory:
      if (ex.index < m.memories.size()) e.memory = m.memories[ex.index];
      break;
    case ExternKind::Global:
      if (ex.index < m.globals.size()) e.global = canon_global(m.globals[ex.index].type);
      break;
    }
    mt.exports.add(ex.name, e);
  }
  mt.info.size =
      uint32_t(std::min<size_t>(kMaxTypeSize, 1 + mt.imports.size() + mt.exports.size()));
  t_.modules.push_back(std::move(mt));
  cur().core_modules.push_back(uint32_t(t_.modules.size() - 1));
  return {};
}

Status Validator::core_instance(const CoreInstanceDef& d) {
  uint64_t off = d.offset;
  CoreInstanceTy it;
  if (d.instantiate) {
    TANDEM_ASSIGN(uint32_t mod, module_at(d.module, off));
    std::map<std::string, uint32_t> args;
    for (const auto& [name, idx] : d.args) {
      TANDEM_ASSIGN(uint32_t inst, core_instance_at(idx, off));
      if (!args.emplace(name, inst).second)
        return invalid(off, "duplicate module instantiation argument named `" + name + "`");
    }
    Subtyping sub(t_, off);
    const ModuleTy mt = t_.modules[mod];
    for (const auto& [key, expected] : mt.imports.items) {
      const auto& [mname, fname] = key;
      auto inst = args.find(mname);
      if (inst == args.end())
        return invalid(off, "missing module instantiation argument named `" + mname + "`");
      const CoreEntity* actual = t_.core_instances[inst->second].exports.find(fname);
      if (!actual)
        return invalid(off, "module instantiation argument `" + mname +
                                "` does not export an item named `" + fname + "`");
      Status s = sub.core_entity(*actual, expected);
      if (!s.ok())
        return with_context(std::move(s).error(), "type mismatch for export `" + fname +
                                                      "` of module instantiation argument `" +
                                                      mname + "`");
    }
    it.exports = mt.exports;
  } else {
    const Scope& s = cur();
    for (const CoreInlineExport& e : d.exports) {
      CoreEntity ce;
      switch (e.sort) {
      case Sort::CoreFunc: {
        ce.kind = ExternKind::Func;
        TANDEM_ASSIGN(ce.type, core_func_at(e.index, off));
        break;
      }
      case Sort::CoreTable:
        ce.kind = ExternKind::Table;
        if (e.index >= s.core_tables.size())
          return invalid(off, "unknown table " + idx_str(e.index) + ": table index out of bounds");
        ce.table = s.core_tables[e.index];
        break;
      case Sort::CoreMemory:
        ce.kind = ExternKind::Memory;
        if (e.index >= s.core_memories.size())
          return invalid(off,
                         "unknown memory " + idx_str(e.index) + ": memory index out of bounds");
        ce.memory = s.core_memories[e.index];
        break;
      case Sort::CoreGlobal:
        ce.kind = ExternKind::Global;
        if (e.index >= s.core_globals.size())
          return invalid(off,
                         "unknown global " + idx_str(e.index) + ": global index out of bounds");
        ce.global = s.core_globals[e.index];
        break;
      case Sort::CoreTag:
        ce.kind = ExternKind::Tag;
        if (e.index >= s.core_tags.size())
          return invalid(off, "unknown tag " + idx_str(e.index) + ": tag index out of bounds");
        ce.type = s.core_tags[e.index];
        break;
      default: return invalid(off, "invalid core instance export sort");
      }
      if (!it.exports.add(e.name, ce))
        return invalid(off, "duplicate instantiation export name `" + e.name + "` already defined");
    }
  }
  it.info.size = uint32_t(std::min<size_t>(kMaxTypeSize, 1 + it.exports.size()));
  t_.core_instances.push_back(std::move(it));
  cur().core_instances.push_back(uint32_t(t_.core_instances.size() - 1));
  return {};
}

// Core types -------------------------------------------------------------------------------------

Status Validator::intern_rec_group(const CoreTypeDef& d, std::vector<CoreTypeSlot>& space,
                                   uint64_t off) {
  uint32_t first = uint32_t(space.size());
  uint32_t n = uint32_t(d.rec.size());
  std::vector<uint32_t> to_global(first, 0);
  for (uint32_t i = 0; i < first; ++i) to_global[i] = space[i].id;
  auto check_index = [&](uint32_t i) -> Status {
    if (i >= first + n)
      return invalid(off, "unknown type " + idx_str(i) + ": type index out of bounds");
    if (i < first && space[i].is_module)
      return invalid(off, "type index " + idx_str(i) + " is a module type, not a sub type");
    return {};
  };
  auto check_val = [&](ValType t) -> Status {
    if (t.is_ref() && t.heap().is_index()) return check_index(t.heap().type_index());
    return {};
  };
  std::vector<SubType> local(first + n);
  for (uint32_t k = 0; k < n; ++k) {
    SubType st = d.rec[k];
    if (st.super) TANDEM_TRY(check_index(*st.super));
    for (ValType v : st.comp.func.params) TANDEM_TRY(check_val(v));
    for (ValType v : st.comp.func.results) TANDEM_TRY(check_val(v));
    for (const FieldType& f : st.comp.fields) TANDEM_TRY(check_val(f.storage.type));
    local[first + k] = st;
  }
  // The decoded group may hold several rec groups only if the encoding was a
  // single `rec`; intern it as one group.
  auto ids = t_.core.intern_group(local, first, n, to_global);
  for (uint32_t id : ids) space.push_back(CoreTypeSlot{false, id});
  return {};
}

Status Validator::core_type(const CoreTypeDef& d, uint64_t off) {
  if (d.is_module) {
    TANDEM_ASSIGN(uint32_t id, module_type(d));
    cur().core_types.push_back(CoreTypeSlot{true, id});
    return {};
  }
  return intern_rec_group(d, cur().core_types, off);
}

Result<CoreEntity> Validator::core_extern(const CoreExternType& t,
                                          const std::vector<CoreTypeSlot>& space, uint64_t off) {
  CoreEntity e;
  e.kind = t.kind;
  std::vector<uint32_t> to_global;
  for (const auto& s : space) to_global.push_back(s.id);
  switch (t.kind) {
  case ExternKind::Func:
  case ExternKind::Tag: {
    if (t.type_index >= space.size())
      return invalid(off, "unknown type " + idx_str(t.type_index) + ": type index out of bounds");
    const CoreTypeSlot& slot = space[t.type_index];
    if (slot.is_module || !t_.core.is_func(slot.id))
      return invalid(off, "type index " + idx_str(t.type_index) + " is not a function type");
    if (t.kind == ExternKind::Tag && !t_.core.func(slot.id).results.empty())
      return invalid(off, "invalid exception type: non-empty tag result type");
    e.type = slot.id;
    return e;
  }
  case ExternKind::Table:
    TANDEM_TRY(check_table_limits(t.table, off));
    if (t.table.elem.heap().is_index() && t.table.elem.heap().type_index() >= space.size())
      return invalid(off, "unknown type " + idx_str(t.table.elem.heap().type_index()) +
                              ": type index out of bounds");
    e.table = t.table;
    e.table.elem = canon_valtype(t.table.elem, to_global);
    return e;
  case ExternKind::Memory:
    TANDEM_TRY(check_memory_limits(t.memory, off));
    e.memory = t.memory;
    return e;
  case ExternKind::Global:
    if (t.global.type.is_ref() && t.global.type.heap().is_index() &&
        t.global.type.heap().type_index() >= space.size())
      return invalid(off, "unknown type " + idx_str(t.global.type.heap().type_index()) +
                              ": type index out of bounds");
    e.global = t.global;
    e.global.type = canon_valtype(t.global.type, to_global);
    return e;
  }
  return e;
}

Result<uint32_t> Validator::module_type(const CoreTypeDef& d) {
  std::vector<CoreTypeSlot> space;
  ModuleTy mt;
  for (const ModuleDecl& decl : d.decls) {
    uint64_t off = decl.offset;
    switch (decl.kind) {
    case ModuleDecl::Kind::Type:
      if (decl.core_type->is_module)
        return invalid(decl.core_type->offset,
                       "invalid leading byte (0x50) for type definition: module types cannot "
                       "declare module types");
      TANDEM_TRY(intern_rec_group(*decl.core_type, space, off));
      break;
    case ModuleDecl::Kind::Alias: {
      if (decl.count == 0) {
        if (decl.index >= space.size())
          return invalid(off, "unknown type " + idx_str(decl.index) + ": type index out of bounds");
        space.push_back(space[decl.index]);
        break;
      }
      if (decl.count - 1 >= scopes_.size())
        return invalid(off, "invalid outer alias count of " + idx_str(decl.count - 1));
      const Scope& s = scopes_[scopes_.size() - decl.count];
      if (decl.index >= s.core_types.size())
        return invalid(off, "unknown type " + idx_str(decl.index) + ": type index out of bounds");
      if (s.core_types[decl.index].is_module)
        return invalid(off, "not implemented: aliasing core module types into a core module's "
                            "types index space");
      space.push_back(s.core_types[decl.index]);
      break;
    }
    case ModuleDecl::Kind::Import: {
      TANDEM_ASSIGN(CoreEntity e, core_extern(decl.type, space, off));
      if (!mt.imports.add(std::make_pair(decl.module, decl.name), e))
        return invalid(off, "duplicate import name `" + decl.module + ":" + decl.name +
                                "` already defined");
      break;
    }
    case ModuleDecl::Kind::Export: {
      TANDEM_ASSIGN(CoreEntity e, core_extern(decl.type, space, off));
      if (!mt.exports.add(decl.name, e))
        return invalid(off, "export name `" + decl.name + "` already defined");
      break;
    }
    }
  }
  mt.info.size =
      uint32_t(std::min<size_t>(kMaxTypeSize, 1 + mt.imports.size() + mt.exports.size()));
  t_.modules.push_back(std::move(mt));
  return uint32_t(t_.modules.size() - 1);
}

// Aliases
// -------------------------------------------------------------------------------------------

Result<const Scope*> Validator::outer_scope(uint32_t count, uint64_t off) const {
  if (count >= scopes_.size())
    return invalid(off, "invalid outer alias count of " + idx_str(count));
  return &scopes_[scopes_.size() - 1 - count];
}

Status Validator::alias(const Alias& a) {
  uint64_t off = a.offset;
  if (cur().kind != ScopeKind::Component) {
    bool ok = (a.kind == Alias::Kind::InstanceExport &&
               (a.sort == Sort::Type || a.sort == Sort::Instance)) ||
              (a.kind == Alias::Kind::Outer && (a.sort == Sort::Type || a.sort == Sort::CoreType));
    if (!ok)
      return invalid(
          off, "aliases in a component or instance type may only refer to types or instances");
  }
  switch (a.kind) {
  case Alias::Kind::InstanceExport: {
    if (a.sort == Sort::Value)
      return invalid(off, "support for component model `value`s is not enabled");
    TANDEM_ASSIGN(uint32_t inst, instance_at(a.instance, off));
    const EntityType* e = t_.instances[inst].exports.find(a.name);
    if (!e)
      return invalid(off,
                     "instance " + idx_str(a.instance) + " has no export named `" + a.name + "`");
    EntityType ty = *e;
    Sort want = Sort::Func;
    switch (ty.kind) {
    case EntityType::Kind::Module: want = Sort::CoreModule; break;
    case EntityType::Kind::Func: want = Sort::Func; break;
    case EntityType::Kind::Value: want = Sort::Value; break;
    case EntityType::Kind::Type: want = Sort::Type; break;
    case EntityType::Kind::Instance: want = Sort::Instance; break;
    case EntityType::Kind::Component: want = Sort::Component; break;
    }
    if (want != a.sort)
      return invalid(off, "export `" + a.name + "` for instance " + idx_str(a.instance) +
                              " is not a " + sort_name(a.sort));
    return add_entity(ty, nullptr, std::nullopt, off);
  }
  case Alias::Kind::CoreInstanceExport: {
    TANDEM_ASSIGN(uint32_t inst, core_instance_at(a.instance, off));
    const CoreEntity* e = t_.core_instances[inst].exports.find(a.name);
    if (!e)
      return invalid(off, "core instance " + idx_str(a.instance) + " has no export named `" +
                              a.name + "`");
    ExternKind want = ExternKind::Func;
    const char* what = "function";
    switch (a.sort) {
    case Sort::CoreFunc: want = ExternKind::Func, what = "function"; break;
    case Sort::CoreTable: want = ExternKind::Table, what = "table"; break;
    case Sort::CoreMemory: want = ExternKind::Memory, what = "memory"; break;
    case Sort::CoreGlobal: want = ExternKind::Global, what = "global"; break;
    case Sort::CoreTag: want = ExternKind::Tag, what = "tag"; break;
    default: break;
    }
    if (e->kind != want)
      return invalid(off, "export `" + a.name + "` for core instance " + idx_str(a.instance) +
                              " is not a " + what);
    Scope& s = cur();
    switch (want) {
    case ExternKind::Func: s.core_funcs.push_back(e->type); break;
    case ExternKind::Table: s.core_tables.push_back(e->table); break;
    case ExternKind::Memory: s.core_memories.push_back(e->memory); break;
    case ExternKind::Global: s.core_globals.push_back(e->global); break;
    case ExternKind::Tag: s.core_tags.push_back(e->type); break;
    }
    return {};
  }
  case Alias::Kind::Outer: {
    TANDEM_ASSIGN(const Scope* target, outer_scope(a.count, off));
    switch (a.sort) {
    case Sort::CoreModule: {
      if (a.index >= target->core_modules.size())
        return invalid(off, "unknown module " + idx_str(a.index) + ": module index out of bounds");
      uint32_t id = target->core_modules[a.index];
      cur().core_modules.push_back(id);
      return {};
    }
    case Sort::CoreType: {
      if (a.index >= target->core_types.size())
        return invalid(off, "unknown type " + idx_str(a.index) + ": type index out of bounds");
      CoreTypeSlot slot = target->core_types[a.index];
      cur().core_types.push_back(slot);
      return {};
    }
    case Sort::Component: {
      if (a.index >= target->components.size())
        return invalid(off,
                       "unknown component " + idx_str(a.index) + ": component index out of bounds");
      uint32_t id = target->components[a.index];
      cur().components.push_back(id);
      return {};
    }
    case Sort::Type: {
      if (a.index >= target->types.size())
        return invalid(off, "unknown type " + idx_str(a.index) + ": type index out of bounds");
      AnyTypeId ty = target->types[a.index];
      size_t after = scopes_.size() - a.count;
      if (a.count > 0 && after < scopes_.size() && scopes_[after].kind == ScopeKind::Component) {
        std::set<ResourceId> free;
        t_.free_vars(ty, free);
        if (!free.empty())
          return invalid(off, "cannot alias outer type which transitively refers to resources "
                              "not defined in the current component");
      }
      cur().types.push_back(ty);
      return {};
    }
    default: return invalid(off, "invalid outer alias sort");
    }
  }
  }
  return {};
}

// Public API
// ------------------------------------------------------------------------------------------

Result<ValidatedComponent> validate_component_types(const Component& c,
                                                    const FeatureSet& features) {
  if (!features.has(Feature::component_model))
    return Error::make(ErrorKind::Unsupported, "feature 'component-model' is not enabled");
  auto arena = std::make_shared<TypeArena>();
  Validator v(features, *arena);
  TANDEM_ASSIGN(uint32_t id, v.component(c));
  return ValidatedComponent{std::move(arena), id, std::move(v.spaces)};
}

Status validate_component(const Component& c, const FeatureSet& features) {
  auto r = validate_component_types(c, features);
  if (!r.ok()) return std::move(r).error();
  return {};
}

} // namespace tandem::component
