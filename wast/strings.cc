// String literal scanning and decoding (see strings.h). The scanner enforces
// the lexical rules (no raw control characters, valid escapes, valid UTF-8);
// the decoders turn escapes into bytes and never recurse.
#include "wast/strings.h"

#include "base/byte_reader.h"

namespace tandem::wast {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses the `h+` of `\u{h+}` starting at s[i] (just after the `{`). On
// success sets `cp` and returns the index one past the `}`; returns 0 on error.
size_t parse_unicode_escape(std::string_view s, size_t i, uint32_t& cp) {
  uint64_t value = 0;
  bool any_digit = false;
  bool last_underscore = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '}') {
      if (!any_digit || last_underscore) return 0;
      if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return 0;
      cp = static_cast<uint32_t>(value);
      return i + 1;
    }
    if (c == '_') {
      if (!any_digit || last_underscore) return 0;
      last_underscore = true;
      continue;
    }
    int h = hex_value(c);
    if (h < 0) return 0;
    value = value * 16 + static_cast<unsigned>(h);
    if (value > 0x10ffff) value = 0x110000; // saturate: stays out of range
    any_digit = true;
    last_underscore = false;
  }
  return 0;
}

} // namespace

size_t utf8_sequence_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<uint8_t>(s[i + k]) : 0x100u;
  };
  unsigned c = byte(0);
  if (c < 0x80) return 1;
  auto cont = [](unsigned b) { return b >= 0x80 && b <= 0xbf; };
  if (c >= 0xc2 && c <= 0xdf) return cont(byte(1)) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    unsigned b1 = byte(1);
    unsigned lo = c == 0xe0 ? 0xa0 : 0x80;
    unsigned hi = c == 0xed ? 0x9f : 0xbf;
    if (b1 < lo || b1 > hi) return 0;
    return cont(byte(2)) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    unsigned b1 = byte(1);
    unsigned lo = c == 0xf0 ? 0x90 : 0x80;
    unsigned hi = c == 0xf4 ? 0x8f : 0xbf;
    if (b1 < lo || b1 > hi) return 0;
    return cont(byte(2)) && cont(byte(3)) ? 4 : 0;
  }
  return 0;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

StringScan scan_string_literal(std::string_view src, size_t start) {
  StringScan r;
  size_t i = start + 1;
  while (true) {
    if (i >= src.size()) {
      r.error_offset = start;
      r.error = "unclosed string";
      return r;
    }
    unsigned char c = static_cast<unsigned char>(src[i]);
    if (c == '"') {
      r.ok = true;
      r.end = i + 1;
      return r;
    }
    if (c == '\n') {
      r.error_offset = start;
      r.error = "unclosed string";
      return r;
    }
    if (c < 0x20 || c == 0x7f) {
      r.error_offset = i;
      r.error = "illegal character";
      return r;
    }
    if (c == '\\') {
      if (i + 1 >= src.size()) {
        r.error_offset = start;
        r.error = "unclosed string";
        return r;
      }
      char e = src[i + 1];
      switch (e) {
      case 'n':
      case 'r':
      case 't':
      case '\\':
      case '\'':
      case '"': i += 2; continue;
      case 'u': {
        uint32_t cp = 0;
        size_t next = 0;
        if (i + 2 < src.size() && src[i + 2] == '{') next = parse_unicode_escape(src, i + 3, cp);
        if (next == 0) {
          r.error_offset = i;
          r.error = "illegal escape";
          return r;
        }
        i = next;
        continue;
      }
      default:
        if (hex_value(e) >= 0 && i + 2 < src.size() && hex_value(src[i + 2]) >= 0) {
          i += 3;
          continue;
        }
        r.error_offset = i;
        r.error = "illegal escape";
        return r;
      }
    }
    if (c >= 0x80) {
      size_t n = utf8_sequence_length(src, i);
      if (n == 0) {
        r.error_offset = i;
        r.error = "malformed UTF-8 encoding";
        return r;
      }
      i += n;
      continue;
    }
    ++i;
  }
}

Result<std::string> decode_string_literal(std::string_view lit) {
  if (lit.size() < 2 || lit.front() != '"' || lit.back() != '"')
    return Error::make(ErrorKind::Malformed, "unexpected token");
  StringScan scan = scan_string_literal(lit, 0);
  if (!scan.ok || scan.end != lit.size()) {
    Error e = Error::make(ErrorKind::Malformed, scan.ok ? "unexpected token" : scan.error);
    e.offset = scan.error_offset;
    return e;
  }
  std::string out;
  out.reserve(lit.size() - 2);
  size_t i = 1;
  size_t end = lit.size() - 1;
  while (i < end) {
    char c = lit[i];
    if (c != '\\') {
      out.push_back(c);
      ++i;
      continue;
    }
    char e = lit[i + 1];
    switch (e) {
    case 'n':
      out.push_back('\n');
      i += 2;
      break;
    case 'r':
      out.push_back('\r');
      i += 2;
      break;
    case 't':
      out.push_back('\t');
      i += 2;
      break;
    case '\\':
      out.push_back('\\');
      i += 2;
      break;
    case '\'':
      out.push_back('\'');
      i += 2;
      break;
    case '"':
      out.push_back('"');
      i += 2;
      break;
    case 'u': {
      uint32_t cp = 0;
      i = parse_unicode_escape(lit, i + 3, cp); // validated by the scan above
      append_utf8(out, cp);
      break;
    }
    default:
      out.push_back(static_cast<char>(hex_value(e) * 16 + hex_value(lit[i + 2])));
      i += 3;
      break;
    }
  }
  return out;
}

namespace {
Error locate(Error e, const Token& tok) {
  e.line = tok.pos.line;
  e.column = tok.pos.column;
  e.offset = tok.offset;
  return e;
}
} // namespace

Result<std::string> decode_string(const Token& tok) {
  if (tok.kind != TokKind::String) return error_at(tok, "unexpected token");
  auto r = decode_string_literal(tok.text);
  if (!r.ok()) return locate(std::move(r).error(), tok);
  return r;
}

Result<std::string> decode_name(const Token& tok) {
  TANDEM_ASSIGN(std::string bytes, decode_string(tok));
  if (!is_valid_utf8(bytes)) return error_at(tok, "malformed UTF-8 encoding");
  return bytes;
}

Result<std::string> decode_id(const Token& tok) {
  if (tok.kind != TokKind::Id || tok.text.size() < 2) return error_at(tok, "unexpected token");
  std::string_view body = tok.text.substr(1);
  if (body.front() != '"') return std::string(body);
  auto r = decode_string_literal(body);
  if (!r.ok()) return locate(std::move(r).error(), tok);
  if (r->empty()) return error_at(tok, "empty identifier");
  if (!is_valid_utf8(*r)) return error_at(tok, "malformed UTF-8 encoding");
  return r;
}

Result<std::string> decode_annotation_id(const Token& tok) {
  if (tok.kind != TokKind::LParenAnnot || tok.text.empty())
    return error_at(tok, "unexpected token");
  if (tok.text.front() != '"') return std::string(tok.text);
  auto r = decode_string_literal(tok.text);
  if (!r.ok()) return locate(std::move(r).error(), tok);
  if (r->empty()) return error_at(tok, "empty annotation id");
  if (!is_valid_utf8(*r)) return error_at(tok, "malformed UTF-8 encoding");
  return r;
}

} // namespace tandem::wast
