// The three isolation checks behind `assert_isolated CHILD (from REAL) (via
// VIRT)` (wording: /work/notes/isolation-spec.md, docs/architecture.md):
//   1. static: a path of reach edges from CHILD's subtree into REAL's subtree
//      that enters no CI of VIRT's subtree;
//   2. ledger: a recorded crossing into REAL's subtree whose chain has no
//      VIRT frame (pass-through frames do not count) after the last CHILD
//      frame; crossings that start at the host with no CHILD frame pass;
//   3. handles: CHILD's subtree holds (now) or received (ledger) a handle of
//      a resource type defined in REAL's subtree.
// Each returns the failure reason, or nullopt when the check passes.
#pragma once

#include "component/isolation_ledger.h"
#include "component/isolation_reach.h"

#include <optional>
#include <span>
#include <string>

namespace tandem::component {

struct IsolationQuery {
  const CompInst* child = nullptr;
  const CompInst* real = nullptr;
  const CompInst* via = nullptr;
};

std::optional<std::string> check_static(const ComponentRuntime& rt, const ReachGraph& g,
                                        const IsolationQuery& q);
// `entries`: the ledger entries of this runtime (LedgerEntry::root matches).
std::optional<std::string> check_ledger(const ComponentRuntime& rt,
                                        std::span<const LedgerEntry* const> entries,
                                        const IsolationQuery& q);
std::optional<std::string> check_handles(const ComponentRuntime& rt,
                                         std::span<const LedgerEntry* const> entries,
                                         const IsolationQuery& q);

// "/a,/b(pass-through),/c": a chain with CI paths.
std::string format_chain(const ComponentRuntime& rt, const std::vector<uint32_t>& chain);
// The CI's path ("?" for an unknown id).
std::string ci_path(const ComponentRuntime& rt, int64_t id);

} // namespace tandem::component
