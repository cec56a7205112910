// Parsing and lookup of expected-failure lists (format in expected_failures.h).
#include "expected_failures.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tandem::harness {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string normalise(std::string_view p) {
  return std::filesystem::path(std::string(p)).lexically_normal().generic_string();
}

std::optional<TierChoice> tier_by_name(std::string_view s) {
  if (s == "interp") return TierChoice::Interp;
  if (s == "jit") return TierChoice::Jit;
  if (s == "tiered") return TierChoice::Tiered;
  return std::nullopt;
}

} // namespace

bool path_matches(std::string_view entry, std::string_view path) {
  std::string e = normalise(entry);
  std::string p = normalise(path);
  if (e.empty()) return false;
  if (e == p) return true;
  if (p.size() <= e.size() || !std::string_view(p).ends_with(e)) return false;
  return p[p.size() - e.size() - 1] == '/';
}

Result<ExpectedFailureList> ExpectedFailureList::parse(std::string_view text,
                                                       std::string_view list_name) {
  ExpectedFailureList list;
  uint32_t line_no = 0;
  auto fail = [&](const std::string& msg) {
    return Error::make(ErrorKind::Usage,
                       std::string(list_name) + ":" + std::to_string(line_no) + ": " + msg);
  };
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;

    size_t sep = line.find(" -- ");
    std::string_view head, reason;
    if (sep == std::string_view::npos) {
      if (line.ends_with(" --")) return fail("missing reason after '--'");
      return fail("expected 'PATH[:LINE] [TIER[,TIER...]] -- reason'");
    }
    head = trim(line.substr(0, sep));
    reason = trim(line.substr(sep + 4));
    if (reason.empty()) return fail("missing reason after '--'");

    ExpectedFailure entry;
    entry.reason = std::string(reason);
    entry.list_line = line_no;
    // head := PATH[:LINE] [TIER]
    std::string_view path_part = head, tier_part;
    if (size_t sp = head.find_first_of(" \t"); sp != std::string_view::npos) {
      path_part = head.substr(0, sp);
      tier_part = trim(head.substr(sp));
      if (tier_part.find_first_of(" \t") != std::string_view::npos)
        return fail("too many words before '--' (expected PATH[:LINE] [TIER[,TIER...]])");
    }
    if (size_t colon = path_part.rfind(':'); colon != std::string_view::npos) {
      std::string_view num = path_part.substr(colon + 1);
      uint32_t v = 0;
      auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
      if (num.empty() || ec != std::errc() || p != num.data() + num.size() || v == 0)
        return fail("bad line number '" + std::string(num) + "'");
      entry.line = v;
      path_part = path_part.substr(0, colon);
    }
    if (path_part.empty()) return fail("missing PATH");
    entry.path = std::string(path_part);
    for (bool more = !tier_part.empty(); more;) {
      size_t comma = tier_part.find(',');
      std::string_view name = tier_part.substr(0, comma);
      std::optional<TierChoice> tier = tier_by_name(name);
      if (!tier)
        return fail("unknown tier '" + std::string(name) + "' (expected interp, jit or tiered)");
      entry.tiers |= uint8_t(1u << unsigned(*tier));
      more = comma != std::string_view::npos;
      if (more) tier_part = tier_part.substr(comma + 1);
    }
    list.entries_.push_back(std::move(entry));
  }
  return list;
}

Result<ExpectedFailureList> ExpectedFailureList::load(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error::make(ErrorKind::Io, file + ": cannot read the expected-failures list");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), file);
}

std::vector<ExpectedFailure> ExpectedFailureList::for_file(std::string_view path,
                                                           TierChoice tier) const {
  std::vector<ExpectedFailure> out;
  for (const auto& e : entries_)
    if (e.applies_to(tier) && path_matches(e.path, path)) out.push_back(e);
  return out;
}

} // namespace tandem::harness
