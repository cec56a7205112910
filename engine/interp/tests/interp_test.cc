// End-to-end tests of the runtime and the interpreter through the public API:
// hand-built binary modules are compiled, instantiated (with host imports)
// and called; traps, exhaustion and recovery are checked.
#include "interp/interp.h"
#include "interp/tests/module_builder.h"
#include "tandem/tandem.h"

#include <gtest/gtest.h>

using namespace tandem;
using namespace tandem::testing;

namespace {

// These tests exercise the interpreter alone (no tier-up to the JIT).
EngineConfig interp_only() {
  EngineConfig c;
  c.tier = Tier::Interp;
  return c;
}

struct Harness {
  Engine engine{interp_only()};
  Store store{engine};

  Instance load(const Bytes& bytes, std::vector<Extern> imports = {}) {
    Result<Module> m = Module::compile(engine, bytes);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    if (!m.ok()) return Instance();
    Result<Instance> inst = Instance::instantiate(store, *m, imports);
    EXPECT_TRUE(inst.ok()) << (inst.ok() ? "" : inst.error().message);
    return inst.ok() ? *inst : Instance();
  }
  Func func(const Instance& inst, const std::string& name) {
    std::optional<Extern> e = inst.get_export(store, name);
    EXPECT_TRUE(e.has_value()) << name;
    return e ? e->func : Func();
  }
  Result<std::vector<Value>> call(const Instance& inst, const std::string& name,
                                  std::vector<Value> args) {
    return func(inst, name).call(store, args);
  }
  uint32_t call_i32(const Instance& inst, const std::string& name, std::vector<Value> args) {
    auto r = call(inst, name, std::move(args));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    if (!r.ok() || r->empty()) return 0xdeadbeef;
    return (*r)[0].i32();
  }
};

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes i32c(int32_t v) {
  Bytes b{0x41};
  put_s32(b, v);
  return b;
}
Bytes i64c(int64_t v) {
  Bytes b{0x42};
  put_s64(b, v);
  return b;
}

TEST(Interp, AddAndLocals) {
  ModuleBuilder mb;
  uint32_t t = mb.type({I32, I32}, {I32});
  uint32_t f = mb.func(t, {}, {0x20, 0, 0x20, 1, 0x6a, 0x0b});
  mb.export_func("add", f);
  Harness h;
  Instance inst = h.load(mb.build());
  EXPECT_EQ(h.call_i32(inst, "add", {Value::i32(2), Value::i32(40)}), 42u);
  EXPECT_EQ(h.call_i32(inst, "add", {Value::i32(0xffffffff), Value::i32(1)}), 0u);
}

TEST(Interp, RecursiveFactorial) {
  ModuleBuilder mb;
  uint32_t t = mb.type({I64}, {I64});
  // if (n == 0) 1 else n * fac(n - 1)
  Bytes body = cat({{0x20, 0, 0x50, 0x04, I64},
                    i64c(1),
                    {0x05, 0x20, 0},
                    {0x20, 0},
                    i64c(1),
                    {0x7d, 0x10, 0, 0x7e, 0x0b, 0x0b}});
  uint32_t f = mb.func(t, {}, body);
  mb.export_func("fac", f);
  Harness h;
  Instance inst = h.load(mb.build());
  auto r = h.call(inst, "fac", {Value::i64(20)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].i64(), 2432902008176640000ull);
}

TEST(Interp, LoopSum) {
  ModuleBuilder mb;
  uint32_t t = mb.type({I32}, {I32});
  // acc = 0; loop { acc += n; n -= 1; br_if n != 0 } acc
  Bytes body = cat({{0x03, 0x40},
                    {0x20, 1, 0x20, 0, 0x6a, 0x21, 1},
                    {0x20, 0},
                    i32c(1),
                    {0x6b, 0x22, 0, 0x0d, 0, 0x0b, 0x20, 1, 0x0b}});
  uint32_t f = mb.func(t, {I32}, body);
  mb.export_func("sum", f);
  Harness h;
  Instance inst = h.load(mb.build());
  EXPECT_EQ(h.call_i32(inst, "sum", {Value::i32(100)}), 5050u);
  EXPECT_EQ(h.call_i32(inst, "sum", {Value::i32(100000)}), uint32_t(5000050000ull));
}

TEST(Interp, TrapThenRecover) {
  ModuleBuilder mb;
  uint32_t t = mb.type({I32, I32}, {I32});
  uint32_t f = mb.func(t, {}, {0x20, 0, 0x20, 1, 0x6d, 0x0b});
  mb.export_func("div", f);
  Harness h;
  Instance inst = h.load(mb.build());
  auto r = h.call(inst, "div", {Value::i32(1), Value::i32(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().message, "integer divide by zero");
  r = h.call(inst, "div", {Value::i32(0x80000000u), Value::i32(0xffffffffu)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "integer overflow");
  EXPECT_EQ(h.call_i32(inst, "div", {Value::i32(uint32_t(-9)), Value::i32(2)}), uint32_t(-4));
}

TEST(Interp, HostImport) {
  ModuleBuilder mb;
  uint32_t t_host = mb.type({I32}, {I32});
  uint32_t imp = mb.import_func("env", "twice", t_host);
  uint32_t t = mb.type({I32}, {I32});
  uint32_t f = mb.func(t, {}, cat({{0x20, 0, 0x10, uint8_t(imp)}, i32c(1), {0x6a, 0x0b}}));
  mb.export_func("f", f);
  Harness h;
  int calls = 0;
  Func twice = Func::host(h.store, FuncType{{kI32}, {kI32}},
                          [&](std::span<const Value> args, std::span<Value> results) -> Status {
                            ++calls;
                            results[0] = Value::i32(args[0].i32() * 2);
                            return {};
                          });
  Extern e;
  e.kind = ExternKind::Func;
  e.func = twice;
  Instance inst = h.load(mb.build(), {e});
  EXPECT_EQ(h.call_i32(inst, "f", {Value::i32(20)}), 41u);
  EXPECT_EQ(calls, 1);
}

TEST(Interp, ImportTypeMismatchIsUnlinkable) {
  ModuleBuilder mb;
  uint32_t t_host = mb.type({I32}, {I32});
  mb.import_func("env", "f", t_host);
  Harness h;
  Func wrong = Func::host(h.store, FuncType{{kI64}, {kI32}},
                          [](std::span<const Value>, std::span<Value>) -> Status { return {}; });
  Extern e;
  e.kind = ExternKind::Func;
  e.func = wrong;
  Result<Module> m = Module::compile(h.engine, mb.build());
  ASSERT_TRUE(m.ok());
  std::vector<Extern> imports{e};
  Result<Instance> inst = Instance::instantiate(h.store, *m, imports);
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::Unlinkable);
  EXPECT_EQ(inst.error().message, "incompatible import type");
}

TEST(Interp, MemoryDataAndBounds) {
  ModuleBuilder mb;
  mb.memory(1);
  mb.data(8, {0x78, 0x56, 0x34, 0x12});
  uint32_t t_load = mb.type({I32}, {I32});
  uint32_t load = mb.func(t_load, {}, {0x20, 0, 0x28, 2, 0, 0x0b});
  uint32_t t_store = mb.type({I32, I32}, {});
  uint32_t store = mb.func(t_store, {}, {0x20, 0, 0x20, 1, 0x36, 2, 4, 0x0b});
  uint32_t t_load8 = mb.type({I32}, {I32});
  uint32_t load8s = mb.func(t_load8, {}, {0x20, 0, 0x2c, 0, 0, 0x0b});
  mb.export_func("load", load);
  mb.export_func("store", store);
  mb.export_func("load8_s", load8s);
  Harness h;
  Instance inst = h.load(mb.build());
  EXPECT_EQ(h.call_i32(inst, "load", {Value::i32(8)}), 0x12345678u);
  ASSERT_TRUE(h.call(inst, "store", {Value::i32(0), Value::i32(0xfffffff0u)}).ok());
  EXPECT_EQ(h.call_i32(inst, "load", {Value::i32(4)}), 0xfffffff0u);
  EXPECT_EQ(h.call_i32(inst, "load8_s", {Value::i32(4)}), 0xfffffff0u);
  EXPECT_EQ(h.call_i32(inst, "load", {Value::i32(65532)}), 0u);
  auto r = h.call(inst, "load", {Value::i32(65533)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "out of bounds memory access");
  r = h.call(inst, "store", {Value::i32(0xfffffffcu), Value::i32(1)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "out of bounds memory access");
}

TEST(Interp, CallIndirect) {
  ModuleBuilder mb;
  uint32_t t_i = mb.type({}, {I32});
  uint32_t t_l = mb.type({}, {I64});
  uint32_t t_call = mb.type({I32}, {I32});
  uint32_t f7 = mb.func(t_i, {}, cat({i32c(7), {0x0b}}));
  uint32_t f64 = mb.func(t_l, {}, cat({i64c(9), {0x0b}}));
  uint32_t caller = mb.func(t_call, {}, {0x20, 0, 0x11, uint8_t(t_i), 0, 0x0b});
  mb.table(4);
  mb.elem(0, {f7, f64});
  mb.export_func("call", caller);
  Harness h;
  Instance inst = h.load(mb.build());
  EXPECT_EQ(h.call_i32(inst, "call", {Value::i32(0)}), 7u);
  auto r = h.call(inst, "call", {Value::i32(1)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "indirect call type mismatch");
  r = h.call(inst, "call", {Value::i32(2)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "uninitialized element");
  r = h.call(inst, "call", {Value::i32(4)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "undefined element");
}

TEST(Interp, StackExhaustionRecovers) {
  ModuleBuilder mb;
  uint32_t t = mb.type({I32}, {I32});
  uint32_t f = mb.func(t, {}, {0x20, 0, 0x10, 0, 0x0b}); // f(x) = f(x)
  uint32_t g = mb.func(t, {}, cat({{0x20, 0}, i32c(1), {0x6a, 0x0b}}));
  mb.export_func("runaway", f);
  mb.export_func("inc", g);
  Harness h;
  Instance inst = h.load(mb.build());
  auto r = h.call(inst, "runaway", {Value::i32(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
  EXPECT_EQ(r.error().message, "call stack exhausted");
  EXPECT_EQ(h.call_i32(inst, "inc", {Value::i32(1)}), 2u);
  r = h.call(inst, "runaway", {Value::i32(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
}

TEST(Interp, HostReentryExhaustionRecovers) {
  // wasm -> host -> wasm -> host ... until the depth limit.
  ModuleBuilder mb;
  uint32_t t = mb.type({}, {});
  uint32_t imp = mb.import_func("env", "again", t);
  uint32_t f = mb.func(t, {}, {0x10, uint8_t(imp), 0x0b});
  mb.export_func("f", f);
  Harness h;
  Func self;
  Func again =
      Func::host(h.store, FuncType{}, [&](std::span<const Value>, std::span<Value>) -> Status {
        auto r = self.call(h.store, {});
        if (!r.ok()) return r.error();
        return {};
      });
  Extern e;
  e.kind = ExternKind::Func;
  e.func = again;
  Instance inst = h.load(mb.build(), {e});
  self = h.func(inst, "f");
  auto r = self.call(h.store, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
}

TEST(Interp, BlocksBranchesSelect) {
  ModuleBuilder mb;
  uint32_t t = mb.type({I32}, {I32});
  // block block (br_table 0 1 on local 0) end 10 return end 20
  Bytes body2 = cat({{0x02, 0x40, 0x02, 0x40, 0x20, 0, 0x0e, 1, 0, 1, 0x0b},
                     i32c(10),
                     {0x0f, 0x0b},
                     i32c(20),
                     {0x0b}});
  uint32_t f = mb.func(t, {}, body2);
  uint32_t t2 = mb.type({I32, I32, I32}, {I32});
  uint32_t sel = mb.func(t2, {}, {0x20, 0, 0x20, 1, 0x20, 2, 0x1b, 0x0b});
  mb.export_func("table", f);
  mb.export_func("select", sel);
  Harness h;
  Instance inst = h.load(mb.build());
  EXPECT_EQ(h.call_i32(inst, "table", {Value::i32(0)}), 10u);
  EXPECT_EQ(h.call_i32(inst, "table", {Value::i32(1)}), 20u);
  EXPECT_EQ(h.call_i32(inst, "table", {Value::i32(7)}), 20u);
  EXPECT_EQ(h.call_i32(inst, "select", {Value::i32(1), Value::i32(2), Value::i32(1)}), 1u);
  EXPECT_EQ(h.call_i32(inst, "select", {Value::i32(1), Value::i32(2), Value::i32(0)}), 2u);
}

TEST(Interp, LocalSwapThroughStack) {
  // (local.get 0) (local.get 1) (local.set 0) (local.set 1) returns old local 0 in local 1.
  ModuleBuilder mb;
  uint32_t t = mb.type({I32, I32}, {I32, I32});
  uint32_t f = mb.func(t, {}, {0x20, 0, 0x20, 1, 0x21, 0, 0x21, 1, 0x20, 0, 0x20, 1, 0x0b});
  mb.export_func("swap", f);
  Harness h;
  Instance inst = h.load(mb.build());
  auto r = h.call(inst, "swap", {Value::i32(1), Value::i32(2)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].i32(), 2u);
  EXPECT_EQ((*r)[1].i32(), 1u);
}

TEST(Interp, ReturnSwappedParams) {
  ModuleBuilder mb;
  uint32_t t = mb.type({I32, I32}, {I32, I32});
  uint32_t f = mb.func(t, {}, {0x20, 1, 0x20, 0, 0x0b});
  mb.export_func("swap", f);
  Harness h;
  Instance inst = h.load(mb.build());
  auto r = h.call(inst, "swap", {Value::i32(1), Value::i32(2)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].i32(), 2u);
  EXPECT_EQ((*r)[1].i32(), 1u);
}

TEST(Interp, GlobalsAndStart) {
  ModuleBuilder mb;
  uint32_t g = mb.global(I32, true, i32c(5));
  uint32_t t = mb.type({}, {});
  uint32_t t_get = mb.type({}, {I32});
  uint32_t start =
      mb.func(t, {}, cat({{0x23, uint8_t(g)}, i32c(10), {0x6c, 0x24, uint8_t(g), 0x0b}}));
  uint32_t get = mb.func(t_get, {}, {0x23, uint8_t(g), 0x0b});
  mb.start(start);
  mb.export_func("get", get);
  mb.export_("g", 0x03, g);
  Harness h;
  Instance inst = h.load(mb.build());
  EXPECT_EQ(h.call_i32(inst, "get", {}), 50u);
  std::optional<Extern> ge = inst.get_export(h.store, "g");
  ASSERT_TRUE(ge.has_value());
  EXPECT_EQ(ge->global.get(h.store).i32(), 50u);
}

TEST(Interp, SegmentTrapKeepsEarlierEffects) {
  // Module A exports a memory; module B imports it, writes an in-bounds data
  // segment, then an out-of-bounds one: instantiation traps, the first write stays.
  ModuleBuilder ma;
  ma.memory(1);
  ma.export_("mem", 0x02, 0);
  Harness h;
  Instance a = h.load(ma.build());
  std::optional<Extern> mem = a.get_export(h.store, "mem");
  ASSERT_TRUE(mem.has_value());
  ModuleBuilder mb;
  mb.import_memory("a", "mem", 1);
  mb.data(0, {1, 2, 3});
  mb.data(65535, {4, 5});
  Result<Module> m = Module::compile(h.engine, mb.build());
  ASSERT_TRUE(m.ok());
  std::vector<Extern> imports{*mem};
  Result<Instance> inst = Instance::instantiate(h.store, *m, imports);
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::Trap);
  EXPECT_EQ(inst.error().message, "out of bounds memory access");
  std::span<uint8_t> data = mem->memory.data(h.store);
  EXPECT_EQ(data[0], 1);
  EXPECT_EQ(data[2], 3);
  EXPECT_EQ(data[65535], 0);
}

} // namespace

namespace {
// Exports `f` as "f", calls it with `args` (so it is lowered), checks the
// results against `want` and returns the listing of its interpreter code.
std::string listing_after_call(ModuleBuilder& mb, uint32_t f, const std::vector<Value>& args,
                               const std::vector<uint32_t>& want = {}) {
  mb.export_func("f", f);
  Harness h;
  Instance inst = h.load(mb.build());
  Func fn = h.func(inst, "f");
  Result<std::vector<Value>> r = fn.call(h.store, args);
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return "";
  for (size_t i = 0; i < want.size() && i < r.value().size(); ++i)
    EXPECT_EQ(r.value()[i].i32(), want[i]) << "result " << i;
  const auto* code = static_cast<const interp::InterpCode*>(fn.raw()->code);
  return code ? interp::disassemble(*code) : "";
}

TEST(InterpLowering, LoopIsCompact) {
  ModuleBuilder mb;
  uint32_t t = mb.type({I32}, {I32});
  Bytes body = cat({{0x03, 0x40},
                    {0x20, 1, 0x20, 0, 0x6a, 0x21, 1},
                    {0x20, 0},
                    i32c(1),
                    {0x6b, 0x22, 0, 0x0d, 0, 0x0b, 0x20, 1, 0x0b}});
  uint32_t f = mb.func(t, {I32}, body);
  std::string listing = listing_after_call(mb, f, {Value::i32(3)});
  // loop body: add (into local 1), sub with an immediate (into local 0), br_if;
  // then the result copy and ret.
  EXPECT_NE(listing.find("0: i32.add 16 16 0\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("4: i32.sub/imm 0 0 1 0\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("9: br_if_nz 0 "), std::string::npos) << listing;
  EXPECT_NE(listing.find("12: copy 0 16\n15: ret"), std::string::npos) << listing;
}
} // namespace

namespace {
// An i32.add or i32.sub of a constant right before a load or store is fused
// into it (iop_imm of the access; semantics in spec-tests/wast/
// interp_fusion.wast); a compare or a label in between prevents it.
TEST(InterpLowering, AddressAddIsFused) {
  ModuleBuilder mb;
  mb.memory(1);
  uint32_t t = mb.type({I32}, {I32});
  Bytes body = cat({{0x20, 0},
                    i32c(16),
                    {0x6a, 0x28, 0x02, 0x04}, // load (x + 16) offset 4
                    {0x20, 0},
                    i32c(3),
                    {0x6b},
                    {0x20, 0},
                    {0x36, 2, 0}, // store (x - 3) x
                    {0x0b}});
  uint32_t f = mb.func(t, {}, body);
  std::string listing = listing_after_call(mb, f, {Value::i32(8)});
  EXPECT_NE(listing.find("0: i32.load/imm 16 0 16 4\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("i32.store/imm 0 0 4294967293 0\n"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("i32.add"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("i32.sub"), std::string::npos) << listing;
}

// An integer value produced by one instruction and consumed by the next goes
// through the register r (bytecode.h, RegForm): the producer writes r (">r"),
// the consumer reads it ("<r"). A commutative consumer takes its second
// operand from r by swapping, and a compare by mirroring.
TEST(InterpLowering, AdjacentValuesGoThroughTheRegister) {
  ModuleBuilder mb;
  mb.memory(1);
  uint32_t t = mb.type({I32, I32}, {I32});
  Bytes body = cat({{0x20, 1},
                    {0x20, 0},
                    {0x28, 0x02, 0x00}, // i32.load (x)
                    {0x6a},             // y + load: the load is the second operand
                    {0x20, 1},
                    {0x49}, // (y + load) <u y
                    {0x0b}});
  uint32_t f = mb.func(t, {}, body);
  // Memory is zero: 5 + 0 <u 5 is false.
  std::string listing = listing_after_call(mb, f, {Value::i32(0), Value::i32(5)}, {0});
  EXPECT_NE(listing.find("0: i32.load>r "), std::string::npos) << listing;
  EXPECT_NE(listing.find(": i32.add<r>r "), std::string::npos) << listing;
  EXPECT_NE(listing.find(": i32.lt_u<r "), std::string::npos) << listing;
}

// acc + load(p + 8 offset 4) * m, then that sum + m * load(p): the load of
// each factor and its multiply-add are one instruction (i32_load_mul_add;
// semantics in spec-tests/wast/interp_fusion.wast), and the first passes
// the sum to the second in r (_d, then _ar). Memory is zero.
TEST(InterpLowering, LoadedFactorFusesIntoMultiplyAdd) {
  ModuleBuilder mb;
  mb.memory(1);
  uint32_t t = mb.type({I32, I32, I32}, {I32});
  Bytes body = cat({{0x20, 0},
                    {0x20, 1},
                    i32c(8),
                    {0x6a, 0x28, 0x02, 0x04}, // i32.load (p + 8) offset 4
                    {0x20, 2},
                    {0x6c, 0x6a}, // acc + load * m
                    {0x20, 2},
                    {0x20, 1},
                    {0x28, 0x02, 0x00}, // i32.load p
                    {0x6c, 0x6a, 0x0b}});
  uint32_t f = mb.func(t, {}, body);
  std::string listing =
      listing_after_call(mb, f, {Value::i32(5), Value::i32(0), Value::i32(3)}, {5});
  EXPECT_NE(listing.find("0: i32_load_mul_add_d 48 0 16 8 4 32\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("7: i32_load_mul_add_ar 0 48 16 0 0 32\n"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("i32.load"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("i32.mul"), std::string::npos) << listing;
}
} // namespace
