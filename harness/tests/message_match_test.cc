// Tests of the prefix rule and the alias table for failure messages.
#include "message_match.h"

#include <gtest/gtest.h>

namespace tandem::harness {
namespace {

TEST(MessageMatch, ExpectedIsAPrefixOfOurs) {
  EXPECT_TRUE(message_matches(MessageContext::Invalid, "type mismatch",
                              "type mismatch: expected i32, got i64"));
  EXPECT_TRUE(message_matches(MessageContext::Trap, "unreachable", "unreachable"));
  EXPECT_FALSE(message_matches(MessageContext::Trap, "unreachable executed", "unreachable"));
  EXPECT_FALSE(message_matches(MessageContext::Invalid, "type mismatch", "unknown local"));
  // Substrings are not enough: the reference rule is a prefix.
  EXPECT_FALSE(message_matches(MessageContext::Invalid, "mismatch", "type mismatch"));
}

TEST(MessageMatch, EmptyExpectedMatchesAnything) {
  EXPECT_TRUE(message_matches(MessageContext::Malformed, "", "whatever"));
}

TEST(MessageMatch, AliasesAreContextual) {
  EXPECT_TRUE(
      message_matches(MessageContext::Trap, "uninitialized element 2", "uninitialized element"));
  EXPECT_FALSE(
      message_matches(MessageContext::Invalid, "uninitialized element 2", "uninitialized element"));
  for (const auto& a : message_aliases()) EXPECT_FALSE(a.rationale.empty());
}

} // namespace
} // namespace tandem::harness
