// `assert_isolated CHILD (from REAL) (via VIRTUALIZER)` and its annotation
// form `(@isolation ...)`: runs the isolation audit's checks
// (tandem/isolation.h) on the current root component instance. The wording
// of failures is the contract in docs/architecture.md ("the isolation
// audit"): static edge, ledger, handle and name errors, each naming CI paths.
#include "component_runner.h"

namespace tandem::harness {
namespace {

IsolationAudit::Name to_name(const wast::InstanceName& n) {
  IsolationAudit::Name out;
  out.host_import = n.host_import;
  out.ids = n.ids;
  return out;
}

} // namespace

DirectiveOutcome ComponentSession::assert_isolated(const wast::Command& c) {
  if (!current_is_component_)
    return make_outcome(0, "", Outcome::Failed, "no component instance to audit");
  if (!current_.instance)
    return make_outcome(0, "", Outcome::Skipped, current_.unavailable.value_or("not run"));
  if (!audit_) return make_outcome(0, "", Outcome::Failed, "the isolation audit is not enabled");
  const wast::IsolationCheck& q = c.isolation;
  auto reason = audit_->check(*current_.instance, to_name(q.child), to_name(q.real), to_name(q.via),
                              use_ledger_);
  if (reason) return make_outcome(0, "", Outcome::Failed, *reason);
  return make_outcome(0, "", Outcome::Passed, "");
}

} // namespace tandem::harness
