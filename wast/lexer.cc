// The text-format lexer: turns a whole source into a token vector in one
// linear pass (no recursion, so hostile nesting cannot overflow the stack).
// Whitespace and comments are dropped; `(@id` becomes one LParenAnnot token and
// the annotation body is ordinary tokens up to the matching `)`.
// A token "run" is a maximal sequence of idchars, string literals and the
// characters , ; [ ] { } (stopping before `;;`); the run is then classified as
// number, keyword, id, string or reserved, following the longest-match rule.
#include "base/byte_reader.h"
#include "wast/numbers.h"
#include "wast/strings.h"
#include "wast/token.h"

namespace tandem::wast {
namespace {

constexpr bool is_idchar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
  case '!':
  case '#':
  case '$':
  case '%':
  case '&':
  case '\'':
  case '*':
  case '+':
  case '-':
  case '.':
  case '/':
  case ':':
  case '<':
  case '=':
  case '>':
  case '?':
  case '@':
  case '\\':
  case '^':
  case '_':
  case '`':
  case '|':
  case '~': return true;
  default: return false;
  }
}

constexpr bool is_reserved_punct(unsigned char c) {
  return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}

class Lexer {
public:
  explicit Lexer(std::string_view src) : src_(src) {}

  Result<std::vector<Token>> run() {
    if (src_.size() >= UINT32_MAX)
      return Error::make(ErrorKind::Malformed, "source too large (4 GiB limit)");
    tokens_.reserve(src_.size() / 4 + 1);
    while (i_ < src_.size()) {
      unsigned char c = static_cast<unsigned char>(src_[i_]);
      switch (c) {
      case ' ':
      case '\t': ++i_; break;
      case '\n':
      case '\r': newline(); break;
      case '(':
        if (peek(1) == ';') {
          TANDEM_TRY(block_comment());
        } else if (peek(1) == '@' && (annots_.empty() || annotation_id_follows())) {
          // Inside an annotation body `(@)` is just `(` and a reserved `@`.
          TANDEM_TRY(annotation());
        } else {
          push(TokKind::LParen, i_, i_ + 1);
          ++depth_;
          ++i_;
        }
        break;
      case ')':
        push(TokKind::RParen, i_, i_ + 1);
        ++i_;
        if (depth_ > 0) --depth_;
        if (!annots_.empty() && annots_.back().depth == depth_) annots_.pop_back();
        break;
      case ';':
        if (peek(1) == ';') {
          TANDEM_TRY(line_comment());
        } else {
          TANDEM_TRY(token_run());
        }
        break;
      default:
        if (c == '"' || is_idchar(c) || is_reserved_punct(c)) {
          TANDEM_TRY(token_run());
        } else if (c >= 0x80 && utf8_sequence_length(src_, i_) == 0) {
          return error(i_, "malformed UTF-8 encoding");
        } else {
          return error(i_, "illegal character");
        }
      }
    }
    if (!annots_.empty())
      return error_at_pos(annots_.back().pos, annots_.back().offset, "unclosed annotation");
    push(TokKind::Eof, src_.size(), src_.size());
    return std::move(tokens_);
  }

private:
  struct OpenAnnotation {
    uint32_t depth; // paren depth outside the annotation
    size_t offset;  // where `(@` is
    SourcePos pos;
  };

  char peek(size_t k) const { return i_ + k < src_.size() ? src_[i_ + k] : '\0'; }

  SourcePos pos_of(size_t offset) const {
    // Only valid for offsets on the current line (tokens never span lines).
    return SourcePos{line_, static_cast<uint32_t>(offset - line_start_ + 1)};
  }

  // An error at `offset`, which must lie on the current line.
  Error error(size_t offset, const char* message) const {
    return error_at_pos(pos_of(offset), offset, message);
  }

  static Error error_at_pos(SourcePos p, size_t offset, const char* message) {
    Error e = Error::at_text(ErrorKind::Malformed, p.line, p.column, message);
    e.offset = offset;
    return e;
  }

  void push(TokKind kind, size_t begin, size_t end) {
    tokens_.push_back(
        Token{kind, src_.substr(begin, end - begin), pos_of(begin), static_cast<uint32_t>(begin)});
  }

  // At LF, CR or CR LF: consume it and start a new line.
  void newline() {
    if (src_[i_] == '\r' && peek(1) == '\n') ++i_;
    ++i_;
    ++line_;
    line_start_ = i_;
  }

  Status line_comment() {
    i_ += 2;
    while (i_ < src_.size() && src_[i_] != '\n' && src_[i_] != '\r') {
      if (static_cast<unsigned char>(src_[i_]) >= 0x80) {
        size_t n = utf8_sequence_length(src_, i_);
        if (n == 0) return error(i_, "malformed UTF-8 encoding");
        i_ += n;
      } else {
        ++i_;
      }
    }
    return {};
  }

  Status block_comment() {
    size_t start = i_;
    SourcePos start_pos = pos_of(start);
    i_ += 2;
    size_t nesting = 1;
    while (nesting > 0) {
      if (i_ >= src_.size()) return error_at_pos(start_pos, start, "unclosed comment");
      char c = src_[i_];
      if (c == '(' && peek(1) == ';') {
        ++nesting;
        i_ += 2;
      } else if (c == ';' && peek(1) == ')') {
        --nesting;
        i_ += 2;
      } else if (c == '\n' || c == '\r') {
        newline();
      } else if (static_cast<unsigned char>(c) >= 0x80) {
        size_t n = utf8_sequence_length(src_, i_);
        if (n == 0) return error(i_, "malformed UTF-8 encoding");
        i_ += n;
      } else {
        ++i_;
      }
    }
    return {};
  }

  // Does a valid annotation id follow the `(@` at i_?
  bool annotation_id_follows() const {
    size_t j = i_ + 2;
    if (j >= src_.size()) return false;
    if (is_idchar(static_cast<unsigned char>(src_[j]))) return true;
    if (src_[j] != '"') return false;
    StringScan scan = scan_string_literal(src_, j);
    if (!scan.ok) return false;
    auto name = decode_string_literal(src_.substr(j, scan.end - j));
    return name.ok() && !name->empty() && is_valid_utf8(*name);
  }

  Status annotation() {
    size_t start = i_;
    size_t j = i_ + 2;
    size_t id_end = j;
    if (j < src_.size() && is_idchar(static_cast<unsigned char>(src_[j]))) {
      while (id_end < src_.size() && is_idchar(static_cast<unsigned char>(src_[id_end]))) ++id_end;
    } else if (j < src_.size() && src_[j] == '"') {
      StringScan scan = scan_string_literal(src_, j);
      if (!scan.ok) return error(start, "empty annotation id");
      auto name = decode_string_literal(src_.substr(j, scan.end - j));
      if (!name.ok() || name->empty()) return error(start, "empty annotation id");
      if (!is_valid_utf8(*name)) return error(start, "malformed UTF-8 encoding");
      id_end = scan.end;
    } else {
      return error(start, "empty annotation id");
    }
    tokens_.push_back(Token{TokKind::LParenAnnot, src_.substr(j, id_end - j), pos_of(start),
                            static_cast<uint32_t>(start)});
    annots_.push_back(OpenAnnotation{depth_, start, pos_of(start)});
    ++depth_;
    i_ = id_end;
    return {};
  }

  Status token_run() {
    size_t start = i_;
    while (i_ < src_.size()) {
      unsigned char c = static_cast<unsigned char>(src_[i_]);
      if (is_idchar(c) || is_reserved_punct(c)) {
        ++i_;
      } else if (c == ';') {
        if (peek(1) == ';') break;
        ++i_;
      } else if (c == '"') {
        StringScan scan = scan_string_literal(src_, i_);
        if (!scan.ok) {
          if (i_ == start + 1 && src_[start] == '$') return error(start, "empty identifier");
          return error(scan.error_offset, scan.error);
        }
        i_ = scan.end;
      } else {
        break;
      }
    }
    std::string_view text = src_.substr(start, i_ - start);
    TANDEM_ASSIGN(TokKind kind, classify(text, start));
    push(kind, start, i_);
    return {};
  }

  static bool all_idchars(std::string_view s) {
    for (char c : s)
      if (!is_idchar(static_cast<unsigned char>(c))) return false;
    return true;
  }

  // Is `s` exactly one string literal?
  static bool single_string(std::string_view s) {
    if (s.empty() || s.front() != '"') return false;
    StringScan scan = scan_string_literal(s, 0);
    return scan.ok && scan.end == s.size();
  }

  Result<TokKind> classify(std::string_view text, size_t start) const {
    unsigned char c0 = static_cast<unsigned char>(text[0]);
    if (c0 == '"') return single_string(text) ? TokKind::String : TokKind::Reserved;
    if (c0 == '$') {
      std::string_view rest = text.substr(1);
      if (rest.empty()) return error(start, "empty identifier");
      if (all_idchars(rest)) return TokKind::Id;
      if (single_string(rest)) {
        auto name = decode_string_literal(rest);
        if (!name.ok() || name->empty()) return error(start, "empty identifier");
        if (!is_valid_utf8(*name)) return error(start, "malformed UTF-8 encoding");
        return TokKind::Id;
      }
      return TokKind::Reserved;
    }
    TokKind num = classify_number(text);
    if (num != TokKind::Reserved) return num;
    if (c0 >= 'a' && c0 <= 'z' && all_idchars(text)) return TokKind::Keyword;
    return TokKind::Reserved;
  }

  std::string_view src_;
  size_t i_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
  uint32_t depth_ = 0;
  std::vector<OpenAnnotation> annots_;
  std::vector<Token> tokens_;
};

} // namespace

const char* tok_kind_name(TokKind kind) {
  switch (kind) {
  case TokKind::LParen: return "'('";
  case TokKind::RParen: return "')'";
  case TokKind::LParenAnnot: return "annotation";
  case TokKind::Keyword: return "keyword";
  case TokKind::Id: return "identifier";
  case TokKind::String: return "string";
  case TokKind::Nat: return "natural number";
  case TokKind::Int: return "integer";
  case TokKind::Float: return "float";
  case TokKind::Reserved: return "reserved token";
  case TokKind::Eof: return "end of input";
  }
  return "token";
}

Error error_at(const Token& tok, std::string message) {
  Error e = Error::at_text(ErrorKind::Malformed, tok.pos.line, tok.pos.column, std::move(message));
  e.offset = tok.offset;
  return e;
}

Result<std::vector<Token>> lex(std::string_view source) {
  return Lexer(source).run();
}

} // namespace tandem::wast
