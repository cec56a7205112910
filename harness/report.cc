// JSON rendering of a run. Strings are escaped byte-wise: bytes that are not
// valid UTF-8 (possible in names from a script) are written as \u00XX so the
// report is always valid JSON.
#include "report.h"

#include "base/byte_reader.h"

#include <cstdio>

namespace tandem::harness {
namespace {

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

void append_counts(std::string& out, const Counts& c, bool with_x) {
  out += "\"passed\": " + std::to_string(c.passed) + ", \"failed\": " + std::to_string(c.failed) +
         ", \"skipped\": " + std::to_string(c.skipped);
  if (with_x)
    out += ", \"xfail\": " + std::to_string(c.xfail) + ", \"xpass\": " + std::to_string(c.xpass);
}

} // namespace

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  bool utf8 = is_valid_utf8(s);
  for (unsigned char c : s) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8)) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += char(c);
      }
    }
  }
  return out;
}

std::string render_json_report(const RunSummary& run) {
  std::string out =
      "{\n  \"tandem\": \"" TANDEM_VERSION_STRING "\",\n  \"tier\": \"" + json_escape(run.tier) +
      "\",\n  \"differential\": " + (run.differential ? "true" : "false") + ",\n  \"files\": [";
  Counts totals;
  bool first_file = true;
  for (const auto& f : run.files) {
    Counts c = f.counts();
    totals += c;
    out += first_file ? "\n" : ",\n";
    first_file = false;
    out += "    { \"path\": \"" + json_escape(f.path) + "\", ";
    append_counts(out, c, false);
    out += ", \"seconds\": " + seconds_text(f.seconds) + ",\n      \"failures\": [";
    bool first = true;
    for (const auto& d : f.directives) {
      if (d.outcome != Outcome::Failed && d.outcome != Outcome::XPass) continue;
      out += first ? "\n" : ",\n";
      first = false;
      out += "        { \"line\": " + std::to_string(d.line) + ", \"directive\": \"" +
             json_escape(d.directive) + "\", \"message\": \"" + json_escape(d.message) + "\" }";
    }
    out += first ? "] }" : "\n      ] }";
  }
  out += first_file ? "],\n" : "\n  ],\n";
  out += "  \"totals\": { ";
  append_counts(out, totals, true);
  out += ", \"seconds\": " + seconds_text(run.seconds) + " }\n}\n";
  return out;
}

} // namespace tandem::harness
