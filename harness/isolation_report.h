// --isolation-report FILE: merges the isolation audit parts of every file
// (FileOutcome::isolation_*) into FILE as JSON {"cis", "edges", "ledger"}
// and FILE.dot as one Graphviz digraph (a cluster per root component).
#pragma once

#include "report.h"

#include <string>

namespace tandem::harness {

std::string render_isolation_json(const RunSummary& run);
std::string render_isolation_dot(const RunSummary& run);
// Writes both files; false when either cannot be written.
bool write_isolation_report(const RunSummary& run, const std::string& path);

} // namespace tandem::harness
