// Unit tests of the component binary decoder: preamble and section framing,
// wasmparser messages, index-space provenance, and nesting limits.
#include "component/decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tandem::component {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes preamble() {
  return {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
}

void append(Bytes& b, const Bytes& more) {
  b.insert(b.end(), more.begin(), more.end());
}

void leb(Bytes& b, uint32_t v) {
  do {
    uint8_t x = v & 0x7f;
    v >>= 7;
    if (v) x |= 0x80;
    b.push_back(x);
  } while (v);
}

// A section with id and contents.
Bytes section(uint8_t id, const Bytes& contents) {
  Bytes b{id};
  leb(b, uint32_t(contents.size()));
  append(b, contents);
  return b;
}

Bytes name(const std::string& s) {
  Bytes b;
  leb(b, uint32_t(s.size()));
  b.insert(b.end(), s.begin(), s.end());
  return b;
}

Result<std::shared_ptr<const Component>> decode(const Bytes& b) {
  return decode_component(b, FeatureSet::all());
}

std::string error_of(const Bytes& b) {
  auto r = decode(b);
  if (r.ok()) return "<ok>";
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
  return r.error().message;
}

TEST(ComponentDecoder, EmptyComponent) {
  auto r = decode(preamble());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE((*r)->order.empty());
  EXPECT_TRUE(is_component_binary(preamble()));
}

TEST(ComponentDecoder, PreambleErrors) {
  EXPECT_EQ(error_of({}), "unexpected end-of-file");
  EXPECT_NE(error_of({0x00, 0x61, 0x73, 0x6e, 0x0d, 0x00, 0x01, 0x00}).find("magic header"),
            std::string::npos);
  EXPECT_EQ(error_of({0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}),
            "expected a version header for a component");
  EXPECT_NE(
      error_of({0x00, 0x61, 0x73, 0x6d, 0x0c, 0x00, 0x01, 0x00}).find("unknown binary version"),
      std::string::npos);
  EXPECT_FALSE(is_component_binary(Bytes{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}));
}

TEST(ComponentDecoder, SectionFraming) {
  Bytes b = preamble();
  b.push_back(0x0d); // section id 13
  b.push_back(0x00);
  EXPECT_EQ(error_of(b), "malformed section id: 13");

  b = preamble();
  append(b, {0x07, 0x03, 0x00}); // size 3, one byte present
  EXPECT_EQ(error_of(b), "unexpected end-of-file");

  b = preamble();
  append(b, section(7, {0x00, 0x00})); // 0 types and a stray byte
  EXPECT_NE(error_of(b).find("section size mismatch"), std::string::npos);

  b = preamble();
  append(b, section(0, name("hi")));
  EXPECT_EQ(error_of(b), "<ok>");
}

TEST(ComponentDecoder, LeadingByteMessages) {
  Bytes b = preamble();
  append(b, section(5, {0x01, 0x02, 0x00, 0x00}));
  EXPECT_EQ(error_of(b), "invalid leading byte (0x2) for instance");

  b = preamble();
  append(b, section(8, {0x01, 0x07}));
  EXPECT_EQ(error_of(b), "invalid leading byte (0x7) for canonical function");

  b = preamble();
  append(b, section(8, {0x01, 0x0c, 0x02}));
  EXPECT_EQ(error_of(b), "invalid boolean value");
}

// imports a func type and func, embeds an empty core module, instantiates it,
// lifts an aliased core func and exports it: every index space entry records
// where it comes from.
TEST(ComponentDecoder, IndexSpaceProvenance) {
  Bytes b = preamble();
  // core module: (func (export "f"))
  Bytes mod{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01,
            0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01,
            'f',  0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};
  append(b, section(1, mod));
  append(b, section(2, {0x01, 0x00, 0x00, 0x00})); // core instance 0
  Bytes alias{0x01, 0x00, 0x00, 0x01, 0x00};       // core func export alias
  append(alias, name("f"));
  append(b, section(6, alias));
  append(b, section(7, {0x01, 0x40, 0x00, 0x01, 0x00})); // type 0: (func)
  Bytes imp{0x01, 0x00};
  append(imp, name("g"));
  append(imp, {0x01, 0x00});
  append(b, section(10, imp));                                 // import "g" (func 0)
  append(b, section(8, {0x01, 0x00, 0x00, 0x00, 0x00, 0x00})); // lift core func 0 -> func 1
  Bytes exp{0x01, 0x00};
  append(exp, name("h"));
  append(exp, {0x01, 0x01, 0x00});
  append(b, section(11, exp)); // export "h" (func 1) -> func 2

  auto r = decode(b);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Component& c = **r;
  ASSERT_EQ(c.modules.size(), 1u);
  ASSERT_TRUE(c.modules[0].module);
  EXPECT_EQ(c.modules[0].module->exports.size(), 1u);
  ASSERT_EQ(c.spaces.core_modules.size(), 1u);
  EXPECT_EQ(c.spaces.core_modules[0].origin, Origin::CoreModule);
  ASSERT_EQ(c.spaces.core_instances.size(), 1u);
  ASSERT_EQ(c.spaces.core_funcs.size(), 1u);
  EXPECT_EQ(c.spaces.core_funcs[0].origin, Origin::Alias);
  EXPECT_EQ(c.aliases[0].kind, Alias::Kind::CoreInstanceExport);
  ASSERT_EQ(c.spaces.types.size(), 1u);
  ASSERT_EQ(c.spaces.funcs.size(), 3u);
  EXPECT_EQ(c.spaces.funcs[0].origin, Origin::Import);
  EXPECT_EQ(c.spaces.funcs[1].origin, Origin::Canon);
  EXPECT_EQ(c.spaces.funcs[2].origin, Origin::Export);
  EXPECT_EQ(c.order.size(), 7u);
  EXPECT_EQ(c.order[0].kind, DefinitionKind::CoreModule);
  EXPECT_EQ(c.order.back().kind, DefinitionKind::Export);
}

TEST(ComponentDecoder, CoreModuleHeaderMessages) {
  Bytes b = preamble();
  append(b, section(1, preamble()));
  EXPECT_EQ(error_of(b), "expected a version header for a module");
}

// Deeply nested components hit the nesting limit instead of the native stack.
TEST(ComponentDecoder, NestingLimit) {
  Bytes inner = preamble();
  for (int i = 0; i < 300; ++i) {
    Bytes outer = preamble();
    append(outer, section(4, inner));
    inner = std::move(outer);
  }
  EXPECT_EQ(error_of(inner), "component nesting too deep");

  // Instance types nested in instance types.
  Bytes ty{0x42, 0x00};
  for (int i = 0; i < 300; ++i) {
    Bytes t{0x42, 0x01, 0x01}; // instance type, 1 decl: type
    append(t, ty);
    ty = std::move(t);
  }
  Bytes b = preamble();
  Bytes sec{0x01};
  append(sec, ty);
  append(b, section(7, sec));
  EXPECT_EQ(error_of(b), "type nesting is too deep");
}

TEST(ComponentDecoder, NameAttributes) {
  Bytes b = preamble();
  append(b, section(7, {0x01, 0x42, 0x00}));
  Bytes imp{0x01, 0x02};
  append(imp, name("i"));
  imp.push_back(0x02);
  imp.push_back(0x00);
  append(imp, name("a:b/x"));
  imp.push_back(0x02);
  append(imp, name("some-id"));
  append(imp, {0x05, 0x00});
  append(b, section(10, imp));
  auto r = decode(b);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const ExternName& n = (*r)->imports[0].name;
  EXPECT_EQ(n.name, "i");
  EXPECT_EQ(n.implements.value_or(""), "a:b/x");
  EXPECT_EQ(n.external_id.value_or(""), "some-id");
  EXPECT_TRUE(n.duplicate_attribute.empty());
}

} // namespace
} // namespace tandem::component
