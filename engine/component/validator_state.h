// Internal state of component validation (validator*.cc). One Scope exists
// per component, component type and instance type being validated; the
// Validator keeps them on a stack (innermost last) so outer aliases can look
// outwards. Scopes nest only as deep as the binary nests (bounded by the
// decoder's kMaxComponentNesting).
#pragma once

#include "component/names.h"
#include "component/types.h"
#include "component/validator.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tandem::component {

enum class ScopeKind : uint8_t { Component, InstanceType, ComponentType };
enum class ExternKindC : uint8_t { Import, Export };

inline const char* extern_desc(ExternKindC k) {
  return k == ExternKindC::Import ? "import" : "export";
}

// Resource names known at the top level of a scope, for `[method]R.f` etc.
struct NameContext {
  std::map<AnyTypeId, size_t> resource_name_map; // alias-tagged resource -> name index
  std::vector<std::string> all_resource_names;
  std::set<std::string> name_set;
  void add(const std::string& name, AnyTypeId id) {
    size_t idx = all_resource_names.size();
    resource_name_map.emplace(id, idx);
    all_resource_names.push_back(name);
    name_set.insert(name);
  }
  bool knows(const std::string& name) const { return name_set.count(name) != 0; }
};

struct CoreTypeSlot {
  bool is_module = false;
  uint32_t id = 0; // canonical core type id, or ModuleTy id
};

struct Scope {
  ScopeKind kind = ScopeKind::Component;

  std::vector<CoreTypeSlot> core_types;
  std::vector<uint32_t> core_funcs; // canonical core func type ids
  std::vector<uint32_t> core_tags;
  std::vector<uint32_t> core_modules;
  std::vector<uint32_t> core_instances;
  std::vector<MemoryType> core_memories;
  std::vector<TableType> core_tables;
  std::vector<GlobalType> core_globals;

  std::vector<AnyTypeId> types;
  std::vector<uint32_t> funcs;
  std::vector<uint32_t> instances;
  std::vector<uint32_t> components;

  EntityMap imports, exports;
  std::map<std::string, std::string> import_keys, export_keys; // unique key -> name
  TypeInfo type_info;

  std::vector<std::pair<ResourceId, ResourcePath>> imported_resources;
  std::vector<std::pair<ResourceId, std::optional<ValType>>> defined_resources;
  std::map<ResourceId, uint32_t> defined_index; // into defined_resources
  std::vector<std::pair<ResourceId, ResourcePath>> explicit_resources;
  std::map<ResourceId, uint32_t> explicit_index; // into explicit_resources
  std::set<AnyTypeId> exported_types, imported_types;
  NameContext exported_names, imported_names;
  std::optional<ValType> context_type;

  const std::optional<ValType>* defined_rep(ResourceId r) const {
    auto it = defined_index.find(r);
    return it == defined_index.end() ? nullptr : &defined_resources[it->second].second;
  }
  void add_defined(ResourceId r, std::optional<ValType> rep) {
    if (defined_index.emplace(r, uint32_t(defined_resources.size())).second)
      defined_resources.emplace_back(r, rep);
  }
  const ResourcePath* explicit_path(ResourceId r) const {
    auto it = explicit_index.find(r);
    return it == explicit_index.end() ? nullptr : &explicit_resources[it->second].second;
  }
  void set_explicit(ResourceId r, ResourcePath p) {
    auto it = explicit_index.find(r);
    if (it != explicit_index.end()) {
      explicit_resources[it->second].second = std::move(p);
      return;
    }
    explicit_index.emplace(r, uint32_t(explicit_resources.size()));
    explicit_resources.emplace_back(r, std::move(p));
  }
};

// Options of a canonical definition after checking (CanonicalABI.md).
struct CanonOptions {
  StringEncoding encoding = StringEncoding::Utf8;
  std::optional<uint32_t> memory;
  std::optional<uint32_t> realloc;
  std::optional<uint32_t> post_return;
  bool async = false;
  std::optional<uint32_t> callback;
};

class Validator {
public:
  Validator(const FeatureSet& features, TypeArena& arena) : features_(features), t_(arena) {}

  // Validates a (possibly nested) component; returns its ComponentTy id.
  Result<uint32_t> component(const Component& c);
  // Index-space types recorded per validated component.
  std::map<const Component*, ComponentSpaceTypes> spaces;

private:
  Scope& cur() { return scopes_.back(); }
  bool async_enabled() const { return features_.has(Feature::component_model_async); }
  Status require_async(const std::string& what, uint64_t off) const;

  // validator.cc: core items and aliases
  Status core_module(const CoreModuleDef& m);
  Status core_instance(const CoreInstanceDef& d);
  Status core_type(const CoreTypeDef& d, uint64_t off);
  Status intern_rec_group(const CoreTypeDef& d, std::vector<CoreTypeSlot>& space, uint64_t off);
  Result<uint32_t> module_type(const CoreTypeDef& d);
  Result<CoreEntity> core_extern(const CoreExternType& t, const std::vector<CoreTypeSlot>& space,
                                 uint64_t off);
  Status alias(const Alias& a);
  Result<const Scope*> outer_scope(uint32_t count, uint64_t off) const;

  // validator_types.cc: type definitions
  Status type_def(const TypeDef& d);
  Result<uint32_t> defined_type(const DefValTypeDecl& d, uint64_t off);
  Result<uint32_t> func_type(const FuncTypeDecl& d, uint64_t off);
  Result<uint32_t> component_type(const TypeDef& d);
  Result<uint32_t> instance_type(const TypeDef& d);
  Status declarator(const Declarator& d);
  Result<ValTy> val_type(const ValTypeRef& r, uint64_t off);
  Result<EntityType> check_extern_type(const ExternType& t, uint64_t off);

  // validator_extern.cc: imports, exports, names, instances
  Status import(const ExternName& name, const ExternType& type, uint64_t off);
  Status export_item(const ExportDef& e);
  Status add_export(const ExternName& name, EntityType ty, uint64_t off);
  Status add_entity(EntityType& ty, const std::string* name, std::optional<ExternKindC> kind,
                    uint64_t off);
  bool register_named_types(const std::string* name, ExternKindC kind, const EntityType& ty);
  bool all_named(const AnyTypeId& id, const std::set<AnyTypeId>& set) const;
  bool all_named_defined(uint32_t id, const std::set<AnyTypeId>& set) const;
  bool all_named_func(uint32_t id, const std::set<AnyTypeId>& set) const;
  bool all_named_instance(uint32_t id, const std::set<AnyTypeId>& set) const;
  void prepare_instance_import(uint32_t& id);
  void prepare_instance_export(uint32_t& id);
  Status validate_extern(const ExternName& name, ExternKindC kind, const EntityType& ty,
                         const NameContext& names, std::map<std::string, std::string>& keys,
                         EntityMap& items, TypeInfo& info, uint64_t off);
  Status check_annotated(const ParsedName& n, const EntityType& ty, const NameContext& names,
                         uint64_t off);
  Status instance(const InstanceDef& d);
  Result<EntityType> sort_entity(const SortIndex& s, uint64_t off);
  Result<uint32_t> finish(Scope& s, uint64_t off);
  Status start(const StartDef& s);

  // validator_canon.cc
  Status canon(const CanonDef& c);
  Result<CanonOptions> check_options(const std::vector<CanonOption>& opts, uint64_t off);
  Result<FuncType> lower_signature(const FuncTy& ft, const CanonOptions& o, bool lift,
                                   uint64_t off);
  Status cabi_memory(uint32_t idx, uint64_t off);

  // Index space lookups with wasmparser's messages.
  Result<AnyTypeId> type_at(uint32_t i, uint64_t off) const;
  Result<uint32_t> defined_type_at(uint32_t i, uint64_t off) const;
  Result<uint32_t> func_type_at(uint32_t i, uint64_t off) const;
  Result<AnyTypeId> resource_at(uint32_t i, uint64_t off) const;
  Result<uint32_t> func_at(uint32_t i, uint64_t off) const;
  Result<uint32_t> instance_at(uint32_t i, uint64_t off) const;
  Result<uint32_t> component_at(uint32_t i, uint64_t off) const;
  Result<uint32_t> module_at(uint32_t i, uint64_t off) const;
  Result<uint32_t> core_instance_at(uint32_t i, uint64_t off) const;
  Result<uint32_t> core_func_at(uint32_t i, uint64_t off) const;
  Result<CoreTypeSlot> core_type_at(uint32_t i, uint64_t off) const;

  const FeatureSet& features_;
  TypeArena& t_;
  std::vector<Scope> scopes_;
};

} // namespace tandem::component
