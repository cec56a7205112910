// Outcomes of script directives and files, and the accounting rules of cli.md:
// xfail counts as skipped, xpass as failed. Expected-failure entries are
// applied to a file's outcomes after the file ran (apply_expected_failures).
#pragma once

#include "expected_failures.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::harness {

enum class Outcome : uint8_t { Passed, Failed, Skipped, XFail, XPass };

// One directive of a script (module, register, action or assertion).
struct DirectiveOutcome {
  uint32_t line = 0;
  std::string directive; // "assert_return", "module", ...
  Outcome outcome = Outcome::Passed;
  std::string message;       // failure text, or skip reason; empty for passes
  std::string listed_reason; // XFail: the reason given in the expected-failures list
};

inline DirectiveOutcome make_outcome(uint32_t line, std::string directive, Outcome outcome,
                                     std::string message) {
  DirectiveOutcome d;
  d.line = line;
  d.directive = std::move(directive);
  d.outcome = outcome;
  d.message = std::move(message);
  return d;
}

struct Counts {
  uint64_t passed = 0;
  uint64_t failed = 0;  // includes xpass
  uint64_t skipped = 0; // includes xfail
  uint64_t xfail = 0;
  uint64_t xpass = 0;
  void add(Outcome o);
  Counts& operator+=(const Counts& o);
};

struct FileOutcome {
  std::string path;
  std::string list_path; // see ScriptFile::list_path
  std::vector<DirectiveOutcome> directives;
  // Set when the file could not run to its end (unreadable, a script parse
  // error, a text module that failed to encode): that failure is one entry of
  // `directives`, and the directives after it did not run.
  bool aborted = false;
  bool unreadable = false; // the file itself could not be read (exit status 2)
  // Notes for the user that are neither failures nor skips (e.g. stale
  // expected-failure entries).
  std::vector<std::string> warnings;
  // --isolation-report: JSON objects (one per CI, static edge, ledger entry)
  // and Graphviz cluster blocks of this file's audit.
  std::vector<std::string> isolation_cis, isolation_edges, isolation_ledger;
  std::string isolation_dot;
  double seconds = 0;
  Counts counts() const;
};

// Turns listed failures into XFail and listed passes into XPass. A whole-file
// entry turns every failure into XFail; if the file had no failure at all it
// adds one XPass outcome. Line entries that match no directive become warnings.
void apply_expected_failures(FileOutcome& file, const std::vector<ExpectedFailure>& entries);

const char* outcome_name(Outcome o);

} // namespace tandem::harness
