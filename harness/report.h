// The JSON report of `tandem wast --report FILE` (schema in docs/cli.md):
// { "tandem", "tier", "differential", "files": [...], "totals": {...} }.
// Failures listed per file are the Failed and XPass outcomes.
#pragma once

#include "outcome.h"

#include <string>
#include <string_view>
#include <vector>

namespace tandem::harness {

struct RunSummary {
  std::string tier;
  bool differential = false;
  std::vector<FileOutcome> files;
  double seconds = 0;
};

std::string json_escape(std::string_view s);
std::string render_json_report(const RunSummary& run);

} // namespace tandem::harness
