// Unit tests of the core WAT encoder: representative modules against expected
// bytes (cross-checked with wabt where wabt supports the feature, hand-derived
// from the binary format otherwise), abbreviations, nesting limits and the
// error messages of malformed text.
#include "wast/wat_module.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace tandem::wast {
namespace {

// Parses "01 02 ff" into bytes.
std::vector<uint8_t> hex(const char* s) {
  std::vector<uint8_t> out;
  unsigned v;
  int n;
  while (std::sscanf(s, " %2x%n", &v, &n) == 1) {
    out.push_back(uint8_t(v));
    s += n;
  }
  return out;
}

// Bytes after the 8-byte header, or the error message.
std::string body_of(std::string_view text) {
  auto r = wat_to_binary(text);
  if (!r.ok()) return "error: " + r.error().message;
  std::string out;
  char buf[4];
  for (size_t i = 8; i < r->size(); ++i) {
    std::snprintf(buf, sizeof buf, "%02x ", (*r)[i]);
    out += buf;
  }
  if (!out.empty()) out.pop_back();
  return out;
}

std::string error_of(std::string_view text) {
  auto r = wat_to_binary(text);
  if (r.ok()) return "ok";
  return r.error().message;
}

TEST(WatEncoder, EmptyModule) {
  auto r = wat_to_binary("(module)");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value(), (std::vector<uint8_t>{0, 'a', 's', 'm', 1, 0, 0, 0}));
  EXPECT_EQ(body_of("(module $m)"), "");
  EXPECT_EQ(body_of(""), ""); // an empty list of fields
}

TEST(WatEncoder, FunctionWithExport) {
  EXPECT_EQ(body_of(R"((module (func (export "add") (param i32 i32) (result i32)
                         local.get 0 local.get 1 i32.add)))"),
            "01 07 01 60 02 7f 7f 01 7f 03 02 01 00 07 07 01 03 61 64 64 00 00 0a 09 01 07 00 "
            "20 00 20 01 6a 0b");
}

TEST(WatEncoder, FoldedAndFlatGiveTheSameBytes) {
  EXPECT_EQ(body_of("(func (result i32) (i32.add (i32.const 1) (i32.mul (i32.const 2) "
                    "(i32.const 3))))"),
            body_of("(func (result i32) i32.const 1 i32.const 2 i32.const 3 i32.mul i32.add)"));
  EXPECT_EQ(body_of("(func (if (i32.const 1) (then (nop)) (else (unreachable))))"),
            body_of("(func i32.const 1 if nop else unreachable end)"));
}

TEST(WatEncoder, ImplicitTypesAreAppendedInOrderOfFirstUse) {
  EXPECT_EQ(body_of("(module (type (func (param i32))) (func (param i64)) (func (param i32))"
                    " (func (block (param f32) drop) (f32.const 0)))"),
            "01 10 04 60 01 7f 00 60 01 7e 00 60 00 00 60 01 7d 00 03 04 03 01 00 02 0a 13 03 "
            "02 00 0b 02 00 0b 0b 00 02 03 1a 0b 43 00 00 00 00 0b");
}

TEST(WatEncoder, LabelsResolveToDepths) {
  EXPECT_EQ(body_of("(module (func (block $a (block $b (br $a) (br $b) (br 0)))))"),
            "01 04 01 60 00 00 03 02 01 00 0a 10 01 0e 00 02 40 02 40 0c 01 0c 00 0c 00 0b 0b "
            "0b");
  // Shadowed names resolve to the innermost label.
  EXPECT_EQ(body_of("(func (block $l (block $l (br $l))))"),
            body_of("(func (block (block (br 0))))"));
}

TEST(WatEncoder, ImportsGlobalsLocalsByName) {
  EXPECT_EQ(body_of(R"((module (import "m" "f" (func $f (param i32)))
                        (global $g (mut i32) (i32.const -1))
                        (func (export "x") (local $l i64)
                          (call $f (global.get $g)) (local.set $l (i64.const 5)))))"),
            "01 08 02 60 01 7f 00 60 00 00 02 07 01 01 6d 01 66 00 00 03 02 01 01 06 06 01 7f "
            "01 41 7f 0b 07 05 01 01 78 00 01 0a 0e 01 0c 01 01 7e 23 00 10 00 42 05 21 00 0b");
}

TEST(WatEncoder, SimdConstantsShufflesAndMemargs) {
  EXPECT_EQ(body_of("(module (memory 1) (func (v128.store offset=16 align=4 (i32.const 0) "
                    "(i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 "
                    "(v128.const i16x8 1 2 3 4 5 6 7 -1) (v128.const f32x4 1.5 -0 nan inf)))))"),
            "01 04 01 60 00 00 03 02 01 00 05 03 01 00 01 0a 40 01 3e 00 41 00 fd 0c 01 00 02 "
            "00 03 00 04 00 05 00 06 00 07 00 ff ff fd 0c 00 00 c0 3f 00 00 00 80 00 00 c0 7f "
            "00 00 80 7f fd 0d 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f fd 0b 02 10 0b");
  // Lane memargs: a memory index only when two numbers follow.
  EXPECT_EQ(body_of("(memory 1) (func (drop (v128.load8_lane 3 (i32.const 0) (v128.const "
                    "i64x2 0 0))))"),
            body_of("(memory 1) (func (drop (v128.load8_lane 0 3 (i32.const 0) (v128.const "
                    "i64x2 0 0))))"));
}

TEST(WatEncoder, SegmentsAndAbbreviations) {
  EXPECT_EQ(body_of(R"((module (table $t 0 funcref) (func $f)
      (table (export "t2") funcref (elem $f $f)) (memory (data "hello"))
      (data (i32.const 8) "ab" "c") (elem (table $t) (i32.const 0) func $f)
      (elem declare func $f)
      (func (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 0)) (data.drop 0))))"),
            "01 04 01 60 00 00 03 03 02 00 00 04 08 02 70 00 00 70 01 02 02 05 04 01 01 01 01 "
            "07 06 01 02 74 32 01 01 09 18 03 06 01 41 00 0b 70 02 d2 00 0b d2 00 0b 00 41 00 "
            "0b 01 00 03 00 01 00 0c 01 02 0a 14 02 02 00 0b 0f 00 41 00 41 00 41 00 fc 08 01 "
            "00 fc 09 00 0b 0b 13 02 00 41 00 0b 05 68 65 6c 6c 6f 00 41 08 0b 03 61 62 63");
  // The inline (elem $f $f) of a table keeps the table's type: ref.func items (flag 6).
  // funcref expressions stay expressions (flag 5), as in the reference interpreter.
  EXPECT_EQ(body_of("(elem funcref (ref.func 0) (ref.null func))"),
            "09 0a 01 05 70 02 d2 00 0b d0 70 0b");
  // data.drop without data segments still gets a data count section.
  EXPECT_EQ(body_of("(func (data.drop 0))"),
            "01 04 01 60 00 00 03 02 01 00 0c 01 00 0a 07 01 05 00 fc 09 00 0b");
}

TEST(WatEncoder, MultiMemoryAndMemory64) {
  EXPECT_EQ(body_of("(module (memory $a 1) (memory $b i64 1 2) (func (drop (i64.load $b "
                    "offset=8 (i64.const 0))) (i32.store8 $a (i32.const 0) (i32.const 1))))"),
            "01 04 01 60 00 00 03 02 01 00 05 06 02 00 01 05 01 02 0a 12 01 10 00 42 00 29 43 "
            "01 08 1a 41 00 41 01 3a 00 00 0b");
}

TEST(WatEncoder, ExceptionsTryTableCatchLabelsAreOuter) {
  // (catch $e $h) from inside the try_table refers to $h at depth 0.
  EXPECT_EQ(body_of("(module (tag $e (param i32)) (func (result i32) (block $h (result i32) "
                    "(try_table (result i32) (catch $e $h) (i32.const 1)))))"),
            "01 09 02 60 01 7f 00 60 00 01 7f 03 02 01 01 0d 03 01 00 00 0a 10 01 0e 00 02 7f "
            "1f 7f 01 00 00 00 41 01 0b 0b 0b");
  // Legacy try/catch/delegate; delegate's label is resolved outside the try.
  EXPECT_EQ(body_of("(tag $e) (func (block $b (try (do (try (do nop) (delegate $b))) (catch $e) "
                    "(catch_all))))"),
            "01 04 01 60 00 00 03 02 01 00 0d 03 01 00 00 0a 12 01 10 00 02 40 06 40 06 40 01 "
            "18 01 07 00 19 0b 0b 0b");
}

TEST(WatEncoder, GcTypesAndFieldNames) {
  EXPECT_EQ(body_of("(rec (type $s (sub (struct (field $x i32) (field $y (mut i8))))) "
                    "(type $a (array (ref null $s)))) "
                    "(func (param (ref $s)) (result i32) (struct.get $s $y (local.get 0)))"),
            "01 15 02 4e 02 50 00 5f 02 7f 00 78 01 5e 63 00 00 60 01 64 00 01 7f 03 02 01 02 "
            "0a 0a 01 08 00 20 00 fb 02 00 01 0b");
}

TEST(WatEncoder, BinaryAndQuoteForms) {
  auto bin = wat_to_binary(R"((module $m binary "\00asm" "\01\00\00\00"))");
  ASSERT_TRUE(bin.ok()) << bin.error().message;
  EXPECT_EQ(bin.value(), hex("00 61 73 6d 01 00 00 00"));
  EXPECT_EQ(body_of(R"x((module quote "(func" " (nop))"))x"), body_of("(func (nop))"));
}

TEST(WatEncoder, CustomSectionsAndBranchHints) {
  EXPECT_EQ(body_of(R"((@custom "a" (before first) "1") (func) (@custom "b" (after func) "2"))"),
            "00 03 01 61 31 01 04 01 60 00 00 03 02 01 00 00 03 01 62 32 0a 04 01 02 00 0b");
  // The hint points at the `if` opcode (offset 3 in the body, locals included).
  EXPECT_EQ(body_of(R"((func (param i32) (@metadata.code.branch_hint "\01")
                         (if (local.get 0) (then))))"),
            "01 05 01 60 01 7f 00 03 02 01 00 00 20 19 6d 65 74 61 64 61 74 61 2e 63 6f 64 65 "
            "2e 62 72 61 6e 63 68 5f 68 69 6e 74 01 00 01 03 01 01 0a 09 01 07 00 20 00 04 40 "
            "0b 0b");
}

TEST(WatEncoder, CodeMetadataOutsideInstructionsIsIgnored) {
  // Hints before (param)/(local) mean nothing and are dropped; the hint before
  // the folded br_if points at its opcode (offset 7: locals 3 bytes, block 2,
  // local.get 2).
  auto r = wat_to_binary(R"x((func (@metadata.code.branch_hint "\00") (param i32)
      (@metadata.code.branch_hint "\01") (local i32)
      (block (@metadata.code.branch_hint "\01") (br_if 0 (local.get 0)))))x");
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string bytes(r->begin(), r->end());
  EXPECT_NE(bytes.find(std::string("\x01\x00\x01\x07\x01\x01", 6)), std::string::npos);
}

TEST(WatEncoder, OutOfRangeNumericIndicesStillEncode) {
  EXPECT_EQ(body_of("(func (local.get 7) (call 99) (br 5))"),
            "01 04 01 60 00 00 03 02 01 00 0a 0a 01 08 00 20 07 10 63 0c 05 0b");
}

TEST(WatEncoder, MalformedMessages) {
  EXPECT_EQ(error_of("(func (i32.foo))"), "unknown operator i32.foo");
  EXPECT_EQ(error_of("(func (i32.const 0x))"), "unknown operator 0x");
  EXPECT_EQ(error_of("(func $f) (func $f)"), "duplicate func $f");
  EXPECT_EQ(error_of("(func (local $x i32) (local $x i64))"), "duplicate local $x");
  EXPECT_EQ(error_of("(func (br $nope))"), "unknown label $nope");
  EXPECT_EQ(error_of("(func (call $nope))"), "unknown function $nope");
  EXPECT_EQ(error_of("(func block $a end $b)"), "mismatching label");
  EXPECT_EQ(error_of("(func) (import \"\" \"\" (func))"), "import after function");
  EXPECT_EQ(error_of("(type (func)) (func (type 0) (param i32))"), "inline function type");
  EXPECT_EQ(error_of("(func (i32.const 4294967296))"), "constant out of range");
  EXPECT_EQ(error_of("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))").substr(0, 9),
            "alignment");
  EXPECT_EQ(error_of("(func (v128.const i32x4 0 0 0) drop)"), "wrong number of lane literals");
  EXPECT_EQ(error_of("(func (i8x16.shuffle 0 1 2) drop)"), "invalid lane length");
  EXPECT_EQ(error_of("(func (drop (i8x16.extract_lane_s 256 (v128.const i64x2 0 0))))"),
            "i8 constant out of range");
  EXPECT_EQ(error_of("(start 0) (start 0)"), "multiple start sections");
  EXPECT_EQ(error_of("(type (struct (field $a i32) (field $a i32)))"), "duplicate field $a");
  EXPECT_EQ(error_of("(func (param $x i32)) (func (call_indirect (param $y i32)))"),
            "unexpected token");
  EXPECT_EQ(error_of("(func (block (result i32) (param i32)))"), "unexpected token");
  EXPECT_EQ(error_of("(func (catch_all))"), "unexpected token");
}

TEST(WatEncoder, ErrorsCarryLineAndColumn) {
  auto r = wat_to_binary("(module\n  (func\n    (nop) (i32.bogus)))");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
  EXPECT_EQ(r.error().line, 3u);
  EXPECT_EQ(r.error().column, 12u);
}

TEST(WatEncoder, DeepNestingDoesNotRecurse) {
  constexpr int kDepth = 100000;
  std::string folded = "(func (result i32) ";
  for (int i = 0; i < kDepth; ++i) folded += "(i32.eqz ";
  folded += "(i32.const 0)";
  for (int i = 0; i < kDepth; ++i) folded += ")";
  folded += ")";
  auto r = wat_to_binary(folded);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GT(r->size(), size_t(kDepth));

  std::string blocks = "(func ";
  for (int i = 0; i < kDepth; ++i) blocks += "(block ";
  for (int i = 0; i < kDepth; ++i) blocks += ")";
  blocks += " ";
  for (int i = 0; i < kDepth; ++i) blocks += "loop ";
  for (int i = 0; i < kDepth; ++i) blocks += "end ";
  blocks += ")";
  r = wat_to_binary(blocks);
  ASSERT_TRUE(r.ok()) << r.error().message;

  // Unbalanced hostile input fails cleanly.
  std::string open(kDepth, '(');
  EXPECT_FALSE(wat_to_binary("(func " + open).ok());
}

} // namespace
} // namespace tandem::wast
