// Tokens of the WebAssembly text format, shared by the script parser and the
// core/component text encoders. A whole source is lexed up front into a vector
// of tokens (cheap lookahead, no recursion); parsers work on index ranges.
// Token text is a view into the source buffer, which must outlive the tokens.
//
// Invariants established by lex():
//  * every String token is a well-formed string literal (escapes valid, no raw
//    control characters); decode_string() cannot fail on it;
//  * every Id token is `$` + idchars, or `$` + a string literal whose decoded
//    bytes are non-empty valid UTF-8 (so decode_id() cannot fail on it);
//  * every LParenAnnot has a non-empty id (plain idchars, or a quoted string
//    that decodes to non-empty UTF-8), and is closed by a matching RParen;
//  * the source is valid UTF-8 (else "malformed UTF-8 encoding");
//  * the vector always ends with one Eof token (text empty, at end of source).
#pragma once

#include "base/result.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::wast {

enum class TokKind : uint8_t {
  LParen,      // (
  RParen,      // )
  LParenAnnot, // (@name  -- text is the annotation id without "(@": `name` or `"quoted"`
  Keyword,     // starts with a lowercase letter: module, i32.add, offset=4, nan:canonical
  Id,          // $name or $"quoted" (text includes the `$`)
  String,      // "..." with escapes still in the text (quotes included)
  Nat,         // unsigned integer literal: 123, 0x1_0
  Int,         // signed integer literal: +1, -0x10
  Float,       // float literal (anything with . e p inf nan, incl. signed forms)
  Reserved,    // any other idchar/string run, or , ; [ ] { }
  Eof,
};

// Short human name of a kind ("keyword", "string", ...), for error messages.
const char* tok_kind_name(TokKind kind);

struct SourcePos {
  uint32_t line = 1;   // 1-based
  uint32_t column = 1; // 1-based, in bytes
};

struct Token {
  TokKind kind = TokKind::Eof;
  std::string_view text;
  SourcePos pos;
  uint32_t offset = 0; // byte offset in the source

  bool is(TokKind k) const { return kind == k; }
  bool is_keyword(std::string_view kw) const { return kind == TokKind::Keyword && text == kw; }
  // Nat, Int or Float.
  bool is_number() const {
    return kind == TokKind::Nat || kind == TokKind::Int || kind == TokKind::Float;
  }
};

// Lexes all of `source`. Comments and whitespace are dropped; annotations are
// kept as LParenAnnot ... RParen so parsers can honour or skip them.
// Errors ("unclosed string", "illegal character", "unclosed comment",
// "unclosed annotation", "empty identifier", "empty annotation id",
// "illegal escape", "malformed UTF-8 encoding") have kind Malformed and carry
// line and column (and the byte offset).
// Sources larger than 4 GiB are rejected (offsets are 32-bit).
Result<std::vector<Token>> lex(std::string_view source);

// The index of the `)` closing the group (or annotation) opened at in[open];
// the index of the Eof token, or in.size(), when it is not closed.
inline size_t group_end(std::span<const Token> in, size_t open) {
  int depth = 0;
  for (size_t i = open; i < in.size(); ++i) {
    TokKind k = in[i].kind;
    if (k == TokKind::LParen || k == TokKind::LParenAnnot)
      ++depth;
    else if (k == TokKind::RParen && --depth == 0)
      return i;
    else if (k == TokKind::Eof)
      return i;
  }
  return in.size();
}

// An Error of kind Malformed located at `tok`.
Error error_at(const Token& tok, std::string message);

} // namespace tandem::wast
