// Unit tests of extern-name parsing, kebab case, semver and strong
// uniqueness (names.h).
#include "component/names.h"

#include <gtest/gtest.h>

namespace tandem::component {
namespace {

std::string name_error(std::string_view s) {
  auto r = parse_extern_name(s, 0);
  return r.ok() ? "<ok>" : r.error().message;
}

TEST(ComponentNames, Kebab) {
  for (const char* ok : {"a", "a1", "a-1", "a-1-b-2", "B", "B-1-C", "a11-B11-123-ABC-abc"})
    EXPECT_TRUE(is_kebab(ok)) << ok;
  for (const char* bad : {"", "1", "1-a", "a-", "a--b", "aBc", "-a", "a_b", "a.b"})
    EXPECT_FALSE(is_kebab(bad)) << bad;
  EXPECT_TRUE(is_lower_kebab("wasi-http"));
  EXPECT_FALSE(is_lower_kebab("wasi-HTTP"));
}

TEST(ComponentNames, PlainAndAnnotated) {
  EXPECT_EQ(name_error("foo-bar"), "<ok>");
  EXPECT_EQ(name_error("aBc"), "`aBc` is not in kebab case");
  EXPECT_EQ(name_error("[method]a"), "failed to find `.` character");
  EXPECT_EQ(name_error("[static]a.b.c"), "`b.c` is not in kebab case");
  EXPECT_EQ(name_error("[constructor]"), "`` is not in kebab case");
  auto m = parse_extern_name("[method]res.do-it", 0);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->annotation, ParsedName::Annotation::Method);
  EXPECT_EQ(m->resource, "res");
  EXPECT_EQ(m->label, "do-it");
}

TEST(ComponentNames, InterfaceNames) {
  auto r = parse_extern_name("wasi:http/types@0.2.1-rc.1+build.5", 0);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->kind, ParsedName::Kind::Interface);
  EXPECT_EQ(r->ns, "wasi");
  EXPECT_EQ(r->package, "http");
  EXPECT_EQ(r->interface, "types");
  EXPECT_EQ(r->version.value_or(""), "0.2.1-rc.1+build.5");
  EXPECT_EQ(name_error("foo:bar:baz/qux"), "expected `/` after package name");
  EXPECT_EQ(name_error("foo:bar/baz/qux"), "trailing characters found: `/qux`");
  EXPECT_EQ(name_error("wasi:HtTp/types"), "`HtTp` is not in kebab case");
  EXPECT_NE(name_error("ns:pkg-A/b").find("not lowercase"), std::string::npos);
  EXPECT_EQ(name_error("wasi:"), "`` is not in kebab case");
}

TEST(ComponentNames, Semver) {
  auto err = [](std::string_view v) {
    Status s = parse_semver(v, 0);
    return s.ok() ? std::string("<ok>") : s.error().message;
  };
  EXPECT_EQ(err("1.2.3"), "<ok>");
  EXPECT_EQ(err("0.0.0-abcd.1.2+efg.4.ee.5"), "<ok>");
  EXPECT_EQ(err(""), "empty string, expected a semver version");
  EXPECT_EQ(err("."), "unexpected character '.' while parsing major version number");
  EXPECT_EQ(err("1."), "unexpected end of input while parsing minor version number");
  EXPECT_EQ(err("2.0x0"), "unexpected character 'x' after minor version number");
  EXPECT_EQ(err("2.0.0+"), "empty identifier segment in build metadata");
  EXPECT_EQ(err("2.0.0-"), "empty identifier segment in pre-release identifier");
  EXPECT_EQ(err("01.0.0"), "invalid leading zero in major version number");
}

TEST(ComponentNames, StrongUniqueness) {
  auto key = [](std::string_view s) { return unique_key(parse_extern_name(s, 0).value()); };
  EXPECT_EQ(key("foo"), key("FOO"));
  EXPECT_EQ(key("[method]foo.foo"), key("foo"));
  EXPECT_EQ(key("[static]foo.bar"), key("[method]foo.BAR"));
  EXPECT_NE(key("[constructor]foo"), key("foo"));
  EXPECT_EQ(key("foo:bar/baz"), key("foo:bar/BAZ"));
  EXPECT_NE(key("wasi:http/types"), key("wasi:http/types@1.0.0"));
}

} // namespace
} // namespace tandem::component
