// Extern-name parsing, kebab-case checks, semver and strong uniqueness
// (see names.h).
#include "component/names.h"

#include <cctype>
#include <string>

namespace tandem::component {
namespace {

bool is_lower_or_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_upper_or_digit(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_kebab_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

Error invalid(uint64_t offset, std::string msg) {
  return Error::invalid(offset, std::move(msg));
}

Error not_kebab(uint64_t offset, std::string_view s) {
  return invalid(offset, "`" + std::string(s) + "` is not in kebab case");
}

Status check_kebab(std::string_view s, uint64_t offset) {
  if (!is_kebab(s)) return not_kebab(offset, s);
  return {};
}

Status check_lower(std::string_view s, uint64_t offset) {
  TANDEM_TRY(check_kebab(s, offset));
  for (char c : s)
    if (c >= 'A' && c <= 'Z')
      return invalid(offset, std::string("character `") + c +
                                 "` is not lowercase in package name/namespace");
  return {};
}

// The `semver` crate's grammar and messages.
class SemverParser {
public:
  SemverParser(std::string_view s, uint64_t offset) : s_(s), offset_(offset) {}

  Status parse() {
    if (s_.empty()) return fail("empty string, expected a semver version");
    TANDEM_TRY(number("major version number"));
    TANDEM_TRY(dot("major version number"));
    TANDEM_TRY(number("minor version number"));
    TANDEM_TRY(dot("minor version number"));
    TANDEM_TRY(number("patch version number"));
    const char* pos = "patch version number";
    if (peek() == '-') {
      ++i_;
      TANDEM_TRY(identifiers("pre-release identifier", true));
      pos = "pre-release identifier";
    }
    if (peek() == '+') {
      ++i_;
      TANDEM_TRY(identifiers("build metadata", false));
      pos = "build metadata";
    }
    if (i_ < s_.size()) return unexpected_after(pos);
    return {};
  }

private:
  int peek() const { return i_ < s_.size() ? static_cast<unsigned char>(s_[i_]) : -1; }
  Error fail(std::string msg) const { return invalid(offset_, std::move(msg)); }
  std::string quoted(char c) const { return std::string("'") + c + "'"; }
  Error unexpected_after(const char* pos) const {
    return fail("unexpected character " + quoted(s_[i_]) + " after " + pos);
  }
  Status number(const char* pos) {
    if (i_ >= s_.size()) return fail(std::string("unexpected end of input while parsing ") + pos);
    if (!std::isdigit(static_cast<unsigned char>(s_[i_])))
      return fail("unexpected character " + quoted(s_[i_]) + " while parsing " + pos);
    size_t start = i_;
    unsigned __int128 v = 0;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
      v = v * 10 + unsigned(s_[i_] - '0');
      if (v > UINT64_MAX) return fail(std::string("value of ") + pos + " exceeds u64::MAX");
      ++i_;
    }
    if (s_[start] == '0' && i_ - start > 1)
      return fail(std::string("invalid leading zero in ") + pos);
    return {};
  }
  Status dot(const char* pos) {
    if (i_ >= s_.size()) return fail(std::string("unexpected end of input while parsing ") + pos);
    if (s_[i_] != '.') return unexpected_after(pos);
    ++i_;
    return {};
  }
  Status identifiers(const char* pos, bool numeric_leading_zero) {
    while (true) {
      size_t start = i_;
      bool all_digits = true;
      while (i_ < s_.size() && is_kebab_char(s_[i_])) {
        if (!std::isdigit(static_cast<unsigned char>(s_[i_]))) all_digits = false;
        ++i_;
      }
      if (i_ == start) {
        if (i_ < s_.size() && s_[i_] != '.' && s_[i_] != '+')
          return fail(std::string("unexpected character in ") + pos);
        return fail(std::string("empty identifier segment in ") + pos);
      }
      if (numeric_leading_zero && all_digits && s_[start] == '0' && i_ - start > 1)
        return fail(std::string("invalid leading zero in ") + pos);
      if (peek() != '.') return {};
      ++i_;
    }
  }

  std::string_view s_;
  uint64_t offset_;
  size_t i_ = 0;
};

} // namespace

bool is_kebab(std::string_view s) {
  if (s.empty()) return false;
  size_t i = 0;
  bool first = true;
  while (true) {
    size_t start = i;
    while (i < s.size() && s[i] != '-') ++i;
    std::string_view frag = s.substr(start, i - start);
    if (frag.empty()) return false;
    if (first && !std::isalpha(static_cast<unsigned char>(frag[0]))) return false;
    bool lower = true, upper = true;
    for (char c : frag) {
      lower = lower && is_lower_or_digit(c);
      upper = upper && is_upper_or_digit(c);
    }
    if (!lower && !upper) return false;
    first = false;
    if (i == s.size()) return true;
    ++i; // skip '-'
  }
}

bool is_lower_kebab(std::string_view s) {
  if (!is_kebab(s)) return false;
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return false;
  return true;
}

std::string ascii_lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return r;
}

Status parse_semver(std::string_view v, uint64_t offset) {
  return SemverParser(v, offset).parse();
}

Result<ParsedName> parse_extern_name(std::string_view name, uint64_t offset) {
  ParsedName n;
  n.raw = std::string(name);
  auto split_dot = [&](std::string_view rest) -> Status {
    size_t dot = rest.find('.');
    if (dot == std::string_view::npos) return invalid(offset, "failed to find `.` character");
    n.resource = std::string(rest.substr(0, dot));
    n.label = std::string(rest.substr(dot + 1));
    TANDEM_TRY(check_kebab(n.resource, offset));
    return check_kebab(n.label, offset);
  };
  constexpr std::string_view kCtor = "[constructor]", kMethod = "[method]", kStatic = "[static]";
  if (name.starts_with(kCtor)) {
    n.annotation = ParsedName::Annotation::Constructor;
    n.resource = std::string(name.substr(kCtor.size()));
    n.label = n.resource;
    TANDEM_TRY(check_kebab(n.resource, offset));
    return n;
  }
  if (name.starts_with(kMethod)) {
    n.annotation = ParsedName::Annotation::Method;
    TANDEM_TRY(split_dot(name.substr(kMethod.size())));
    return n;
  }
  if (name.starts_with(kStatic)) {
    n.annotation = ParsedName::Annotation::Static;
    TANDEM_TRY(split_dot(name.substr(kStatic.size())));
    return n;
  }
  if (name.find(':') != std::string_view::npos) {
    n.kind = ParsedName::Kind::Interface;
    size_t colon = name.find(':');
    n.ns = std::string(name.substr(0, colon));
    TANDEM_TRY(check_lower(n.ns, offset));
    size_t i = colon + 1;
    size_t start = i;
    while (i < name.size() && is_kebab_char(name[i])) ++i;
    n.package = std::string(name.substr(start, i - start));
    TANDEM_TRY(check_lower(n.package, offset));
    if (i >= name.size() || name[i] != '/')
      return invalid(offset, "expected `/` after package name");
    ++i;
    start = i;
    while (i < name.size() && is_kebab_char(name[i])) ++i;
    n.interface = std::string(name.substr(start, i - start));
    TANDEM_TRY(check_kebab(n.interface, offset));
    if (i < name.size() && name[i] == '@') {
      std::string_view version = name.substr(i + 1);
      TANDEM_TRY(parse_semver(version, offset));
      n.version = std::string(version);
      i = name.size();
    }
    if (i < name.size())
      return invalid(offset, "trailing characters found: `" + std::string(name.substr(i)) + "`");
    return n;
  }
  n.label = n.raw;
  TANDEM_TRY(check_kebab(name, offset));
  return n;
}

std::string unique_key(const ParsedName& n) {
  switch (n.annotation) {
  case ParsedName::Annotation::Constructor: return "[constructor]" + ascii_lower(n.resource);
  case ParsedName::Annotation::Method:
  case ParsedName::Annotation::Static: {
    std::string r = ascii_lower(n.resource), l = ascii_lower(n.label);
    if (r == l) return l;
    return r + "." + l;
  }
  case ParsedName::Annotation::None: break;
  }
  return ascii_lower(n.raw);
}

} // namespace tandem::component
