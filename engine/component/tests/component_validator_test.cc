// Unit tests of component validation written in component text (encoded by
// the wast/ encoder): resource generativity, outer-alias restrictions, type
// depth limits, feature gating and the validated component type.
#include "component/decoder.h"
#include "component/validator.h"
#include "wast/component_encoder.h"

#include <gtest/gtest.h>

#include <string>

namespace tandem::component {
namespace {

Result<ValidatedComponent> check(const std::string& text, const FeatureSet& f = FeatureSet::all()) {
  auto bytes = wast::component_text_to_binary(text);
  if (!bytes.ok()) return Error::make(ErrorKind::Internal, "encode: " + bytes.error().message);
  auto c = decode_component(*bytes, f);
  if (!c.ok()) return std::move(c).error();
  return validate_component_types(**c, f);
}

std::string error_of(const std::string& text, const FeatureSet& f = FeatureSet::all()) {
  auto r = check(text, f);
  if (r.ok()) return "<ok>";
  EXPECT_EQ(r.error().kind, ErrorKind::Invalid) << r.error().message;
  return r.error().message;
}

// Each instantiation of a component that defines a resource makes a new
// resource type; one instantiation's type matches itself.
TEST(ComponentValidator, ResourceGenerativity) {
  const std::string defs = R"(
    (component $C
      (type $r (resource (rep i32)))
      (export "r" (type $r)))
    (component $D
      (import "x" (type $x (sub resource)))
      (import "y" (type (eq $x))))
    (instance $a (instantiate $C))
    (instance $b (instantiate $C))
    (alias export $a "r" (type $ra))
    (alias export $b "r" (type $rb))
  )";
  EXPECT_EQ(
      error_of("(component " + defs +
               "(instance (instantiate $D (with \"x\" (type $ra)) (with \"y\" (type $ra)))))"),
      "<ok>");
  std::string e = error_of("(component " + defs +
                           "(instance (instantiate $D (with \"x\" (type $ra)) (with \"y\" (type "
                           "$rb)))))");
  EXPECT_NE(e.find("type mismatch for import `y`"), std::string::npos) << e;
  EXPECT_NE(e.find("resource types are not the same"), std::string::npos) << e;
}

TEST(ComponentValidator, OuterAliasOfResourceAcrossComponents) {
  std::string e = error_of(R"((component
    (type $r (resource (rep i32)))
    (type $o (own $r))
    (component (alias outer 1 $o (type)))))");
  EXPECT_NE(e.find("cannot alias outer type which transitively refers to resources"),
            std::string::npos)
      << e;
  // Within a type scope (no component boundary) the alias is fine.
  EXPECT_EQ(error_of(R"((component
    (type $r (resource (rep i32)))
    (type $o (own $r))
    (type (instance (alias outer 1 $o (type))))))"),
            "<ok>");
}

TEST(ComponentValidator, TypeDepthLimit) {
  std::string text = "(component (type u8)";
  for (int i = 0; i < 150; ++i) text += " (type (option " + std::to_string(i) + "))";
  text += ")";
  EXPECT_EQ(error_of(text), "type nesting is too deep");
}

TEST(ComponentValidator, AsyncFeatureGate) {
  FeatureSet f = FeatureSet::all();
  f.set(Feature::component_model_async, false);
  EXPECT_EQ(error_of("(component (type (stream u8)))", f),
            "`stream` requires the component model async feature");
  EXPECT_EQ(error_of("(component (core func (canon waitable-set.new)))", f),
            "`waitable-set.new` requires the component model async feature");
  EXPECT_EQ(error_of("(component (type (stream u8)))"), "<ok>");
}

TEST(ComponentValidator, ExternalVisibility) {
  EXPECT_EQ(error_of(R"((component
    (type $R (record (field "x" u32)))
    (import "f" (func (result $R)))))"),
            "func not valid to be used as import");
  EXPECT_EQ(error_of(R"((component
    (type $R (record (field "x" u32)))
    (import "R" (type $R' (eq $R)))
    (import "f" (func (result $R')))))"),
            "<ok>");
}

TEST(ComponentValidator, ComponentTypeOfResult) {
  auto r = check(R"((component
    (import "a" (func (param "x" u32) (result string)))
    (import "wasi:http/types@0.2.0" (instance))
    (export "b" (func 0))))");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const ComponentTy& ct = r->types->components[r->component_type];
  ASSERT_EQ(ct.imports.size(), 2u);
  EXPECT_EQ(ct.imports.items[0].first, "a");
  EXPECT_EQ(ct.imports.items[1].first, "wasi:http/types@0.2.0");
  ASSERT_EQ(ct.exports.size(), 1u);
  const EntityType& b = ct.exports.items[0].second;
  ASSERT_EQ(b.kind, EntityType::Kind::Func);
  const FuncTy& f = r->types->funcs[b.id];
  ASSERT_EQ(f.params.size(), 1u);
  EXPECT_EQ(f.params[0].first, "x");
  ASSERT_TRUE(f.result.has_value());
  EXPECT_TRUE(f.result->is_prim);
  EXPECT_EQ(f.result->prim, PrimVal::String);
  // Per-index-space types of the top component: funcs 0 (import) and 1 (export).
  ASSERT_EQ(r->spaces.size(), 1u);
  const ComponentSpaceTypes& st = r->spaces.begin()->second;
  ASSERT_EQ(st.funcs.size(), 2u);
  EXPECT_EQ(st.funcs[0], b.id);
  EXPECT_EQ(st.instances.size(), 1u);
  EXPECT_EQ(st.component_type, r->component_type);
}

TEST(ComponentValidator, CanonLowerSignature) {
  // A lowered function whose flat params exceed 16 takes one pointer.
  std::string params;
  for (int i = 0; i < 17; ++i) params += " (param \"p" + std::to_string(i) + "\" u32)";
  std::string text = "(component (import \"f\" (func $f" + params +
                     "))"
                     "(core module $m (memory (export \"mem\") 1))"
                     "(core instance $i (instantiate $m))"
                     "(core func $g (canon lower (func $f) (memory (core memory $i \"mem\"))))"
                     "(core module $n (import \"\" \"g\" (func (param i32))))"
                     "(core instance (instantiate $n (with \"\" (instance (export \"g\" (func "
                     "$g)))))))";
  EXPECT_EQ(error_of(text), "<ok>");
  std::string wrong = text;
  wrong.replace(wrong.find("(func (param i32))"), 18, "(func (param i64))");
  EXPECT_NE(error_of(wrong).find("expected: (func (param i64))"), std::string::npos);
}

} // namespace
} // namespace tandem::component
