// Internal to the script parser: a cursor over a token vector with a
// precomputed paren match, so whole forms (annotations, module bodies) are
// skipped in O(1) without recursion. Annotation forms `(@...)` are skipped
// transparently by peek()/next().
#pragma once

#include "base/result.h"
#include "wast/token.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::wast::detail {

// match[i] = index of the `)` closing the `(`/`(@` at i (0 for other tokens).
// Fails on an unbalanced `)` or an unclosed `(`.
Result<std::vector<uint32_t>> match_parens(std::span<const Token> tokens);

class ScriptCursor {
public:
  ScriptCursor(std::span<const Token> tokens, std::span<const uint32_t> match)
      : toks_(tokens), match_(match) {}

  // Index of the next non-annotation token (annotations are skipped).
  uint32_t index() {
    skip_annotations();
    return pos_;
  }
  const Token& peek() {
    skip_annotations();
    return toks_[pos_];
  }
  // The token after the next one (annotations skipped in between), e.g. the
  // keyword after a `(`.
  const Token& peek2() {
    skip_annotations();
    if (toks_[pos_].kind == TokKind::Eof) return toks_[pos_];
    uint32_t p = pos_ + 1;
    while (toks_[p].kind == TokKind::LParenAnnot) p = match_[p] + 1;
    return toks_[p];
  }
  const Token& next() {
    skip_annotations();
    const Token& t = toks_[pos_];
    if (t.kind != TokKind::Eof) ++pos_;
    return t;
  }
  // Is the next form `(kw ...`?
  bool at_form(std::string_view kw) {
    return peek().kind == TokKind::LParen && peek2().is_keyword(kw);
  }
  bool at(TokKind k) { return peek().kind == k; }
  bool at_keyword(std::string_view kw) { return peek().is_keyword(kw); }

  // Skips the whole form starting at the current `(` (which must be there).
  void skip_form() {
    skip_annotations();
    pos_ = match_[pos_] + 1;
  }
  uint32_t match(uint32_t open) const { return match_[open]; }
  void seek(uint32_t p) { pos_ = p; }
  // The raw position, without skipping annotations.
  uint32_t raw_pos() const { return pos_; }
  const Token& at_index(uint32_t i) const { return toks_[i]; }

  Status expect(TokKind k) {
    const Token& t = peek();
    if (t.kind != k) return unexpected(t);
    next();
    return {};
  }
  Status expect_keyword(std::string_view kw) {
    const Token& t = peek();
    if (!t.is_keyword(kw)) return unexpected(t);
    next();
    return {};
  }

  static Error unexpected(const Token& t) {
    if (t.kind == TokKind::Eof) return error_at(t, "unexpected end of input");
    return error_at(t, "unexpected token");
  }

private:
  void skip_annotations() {
    while (toks_[pos_].kind == TokKind::LParenAnnot) pos_ = match_[pos_] + 1;
  }

  std::span<const Token> toks_;
  std::span<const uint32_t> match_;
  uint32_t pos_ = 0;
};

} // namespace tandem::wast::detail
