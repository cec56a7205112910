// Counting of directive outcomes and the application of expected failures.
#include "outcome.h"

namespace tandem::harness {

void Counts::add(Outcome o) {
  switch (o) {
  case Outcome::Passed: ++passed; break;
  case Outcome::Failed: ++failed; break;
  case Outcome::Skipped: ++skipped; break;
  case Outcome::XFail:
    ++skipped;
    ++xfail;
    break;
  case Outcome::XPass:
    ++failed;
    ++xpass;
    break;
  }
}

Counts& Counts::operator+=(const Counts& o) {
  passed += o.passed;
  failed += o.failed;
  skipped += o.skipped;
  xfail += o.xfail;
  xpass += o.xpass;
  return *this;
}

Counts FileOutcome::counts() const {
  Counts c;
  for (const auto& d : directives) c.add(d.outcome);
  return c;
}

const char* outcome_name(Outcome o) {
  switch (o) {
  case Outcome::Passed: return "passed";
  case Outcome::Failed: return "failed";
  case Outcome::Skipped: return "skipped";
  case Outcome::XFail: return "xfail";
  case Outcome::XPass: return "xpass";
  }
  return "?";
}

void apply_expected_failures(FileOutcome& file, const std::vector<ExpectedFailure>& entries) {
  if (entries.empty()) return;
  const ExpectedFailure* whole_file = nullptr;
  for (const auto& e : entries)
    if (!e.line && !whole_file) whole_file = &e;

  bool any_failure = false;
  for (auto& d : file.directives) {
    if (d.outcome != Outcome::Failed) continue;
    any_failure = true;
    for (const auto& e : entries) {
      if (e.line && *e.line == d.line) {
        d.outcome = Outcome::XFail;
        d.listed_reason = e.reason;
        break;
      }
    }
    if (d.outcome == Outcome::Failed && whole_file) {
      d.outcome = Outcome::XFail;
      d.listed_reason = whole_file->reason;
    }
  }

  for (const auto& e : entries) {
    if (!e.line) continue;
    bool seen = false;
    for (auto& d : file.directives) {
      if (d.line != *e.line) continue;
      seen = true;
      if (d.outcome == Outcome::Passed) {
        d.outcome = Outcome::XPass;
        d.message = "listed as an expected failure (" + e.reason + ") but it passed";
      }
    }
    if (!seen && !file.aborted)
      file.warnings.push_back("expected-failure entry '" + e.path + ":" + std::to_string(*e.line) +
                              "' (list line " + std::to_string(e.list_line) +
                              ") matches no directive");
  }
  bool any_pass = false;
  for (const auto& d : file.directives) any_pass |= d.outcome == Outcome::Passed;
  if (whole_file && !any_failure && any_pass) {
    DirectiveOutcome d;
    d.line = 0;
    d.directive = "file";
    d.outcome = Outcome::XPass;
    d.message =
        "listed as an expected failure (" + whole_file->reason + ") but no directive failed";
    file.directives.push_back(std::move(d));
  }
}

} // namespace tandem::harness
