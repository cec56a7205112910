// The Component Model part of the .wast runner (docs/wast-script-language.md
// sections 3.2, 8, 9, 11): component modules (text, binary, quote,
// definition, instance), assertions on components, and actions on component
// instances with component values.
//
// One ComponentSession sits next to each ScriptSession (same Engine and
// Store). Component instances and definitions have their own bindings; the
// "current instance" is a component after a component instantiation and a
// core instance after a core one (the core runner calls clear_current).
#pragma once

#include "component_host.h"
#include "host_fs.h"
#include "outcome.h"
#include "script_session.h"
#include "tandem/component.h"
#include "tandem/isolation.h"
#include "wast/script.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tandem::harness {

class ComponentSession {
public:
  explicit ComponentSession(ScriptSession& session) : s_(session) {}

  // Directives whose module is a component (Command::module.kind == Component).
  DirectiveOutcome module(const wast::Script& script, const wast::Command& c);
  DirectiveOutcome assert_invalid(const wast::Script& script, const wast::Command& c);
  DirectiveOutcome assert_malformed(const wast::Script& script, const wast::Command& c);
  DirectiveOutcome assert_instantiation(const wast::Script& script, const wast::Command& c,
                                        bool trap);

  // True when the action targets a component instance.
  bool handles(const wast::Action& a) const;
  DirectiveOutcome action(const wast::Command& c);
  DirectiveOutcome assert_return(const wast::Command& c);
  DirectiveOutcome assert_trap(const wast::Command& c);

  void clear_current() { current_is_component_ = false; }

  // The isolation audit (component_isolation.cc): every root instantiated
  // from now on is attached to `audit`; `use_ledger` selects whether
  // assert_isolated consults the ledger (false under --isolation=off).
  void set_audit(IsolationAudit* audit, bool use_ledger) {
    audit_ = audit;
    use_ledger_ = use_ledger;
  }
  // `assert_isolated` / `(@isolation ...)` on the current component instance.
  DirectiveOutcome assert_isolated(const wast::Command& c);

private:
  struct Compiled {
    std::optional<Component> component;
    std::optional<Error> error;
    bool text_error = false;
    std::optional<std::string> skip;
  };
  struct Binding {
    std::optional<ComponentInstance> instance;
    std::optional<std::string> unavailable; // skip or failure reason
    bool failed = false;
  };
  Compiled obtain(const wast::Script& script, const wast::ModuleSource& m);
  const Binding* find(const std::optional<std::string>& name) const;
  void bind(const std::optional<std::string>& name, Binding b);
  struct CallOutcome {
    std::optional<DirectiveOutcome> not_run;
    Result<std::vector<ComponentValue>> result = std::vector<ComponentValue>{};
  };
  CallOutcome call(const wast::Action& a);
  // Instantiates with wasmtime's host items (component_host.h) as imports.
  Result<ComponentInstance> instantiate(const Component& c);

  ScriptSession& s_;
  std::map<std::string, Binding, std::less<>> instances_;
  std::map<std::string, std::optional<Component>, std::less<>> definitions_;
  std::optional<Component> last_definition_;
  Binding current_;
  bool current_is_component_ = false;
  IsolationAudit* audit_ = nullptr;
  bool use_ledger_ = true;
  std::shared_ptr<WasmtimeHostState> host_state_ = std::make_shared<WasmtimeHostState>();
  // The root imports of every component: wasmtime's host items, HostFs and
  // the reflections of named instances (their latest binding).
  std::optional<HostInstance> host_;
  HostFs host_fs_; // issue 7's host "real filesystem" under "wasi:filesystem/types"
};

} // namespace tandem::harness
