// Placement rules of @custom, @name and @metadata.code.branch_hint
// (wast/custom_annotations.h).
#include "wast/custom_annotations.h"

#include <gtest/gtest.h>

#include <string>

namespace tandem::wast {
namespace {

std::string message_of(std::string_view text) {
  Status s = check_custom_annotations_text(text);
  return s ? std::string() : s.error().message;
}

TEST(CustomAnnotations, WellPlacedAnnotationsPass) {
  EXPECT_EQ(message_of("(@custom \"a\")"), "");
  EXPECT_EQ(message_of("(module (@custom \"a\") (func))"), "");
  EXPECT_EQ(message_of("(module $m (@name \"M\") (func $f (@name \"f\")))"), "");
  EXPECT_EQ(message_of("(func (@name \"f\") (param i32) (@metadata.code.branch_hint \"\\01\")"
                       " (if (local.get 0) (then)))"),
            "");
  EXPECT_EQ(message_of("(func (@unknown (nested)) (nop (@other)))"), "");
}

TEST(CustomAnnotations, MisplacedCustom) {
  EXPECT_EQ(message_of("(func (@custom \"bla\"))"), "misplaced @custom annotation");
  EXPECT_EQ(message_of("(module (type (@custom \"bla\") (func)))"), "misplaced @custom annotation");
}

TEST(CustomAnnotations, NamePlacement) {
  EXPECT_EQ(message_of("(module (@name \"M1\") (@name \"M2\"))"),
            "@name annotation: multiple module");
  EXPECT_EQ(message_of("(module (func) (@name \"M\"))"), "misplaced @name annotation");
  EXPECT_EQ(message_of("(module (start $f (@name \"M\")) (func $f))"),
            "misplaced @name annotation");
}

TEST(CustomAnnotations, BranchHints) {
  EXPECT_EQ(message_of("(module (@metadata.code.branch_hint \"\\01\") (func))"),
            "@metadata.code.branch_hint annotation: not in a function");
  EXPECT_EQ(message_of("(func (@metadata.code.branch_hint \"\\01\")"
                       " (@metadata.code.branch_hint \"\\01\") if end)"),
            "@metadata.code.branch_hint annotation: duplicate annotation");
}

} // namespace
} // namespace tandem::wast
