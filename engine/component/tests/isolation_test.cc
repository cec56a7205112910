// Unit tests of the isolation audit (tandem/isolation.h): instance paths from
// the component-name section, static reach edges and their `how`, the three
// checks on small compositions written in the component text format, the
// ledger's chains, and the auto-mode self-check.
#include "tandem/isolation.h"

#include "component/isolation_check.h"
#include "component/runtime.h"
#include "wast/component_encoder.h"
#include "wast/script.h"

#include <gtest/gtest.h>

#include <string>

namespace tandem {
namespace {

// The real fs: read(offset) = offset * 2.
constexpr const char* kReal = R"(
  (component $Real
    (core module $M (func (export "read") (param i32) (result i32)
      (i32.mul (local.get 0) (i32.const 2))))
    (core instance $m (instantiate $M))
    (func (export "read") (param "offset" u32) (result u32) (canon lift (core func $m "read"))))
)";

// An honest virtualizer: shifts the offset by 1000 in its own core code.
constexpr const char* kVirt = R"(
  (component $Virt
    (import "fs" (instance $fs (export "read" (func (param "offset" u32) (result u32)))))
    (core func $read (canon lower (func $fs "read")))
    (core module $M
      (import "fs" "read" (func $read (param i32) (result i32)))
      (func (export "read") (param i32) (result i32)
        (call $read (i32.add (local.get 0) (i32.const 1000)))))
    (core instance $m (instantiate $M (with "fs" (instance (export "read" (func $read))))))
    (func (export "read") (param "offset" u32) (result u32) (canon lift (core func $m "read"))))
)";

// The child: go(x) = fs.read(x).
constexpr const char* kChild = R"(
  (component $Child
    (import "fs" (instance $fs (export "read" (func (param "offset" u32) (result u32)))))
    (core func $read (canon lower (func $fs "read")))
    (core module $M
      (import "fs" "read" (func $read (param i32) (result i32)))
      (func (export "go") (param i32) (result i32) (call $read (local.get 0))))
    (core instance $m (instantiate $M (with "fs" (instance (export "read" (func $read))))))
    (func (export "go") (param "x" u32) (result u32) (canon lift (core func $m "go"))))
)";

struct Fixture {
  Engine engine{config()};
  Store store{engine};
  std::optional<ComponentInstance> root;
  IsolationAudit audit;

  static EngineConfig config() {
    EngineConfig c;
    c.features.set(Feature::component_model);
    return c;
  }

  void load(const std::string& text, bool record = true) {
    auto bytes = wast::component_text_to_binary(text);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    auto comp = Component::compile(engine, *bytes);
    ASSERT_TRUE(comp.ok()) << comp.error().message;
    auto inst = ComponentInstance::instantiate(store, *comp);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    root = *inst;
    audit.set_recording(record);
    audit.attach(*root);
  }

  uint64_t go(uint32_t x, std::string_view fn = "go") {
    ComponentValue v;
    v.kind = ComponentValue::Kind::U32;
    v.bits = x;
    auto r = root->call(store, fn, std::span<const ComponentValue>(&v, 1));
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() && !r->empty() ? (*r)[0].bits : ~0ull;
  }

  std::optional<std::string> check(std::string child, std::string real, std::string via,
                                   bool ledger = true) {
    auto name = [](const std::string& s) {
      IsolationAudit::Name n;
      size_t start = 0;
      while (true) {
        size_t slash = s.find('/', start);
        n.ids.push_back(s.substr(start, slash - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
      }
      return n;
    };
    return audit.check(*root, name(child), name(real), name(via), ledger);
  }

  std::string ledger_json() {
    std::vector<std::string> cis, edges, ledger;
    audit.report_json("t", cis, edges, ledger);
    std::string out;
    for (auto& l : ledger) out += l + "\n";
    return out;
  }
  std::string edges_json() {
    std::vector<std::string> cis, edges, ledger;
    audit.report_json("t", cis, edges, ledger);
    std::string out;
    for (auto& l : cis) out += l + "\n";
    for (auto& l : edges) out += l + "\n";
    return out;
  }
};

std::string compose(const std::string& parts, const std::string& wiring) {
  return "(component " + std::string(kReal) + parts + wiring + ")";
}

const std::string kHonestWiring = R"(
  (instance $real (instantiate $Real))
  (instance $virt (instantiate $Virt (with "fs" (instance $real))))
  (instance $child (instantiate $Child (with "fs" (instance $virt))))
  (func (export "go") (alias export $child "go")))";

TEST(Isolation, HonestCompositionPasses) {
  Fixture f;
  f.load(compose(std::string(kVirt) + kChild, kHonestWiring));
  EXPECT_EQ(f.go(5), 2010u);
  EXPECT_EQ(f.check("child", "real", "virt"), std::nullopt);
  std::string edges = f.edges_json();
  EXPECT_NE(edges.find("\"path\":\"/child\""), std::string::npos) << edges;
  EXPECT_NE(edges.find("\"from\":\"/child\",\"to\":\"/virt\",\"how\":\"with\""), std::string::npos)
      << edges;
  EXPECT_NE(edges.find("\"from\":\"/virt\",\"to\":\"/real\",\"how\":\"with\""), std::string::npos)
      << edges;
  std::string ledger = f.ledger_json();
  EXPECT_NE(ledger.find("\"chain\":[\"/child\",\"/virt\",\"/real\"]"), std::string::npos) << ledger;
  EXPECT_EQ(f.audit.self_check(), std::nullopt);
}

TEST(Isolation, UnknownNames) {
  Fixture f;
  f.load(compose(std::string(kVirt) + kChild, kHonestWiring));
  EXPECT_EQ(f.check("nope", "real", "virt"), "unknown instance $nope in /");
  EXPECT_EQ(f.check("child/x", "real", "virt"), "unknown instance $child/$x in /");
}

TEST(Isolation, DirectWiringIsAStaticEdge) {
  Fixture f;
  f.load(compose(std::string(kVirt) + kChild, R"(
    (instance $real (instantiate $Real))
    (instance $virt (instantiate $Virt (with "fs" (instance $real))))
    (instance $child (instantiate $Child (with "fs" (instance $real))))
    (func (export "go") (alias export $child "go")))"));
  EXPECT_EQ(f.check("child", "real", "virt"),
            "static edge: /child -> /real (with \"read\") does not pass through /virt");
}

TEST(Isolation, AliasReexportIsAStaticEdge) {
  Fixture f;
  const char* virt = R"(
    (component $Virt
      (import "fs" (instance $fs (export "read" (func (param "offset" u32) (result u32)))))
      (export "read" (func $fs "read"))))";
  f.load(compose(std::string(virt) + kChild, kHonestWiring));
  EXPECT_EQ(f.go(5), 10u);
  EXPECT_EQ(f.check("child", "real", "virt"),
            "static edge: /child -> /real (alias \"read\") does not pass through /virt");
}

TEST(Isolation, PassThroughLiftIsAStaticEdgeAndNotAMediatingFrame) {
  Fixture f;
  const char* virt = R"(
    (component $Virt
      (import "fs" (instance $fs (export "read" (func (param "offset" u32) (result u32)))))
      (core func $read (canon lower (func $fs "read")))
      (func (export "read") (param "offset" u32) (result u32) (canon lift (core func $read)))))";
  f.load(compose(std::string(virt) + kChild, kHonestWiring));
  EXPECT_EQ(f.go(5), 10u);
  EXPECT_EQ(
      f.check("child", "real", "virt"),
      "static edge: /child -> /real (pass-through lift \"read\") does not pass through /virt");
  std::string ledger = f.ledger_json();
  EXPECT_NE(ledger.find("\"chain\":[\"/child\",\"/virt(pass-through)\",\"/real\"]"),
            std::string::npos)
      << ledger;
  EXPECT_EQ(f.audit.self_check(), std::nullopt);
}

TEST(Isolation, HiddenImportIsAStaticEdge) {
  Fixture f;
  const char* child = R"(
    (component $Child
      (import "fs" (instance $fs (export "read" (func (param "offset" u32) (result u32)))))
      (import "secret" (func $secret (param "offset" u32) (result u32)))
      (core func $read (canon lower (func $fs "read")))
      (core func $sec (canon lower (func $secret)))
      (core module $M
        (import "fs" "read" (func $read (param i32) (result i32)))
        (import "fs" "secret" (func $sec (param i32) (result i32)))
        (func (export "go") (param i32) (result i32) (call $read (local.get 0)))
        (func (export "peek") (param i32) (result i32) (call $sec (local.get 0))))
      (core instance $m (instantiate $M (with "fs" (instance
        (export "read" (func $read)) (export "secret" (func $sec))))))
      (func (export "go") (param "x" u32) (result u32) (canon lift (core func $m "go")))
      (func (export "peek") (param "x" u32) (result u32) (canon lift (core func $m "peek")))))";
  f.load(compose(std::string(kVirt) + child, R"(
    (instance $real (instantiate $Real))
    (instance $virt (instantiate $Virt (with "fs" (instance $real))))
    (instance $child (instantiate $Child (with "fs" (instance $virt))
                                         (with "secret" (func $real "read"))))
    (func (export "go") (alias export $child "go"))
    (func (export "peek") (alias export $child "peek")))"));
  EXPECT_EQ(f.go(5), 2010u);
  EXPECT_EQ(f.go(5, "peek"), 10u);
  auto m = f.check("child", "real", "virt");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(*m, "static edge: /child -> /real (with \"read\") does not pass through /virt");
}

TEST(Isolation, WrongVirtualizerInstance) {
  Fixture f;
  f.load(compose(std::string(kVirt) + kChild, R"(
    (instance $real (instantiate $Real))
    (instance $virtA (instantiate $Virt (with "fs" (instance $real))))
    (instance $virtB (instantiate $Virt (with "fs" (instance $real))))
    (instance $childA (instantiate $Child (with "fs" (instance $virtB))))
    (func (export "go") (alias export $childA "go")))"));
  EXPECT_EQ(f.check("childA", "real", "virtB"), std::nullopt);
  EXPECT_EQ(f.check("childA", "real", "virtA"),
            "static edge: /childA -> /virtB -> /real (with \"read\") does not pass through /virtA");
}

TEST(Isolation, NestedPathsAndNoFalseAlarm) {
  Fixture f;
  f.load("(component " + std::string(kReal) + R"(
    (component $Outer
      (import "fs" (instance $fs (export "read" (func (param "offset" u32) (result u32)))))
      )" +
         kVirt + kChild + R"(
      (instance $virt (instantiate $Virt (with "fs" (instance $fs))))
      (instance $child (instantiate $Child (with "fs" (instance $virt))))
      (export "go" (func $child "go")))
    (instance $real (instantiate $Real))
    (instance $outer (instantiate $Outer (with "fs" (instance $real))))
    (func (export "go") (alias export $outer "go"))))");
  EXPECT_EQ(f.go(1), 2002u);
  EXPECT_EQ(f.check("outer/child", "real", "outer/virt"), std::nullopt);
  EXPECT_NE(f.ledger_json().find("\"chain\":[\"/outer/child\",\"/outer/virt\",\"/real\"]"),
            std::string::npos);
  // The virtualizer itself is not isolated from the real instance.
  EXPECT_EQ(f.check("outer/virt", "real", "outer/child"),
            "static edge: /outer/virt -> /real (with \"read\") does not pass through /outer/child");
}

TEST(Isolation, RecordingOffKeepsStaticChecks) {
  Fixture f;
  f.load(compose(std::string(kVirt) + kChild, kHonestWiring), false);
  EXPECT_EQ(f.go(5), 2010u);
  EXPECT_EQ(f.ledger_json(), "");
  EXPECT_EQ(f.check("child", "real", "virt", false), std::nullopt);
}

TEST(Isolation, SelfCheckReportsCrossingsWithoutStaticHop) {
  Fixture f;
  f.load(compose(std::string(kVirt) + kChild,
                 kHonestWiring + R"( (func (export "vread") (alias export $virt "read")))"));
  f.audit.set_line(3);
  EXPECT_EQ(f.go(5), 2010u);
  EXPECT_EQ(f.audit.self_check(), std::nullopt);
  f.audit.debug_forget_static_hops();
  f.audit.set_line(7);
  EXPECT_EQ(f.go(6), 2012u); // the same crossings: aggregated (count 2), nothing new
  EXPECT_EQ(f.audit.self_check(), std::nullopt);
  EXPECT_NE(f.ledger_json().find("\"count\":2"), std::string::npos);
  f.audit.set_line(9);
  EXPECT_EQ(f.go(1, "vread"), 2002u); // new chain /virt,/real
  EXPECT_EQ(f.audit.self_check(), "isolation self-check: ledger entry call /virt -> /real \"read\" "
                                  "at line 9 has no static edge");
}

// The ledger and handle checks on a hand-built graph: / with children
// /child, /virt and /real.
TEST(Isolation, LedgerAndHandleChecks) {
  using namespace component;
  ComponentRuntime rt;
  const char* paths[] = {"/", "/child", "/virt", "/real"};
  for (uint32_t i = 0; i < 4; ++i) {
    auto ci = std::make_unique<CompInst>();
    ci->id = i;
    ci->path = paths[i];
    ci->parent = i ? rt.instances[0].get() : nullptr;
    rt.instances.push_back(std::move(ci));
  }
  IsolationQuery q{rt.instances[1].get(), rt.instances[3].get(), rt.instances[2].get()};
  auto run = [&](std::vector<uint32_t> chain) {
    LedgerEntry e;
    e.callee = 3;
    e.caller = int32_t(chain.size() > 1 ? chain[chain.size() - 2] & ~kPassThroughFrame : 0);
    e.function = "read";
    e.line = 12;
    e.chain = std::move(chain);
    const LedgerEntry* p = &e;
    return check_ledger(rt, std::span<const LedgerEntry* const>(&p, 1), q);
  };
  EXPECT_EQ(run({1, 2, 3}), std::nullopt);
  EXPECT_EQ(run({3}), std::nullopt);    // from the host
  EXPECT_EQ(run({0, 3}), std::nullopt); // from the parent
  EXPECT_EQ(run({1, 2 | kPassThroughFrame, 3}),
            "ledger: call of /real \"read\" at line 12 with chain "
            "/child,/virt(pass-through),/real has no /virt frame after the last /child frame");
  EXPECT_EQ(run({1, 2, 1, 3}), "ledger: call of /real \"read\" at line 12 with chain "
                               "/child,/virt,/child,/real has no /virt frame after the last "
                               "/child frame");
  ResourceRt file;
  file.owner = rt.instances[3].get();
  file.name = "file";
  EXPECT_EQ(check_handles(rt, {}, q), std::nullopt);
  Handle h;
  h.res = &file;
  rt.instances[1]->handles.push_back(h);
  EXPECT_EQ(check_handles(rt, {}, q),
            "handle: /child holds own handle 1 of resource type /real.file");
}

TEST(Isolation, ScriptSyntax) {
  auto s = wast::parse_script(R"((assert_isolated $a/$b (from "wasi:fs/types") (via $v))
(@other ignored)
(@isolation $c (from $r) (via $v/$w)))",
                              "t.wast");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->commands.size(), 2u);
  const auto& a = s->commands[0];
  EXPECT_EQ(a.kind, wast::CommandKind::AssertIsolated);
  EXPECT_EQ(a.isolation.child.ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(a.isolation.real.host_import);
  EXPECT_EQ(a.isolation.real.ids, (std::vector<std::string>{"wasi:fs/types"}));
  EXPECT_FALSE(a.isolation.annotation);
  const auto& b = s->commands[1];
  EXPECT_EQ(b.kind, wast::CommandKind::AssertIsolated);
  EXPECT_TRUE(b.isolation.annotation);
  EXPECT_EQ(b.loc.line, 3u);
  EXPECT_EQ(b.isolation.via.ids, (std::vector<std::string>{"v", "w"}));
  EXPECT_FALSE(wast::parse_script("(assert_isolated $a (via $b) (from $c))", "t").ok());
  EXPECT_FALSE(wast::parse_script("(@isolation $a/$ (from $b) (via $c))", "t").ok());
}

} // namespace
} // namespace tandem
