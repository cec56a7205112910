// The --isolation-report writer (isolation_report.h). The per-file parts are
// already JSON objects and DOT statements; this only joins them.
#include "isolation_report.h"

#include <fstream>

namespace tandem::harness {
namespace {

void append_array(std::string& out, const char* name, const RunSummary& run,
                  std::vector<std::string> FileOutcome::*field) {
  out += "  \"";
  out += name;
  out += "\": [";
  bool first = true;
  for (const FileOutcome& f : run.files)
    for (const std::string& o : f.*field) {
      out += first ? "\n    " : ",\n    ";
      out += o;
      first = false;
    }
  out += first ? "]" : "\n  ]";
}

} // namespace

std::string render_isolation_json(const RunSummary& run) {
  std::string out = "{\n";
  append_array(out, "cis", run, &FileOutcome::isolation_cis);
  out += ",\n";
  append_array(out, "edges", run, &FileOutcome::isolation_edges);
  out += ",\n";
  append_array(out, "ledger", run, &FileOutcome::isolation_ledger);
  out += "\n}\n";
  return out;
}

std::string render_isolation_dot(const RunSummary& run) {
  std::string out = "digraph isolation {\n  rankdir=LR;\n  node [shape=ellipse];\n";
  for (const FileOutcome& f : run.files) out += f.isolation_dot;
  out += "}\n";
  return out;
}

bool write_isolation_report(const RunSummary& run, const std::string& path) {
  std::ofstream json(path, std::ios::binary);
  json << render_isolation_json(run);
  std::ofstream dot(path + ".dot", std::ios::binary);
  dot << render_isolation_dot(run);
  return bool(json) && bool(dot);
}

} // namespace tandem::harness
