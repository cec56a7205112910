// The engine-facing state of one running script: its Engine and Store, the
// registry of importable names (spectest plus every `register`), named modules
// and instances, and the current instance. The script runner (AST side) calls
// this layer; it knows nothing about script syntax.
//
// Skips: a binding may stand for a module that was skipped (unsupported
// feature, component) or that failed; anything that depends on it reports
// that reason instead of running (`Binding::unavailable`).
#pragma once

#include "differential_compare.h"
#include "spectest_host.h"
#include "tandem/tandem.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
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

  Result<Module> compile(std::span<const uint8_t> bytes);

  // Resolves the imports of `module` against the registry and instantiates
  // it. Missing names are Unlinkable "unknown import", kind mismatches
  // "incompatible import type"; imports of unavailable registrations skip,
  // and so does an Unsupported error from the engine (also in invoke).
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

  // Differential execution: every engine-visible outcome (compile,
  // instantiate, invoke, get) is appended to an observation log in a
  // canonical spelling, so two sessions on different tiers can be compared
  // directive by directive.
  std::vector<Observation> take_observations() { return std::exchange(observations_, {}); }
  // Appends an observation spelled by the caller (the component runner).
  void observe(const std::string& what);
  // A digest of the current instance's exported state, one entry per export:
  // global values, memory sizes and content hashes, table sizes. Empty when
  // there is no instance.
  std::vector<Observation> state_digest();

private:
  void observe_result(const Result<std::vector<Value>>& r);
  Observation observe_values(std::span<const Value> values);

  Engine engine_;
  std::unique_ptr<Store> store_;
  std::map<std::string, ImportSource, std::less<>> registry_;
  std::map<std::string, ModuleBinding, std::less<>> modules_;
  std::map<std::string, InstanceBinding, std::less<>> instances_;
  std::optional<InstanceBinding> current_;
  std::optional<ModuleBinding> last_module_;
  std::vector<Observation> observations_;
};

} // namespace tandem::harness
