// Unit tests of host component instances (tandem/component.h HostInstance):
// binding to root imports, host CI paths seen by host functions, values in
// both directions through the canonical ABI (strings, records, options),
// host resources with destructors, and the link and type errors.
#include "tandem/component.h"
#include "wast/component_encoder.h"

#include <gtest/gtest.h>

#include <string>

namespace tandem {
namespace {

using VK = ComponentValue::Kind;

struct Fixture {
  Engine engine;
  Store store{engine};

  Result<ComponentInstance> instantiate(const std::string& text, const HostInstance& host) {
    auto bytes = wast::component_text_to_binary(text);
    if (!bytes) return bytes.error();
    TANDEM_ASSIGN(Component c, Component::compile(engine, *bytes));
    return ComponentInstance::instantiate(store, c, host);
  }
};

ComponentValue u32(uint32_t v) {
  ComponentValue c;
  c.kind = VK::U32;
  c.bits = v;
  return c;
}

ComponentValue str(std::string s) {
  ComponentValue c;
  c.kind = VK::String;
  c.text = std::move(s);
  c.bits = c.text.size();
  return c;
}

// A guest that lowers the host's `fs` functions and re-exports wrappers.
const char* kGuest = R"((component
  (import "fs" (instance $fs
    (export "read" (func (param "path" string) (result string)))
    (export "nested" (instance (export "where" (func (result u32)))))))
  (alias export $fs "read" (func $read))
  (alias export $fs "nested" (instance $nested))
  (alias export $nested "where" (func $where))
  (core module $libc
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $r i32)
      (local.set $r (global.get $next))
      (global.set $next (i32.add (global.get $next) (local.get 3)))
      (local.get $r)))
  (core instance $libc (instantiate $libc))
  (core func $read_c (canon lower (func $read) (memory $libc "mem") (realloc (func $libc "realloc"))))
  (core func $where_c (canon lower (func $where)))
  (core module $m
    (import "" "read" (func $read (param i32 i32 i32)))
    (import "" "where" (func $where (result i32)))
    (import "libc" "mem" (memory 1))
    ;; read(s) into a return area at 8, return the (ptr, len) pair at 8
    (func (export "cat") (param i32 i32) (result i32)
      (call $read (local.get 0) (local.get 1) (i32.const 8))
      (i32.const 8))
    (func (export "where") (result i32) (call $where)))
  (core instance $i (instantiate $m (with "libc" (instance $libc))
    (with "" (instance (export "read" (func $read_c)) (export "where" (func $where_c))))))
  (func (export "cat") (param "p" string) (result string)
    (canon lift (core func $i "cat") (memory $libc "mem") (realloc (func $libc "realloc"))))
  (func (export "where") (result u32) (canon lift (core func $i "where")))
  (export "direct-read" (func $read)))
)";

TEST(ComponentHost, StringsBothWaysAndPaths) {
  Fixture fx;
  std::string seen_path, seen_nested;
  HostInstance fs;
  fs.func("read",
          [&](HostCallContext& cx,
              std::span<const ComponentValue> args) -> Result<std::vector<ComponentValue>> {
            seen_path = std::string(cx.instance_path);
            if (args.size() != 1 || args[0].kind != VK::String)
              return Error::make(ErrorKind::Trap, "bad args");
            return std::vector{str("contents of " + args[0].text)};
          });
  fs.instance("nested",
              HostInstance().func("where",
                                  [&](HostCallContext& cx, std::span<const ComponentValue>)
                                      -> Result<std::vector<ComponentValue>> {
                                    seen_nested = std::string(cx.instance_path);
                                    return std::vector{u32(77)};
                                  }));
  HostInstance root;
  root.instance("fs", fs);
  auto inst = fx.instantiate(kGuest, root);
  ASSERT_TRUE(inst) << inst.error().message;
  ComponentValue arg = str("/etc/h\xc3\xa9llo");
  auto r = inst->call(fx.store, "cat", std::span(&arg, 1));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].text, "contents of /etc/h\xc3\xa9llo");
  EXPECT_EQ(seen_path, "host:fs");
  auto w = inst->call(fx.store, "where", {});
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ((*w)[0].bits, 77u);
  EXPECT_EQ(seen_nested, "host:fs/nested");
  // A host function re-exported and called by the host.
  auto d = inst->call(fx.store, "direct-read", std::span(&arg, 1));
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ((*d)[0].text, "contents of /etc/h\xc3\xa9llo");
}

TEST(ComponentHost, LinkErrors) {
  Fixture fx;
  HostInstance root;
  auto missing = fx.instantiate(kGuest, root);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::Unlinkable);
  EXPECT_NE(missing.error().message.find("missing import named `fs`"), std::string::npos);

  root.func(
      "fs",
      [](HostCallContext&, std::span<const ComponentValue>) -> Result<std::vector<ComponentValue>> {
        return std::vector<ComponentValue>{};
      });
  auto kind = fx.instantiate(kGuest, root);
  ASSERT_FALSE(kind);
  EXPECT_EQ(kind.error().kind, ErrorKind::Unlinkable);
  EXPECT_NE(kind.error().message.find("type mismatch for import `fs`"), std::string::npos)
      << kind.error().message;

  HostInstance partial;
  partial.func(
      "read",
      [](HostCallContext&, std::span<const ComponentValue>) -> Result<std::vector<ComponentValue>> {
        return std::vector{u32(1)};
      });
  HostInstance root2;
  root2.instance("fs", partial);
  auto nested = fx.instantiate(kGuest, root2);
  ASSERT_FALSE(nested);
  EXPECT_NE(nested.error().message.find("missing import named `fs/nested`"), std::string::npos)
      << nested.error().message;
}

TEST(ComponentHost, ResultOfTheWrongTypeTraps) {
  Fixture fx;
  HostInstance fs;
  fs.func(
      "read",
      [](HostCallContext&, std::span<const ComponentValue>) -> Result<std::vector<ComponentValue>> {
        return std::vector{u32(1)};
      });
  fs.instance("nested", HostInstance().func("where",
                                            [](HostCallContext&, std::span<const ComponentValue>)
                                                -> Result<std::vector<ComponentValue>> {
                                              return std::vector<ComponentValue>{};
                                            }));
  HostInstance root;
  root.instance("fs", fs);
  auto inst = fx.instantiate(kGuest, root);
  ASSERT_TRUE(inst) << inst.error().message;
  ComponentValue arg = str("x");
  auto r = inst->call(fx.store, "cat", std::span(&arg, 1));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_NE(r.error().message.find(
                "host function `read` of host:fs returned a value that does not match"),
            std::string::npos)
      << r.error().message;
}

TEST(ComponentHost, ResourcesAndDestructors) {
  Fixture fx;
  std::vector<uint32_t> dropped;
  HostInstance res;
  res.resource("thing", [&](uint32_t rep) -> Status {
    dropped.push_back(rep);
    return {};
  });
  res.resource_alias("thing-again", "thing");
  res.func("[constructor]thing",
           [](HostCallContext&,
              std::span<const ComponentValue> args) -> Result<std::vector<ComponentValue>> {
             ComponentValue own;
             own.kind = VK::Own;
             own.bits = args[0].bits;
             return std::vector{own};
           });
  res.func("[method]thing.rep",
           [](HostCallContext&,
              std::span<const ComponentValue> args) -> Result<std::vector<ComponentValue>> {
             if (args[0].kind != VK::Borrow) return Error::make(ErrorKind::Trap, "not a borrow");
             return std::vector{u32(uint32_t(args[0].bits) * 2)};
           });
  HostInstance root;
  root.instance("res", res);
  const char* guest = R"((component
    (import "res" (instance $res
      (export "thing" (type $t (sub resource)))
      (export "thing-again" (type (eq $t)))
      (export "[constructor]thing" (func (param "r" u32) (result (own $t))))
      (export "[method]thing.rep" (func (param "self" (borrow $t)) (result u32)))))
    (alias export $res "thing" (type $t))
    (core func $new (canon lower (func $res "[constructor]thing")))
    (core func $rep (canon lower (func $res "[method]thing.rep")))
    (core func $drop (canon resource.drop $t))
    (core module $m
      (import "" "new" (func $new (param i32) (result i32)))
      (import "" "rep" (func $rep (param i32) (result i32)))
      (import "" "drop" (func $drop (param i32)))
      (func (export "run") (param i32) (result i32)
        (local $h i32) (local $v i32)
        (local.set $h (call $new (local.get 0)))
        (local.set $v (call $rep (local.get $h)))
        (call $drop (local.get $h))
        (local.get $v)))
    (core instance $i (instantiate $m (with "" (instance
      (export "new" (func $new)) (export "rep" (func $rep)) (export "drop" (func $drop))))))
    (func (export "run") (param "x" u32) (result u32) (canon lift (core func $i "run"))))
  )";
  auto inst = fx.instantiate(guest, root);
  ASSERT_TRUE(inst) << inst.error().message;
  ComponentValue x = u32(21);
  auto r = inst->call(fx.store, "run", std::span(&x, 1));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].bits, 42u);
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0], 21u);
}

TEST(ComponentHost, BuilderReplacesAndAliases) {
  HostInstance h;
  h.resource("a").resource_alias("b", "a").resource_alias("c", "missing");
  ASSERT_NE(h.find("a"), nullptr);
  EXPECT_EQ(h.find("a")->resource, h.find("b")->resource);
  EXPECT_NE(h.find("a")->resource, h.find("c")->resource);
  h.func("a", {});
  EXPECT_EQ(h.find("a")->kind, HostInstance::Entry::Kind::Func);
  EXPECT_EQ(h.entries().size(), 3u);
  EXPECT_EQ(h.find("zzz"), nullptr);
}

TEST(ComponentHost, ReflectModulesAndResourceTypes) {
  Fixture fx;
  const char* lib = R"((component
    (core module (export "m") (func (export "f") (result i32) (i32.const 5)))
    (type $r (resource (rep i32)))
    (export "r" (type $r))
    (core module $n (func (export "g") (result i32) (i32.const 1)))
    (core instance $i (instantiate $n))
    (func (export "g") (result u32) (canon lift (core func $i "g"))))
  )";
  auto a = fx.instantiate(lib, HostInstance{});
  ASSERT_TRUE(a) << a.error().message;
  HostInstance ra = a->reflect();
  ASSERT_EQ(ra.entries().size(), 2u); // the function is not reflected
  ASSERT_NE(ra.find("m"), nullptr);
  EXPECT_EQ(ra.find("m")->kind, HostInstance::Entry::Kind::Module);
  ASSERT_NE(ra.find("r"), nullptr);
  EXPECT_EQ(ra.find("r")->kind, HostInstance::Entry::Kind::Resource);
  EXPECT_EQ(ra.find("g"), nullptr);
  // One resource type, one declaration, however often it is reflected.
  EXPECT_EQ(a->reflect().find("r")->resource, ra.find("r")->resource);

  // A component re-exporting the imported type reflects the same type.
  HostInstance root;
  root.instance("a", ra);
  auto b = fx.instantiate(R"((component
    (import "a" (instance $a (export "r" (type (sub resource)))))
    (alias export $a "r" (type $r))
    (export "r2" (type $r))))",
                          root);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->reflect().find("r2")->resource, ra.find("r")->resource);

  // Another instance of the same component: another resource type.
  auto c = fx.instantiate(lib, HostInstance{});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_NE(c->reflect().find("r")->resource, ra.find("r")->resource);
  root.instance("c", c->reflect());
  const char* both = R"((component
    (import "a" (instance $a (export "r" (type (sub resource)))))
    (alias export $a "r" (type $r))
    (import "c" (instance (export "r" (type (eq $r)))))))";
  auto bad = fx.instantiate(both, root);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::Unlinkable);
  EXPECT_NE(bad.error().message.find("mismatched resource types"), std::string::npos)
      << bad.error().message;
  root.instance("c", a->reflect());
  auto good = fx.instantiate(both, root);
  EXPECT_TRUE(good) << good.error().message;

  // The reflected module instantiates in an importer.
  HostInstance root2;
  root2.instance("a", ra);
  auto user = fx.instantiate(R"((component
    (import "a" (instance $a (export "m" (core module (export "f" (func (result i32)))))))
    (core instance $i (instantiate (module $a "m")))
    (func (export "f") (result u32) (canon lift (core func $i "f")))))",
                             root2);
  ASSERT_TRUE(user) << user.error().message;
  auto r = user->call(fx.store, "f", {});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].bits, 5u);
}

} // namespace
} // namespace tandem
