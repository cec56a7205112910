// The engine-facing state of one running script: its Engine and Store, the
// registry of importable names (spectest plus every `register`), named modules
// and instances, and the current instance. The script runner (AST side) calls
// this layer; it knows nothing about script syntax.
//
// Skips: a binding may stand for a module that was skipped (unsupported
// feature, component) or that failed; anything that depends on it reports
// that reason instead of running (`Binding::unavailable`).
#pragma once

#include "spectest_host.h"
#include "tandem/tandem.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tandem::harness {

// Why a dependent directive cannot run.
struct Unavailable {
  bool failed = false; // true: the module failed; false: it was skipped
  std::string reason;
};

struct ModuleBinding {
  std::optional<Module> module;
  std::optional<Unavailable> unavailable;
};

struct InstanceBinding {
  std::optional<Instance> instance;
  std::optional<Unavailable> unavailable;
};

// The outcome of running an action (invoke or get) or an instantiation.
struct ActionOutcome {
  std::optional<Unavailable> unavailable; // set: the action did not run
  Result<std::vector<Value>> result = std::vector<Value>{};
};

class ScriptSession {
public:
  explicit ScriptSession(const EngineConfig& config);
  ScriptSession(const ScriptSession&) = delete;
  ScriptSession& operator=(const ScriptSession&) = delete;

  Store& store() { return *store_; }
  const Engine& engine() const { return engine_; }

  Result<Module> compile(std::span<const uint8_t> bytes) const;

  // Resolves the imports of `module` against the registry and instantiates
  // it. Missing names are Unlinkable "unknown import", kind mismatches
  // "incompatible import type"; imports of unavailable registrations skip.
  ActionOutcome instantiate(const Module& module, Instance* out);

  // Bindings. A name is stored without its `$`; re-binding shadows.
  void bind_module(const std::string& name, ModuleBinding b);
  void bind_instance(const std::string& name, InstanceBinding b);
  void set_current(InstanceBinding b) { current_ = std::move(b); }
  void set_last_module(ModuleBinding b) { last_module_ = std::move(b); }

  // Lookups return nullptr when there is no such binding.
  const ModuleBinding* find_module(const std::optional<std::string>& name) const;
  const InstanceBinding* find_instance(const std::optional<std::string>& name) const;

  // `register "as" $name?`: makes the instance's exports importable.
  Status register_instance(const std::string& as_name, const InstanceBinding& b);

  // Actions on an instance binding.
  ActionOutcome invoke(const InstanceBinding& b, std::string_view export_name,
                       std::span<const Value> args);
  ActionOutcome get(const InstanceBinding& b, std::string_view export_name);

private:
  Engine engine_;
  std::unique_ptr<Store> store_;
  std::map<std::string, ImportSource, std::less<>> registry_;
  std::map<std::string, ModuleBinding, std::less<>> modules_;
  std::map<std::string, InstanceBinding, std::less<>> instances_;
  std::optional<InstanceBinding> current_;
  std::optional<ModuleBinding> last_module_;
};

} // namespace tandem::harness
