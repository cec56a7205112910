// String literals of the text format: scanning (used by the lexer) and decoding
// to raw bytes (used by parsers). Strings are byte strings: `\hh` may produce
// any byte; only names (exports, imports, ids, register/invoke names) must be
// valid UTF-8, which decode_name() checks.
#pragma once

#include "base/result.h"
#include "wast/token.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace tandem::wast {

// Result of scanning a string literal that starts with `"` at src[start].
struct StringScan {
  bool ok = false;
  size_t end = 0;          // one past the closing quote (when ok)
  size_t error_offset = 0; // where the problem is (when !ok)
  const char* error = "";  // "unclosed string", "illegal character", "illegal escape",
                           // "malformed UTF-8 encoding"
};
StringScan scan_string_literal(std::string_view src, size_t start);

// Decodes a literal including its quotes ("a\n\u{41}") into raw bytes.
// Escapes: \n \r \t \\ \' \" \hh \u{h+} (Unicode scalar, UTF-8 encoded).
Result<std::string> decode_string_literal(std::string_view literal);

// Decodes a String token to raw bytes (errors located at the token).
Result<std::string> decode_string(const Token& tok);

// Like decode_string, but the bytes must be valid UTF-8
// ("malformed UTF-8 encoding" otherwise). Use for names.
Result<std::string> decode_name(const Token& tok);

// The name an Id token denotes, without the `$`: `$x` and `$"x"` both give "x".
// Empty or non-UTF-8 quoted ids are errors ("empty identifier",
// "malformed UTF-8 encoding"); lex() already rejects those.
Result<std::string> decode_id(const Token& tok);

// The annotation id of a LParenAnnot token (`name` or `"quoted"`), decoded.
Result<std::string> decode_annotation_id(const Token& tok);

// Length (1-4) of the valid UTF-8 sequence starting at s[i], or 0 if the
// bytes there are not a well-formed UTF-8 encoding of a scalar value.
size_t utf8_sequence_length(std::string_view s, size_t i);

// Appends the UTF-8 encoding of scalar value `cp` (must be <= 0x10FFFF).
void append_utf8(std::string& out, uint32_t cp);

} // namespace tandem::wast
