// Parsing and comparison of reference-engine output (see difffuzz_reference.h).
#include "fuzz/difffuzz_reference.h"

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace tandem::difffuzz {
namespace {

bool starts_with(const std::string& s, std::string_view p) {
  return s.compare(0, p.size(), p) == 0;
}

std::vector<std::string> split_spaces(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

bool parse_i64(const std::string& s, int64_t& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  if (s[0] == '-') {
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno || *end) return false;
    out = v;
    return true;
  }
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (errno || *end) return false;
  out = int64_t(v);
  return true;
}

bool float_bits_nan(uint64_t bits, bool f64) {
  return f64 ? (bits & 0x7ff0000000000000ull) == 0x7ff0000000000000ull &&
                   (bits & 0xfffffffffffffull) != 0
             : (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x7fffffu) != 0;
}

// One scalar token against a value.
bool scalar_matches(const Value& v, const std::string& tok) {
  switch (v.type().kind()) {
  case ValKind::I32: {
    int64_t x;
    return parse_i64(tok, x) && (uint32_t(x) == v.i32()) && x >= INT32_MIN && x <= UINT32_MAX;
  }
  case ValKind::I64: {
    int64_t x;
    return parse_i64(tok, x) && uint64_t(x) == v.i64();
  }
  case ValKind::F32:
  case ValKind::F64: {
    bool f64 = v.type().kind() == ValKind::F64;
    uint64_t bits = f64 ? v.f64_bits() : v.f32_bits();
    bool tok_nan = tok.find("nan") != std::string::npos || tok.find("NaN") != std::string::npos;
    if (float_bits_nan(bits, f64)) return tok_nan;
    if (tok_nan) return false;
    char* end = nullptr;
    double d = std::strtod(tok.c_str(), &end);
    if (end == tok.c_str()) return false;
    double want;
    if (f64) {
      std::memcpy(&want, &bits, 8);
    } else {
      uint32_t b = uint32_t(bits);
      float f;
      std::memcpy(&f, &b, 4);
      want = f;
      if (float(d) == f) return true; // printed with float precision
    }
    return d == want; // +0 == -0: node prints -0 as 0
  }
  default: return false;
  }
}

// The tokens a value takes in a logging line / result: i64 logs are "low
// high", v128 is "i32x4 W0 W1 W2 W3".
size_t tokens_of(const Value& v, bool log) {
  if (v.type().kind() == ValKind::V128) return 5;
  if (log && v.type().kind() == ValKind::I64) return 2;
  return 1;
}

// Two vectors agree when equal, or when in one float view (f32x4 or f64x2)
// every lane is equal or NaN on both sides: NaN signs and payloads are the
// engines' choice (binaryen makes positive NaNs, x86 negative ones).
bool v128_matches(const uint8_t* a, const uint8_t* b) {
  if (std::memcmp(a, b, 16) == 0) return true;
  for (unsigned bytes : {4u, 8u}) {
    bool all = true;
    for (unsigned i = 0; all && i < 16 / bytes; ++i) {
      uint64_t x = 0, y = 0;
      std::memcpy(&x, a + i * bytes, bytes);
      std::memcpy(&y, b + i * bytes, bytes);
      all = x == y || (float_bits_nan(x, bytes == 8) && float_bits_nan(y, bytes == 8));
    }
    if (all) return true;
  }
  return false;
}

bool value_matches(const Value& v, const std::vector<std::string>& toks, size_t at, bool log) {
  if (v.type().kind() == ValKind::V128) {
    if (toks[at] != "i32x4") return false;
    uint8_t ref[16];
    for (int i = 0; i < 4; ++i) {
      uint32_t w = uint32_t(std::strtoull(toks[at + 1 + i].c_str(), nullptr, 16));
      std::memcpy(ref + 4 * i, &w, 4);
    }
    return v128_matches(v.v128().bytes, ref);
  }
  if (log && v.type().kind() == ValKind::I64) {
    int64_t lo, hi;
    return parse_i64(toks[at], lo) && parse_i64(toks[at + 1], hi) &&
           uint32_t(lo) == uint32_t(v.i64()) && uint32_t(hi) == uint32_t(v.i64() >> 32);
  }
  return scalar_matches(v, toks[at]);
}

bool values_match(const std::vector<Value>& vs, const std::vector<std::string>& toks, bool log) {
  size_t at = 0;
  for (const Value& v : vs) {
    size_t n = tokens_of(v, log);
    if (at + n > toks.size() || !value_matches(v, toks, at, log)) return false;
    at += n;
  }
  return at == toks.size();
}

// "(a, b, i32x4 w w w w)" or "a": tokens of the values.
std::vector<std::string> result_tokens(std::string text, size_t count) {
  if (count > 1 && text.size() >= 2 && text.front() == '(' && text.back() == ')')
    text = text.substr(1, text.size() - 2);
  for (char& ch : text)
    if (ch == ',') ch = ' ';
  return split_spaces(text);
}

std::string logs_spelled(const std::vector<std::string>& logs) {
  std::string s;
  for (const std::string& l : logs) s += " [" + l + "]";
  return s.empty() ? " (no logs)" : s;
}

std::string tandem_spelled(const Call& c) {
  std::string s = c.name + ":";
  if (c.ok) {
    for (const Value& v : c.results) s += " " + value_text(v);
  } else {
    s += " " + std::string(error_kind_name(c.error_kind)) + " " + c.message;
  }
  s += " | logs";
  for (const LogCall& l : c.logs) {
    s += " [" + l.import;
    for (const Value& v : l.args) s += " " + value_text(v);
    s += "]";
  }
  return s;
}

std::string ref_spelled(const RefCall& r) {
  std::string s = r.name + ":";
  if (r.trap) s += " trap";
  if (r.result) s += " " + *r.result;
  return s + " | logs" + logs_spelled(r.logs);
}

} // namespace

RefOutput parse_reference_output(const std::string& text) {
  RefOutput out;
  std::istringstream in(text);
  RefCall* cur = nullptr;
  bool in_reset = false; // inside hangLimitInitializer's own record
  for (std::string line; std::getline(in, line);) {
    static constexpr std::string_view kCalling = "[fuzz-exec] calling ";
    static constexpr std::string_view kLog = "[LoggingExternalInterface logging";
    static constexpr std::string_view kResult = "[fuzz-exec] note result: ";
    if (starts_with(line, kCalling)) {
      std::string name = line.substr(kCalling.size());
      in_reset = name == "hangLimitInitializer";
      if (in_reset) {
        cur = nullptr;
        continue;
      }
      out.calls.push_back(RefCall{name});
      cur = &out.calls.back();
    } else if (in_reset) {
      continue;
    } else if (starts_with(line, kLog)) {
      std::string args = line.substr(kLog.size());
      if (!args.empty() && args.back() == ']') args.pop_back();
      if (!args.empty() && args.front() == ' ') args.erase(0, 1);
      (cur ? cur->logs : out.start_logs).push_back(args);
    } else if (starts_with(line, kResult) && cur) {
      size_t arrow = line.find(" => ");
      if (arrow != std::string::npos) cur->result = line.substr(arrow + 4);
    } else if (starts_with(line, "[trap") && cur) {
      cur->trap = true;
    } else if (starts_with(line, "[host limit") || starts_with(line, "[exception")) {
      if (cur)
        cur->host_limit = true;
      else {
        out.calls.push_back(RefCall{"(setup)"});
        out.calls.back().host_limit = true;
      }
    } else if (starts_with(line, "[skip]") && cur) {
      cur->skipped = true;
    }
  }
  return out;
}

std::string compare_with_reference(const Trace& t, const RefOutput& ref,
                                   const std::string& ref_name, size_t* calls_compared) {
  if (!t.instantiated) return "";
  if (!ref.calls.empty() && ref.calls.front().name == "(setup)") return "";
  if (t.start_logs.size() != ref.start_logs.size())
    return "start function logs differ: tandem " + std::to_string(t.start_logs.size()) + ", " +
           ref_name + " " + std::to_string(ref.start_logs.size()) + "\n";
  size_t n = std::min(t.calls.size(), ref.calls.size());
  for (size_t i = 0; i < n; ++i) {
    const Call& c = t.calls[i];
    const RefCall& r = ref.calls[i];
    if (c.ends_case || r.host_limit || r.skipped) return "";
    if (c.name != r.name)
      return "export order differs: tandem calls " + c.name + ", " + ref_name + " calls " + r.name +
             "\n";
    bool same = c.logs.size() == r.logs.size();
    for (size_t k = 0; same && k < c.logs.size(); ++k)
      same = values_match(c.logs[k].args, split_spaces(r.logs[k]), true);
    bool trapped = !c.ok && c.error_kind == ErrorKind::Trap;
    if (same) same = trapped == r.trap;
    if (same && !c.ok && !trapped) same = false; // another error kind: never expected here
    if (same && c.ok) {
      if (c.results.empty())
        same = !r.result.has_value();
      else
        same =
            r.result && values_match(c.results, result_tokens(*r.result, c.results.size()), false);
    }
    if (!same)
      return "tandem: " + tandem_spelled(c) + "\n" + ref_name + ": " + ref_spelled(r) + "\n";
    if (calls_compared) ++*calls_compared;
  }
  return "";
}

} // namespace tandem::difffuzz
