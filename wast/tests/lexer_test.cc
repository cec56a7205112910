// Lexer tests: token kinds, comments, annotations, reserved tokens and error
// positions, with cases taken from comments.wast, annotations.wast, id.wast
// and token.wast.
#include "wast/token.h"

#include <gtest/gtest.h>

#include <string>

namespace tandem::wast {
namespace {

std::vector<Token> lex_ok(std::string_view src) {
  auto r = lex(src);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message) << " in: " << src;
  if (!r.ok()) return {};
  return std::move(r).value();
}

std::string kinds(std::string_view src) {
  std::string out;
  for (const Token& t : lex_ok(src)) {
    if (t.kind == TokKind::Eof) break;
    if (!out.empty()) out += ' ';
    switch (t.kind) {
    case TokKind::LParen: out += "("; break;
    case TokKind::RParen: out += ")"; break;
    case TokKind::LParenAnnot: out.append("@").append(t.text); break;
    case TokKind::Keyword: out.append("K:").append(t.text); break;
    case TokKind::Id: out.append("I:").append(t.text); break;
    case TokKind::String: out.append("S:").append(t.text); break;
    case TokKind::Nat: out.append("N:").append(t.text); break;
    case TokKind::Int: out.append("Z:").append(t.text); break;
    case TokKind::Float: out.append("F:").append(t.text); break;
    case TokKind::Reserved: out.append("R:").append(t.text); break;
    case TokKind::Eof: break;
    }
  }
  return out;
}

struct Err {
  std::string message;
  uint32_t line, column;
};

Err lex_err(std::string_view src) {
  auto r = lex(src);
  EXPECT_FALSE(r.ok()) << "expected error in: " << src;
  if (r.ok()) return {"", 0, 0};
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
  return {r.error().message, r.error().line, r.error().column};
}

TEST(Lexer, BasicKinds) {
  EXPECT_EQ(kinds("(module $m (func (i32.const -1) f32.add))"),
            "( K:module I:$m ( K:func ( K:i32.const Z:-1 ) K:f32.add ) )");
  EXPECT_EQ(kinds("1 +1 0x1_0 1.5 -inf nan nan:0x1 nan:canonical 1e5 0x1p-3 offset=4"),
            "N:1 Z:+1 N:0x1_0 F:1.5 F:-inf F:nan F:nan:0x1 K:nan:canonical F:1e5 F:0x1p-3 "
            "K:offset=4");
  EXPECT_EQ(kinds("\"a\\\"b\" $\"x y\" $l$l"), "S:\"a\\\"b\" I:$\"x y\" I:$l$l");
}

TEST(Lexer, ReservedTokens) {
  EXPECT_EQ(kinds("0drop i32.const0"), "R:0drop K:i32.const0");
  EXPECT_EQ(kinds("0$l $\"l\"0 x\"aa\"-2 1__0 _1 0x 1_"),
            "R:0$l R:$\"l\"0 R:x\"aa\"-2 R:1__0 R:_1 R:0x R:1_");
  EXPECT_EQ(kinds(", ; ] [ }} }x{ {;}"), "R:, R:; R:] R:[ R:}} R:}x{ R:{;}");
  EXPECT_EQ(kinds("data\"a\" Abc @x"), "R:data\"a\" R:Abc R:@x");
}

TEST(Lexer, Comments) {
  EXPECT_EQ(kinds(";;comment\n(;;)(;a(;b;)c;)x;;y\rz"), "K:x K:z");
  EXPECT_EQ(kinds("nop;;bla\n)"), "K:nop )");
  EXPECT_EQ(kinds(std::string("(;\0;)a", 6)), "K:a");
  EXPECT_EQ(kinds("(;comment\";)(;(((( ;)(;));)b"), "K:b");
  EXPECT_EQ(kinds("(;comment;;comment\n;)c"), "K:c");
  EXPECT_EQ(kinds("(; Hei\xc3\x9f"
                  "e ;)d"),
            "K:d");
  Err e = lex_err("a\n  (; (; ;)\n");
  EXPECT_EQ(e.message, "unclosed comment");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 3u);
}

TEST(Lexer, LinesAndColumns) {
  auto toks = lex_ok("(a\n  b\r\n c\rd");
  ASSERT_EQ(toks.size(), 6u);
  EXPECT_EQ(toks[1].pos.line, 1u);
  EXPECT_EQ(toks[1].pos.column, 2u);
  EXPECT_EQ(toks[2].pos.line, 2u);
  EXPECT_EQ(toks[2].pos.column, 3u);
  EXPECT_EQ(toks[3].pos.line, 3u);
  EXPECT_EQ(toks[3].pos.column, 2u);
  EXPECT_EQ(toks[4].pos.line, 4u);
  EXPECT_EQ(toks[4].offset, 11u);
  EXPECT_EQ(toks.back().kind, TokKind::Eof);
}

TEST(Lexer, Annotations) {
  EXPECT_EQ(kinds("(@a x-y$yz\"aa\"-2)"), "@a R:x-y$yz\"aa\"-2 )");
  EXPECT_EQ(kinds("(@\"a b\" (@x) ())"), "@\"a b\" @x ) ( ) )");
  EXPECT_EQ(kinds("(@a , ; ] [ }} }x{ ({) ,{{};}] ;)"),
            "@a R:, R:; R:] R:[ R:}} R:}x{ ( R:{ ) R:,{{};}] R:; )");
  EXPECT_EQ(kinds("(@a (;bla;) (; ) ;)\n ;; bla)\n ;; bla (@x\n)"), "@a )");
  EXPECT_EQ(lex_err("(@)").message, "empty annotation id");
  EXPECT_EQ(lex_err("(@ x)").message, "empty annotation id");
  EXPECT_EQ(lex_err("(@\"\")").message, "empty annotation id");
  EXPECT_EQ(lex_err("(@\"\n\")").message, "empty annotation id");
  EXPECT_EQ(lex_err("(@\"\\ef\")").message, "malformed UTF-8 encoding");
  EXPECT_EQ(lex_err("(@x ").message, "unclosed annotation");
  EXPECT_EQ(lex_err("(@x (@y )").message, "unclosed annotation");
  EXPECT_EQ(lex_err("(@x (y (z))").message, "unclosed annotation");
  EXPECT_EQ(lex_err("(@x \"").message, "unclosed string");
  // Inside an annotation, `(@)` is a paren and a reserved token.
  EXPECT_EQ(kinds("(@a @ (@x y) (@) (@ x) (@(@(@(@)))))"),
            "@a R:@ @x K:y ) ( R:@ ) ( R:@ K:x ) ( R:@ ( R:@ ( R:@ ( R:@ ) ) ) ) )");
  // Extra ')' is the parser's business.
  EXPECT_EQ(kinds("(@x))"), "@x ) )");
  Err e = lex_err("\n\n  (@x\n(a)");
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 3u);
}

TEST(Lexer, IllegalCharacters) {
  EXPECT_EQ(lex_err("(@a \x01)").message, "illegal character");
  EXPECT_EQ(lex_err("(@a \x7f)").message, "illegal character");
  EXPECT_EQ(lex_err("a \x0c").message, "illegal character");
  EXPECT_EQ(lex_err("(@a Hei\xc3\x9f"
                    "e)")
                .message,
            "illegal character");
  EXPECT_EQ(lex_err("(@a \x80)").message, "malformed UTF-8 encoding");
  EXPECT_EQ(lex_err("(@a \xff)").message, "malformed UTF-8 encoding");
  EXPECT_EQ(lex_err(";; \xc0\n").message, "malformed UTF-8 encoding");
  EXPECT_EQ(lex_err("(; \xed\xa0\x80 ;)").message, "malformed UTF-8 encoding");
  EXPECT_EQ(lex_err("\"\xe0\x80\x80\"").message, "malformed UTF-8 encoding");
  EXPECT_EQ(kinds("(@a \t\n\r)"), "@a )");
  Err e = lex_err("(x)\n  abc \x02");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 7u);
}

TEST(Lexer, Strings) {
  EXPECT_EQ(kinds("\"\\u{1F600}\\00\\'\\t\" \"\xf0\x9f\x98\x80\""),
            "S:\"\\u{1F600}\\00\\'\\t\" S:\"\xf0\x9f\x98\x80\"");
  Err e = lex_err("(data \"abc\n\")");
  EXPECT_EQ(e.message, "unclosed string");
  EXPECT_EQ(e.column, 7u);
  EXPECT_EQ(lex_err("\"abc").message, "unclosed string");
  EXPECT_EQ(lex_err("\"a\tb\"").message, "illegal character");
  EXPECT_EQ(lex_err("\"\\q\"").message, "illegal escape");
  EXPECT_EQ(lex_err("\"\\0\"").message, "illegal escape");
  EXPECT_EQ(lex_err("\"\\u{}\"").message, "illegal escape");
  EXPECT_EQ(lex_err("\"\\u{d800}\"").message, "illegal escape");
  EXPECT_EQ(lex_err("\"\\u{110000}\"").message, "illegal escape");
  EXPECT_EQ(lex_err("\"\\u{1__0}\"").message, "illegal escape");
  EXPECT_EQ(kinds("\"\\u{1_0}\""), "S:\"\\u{1_0}\"");
}

TEST(Lexer, Identifiers) {
  EXPECT_EQ(lex_err("(func $)").message, "empty identifier");
  EXPECT_EQ(lex_err("(func $\"\")").message, "empty identifier");
  EXPECT_EQ(lex_err("(func $ \"a\")").message, "empty identifier");
  EXPECT_EQ(lex_err("(func $\"a\nb\")").message, "empty identifier");
  EXPECT_EQ(lex_err("(func $\"a\tb\")").message, "empty identifier");
  EXPECT_EQ(lex_err("(func $(@a))").message, "empty identifier");
  EXPECT_EQ(lex_err("(func $\"\\ef\")").message, "malformed UTF-8 encoding");
  EXPECT_EQ(kinds("$\"\\41\" $!#$%&'*+-./:<=>?@\\^_`|~"),
            "I:$\"\\41\" I:$!#$%&'*+-./:<=>?@\\^_`|~");
}

TEST(Lexer, DeepNestingIsLinear) {
  std::string src(200000, '(');
  src += std::string(200000, ')');
  auto toks = lex_ok(src);
  EXPECT_EQ(toks.size(), 400001u);
}

} // namespace
} // namespace tandem::wast
