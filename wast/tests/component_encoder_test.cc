// Unit tests of the component text encoder: expected bytes for small
// components (checked by hand against Binary.md and the annotated binaries
// of the suite's binary/binary.wast), name resolution, desugaring order and
// error cases.
#include "wast/component_encoder.h"

#include "base/leb128.h"
#include "component_walker.h"
#include "wast/wat_module.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tandem::wast {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes preamble() {
  return {0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00};
}

Bytes with_preamble(Bytes body) {
  Bytes out = preamble();
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// A section: id, size, body.
Bytes sec(uint8_t id, const Bytes& body) {
  Bytes out{id};
  write_uleb(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// The `component-name` custom section naming instance 0 (or core instance 0).
Bytes instance_name_section(bool core, char name) {
  Bytes sub = core ? Bytes{0x00, 0x12} : Bytes{0x05};
  sub.insert(sub.end(), {0x01, 0x00, 0x01, uint8_t(name)});
  Bytes body{14, 'c', 'o', 'm', 'p', 'o', 'n', 'e', 'n', 't', '-', 'n', 'a', 'm', 'e', 0x01};
  write_uleb(body, sub.size());
  body.insert(body.end(), sub.begin(), sub.end());
  return sec(0, body);
}

// A component made of sections.
Bytes comp(std::initializer_list<Bytes> sections) {
  Bytes out = preamble();
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

Bytes encode(std::string_view text) {
  auto r = component_text_to_binary(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message) << " in: " << text;
  return r.ok() ? r.value() : Bytes{};
}

TEST(ComponentEncoder, EmptyComponent) {
  EXPECT_EQ(encode("(component)"), preamble());
}

TEST(ComponentEncoder, PrimitiveType) {
  EXPECT_EQ(encode("(component (type string))"), with_preamble({0x07, 0x02, 0x01, 0x73}));
}

// binary.wast, "instance section (id 5)".
TEST(ComponentEncoder, InstancesAndExportAlias) {
  Bytes want = with_preamble({
      0x07, 0x05, 0x01, 0x40, 0x00, 0x01, 0x00,                   // type: (func)
      0x0a, 0x06, 0x01, 0x00, 0x01, 'f',  0x01, 0x00,             // import "f" (func (type 0))
      0x04, 0x17, 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, // nested component
      0x07, 0x05, 0x01, 0x40, 0x00, 0x01, 0x00,                   //   type: (func)
      0x0a, 0x06, 0x01, 0x00, 0x01, 'x',  0x01, 0x00,             //   import "x"
      0x05, 0x11, 0x03,                                           // 3 instances
      0x00, 0x00, 0x01, 0x01, 'x',  0x01, 0x00,      //   instantiate 0 (with "x" (func 0))
      0x01, 0x00,                                    //   (instance)
      0x01, 0x01, 0x00, 0x01, 'g',  0x01, 0x00,      //   (export "g" (func 0))
      0x06, 0x06, 0x01, 0x01, 0x00, 0x02, 0x01, 'g', // alias export 2 "g" (func)
  });
  EXPECT_EQ(encode(R"((component
      (import "f" (func))
      (component (import "x" (func)))
      (instance (instantiate 0 (with "x" (func 0))))
      (instance)
      (instance (export "g" (func 0)))
      (alias export 2 "g" (func)))
  )"),
            want);
}

// binary.wast, "type section (id 7)": every defined value type.
TEST(ComponentEncoder, DefinedValueTypes) {
  Bytes want = with_preamble({
      0x07, 0x4f, 0x13,                                                 // 19 types
      0x3f, 0x7f, 0x00,                                                 // (resource (rep i32))
      0x72, 0x02, 0x01, 'a',  0x7f, 0x01, 'b',  0x7d,                   // record
      0x71, 0x02, 0x01, 'x',  0x01, 0x7e, 0x00, 0x01, 'y',  0x00, 0x00, // variant
      0x70, 0x7b, 0x6f, 0x02, 0x7c, 0x79,                               // list, tuple
      0x6e, 0x02, 0x02, 'f',  '1',  0x02, 'f',  '2',                    // flags
      0x6d, 0x02, 0x02, 'e',  '1',  0x02, 'e',  '2',                    // enum
      0x6b, 0x7a,                                                       // option
      0x6a, 0x00, 0x00, 0x6a, 0x01, 0x77, 0x00, 0x6a, 0x00, 0x01, 0x78,
      0x6a, 0x01, 0x76, 0x01, 0x75, 0x69, 0x00, 0x68, 0x00,       // own, borrow
      0x66, 0x01, 0x7d, 0x66, 0x00, 0x65, 0x01, 0x73, 0x65, 0x00, // stream, future
      0x70, 0x02,                                                 // (list 2)
  });
  EXPECT_EQ(encode(R"((component
      (type (resource (rep i32)))
      (type (record (field "a" bool) (field "b" u8)))
      (type (variant (case "x" s8) (case "y")))
      (type (list u16))
      (type (tuple s16 u32))
      (type (flags "f1" "f2"))
      (type (enum "e1" "e2"))
      (type (option s32))
      (type (result))
      (type (result u64))
      (type (result (error s64)))
      (type (result f32 (error f64)))
      (type (own 0))
      (type (borrow 0))
      (type (stream u8))
      (type (stream))
      (type (future string))
      (type (future))
      (type (list 2)))
  )"),
            want);
  EXPECT_EQ(encode("(component (type (list u8 3)) (type (map string u32)))"),
            with_preamble({0x07, 0x07, 0x02, 0x67, 0x7d, 0x03, 0x63, 0x73, 0x79}));
}

TEST(ComponentEncoder, FunctionTypes) {
  EXPECT_EQ(encode(R"((component (type (func)) (type (func (param "p" bool) (result u32)))
                                  (type (func async))))"),
            with_preamble({0x07, 0x10, 0x03, 0x40, 0x00, 0x01, 0x00, 0x40, 0x01, 0x01, 'p', 0x7f,
                           0x00, 0x79, 0x43, 0x00, 0x01, 0x00}));
}

TEST(ComponentEncoder, ComponentAndInstanceTypes) {
  EXPECT_EQ(
      encode(R"((component (type (component
      (type string) (import "a" (type (eq 0))) (type (func)) (export "b" (func (type 2)))))))"),
      with_preamble({0x07, 0x17, 0x01, 0x41, 0x04, 0x01, 0x73, 0x03, 0x00, 0x01, 'a',  0x03, 0x00,
                     0x00, 0x01, 0x40, 0x00, 0x01, 0x00, 0x04, 0x00, 0x01, 'b',  0x01, 0x02}));
  EXPECT_EQ(encode(R"((component (type string) (type (instance
      (core type (func)) (alias outer 1 0 (type)) (export "t" (type (eq 0)))))))"),
            comp({sec(7, {0x02, 0x73, 0x42, 0x03, 0x00, 0x60, 0x00, 0x00, 0x02, 0x03,
                          0x02, 0x01, 0x00, 0x04, 0x00, 0x01, 't',  0x03, 0x00, 0x00})}));
}

// binary.wast, "core type section (id 3)", merged into one section.
TEST(ComponentEncoder, CoreTypes) {
  EXPECT_EQ(encode(R"((component
      (core type (func))
      (core type (sub (func)))
      (core type (module (type (func)) (import "a" "b" (func (type 0)))
                         (alias outer 1 0 (type)) (export "e" (func (type 0)))))))"),
            comp({sec(3, {0x03, 0x60, 0x00, 0x00, 0x00, 0x50, 0x00, 0x60, 0x00, 0x00, 0x50,
                          0x04, 0x01, 0x60, 0x00, 0x00, 0x00, 0x01, 'a',  0x01, 'b',  0x00,
                          0x00, 0x02, 0x10, 0x01, 0x01, 0x00, 0x03, 0x01, 'e',  0x00, 0x00})}));
  // A rec group counts each member; an inline signature in a module type
  // reuses an earlier explicit type, else gets a fresh one.
  EXPECT_EQ(encode(R"((component
      (core rec (type $a (struct (field (ref null $b)))) (type $b (array i8)))
      (core type (module (type $f (func (param i32)))
                         (import "m" "f" (func (param i32)))
                         (import "m" "g" (func (result i32)))
                         (export "mem" (memory 1 2))
                         (export "tab" (table 1 funcref))
                         (export "glob" (global (mut i64)))))))"),
            comp({sec(3, {0x02, 0x4e, 0x02, 0x5f, 0x01, 0x63, 0x01, 0x00, 0x5e, 0x78, 0x00, 0x50,
                          0x07, 0x01, 0x60, 0x01, 0x7f, 0x00,       // type $f
                          0x00, 0x01, 'm',  0x01, 'f',  0x00, 0x00, // reuses $f
                          0x01, 0x60, 0x00, 0x01, 0x7f,             // fresh type 1
                          0x00, 0x01, 'm',  0x01, 'g',  0x00, 0x01, 0x03, 0x03, 'm',  'e',  'm',
                          0x02, 0x01, 0x01, 0x02, 0x03, 0x03, 't',  'a',  'b',  0x01, 0x70, 0x00,
                          0x01, 0x03, 0x04, 'g',  'l',  'o',  'b',  0x03, 0x7e, 0x01})}));
}

// binary.wast, "canonical section (id 8)": every canon, by number.
TEST(ComponentEncoder, CanonicalDefinitions) {
  Bytes want = with_preamble({
      0x08, 0x93, 0x01, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x00, 0x03,
      0x00, 0x04, 0x05, 0x01, 0x00, 0x00, 0x02, 0x02, 0x06, 0x07, 0x03, 0x02, 0x00, 0x00, 0x00,
      0x01, 0x05, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00, 0x00, 0x01, 0x02, 0x02,
      0x05, 0x03, 0x05, 0x04, 0x05, 0x24, 0x25, 0x09, 0x01, 0x00, 0x00, 0x09, 0x00, 0x79, 0x00,
      0x05, 0x0a, 0x7f, 0x00, 0x0b, 0x7f, 0x00, 0x06, 0x00, 0x06, 0x01, 0x0d, 0x0e, 0x03, 0x0f,
      0x03, 0x02, 0x03, 0x00, 0x04, 0x05, 0x10, 0x03, 0x02, 0x03, 0x00, 0x04, 0x05, 0x11, 0x03,
      0x00, 0x12, 0x03, 0x01, 0x13, 0x03, 0x14, 0x03, 0x15, 0x04, 0x16, 0x04, 0x02, 0x03, 0x00,
      0x04, 0x05, 0x17, 0x04, 0x02, 0x03, 0x00, 0x04, 0x05, 0x18, 0x04, 0x00, 0x19, 0x04, 0x01,
      0x1a, 0x04, 0x1b, 0x04, 0x1f, 0x20, 0x00, 0x00, 0x21, 0x01, 0x00, 0x22, 0x23, 0x26, 0x27,
      0x00, 0x00, 0x28, 0x29, 0x00, 0x0c, 0x01, 0x2a, 0x00, 0x2b, 0x00, 0x2c, 0x00, 0x2d, 0x01,
  });
  EXPECT_EQ(encode(R"((component
      (canon lift (core func 0) (func (type 0)))
      (canon lift (core func 1) string-encoding=utf8 (memory 0) (realloc 5) (func (type 1)))
      (canon lift (core func 2) async (callback 3) (func (type 2)))
      (canon lift (core func 0) (post-return 0) (func (type 0)))
      (canon lower (func 0) string-encoding=utf16 (core func))
      (canon lower (func 0) string-encoding=latin1+utf16 (core func))
      (canon resource.new 5 (core func))
      (canon resource.drop 5 (core func))
      (canon resource.rep 5 (core func))
      (canon backpressure.inc (core func))
      (canon backpressure.dec (core func))
      (canon task.return (core func))
      (canon task.return (result u32) (core func))
      (canon task.cancel (core func))
      (canon context.get i32 0 (core func))
      (canon context.set i32 0 (core func))
      (canon subtask.cancel (core func))
      (canon subtask.cancel async (core func))
      (canon subtask.drop (core func))
      (canon stream.new 3 (core func))
      (canon stream.read 3 (memory 0) (realloc 5) (core func))
      (canon stream.write 3 (memory 0) (realloc 5) (core func))
      (canon stream.cancel-read 3 (core func))
      (canon stream.cancel-write 3 async (core func))
      (canon stream.drop-readable 3 (core func))
      (canon stream.drop-writable 3 (core func))
      (canon future.new 4 (core func))
      (canon future.read 4 (memory 0) (realloc 5) (core func))
      (canon future.write 4 (memory 0) (realloc 5) (core func))
      (canon future.cancel-read 4 (core func))
      (canon future.cancel-write 4 async (core func))
      (canon future.drop-readable 4 (core func))
      (canon future.drop-writable 4 (core func))
      (canon waitable-set.new (core func))
      (canon waitable-set.wait (memory 0) (core func))
      (canon waitable-set.poll cancellable (memory 0) (core func))
      (canon waitable-set.drop (core func))
      (canon waitable.join (core func))
      (canon thread.index (core func))
      (canon thread.new-indirect 0 0 (core func))
      (canon thread.resume-later (core func))
      (canon thread.suspend (core func))
      (canon thread.yield cancellable (core func))
      (canon thread.suspend-then-resume (core func))
      (canon thread.yield-then-resume (core func))
      (canon thread.suspend-then-promote (core func))
      (canon thread.yield-then-promote cancellable (core func))))"),
            want);
}

// binary.wast, "import section (id 10)": attributes use the 0x02 name form.
TEST(ComponentEncoder, ImportAttributes) {
  Bytes want = with_preamble(
      {0x07, 0x03, 0x01, 0x42, 0x00, 0x0a, 0x2f, 0x02, 0x02, 0x02, 'i', '1', 0x01, 0x00, 0x0c});
  for (char c : std::string("my:dep/iface")) want.push_back(uint8_t(c));
  for (uint8_t b : Bytes{0x05, 0x00, 0x02, 0x02, 'i', '2', 0x01, 0x02, 0x10}) want.push_back(b);
  for (char c : std::string("some-external-id")) want.push_back(uint8_t(c));
  for (uint8_t b : Bytes{0x05, 0x00}) want.push_back(b);
  EXPECT_EQ(encode(R"((component (type (instance))
      (import "i1" (implements "my:dep/iface") (instance (type 0)))
      (import "i2" (external-id "some-external-id") (instance (type 0)))))"),
            want);
}

// Inline type uses become types just before their user; inline export
// references become aliases after those types, just before the user.
TEST(ComponentEncoder, DesugaringOrder) {
  EXPECT_EQ(encode(R"((component
      (import "f" (func $f (param "x" (list u8)) (result string)))))"),
            with_preamble({0x07, 0x0a, 0x02, 0x70, 0x7d, 0x40, 0x01, 0x01, 'x',  0x00,
                           0x00, 0x73, 0x0a, 0x06, 0x01, 0x00, 0x01, 'f',  0x01, 0x01}));
  // The bundle (instance 1) is defined before the alias of $i "j" (instance 2).
  EXPECT_EQ(encode(R"((component
      (import "i" (instance $i (export "j" (instance))))
      (instance (instantiate 0 (with "a" (instance $i "j")) (with "b" (instance))))))"),
            comp({sec(7, {0x01, 0x42, 0x02, 0x01, 0x42, 0x00, 0x04, 0x00, 0x01, 'j', 0x05, 0x00}),
                  sec(10, {0x01, 0x00, 0x01, 'i', 0x05, 0x00}),
                  sec(5, {0x01, 0x01, 0x00}),                  // bundle: instance 1
                  sec(6, {0x01, 0x05, 0x00, 0x00, 0x01, 'j'}), // alias: instance 2
                  sec(5, {0x01, 0x00, 0x00, 0x02, 0x01, 'a', 0x05, 0x02, 0x01, 'b', 0x05, 0x01}),
                  instance_name_section(false, 'i')}));
  // A lifted function: type, then the core export alias, then the canon.
  Bytes lifted = with_preamble({0x03, 0x0c, 0x01, 0x50, 0x02, 0x01, 0x60, 0x00, 0x00,
                                0x03, 0x01, 'f',  0x00, 0x00,                         // module type
                                0x0a, 0x07, 0x01, 0x00, 0x01, 'm',  0x00, 0x11, 0x00, // import
                                0x02, 0x04, 0x01, 0x00, 0x00, 0x00,       // core instance
                                0x07, 0x05, 0x01, 0x40, 0x00, 0x01, 0x00, // (func)
                                0x06, 0x07, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 'f', // alias
                                0x08, 0x06, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,      // canon lift
                                0x0b, 0x07, 0x01, 0x00, 0x01, 'g',  0x01, 0x00, 0x00}); // export
  Bytes names = instance_name_section(true, 'i');
  lifted.insert(lifted.end(), names.begin(), names.end());
  EXPECT_EQ(encode(R"((component
      (import "m" (core module $m (export "f" (func))))
      (core instance $i (instantiate $m))
      (func (export "g") (canon lift (core func $i "f")))))"),
            lifted);
}

// Inline `(export "n")` clauses become exports at the end of the component,
// each adding an index.
TEST(ComponentEncoder, InlineExportsAreAppended) {
  EXPECT_EQ(encode(R"((component (type (export "t") u8) (type u16)))"),
            with_preamble({0x07, 0x03, 0x02, 0x7d, 0x7b, 0x0b, 0x07, 0x01, 0x00, 0x01, 't', 0x03,
                           0x00, 0x00}));
}

// A name found only in an enclosing scope becomes an `alias outer` under the
// same name, for the sorts that can be outer-aliased.
TEST(ComponentEncoder, ImplicitOuterAlias) {
  EXPECT_EQ(encode(R"((component $C (type $t u8)
      (component (import "x" (func (param "a" $t) (result $t))))))"),
            comp({sec(7, {0x01, 0x7d}),
                  sec(4, comp({sec(6, {0x01, 0x03, 0x02, 0x01, 0x00}),
                               sec(7, {0x01, 0x40, 0x01, 0x01, 'a', 0x00, 0x00, 0x00}),
                               sec(10, {0x01, 0x00, 0x01, 'x', 0x01, 0x01})}))}));
  auto r = component_text_to_binary(
      R"((component (import "x" (func $x)) (component (export "x" (func $x)))))");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "outer item `x` is not a module, type, or component");
}

TEST(ComponentEncoder, ExplicitOuterAliasByName) {
  EXPECT_EQ(
      encode(R"((component $C (core module $M) (component (alias outer $C $M (core module)))))"),
      comp({sec(1, {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}),
            sec(4, comp({sec(6, {0x01, 0x00, 0x11, 0x02, 0x01, 0x00})}))}));
}

// Strict and legacy spellings of core references in canonical options.
TEST(ComponentEncoder, StrictAndLegacyCoreReferences) {
  const char* prefix = R"((component
      (import "f" (func $f (param "x" string)))
      (import "m" (core module $M (export "mem" (memory 1))
                                  (export "realloc" (func (param i32 i32 i32 i32) (result i32)))))
      (core instance $i (instantiate $M))
      (alias core export $i "mem" (core memory $mem))
      (alias core export $i "realloc" (core func $realloc)))";
  Bytes strict = encode(std::string(prefix) +
                        "(core func (canon lower (func $f) (memory (core memory $i \"mem\")) "
                        "(realloc (core func $i \"realloc\")))))");
  Bytes legacy =
      encode(std::string(prefix) + "(core func (canon lower (func $f) (memory $i \"mem\") "
                                   "(realloc (func $i \"realloc\")))))");
  EXPECT_EQ(strict, legacy);
  Bytes by_name = encode(std::string(prefix) +
                         "(core func (canon lower (func $f) (memory $mem) (realloc $realloc))))");
  Bytes by_ref = encode(std::string(prefix) + "(core func (canon lower (func $f) "
                                              "(memory (core memory $mem)) (realloc (core func "
                                              "$realloc)))))");
  EXPECT_EQ(by_name, by_ref);
  EXPECT_NE(strict, by_name); // the inline forms add two aliases
}

TEST(ComponentEncoder, EmbeddedCoreModuleUsesTheCoreEncoder) {
  auto core = wat_to_binary("(func (export \"f\"))");
  ASSERT_TRUE(core.ok());
  Bytes want = preamble();
  want.push_back(0x01);
  want.push_back(uint8_t(core->size()));
  want.insert(want.end(), core->begin(), core->end());
  EXPECT_EQ(encode("(component (core module $m (@name \"m\") (func (export \"f\"))))"), want);
}

TEST(ComponentEncoder, WholeFormsAndFields) {
  auto toks = lex("(component definition $C binary \"\\00asm\" \"\\0d\\00\\01\\00\")");
  ASSERT_TRUE(toks.ok());
  auto r = encode_wat_component(*toks);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, preamble());
  auto fields = lex("(type u8) (type u16)");
  ASSERT_TRUE(fields.ok());
  auto f = encode_wat_component_fields(*fields, std::nullopt);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, with_preamble({0x07, 0x03, 0x02, 0x7d, 0x7b}));
  // The quote form: the strings are the body.
  EXPECT_EQ(encode(R"x((component quote "(type u8)" "(type u16)"))x"), *f);
}

TEST(ComponentEncoder, ValuesAndStart) {
  EXPECT_EQ(encode(R"((component
      (import "v" (value $v u32))
      (import "f" (func $f (param "x" u32) (result u32)))
      (start $f (value $v) (result (value $r)))
      (export "r" (value $r))))"),
            comp({sec(10, {0x01, 0x00, 0x01, 'v', 0x02, 0x01, 0x79}),
                  sec(7, {0x01, 0x40, 0x01, 0x01, 'x', 0x79, 0x00, 0x79}),
                  sec(10, {0x01, 0x00, 0x01, 'f', 0x01, 0x00}), sec(9, {0x00, 0x01, 0x00, 0x01}),
                  sec(11, {0x01, 0x00, 0x01, 'r', 0x02, 0x01, 0x00})}));
}

TEST(ComponentEncoder, AnnotationsAreIgnored) {
  EXPECT_EQ(encode("(component (@name \"c\") (type (@x (y)) u8) (@custom \"z\" \"\"))"),
            encode("(component (type u8))"));
}

// The test oracle itself must be able to fail.
TEST(ComponentWalker, RejectsBadBinaries) {
  Bytes good = encode("(component (type u8) (type (list 0)))");
  EXPECT_EQ(testing::ComponentWalker(good, true).run(), "");
  Bytes oob = comp({sec(7, {0x01, 0x70, 0x05})}); // (list <type 5>)
  EXPECT_NE(testing::ComponentWalker(oob, true).run(), "");
  EXPECT_EQ(testing::ComponentWalker(oob, false).run(), "");
  Bytes short_section = comp({sec(7, {0x02, 0x73})}); // 2 types, 1 given
  EXPECT_NE(testing::ComponentWalker(short_section, false).run(), "");
  Bytes bad_canon = comp({sec(8, {0x01, 0x07})});
  EXPECT_NE(testing::ComponentWalker(bad_canon, false).run(), "");
}

Error encode_error(std::string_view text) {
  auto r = component_text_to_binary(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? Error{} : r.error();
}

TEST(ComponentEncoder, Errors) {
  Error e = encode_error("(component (import \"a\" (func $f)) (import \"b\" (func $f)))");
  EXPECT_EQ(e.message, "duplicate func identifier");
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(e.column, 53u);
  EXPECT_EQ(encode_error("(component (type (list $nope)))").message,
            "unknown type: failed to find name `$nope`");
  EXPECT_EQ(encode_error("(component (import \"a\" (implements \"a:b/c\") (implements \"a:b/c\") "
                         "(instance)))")
                .message,
            "unexpected token");
  EXPECT_EQ(encode_error("(component (alias outer $X 0 (type)))").message,
            "outer component `X` not found");
  EXPECT_EQ(encode_error("(component (type (func (result \"a\" u8))))").message,
            "unexpected token");
  EXPECT_EQ(encode_error("(component (canon nope (core func)))").message, "unexpected token");
  EXPECT_EQ(encode_error("(component (import \"a\" (func $f)) (component (import \"b\" "
                         "(func (type $f)))))")
                .message,
            "unknown type: failed to find name `$f`");
  EXPECT_EQ(encode_error("(component (bogus))").message, "expected valid component field");
  EXPECT_EQ(encode_error("(component (type u8)").message, "unexpected end of input");
  EXPECT_EQ(encode_error("(component (core module (func (export \"f\") (nope))))").message,
            "unknown operator nope");
}

TEST(ComponentEncoder, DeepNestingIsACleanError) {
  const std::pair<const char*, const char*> cases[] = {
      {"(component ", "(type (component "},
      {"(component ", "(component "},
      {"(component ", "(import \"i\" (component "},
      {"(component (type (instance ", "(export \"e\" (instance "},
  };
  for (auto [prefix, open] : cases) {
    std::string text = prefix;
    for (int i = 0; i < 1000; ++i) text += open;
    Error e = encode_error(text);
    EXPECT_EQ(e.message, "nesting too deep") << open;
  }
  std::string list = "(component (type ";
  for (int i = 0; i < 1000; ++i) list += "(list ";
  list += "u8";
  for (int i = 0; i < 1000; ++i) list += ")";
  list += "))";
  EXPECT_EQ(encode_error(list).message, "nesting too deep");
  // 100 levels are fine.
  std::string ok = "(component (type ";
  for (int i = 0; i < 100; ++i) ok += "(list ";
  ok += "u8";
  for (int i = 0; i < 100; ++i) ok += ")";
  ok += "))";
  // 100 types of 2 bytes; those naming type 64 and up take a 2-byte s33.
  EXPECT_EQ(encode(ok).size(), 8u + 3u + 1u + 100u * 2u + 35u);
}

} // namespace
} // namespace tandem::wast
