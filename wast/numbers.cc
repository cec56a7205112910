// Numeric literal classification and conversion (see numbers.h).
// Integers are accumulated with explicit overflow tracking. Floats are
// converted by glibc's strtof_l/strtod_l in the C locale, which round
// correctly (nearest, ties to even) for decimal and hexadecimal input of any
// length; underscores are removed first. inf/nan forms are built directly as
// bit patterns.
#include "wast/numbers.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <locale.h>
#include <string>

namespace tandem::wast {
namespace {

bool is_digit(char c, bool hex) {
  if (c >= '0' && c <= '9') return true;
  return hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
}

unsigned digit_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
  return static_cast<unsigned>(c - 'A' + 10);
}

// Scans `digit ('_'? digit)*` at s[pos]; returns the end, or pos if none.
size_t scan_digits(std::string_view s, size_t pos, bool hex) {
  if (pos >= s.size() || !is_digit(s[pos], hex)) return pos;
  size_t i = pos + 1;
  while (i < s.size()) {
    if (is_digit(s[i], hex)) {
      ++i;
    } else if (s[i] == '_' && i + 1 < s.size() && is_digit(s[i + 1], hex)) {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

// Value of a digit string (underscores allowed); `overflow` set past 2^64-1.
uint64_t accumulate(std::string_view digits, bool hex, bool& overflow) {
  uint64_t v = 0;
  overflow = false;
  unsigned base = hex ? 16 : 10;
  for (char c : digits) {
    if (c == '_') continue;
    unsigned d = digit_value(c);
    if (v > (UINT64_MAX - d) / base) overflow = true;
    v = v * base + d;
  }
  return v;
}

Error out_of_range() {
  return Error::make(ErrorKind::Malformed, "constant out of range");
}
Error not_a_number() {
  return Error::make(ErrorKind::Malformed, "unexpected token");
}

struct Magnitude {
  bool negative = false;
  bool overflow = false;
  uint64_t value = 0;
};

// Parses a Nat/Int literal into sign and magnitude.
Result<Magnitude> magnitude(std::string_view text, bool allow_sign) {
  TokKind kind = classify_number(text);
  if (kind != TokKind::Nat && !(allow_sign && kind == TokKind::Int)) return not_a_number();
  Magnitude m;
  size_t p = 0;
  if (text[0] == '+' || text[0] == '-') {
    m.negative = text[0] == '-';
    p = 1;
  }
  bool hex = text.substr(p, 2) == "0x";
  if (hex) p += 2;
  m.value = accumulate(text.substr(p), hex, m.overflow);
  return m;
}

// The C locale (decimal point '.'); null if it cannot be created, in which
// case the process locale is used (the C locale unless someone changed it).
locale_t c_locale() {
  static locale_t loc = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
  return loc;
}

template <typename Bits> struct FloatTraits;
template <> struct FloatTraits<uint32_t> {
  static constexpr unsigned kMantissaBits = 23;
  static constexpr uint32_t kSignBit = 0x80000000u;
  static constexpr uint32_t kExpMask = 0x7f800000u;
};
template <> struct FloatTraits<uint64_t> {
  static constexpr unsigned kMantissaBits = 52;
  static constexpr uint64_t kSignBit = 0x8000000000000000ull;
  static constexpr uint64_t kExpMask = 0x7ff0000000000000ull;
};

template <typename Bits> Result<Bits> parse_float_bits(std::string_view text) {
  using T = FloatTraits<Bits>;
  if (text.empty() || classify_number(text) == TokKind::Reserved) return not_a_number();
  bool negative = text[0] == '-';
  std::string_view body = (text[0] == '+' || text[0] == '-') ? text.substr(1) : text;
  Bits sign = negative ? T::kSignBit : 0;
  if (body == "inf") return static_cast<Bits>(sign | T::kExpMask);
  if (body == "nan")
    return static_cast<Bits>(sign | T::kExpMask | (Bits{1} << (T::kMantissaBits - 1)));
  if (body.substr(0, 4) == "nan:") {
    bool overflow = false;
    uint64_t payload = accumulate(body.substr(6), true, overflow);
    if (overflow || payload == 0 || payload >= (uint64_t{1} << T::kMantissaBits))
      return out_of_range();
    return static_cast<Bits>(sign | T::kExpMask | static_cast<Bits>(payload));
  }
  std::string clean;
  clean.reserve(text.size());
  for (char c : text)
    if (c != '_') clean.push_back(c);
  char* end = nullptr;
  Bits bits;
  if constexpr (sizeof(Bits) == 4) {
    float f = c_locale() ? strtof_l(clean.c_str(), &end, c_locale()) : strtof(clean.c_str(), &end);
    std::memcpy(&bits, &f, sizeof bits);
  } else {
    double d = c_locale() ? strtod_l(clean.c_str(), &end, c_locale()) : strtod(clean.c_str(), &end);
    std::memcpy(&bits, &d, sizeof bits);
  }
  if (end != clean.c_str() + clean.size()) return not_a_number();
  if ((bits & ~T::kSignBit) == T::kExpMask) return out_of_range(); // rounded to infinity
  return bits;
}

template <typename T> Result<T> locate(Result<T> r, const Token& tok) {
  if (r.ok()) return r;
  Error e = std::move(r).error();
  e.line = tok.pos.line;
  e.column = tok.pos.column;
  e.offset = tok.offset;
  return e;
}

} // namespace

TokKind classify_number(std::string_view s) {
  if (s.empty()) return TokKind::Reserved;
  size_t p = 0;
  bool sign = false;
  if (s[0] == '+' || s[0] == '-') {
    sign = true;
    p = 1;
  }
  std::string_view rest = s.substr(p);
  if (rest == "inf" || rest == "nan") return TokKind::Float;
  if (rest.substr(0, 6) == "nan:0x") {
    size_t e = scan_digits(rest, 6, true);
    return (e > 6 && e == rest.size()) ? TokKind::Float : TokKind::Reserved;
  }
  bool hex = rest.substr(0, 2) == "0x";
  size_t i = hex ? 2 : 0;
  size_t e = scan_digits(rest, i, hex);
  if (e == i) return TokKind::Reserved;
  if (e == rest.size()) return sign ? TokKind::Int : TokKind::Nat;
  i = e;
  if (rest[i] == '.') {
    ++i;
    i = scan_digits(rest, i, hex);
  }
  if (i < rest.size()) {
    char x = rest[i];
    bool exp_char = hex ? (x == 'p' || x == 'P') : (x == 'e' || x == 'E');
    if (!exp_char) return TokKind::Reserved;
    ++i;
    if (i < rest.size() && (rest[i] == '+' || rest[i] == '-')) ++i;
    size_t d = scan_digits(rest, i, false);
    if (d == i) return TokKind::Reserved;
    i = d;
  }
  return i == rest.size() ? TokKind::Float : TokKind::Reserved;
}

Result<uint64_t> parse_uint(std::string_view text, unsigned bits) {
  TANDEM_ASSIGN(Magnitude m, magnitude(text, false));
  uint64_t max = bits >= 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  if (m.overflow || m.value > max) return out_of_range();
  return m.value;
}

Result<uint64_t> parse_int(std::string_view text, unsigned bits) {
  TANDEM_ASSIGN(Magnitude m, magnitude(text, true));
  uint64_t mask = bits >= 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  if (m.overflow) return out_of_range();
  if (m.negative) {
    uint64_t min_magnitude = uint64_t{1} << (bits - 1);
    if (m.value > min_magnitude) return out_of_range();
    return (~m.value + 1) & mask;
  }
  if (m.value > mask) return out_of_range();
  return m.value;
}

Result<int64_t> parse_sint(std::string_view text, unsigned bits) {
  TANDEM_ASSIGN(uint64_t v, parse_int(text, bits));
  if (bits < 64 && (v >> (bits - 1)) & 1) v |= ~((uint64_t{1} << bits) - 1);
  return static_cast<int64_t>(v);
}

Result<uint32_t> parse_f32_bits(std::string_view text) {
  return parse_float_bits<uint32_t>(text);
}
Result<uint64_t> parse_f64_bits(std::string_view text) {
  return parse_float_bits<uint64_t>(text);
}

Result<uint64_t> parse_uint(const Token& tok, unsigned bits) {
  if (!tok.is_number()) return error_at(tok, "unexpected token");
  return locate(parse_uint(tok.text, bits), tok);
}
Result<uint64_t> parse_int(const Token& tok, unsigned bits) {
  if (!tok.is_number()) return error_at(tok, "unexpected token");
  return locate(parse_int(tok.text, bits), tok);
}
Result<int64_t> parse_sint(const Token& tok, unsigned bits) {
  if (!tok.is_number()) return error_at(tok, "unexpected token");
  return locate(parse_sint(tok.text, bits), tok);
}
Result<uint32_t> parse_f32_bits(const Token& tok) {
  if (!tok.is_number()) return error_at(tok, "unexpected token");
  return locate(parse_f32_bits(tok.text), tok);
}
Result<uint64_t> parse_f64_bits(const Token& tok) {
  if (!tok.is_number()) return error_at(tok, "unexpected token");
  return locate(parse_f64_bits(tok.text), tok);
}

} // namespace tandem::wast
