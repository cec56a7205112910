// End-to-end interpreter tests written in the text format (encoded with the
// wast library's wat_to_binary): lowering corner cases (pending locals and
// constants across control flow, compare-and-branch fusion), tail calls,
// exceptions, GC, SIMD, memory64 and multi-memory.
#include "tandem/tandem.h"
#include "wast/wat_module.h"

#include <gtest/gtest.h>

using namespace tandem;

namespace {

// These tests exercise the interpreter alone (no tier-up to the JIT).
EngineConfig interp_only() {
  EngineConfig c;
  c.tier = Tier::Interp;
  return c;
}

class Wat : public ::testing::Test {
protected:
  Engine engine{interp_only()};
  Store store{engine};
  Instance inst;

  void load(std::string_view text) {
    Result<std::vector<uint8_t>> bytes = wast::wat_to_binary(text);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    Result<Module> m = Module::compile(engine, *bytes);
    ASSERT_TRUE(m.ok()) << m.error().message;
    Result<Instance> i = Instance::instantiate(store, *m, {});
    ASSERT_TRUE(i.ok()) << i.error().message;
    inst = *i;
  }
  Result<std::vector<Value>> call(const std::string& name, std::vector<Value> args = {}) {
    std::optional<Extern> e = inst.get_export(store, name);
    if (!e) return Error::make(ErrorKind::Usage, "no export " + name);
    return e->func.call(store, args);
  }
  uint64_t num(const std::string& name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message);
    if (!r.ok() || r->empty()) return 0xdeadbeef;
    return (*r)[0].type() == kI32 ? (*r)[0].i32() : (*r)[0].i64();
  }
  std::string trap(const std::string& name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    EXPECT_FALSE(r.ok()) << name;
    return r.ok() ? "" : r.error().message;
  }
};

Value i32(uint32_t v) {
  return Value::i32(v);
}
Value i64(uint64_t v) {
  return Value::i64(v);
}

TEST_F(Wat, PendingLocalsAndConstantsAcrossControlFlow) {
  load(R"((module
    (func (export "tee") (param i32) (result i32)
      (local.get 0) (local.tee 0 (i32.const 5)) (i32.add) (local.get 0) (i32.mul))
    (func (export "set-in-block") (param i32) (result i32)
      (local.get 0)
      (block (local.set 0 (i32.const 100)))
      (local.get 0) (i32.sub))
    (func (export "br-if-value") (param i32) (result i32)
      (block (result i32) (i32.const 7) (local.get 0) (br_if 0) (drop) (i32.const 9)))
    (func (export "const-if") (param i32) (result i32)
      (i32.const 3)
      (if (param i32) (result i32) (local.get 0) (then (i32.const 1) (i32.add)) (else (i32.const 2) (i32.add))))
    (func (export "loop-params") (param i32) (result i32)
      (local.get 0)
      (loop (param i32) (result i32)
        (i32.const 1) (i32.sub) (local.tee 0) (local.get 0) (br_if 0) (drop) (i32.const 42)))
  ))");
  EXPECT_EQ(num("tee", {i32(2)}), (2u + 5u) * 5u);
  EXPECT_EQ(num("set-in-block", {i32(1)}), uint32_t(1 - 100));
  EXPECT_EQ(num("br-if-value", {i32(1)}), 7u);
  EXPECT_EQ(num("br-if-value", {i32(0)}), 9u);
  EXPECT_EQ(num("const-if", {i32(1)}), 4u);
  EXPECT_EQ(num("const-if", {i32(0)}), 5u);
  EXPECT_EQ(num("loop-params", {i32(10)}), 42u);
}

TEST_F(Wat, FusedCompareBranches) {
  load(R"((module
    (func (export "count") (param i64) (result i64) (local i64)
      (block (loop
        (br_if 1 (i64.ge_u (local.get 1) (local.get 0)))
        (local.set 1 (i64.add (local.get 1) (i64.const 1)))
        (br 0)))
      (local.get 1))
    (func (export "if-lt") (param i32) (result i32)
      (if (result i32) (i32.lt_s (local.get 0) (i32.const -3)) (then (i32.const 1)) (else (i32.const 2))))
    (func (export "if-eqz") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1)) (else (i32.const 2))))
    (func (export "br-if-eqz-value") (param i32) (result i32)
      (block (result i32) (i32.const 11) (br_if 0 (i32.eqz (local.get 0))) (drop) (i32.const 22)))
    (func (export "cmp-kept") (param i32) (result i32) (local i32)
      (local.set 1 (i32.gt_u (local.get 0) (i32.const 10)))
      (if (local.get 1) (then (return (i32.const 100))))
      (local.get 1))
  ))");
  EXPECT_EQ(num("count", {i64(1000)}), 1000u);
  EXPECT_EQ(num("count", {i64(0)}), 0u);
  EXPECT_EQ(num("if-lt", {i32(uint32_t(-4))}), 1u);
  EXPECT_EQ(num("if-lt", {i32(uint32_t(-3))}), 2u);
  EXPECT_EQ(num("if-lt", {i32(5)}), 2u);
  EXPECT_EQ(num("if-eqz", {i32(0)}), 1u);
  EXPECT_EQ(num("if-eqz", {i32(3)}), 2u);
  EXPECT_EQ(num("br-if-eqz-value", {i32(0)}), 11u);
  EXPECT_EQ(num("br-if-eqz-value", {i32(1)}), 22u);
  EXPECT_EQ(num("cmp-kept", {i32(11)}), 100u);
  EXPECT_EQ(num("cmp-kept", {i32(3)}), 0u);
}

TEST_F(Wat, TailCallsRunInConstantStack) {
  load(R"((module
    (func $even (export "even") (param i64) (result i32)
      (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
        (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
    (func $odd (param i64) (result i32)
      (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
        (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
    (func $rec (export "rec") (param i64) (result i32)
      (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
        (else (call $rec (i64.sub (local.get 0) (i64.const 1))))))
  ))");
  EXPECT_EQ(num("even", {i64(1000001)}), 0u);
  EXPECT_EQ(num("even", {i64(1000000)}), 1u);
  auto r = call("rec", {i64(1000000)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
  EXPECT_EQ(num("rec", {i64(100)}), 0u);
}

TEST_F(Wat, Exceptions) {
  load(R"((module
    (tag $e (param i32))
    (tag $f)
    (func $throw (param i32) (throw $e (local.get 0)))
    (func (export "catch") (param i32) (result i32)
      (block $h (result i32)
        (try_table (catch $e $h) (call $throw (local.get 0)))
        (i32.const -1)))
    (func (export "catch-all") (result i32)
      (block $h (try_table (catch_all $h) (throw $f)) (return (i32.const 0)))
      (i32.const 1))
    (func (export "rethrow") (param i32) (result i32)
      (block $outer (result i32)
        (try_table (catch $e $outer)
          (block $h (result i32 exnref)
            (try_table (catch_ref $e $h) (call $throw (local.get 0)))
            (unreachable))
          (throw_ref))
        (i32.const -1)))
    (func (export "uncaught") (throw $f))
    (func (export "null-ref") (throw_ref (ref.null exn)))
  ))");
  EXPECT_EQ(num("catch", {i32(42)}), 42u);
  EXPECT_EQ(num("catch-all"), 1u);
  EXPECT_EQ(num("rethrow", {i32(7)}), 7u);
  auto r = call("uncaught");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exception);
  EXPECT_EQ(trap("null-ref"), "null exception reference");
  EXPECT_EQ(num("catch", {i32(3)}), 3u); // the store is still usable
}

TEST_F(Wat, GcObjectsAndCasts) {
  load(R"((module
    (type $pt (sub (struct (field $x (mut i32)) (field $y i8))))
    (type $pt3 (sub $pt (struct (field $x (mut i32)) (field $y i8) (field $z i64))))
    (type $arr (array (mut i16)))
    (func (export "struct") (result i32) (local (ref null $pt))
      (local.set 0 (struct.new $pt (i32.const 5) (i32.const 0x1ff)))
      (struct.set $pt $x (local.get 0) (i32.const 6))
      (i32.add (struct.get $pt $x (local.get 0)) (struct.get_s $pt $y (local.get 0))))
    (func (export "array") (param i32) (result i32) (local (ref $arr))
      (local.set 1 (array.new $arr (i32.const -1) (i32.const 4)))
      (array.set $arr (local.get 1) (i32.const 2) (i32.const 7))
      (i32.add (array.get_u $arr (local.get 1) (local.get 0)) (array.len (local.get 1))))
    (func (export "cast") (param i32) (result i32) (local anyref)
      (local.set 1 (if (result anyref) (local.get 0)
        (then (struct.new $pt3 (i32.const 1) (i32.const 2) (i64.const 3)))
        (else (ref.i31 (i32.const -5)))))
      (if (result i32) (ref.test (ref $pt) (local.get 1))
        (then (struct.get $pt $x (ref.cast (ref $pt) (local.get 1))))
        (else (i31.get_s (ref.cast i31ref (local.get 1))))))
    (func (export "bad-cast") (result i32)
      (ref.cast (ref $pt3) (struct.new $pt (i32.const 1) (i32.const 2))) (drop) (i32.const 0))
    (func (export "null-struct") (result i32) (struct.get $pt $x (ref.null $pt)))
  ))");
  EXPECT_EQ(num("struct"), uint32_t(6 - 1));
  EXPECT_EQ(num("array", {i32(0)}), 0xffffu + 4u);
  EXPECT_EQ(num("array", {i32(2)}), 7u + 4u);
  EXPECT_EQ(trap("array", {i32(4)}), "out of bounds array access");
  EXPECT_EQ(num("cast", {i32(1)}), 1u);
  EXPECT_EQ(num("cast", {i32(0)}), uint32_t(-5));
  EXPECT_EQ(trap("bad-cast"), "cast failure");
  EXPECT_EQ(trap("null-struct"), "null structure reference");
}

TEST_F(Wat, SimdLanes) {
  load(R"((module
    (memory 1)
    (func (export "dot") (result i32)
      (i32x4.extract_lane 1 (i32x4.dot_i16x8_s (v128.const i16x8 1 2 3 4 5 6 7 8)
                                               (v128.const i16x8 1 1 1 1 1 1 1 1))))
    (func (export "load-lane") (result i64)
      (i64.store (i32.const 8) (i64.const 0x1122334455667788))
      (i64x2.extract_lane 1 (v128.load64_lane 1 (i32.const 8) (v128.const i64x2 0 0))))
    (func (export "shuffle") (result i32)
      (i8x16.extract_lane_u 0 (i8x16.shuffle 31 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
        (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)
        (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0xab))))
    (func (export "oob") (result i32) (v128.load (i32.const 65521)) (drop) (i32.const 0))
  ))");
  EXPECT_EQ(num("dot"), 3u + 4u);
  EXPECT_EQ(num("load-lane"), 0x1122334455667788ull);
  EXPECT_EQ(num("shuffle"), 0xabu);
  EXPECT_EQ(trap("oob"), "out of bounds memory access");
}

TEST_F(Wat, Memory64AndMultiMemory) {
  load(R"((module
    (memory $a i64 1)
    (memory $b 1)
    (func (export "copy") (result i64)
      (i64.store $a (i64.const 65528) (i64.const 0x0102030405060708))
      (memory.copy $b $a (i32.const 0) (i64.const 65528) (i32.const 8))
      (i64.load $b (i32.const 0)))
    (func (export "grow") (result i64) (memory.grow $a (i64.const 2)))
    (func (export "size") (result i64) (memory.size $a))
    (func (export "oob") (param i64) (result i32) (i32.load8_u $a offset=0xffffffff00000000 (local.get 0)))
  ))");
  EXPECT_EQ(num("copy"), 0x0102030405060708ull);
  EXPECT_EQ(num("grow"), 1u);
  EXPECT_EQ(num("size"), 3u);
  EXPECT_EQ(trap("oob", {i64(0x100000000ull)}), "out of bounds memory access");
}

} // namespace

namespace {

EngineConfig all_features() {
  EngineConfig c;
  c.tier = Tier::Interp;
  c.features = FeatureSet::all();
  return c;
}

TEST(WatProposals, LegacyExceptionsAtomicsWideArithmetic) {
  Engine engine(all_features());
  Store store(engine);
  Result<std::vector<uint8_t>> bytes = wast::wat_to_binary(R"((module
    (memory 1 1 shared)
    (tag $e (param i32))
    (func $throw (param i32) (throw $e (local.get 0)))
    (func (export "try-catch") (param i32) (result i32)
      (try (result i32) (do (call $throw (local.get 0)) (i32.const -1))
        (catch $e (i32.add (i32.const 100)))
        (catch_all (i32.const -2))))
    (func (export "delegate") (param i32) (result i32)
      (try $outer (result i32)
        (do (try (result i32) (do (call $throw (local.get 0)) (i32.const -1)) (delegate $outer)))
        (catch $e)))
    (func (export "rethrow") (param i32) (result i32)
      (try (result i32)
        (do (try (do (call $throw (local.get 0))) (catch $e (drop) (rethrow 0))) (i32.const -1))
        (catch $e (i32.const 1) (i32.add))))
    (func (export "rmw") (result i32)
      (drop (i32.atomic.rmw.add (i32.const 8) (i32.const 5)))
      (drop (i32.atomic.rmw8.add_u (i32.const 8) (i32.const 0xff)))
      (i32.atomic.load (i32.const 8)))
    (func (export "cmpxchg") (result i64)
      (i64.atomic.store (i32.const 16) (i64.const 7))
      (drop (i64.atomic.rmw.cmpxchg (i32.const 16) (i64.const 7) (i64.const 9)))
      (i64.atomic.rmw.cmpxchg (i32.const 16) (i64.const 7) (i64.const 11)))
    (func (export "unaligned") (result i32) (i32.atomic.load (i32.const 2)))
    (func (export "wait") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 1) (i64.const 0)))
    (func (export "mul-wide") (param i64 i64) (result i64 i64) (i64.mul_wide_s (local.get 0) (local.get 1)))
  ))");
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  Result<Module> m = Module::compile(engine, *bytes);
  ASSERT_TRUE(m.ok()) << m.error().message;
  Result<Instance> inst = Instance::instantiate(store, *m, {});
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  auto call = [&](const char* name, std::vector<Value> args) {
    return inst->get_export(store, name)->func.call(store, args);
  };
  auto r = call("try-catch", {Value::i32(5)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].i32(), 105u);
  r = call("delegate", {Value::i32(6)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].i32(), 6u);
  r = call("rethrow", {Value::i32(7)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].i32(), 8u);
  r = call("rmw", {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].i32(), 4u); // rmw8 wraps within the byte: (5 + 0xff) & 0xff
  r = call("cmpxchg", {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].i64(), 9u); // the second exchange fails and returns the current value
  r = call("unaligned", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "unaligned atomic");
  r = call("wait", {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].i32(), 1u); // not-equal
  r = call("mul-wide", {Value::i64(uint64_t(-3)), Value::i64(1ull << 63)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].i64(), 1ull << 63);
  EXPECT_EQ((*r)[1].i64(), 1u);
}

} // namespace
