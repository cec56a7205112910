// Tokens of the WebAssembly text format, shared by the script parser and the
// core/component text encoders. A whole source is lexed up front into a vector
// of tokens (cheap lookahead, no recursion); parsers work on index ranges.
// Token text is a view into the source buffer, which must outlive the tokens.
#pragma once

#include "base/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::wast {

enum class TokKind : uint8_t {
  LParen,     // (
  RParen,     // )
  LParenAnnot,// (@name  -- text is the annotation id without "(@" (quoted ids decoded by the parser)
  Keyword,    // starts with a lowercase letter: module, i32.add, offset=4, nan:canonical
  Id,         // $name or $"quoted"
  String,     // "..." with escapes still in the text (quotes included)
  Nat,        // unsigned integer literal: 123, 0x1_0
  Int,        // signed integer literal: +1, -0x10
  Float,      // float literal (anything with . e p inf nan, incl. signed forms)
  Reserved,   // any other idchar run or , ; [ ] { }
  Eof,
};

struct SourcePos {
  uint32_t line = 1;   // 1-based
  uint32_t column = 1; // 1-based, in bytes
};

struct Token {
  TokKind kind = TokKind::Eof;
  std::string_view text;
  SourcePos pos;
  uint32_t offset = 0; // byte offset in the source
};

// Lexes all of `source`. Comments and whitespace are dropped; annotations are
// kept as LParenAnnot ... RParen so parsers can honour or skip them.
// Errors ("unclosed string", "illegal character", "unclosed comment", ...) carry
// line and column.
Result<std::vector<Token>> lex(std::string_view source);

} // namespace tandem::wast
