// String decoding tests: escapes, byte strings, names (UTF-8) and ids.
#include "wast/strings.h"

#include <gtest/gtest.h>

namespace tandem::wast {
namespace {

template <typename T> T val(Result<T> r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return T{};
  return std::move(r).value();
}

Token tok(TokKind kind, std::string_view text) {
  return Token{kind, text, SourcePos{3, 7}, 42};
}

TEST(Strings, Escapes) {
  auto r = decode_string(tok(TokKind::String, R"("a\n\r\t\\\'\"\00\ff\u{41}\u{1_F600}\u{0}")"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::string("a\n\r\t\\'\"\0\xff"
                            "A\xf0\x9f\x98\x80",
                            14) +
                    std::string(1, '\0'));
  EXPECT_EQ(val(decode_string(tok(TokKind::String, "\"\""))), "");
  EXPECT_EQ(val(decode_string(tok(TokKind::String, "\"\\u{7ff}\\u{ffff}\""))),
            "\xdf\xbf\xef\xbf\xbf");
}

TEST(Strings, NamesMustBeUtf8) {
  EXPECT_EQ(val(decode_name(tok(TokKind::String, "\"\\e2\\82\\ac\""))), "\xe2\x82\xac");
  auto bad = decode_name(tok(TokKind::String, "\"\\ef\""));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "malformed UTF-8 encoding");
  EXPECT_EQ(bad.error().line, 3u);
  EXPECT_EQ(bad.error().column, 7u);
  EXPECT_TRUE(decode_string(tok(TokKind::String, "\"\\ef\"")).ok());
  EXPECT_FALSE(decode_name(tok(TokKind::String, "\"\\ed\\a0\\80\"")).ok()); // surrogate
}

TEST(Strings, Ids) {
  EXPECT_EQ(val(decode_id(tok(TokKind::Id, "$x"))), "x");
  EXPECT_EQ(val(decode_id(tok(TokKind::Id, "$\"x\""))), "x");
  EXPECT_EQ(val(decode_id(tok(TokKind::Id, "$\"\\78 y\""))), "x y");
  EXPECT_EQ(decode_id(tok(TokKind::Id, "$\"\"")).error().message, "empty identifier");
  EXPECT_FALSE(decode_id(tok(TokKind::String, "\"x\"")).ok());
  EXPECT_EQ(val(decode_annotation_id(tok(TokKind::LParenAnnot, "custom"))), "custom");
  EXPECT_EQ(val(decode_annotation_id(tok(TokKind::LParenAnnot, "\"a b\""))), "a b");
}

TEST(Strings, Utf8SequenceLength) {
  EXPECT_EQ(utf8_sequence_length("a", 0), 1u);
  EXPECT_EQ(utf8_sequence_length("\xc3\x9f", 0), 2u);
  EXPECT_EQ(utf8_sequence_length("\xc0\x80", 0), 0u);
  EXPECT_EQ(utf8_sequence_length("\xe0\x9f\xbf", 0), 0u);
  EXPECT_EQ(utf8_sequence_length("\xf4\x90\x80\x80", 0), 0u);
  EXPECT_EQ(utf8_sequence_length("\xf0\x9f\x98", 0), 0u);
  std::string out;
  append_utf8(out, 0x10ffff);
  EXPECT_EQ(out, "\xf4\x8f\xbf\xbf");
}

} // namespace
} // namespace tandem::wast
