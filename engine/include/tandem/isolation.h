// The isolation audit (public API): proves from provenance that a child
// component never reaches the real instance its parent virtualized for it.
//
// One IsolationAudit serves one script session (one Store). After each root
// instantiation the embedder calls attach(): the audit computes the static
// reach edges of the new instance graph and, when recording is on, hooks its
// ledger into the runtime's choke point (every crossing between component
// instances is then recorded with its chain of CIs and the current line).
// check() answers `assert_isolated CHILD (from REAL) (via VIRT)`;
// self_check() is the `auto` mode's engine self-test; the report functions
// render CIs, edges and the ledger as JSON objects and a Graphviz graph.
//
// Crossings made while a root is being instantiated (core start functions)
// precede attach() and are not in the ledger.
#pragma once

#include "tandem/component.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

namespace component {
class IsolationLedger;
}

class IsolationAudit {
public:
  IsolationAudit();
  ~IsolationAudit(); // detaches the ledger from every runtime still alive
  IsolationAudit(const IsolationAudit&) = delete;
  IsolationAudit& operator=(const IsolationAudit&) = delete;

  // Recording the ledger (affects roots attached afterwards and, when turned
  // on, those already attached).
  void set_recording(bool on);
  bool recording() const { return recording_; }
  // The script line charged to crossings recorded from now on.
  void set_line(uint32_t line);

  // Registers a freshly instantiated root component instance.
  void attach(const ComponentInstance& root);

  // An instance named in a directive: `$a/$b` (ids = {"a", "b"}) inside the
  // root, or a string naming a root import bound to a host instance.
  struct Name {
    bool host_import = false;
    std::vector<std::string> ids; // host_import: one element, the import name
  };
  // The failure reason, or nullopt when `child` is isolated from `real` by
  // `via`. use_ledger=false runs the static and live-handle checks only.
  std::optional<std::string> check(const ComponentInstance& root, const Name& child,
                                   const Name& real, const Name& via, bool use_ledger) const;

  // `auto` mode: ledger entries recorded since the previous call that match
  // no static adapter hop; the first is described, nullopt when all match.
  std::optional<std::string> self_check();

  // Test-only: forgets the static adapter hops of every attached root, so
  // that self_check() must report the next recorded crossing.
  void debug_forget_static_hops();

  // Report parts: one JSON object per CI, static edge and ledger entry of
  // every attached root (with "file" set to `file`).
  void report_json(std::string_view file, std::vector<std::string>& cis,
                   std::vector<std::string>& edges, std::vector<std::string>& ledger) const;
  // Graphviz `subgraph "cluster_FILE#N:"` blocks (one per root) for a
  // digraph; node ids are "FILE#N:ID", unique across files.
  std::string report_dot(std::string_view file) const;

  // "/a/b" or "host:name" as written in messages.
  static std::string describe(const Name& n);

private:
  struct Root;
  const Root* find_root(const ComponentInstance& ci) const;
  bool recording_ = false;
  uint32_t line_ = 0;
  size_t checked_ = 0;
  std::unique_ptr<component::IsolationLedger> ledger_;
  std::vector<std::unique_ptr<Root>> roots_;
};

} // namespace tandem
