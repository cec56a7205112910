// The same small modules on both tiers (parameterised over Tier): integer
// and float arithmetic, compares, conversions, control flow, multi-value,
// calls of every kind, globals, tables, references, bulk memory, tail calls,
// traps and stack exhaustion. Under Tier::Jit every export named in
// expect_compiled must really run compiled code.
#include "jit/tests/tier_rig.h"

#include <bit>
#include <cmath>
#include <limits>

using namespace tandem;
using namespace tandem::jit::testing;

namespace {

class TierTest : public ::testing::TestWithParam<Tier> {
protected:
  TierRig rig{GetParam()};
};

TEST_P(TierTest, IntegerArithmetic) {
  ASSERT_TRUE(rig.load(R"((module
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "sub") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
    (func (export "mul") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
    (func (export "mulc") (param i32) (result i32) (i32.mul (i32.const -7) (local.get 0)))
    (func (export "subc") (param i32) (result i32) (i32.sub (i32.const 10) (local.get 0)))
    (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
    (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
    (func (export "rem_u") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
    (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
    (func (export "shr_s") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
    (func (export "rotr") (param i32 i32) (result i32) (i32.rotr (local.get 0) (local.get 1)))
    (func (export "shl5") (param i32) (result i32) (i32.shl (local.get 0) (i32.const 37)))
    (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
    (func (export "ctz") (param i64) (result i64) (i64.ctz (local.get 0)))
    (func (export "popcnt") (param i64) (result i64) (i64.popcnt (local.get 0)))
    (func (export "ext8") (param i32) (result i32) (i32.extend8_s (local.get 0)))
    (func (export "ext32") (param i64) (result i64) (i64.extend32_s (local.get 0)))
    (func (export "div64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
    (func (export "rem64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
    (func (export "mul64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
    (func (export "big") (param i64) (result i64) (i64.xor (local.get 0) (i64.const 0x123456789abcdef0)))
    (func (export "wrap") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
    (func (export "extu") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
    (func (export "exts") (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
  ))"));
  EXPECT_EQ(rig.bits("add", {i32(2), i32(40)}), 42u);
  EXPECT_EQ(rig.bits("add", {i32(0xffffffff), i32(1)}), 0u);
  EXPECT_EQ(rig.bits("sub", {i32(1), i32(2)}), 0xffffffffu);
  EXPECT_EQ(rig.bits("mul", {i32(0x10000), i32(0x10000)}), 0u);
  EXPECT_EQ(rig.bits("mulc", {i32(3)}), uint32_t(-21));
  EXPECT_EQ(rig.bits("subc", {i32(3)}), 7u);
  EXPECT_EQ(rig.bits("div_s", {i32(uint32_t(-7)), i32(2)}), uint32_t(-3));
  EXPECT_EQ(rig.bits("div_u", {i32(uint32_t(-7)), i32(2)}), 0x7ffffffcu);
  EXPECT_EQ(rig.bits("rem_s", {i32(uint32_t(-7)), i32(2)}), uint32_t(-1));
  EXPECT_EQ(rig.bits("rem_s", {i32(0x80000000u), i32(uint32_t(-1))}), 0u);
  EXPECT_EQ(rig.bits("rem_u", {i32(uint32_t(-1)), i32(10)}), 5u);
  EXPECT_EQ(rig.error("div_s", {i32(1), i32(0)}), "integer divide by zero");
  EXPECT_EQ(rig.error("div_s", {i32(0x80000000u), i32(uint32_t(-1))}), "integer overflow");
  EXPECT_EQ(rig.error("rem_u", {i32(1), i32(0)}), "integer divide by zero");
  EXPECT_EQ(rig.error("div64", {i64(uint64_t(1) << 63), i64(uint64_t(-1))}), "integer overflow");
  EXPECT_EQ(rig.bits("rem64", {i64(uint64_t(1) << 63), i64(uint64_t(-1))}), 0u);
  EXPECT_EQ(rig.bits("div64", {i64(uint64_t(-100)), i64(7)}), uint64_t(-14));
  EXPECT_EQ(rig.bits("mul64", {i64(0x100000001ull), i64(0x100000001ull)}), 0x200000001ull);
  EXPECT_EQ(rig.bits("shl", {i32(1), i32(33)}), 2u);
  EXPECT_EQ(rig.bits("shr_s", {i32(0x80000000u), i32(31)}), 0xffffffffu);
  EXPECT_EQ(rig.bits("rotr", {i32(1), i32(1)}), 0x80000000u);
  EXPECT_EQ(rig.bits("shl5", {i32(1)}), 32u);
  EXPECT_EQ(rig.bits("clz", {i32(0)}), 32u);
  EXPECT_EQ(rig.bits("clz", {i32(1)}), 31u);
  EXPECT_EQ(rig.bits("ctz", {i64(0)}), 64u);
  EXPECT_EQ(rig.bits("popcnt", {i64(~uint64_t(0))}), 64u);
  EXPECT_EQ(rig.bits("ext8", {i32(0x80)}), 0xffffff80u);
  EXPECT_EQ(rig.bits("ext32", {i64(0x80000000u)}), 0xffffffff80000000ull);
  EXPECT_EQ(rig.bits("big", {i64(0)}), 0x123456789abcdef0ull);
  EXPECT_EQ(rig.bits("wrap", {i64(0x1234567887654321ull)}), 0x87654321u);
  EXPECT_EQ(rig.bits("extu", {i32(0x80000000u)}), 0x80000000ull);
  EXPECT_EQ(rig.bits("exts", {i32(0x80000000u)}), 0xffffffff80000000ull);
  for (const char* f : {"add", "div_s", "rem_s", "shl", "clz", "ctz", "div64", "big", "wrap"})
    rig.expect_compiled(f);
}

TEST_P(TierTest, CompareAndSelect) {
  ASSERT_TRUE(rig.load(R"((module
    (func (export "lt_s") (param i32 i32) (result i32) (i32.lt_s (local.get 0) (local.get 1)))
    (func (export "lt_u") (param i32 i32) (result i32) (i32.lt_u (local.get 0) (local.get 1)))
    (func (export "ge_c") (param i32) (result i32) (i32.ge_s (i32.const 5) (local.get 0)))
    (func (export "eqz") (param i64) (result i32) (i64.eqz (local.get 0)))
    (func (export "not_lt") (param i32 i32) (result i32) (i32.eqz (i32.lt_s (local.get 0) (local.get 1))))
    (func (export "max") (param i32 i32) (result i32)
      (select (local.get 0) (local.get 1) (i32.gt_s (local.get 0) (local.get 1))))
    (func (export "fsel") (param f64 f64 i32) (result f64)
      (select (local.get 0) (local.get 1) (local.get 2)))
    (func (export "feq") (param f32 f32) (result i32) (f32.eq (local.get 0) (local.get 1)))
    (func (export "fne") (param f32 f32) (result i32) (f32.ne (local.get 0) (local.get 1)))
    (func (export "flt") (param f64 f64) (result i32) (f64.lt (local.get 0) (local.get 1)))
    (func (export "fge") (param f64 f64) (result i32) (f64.ge (local.get 0) (local.get 1)))
  ))"));
  EXPECT_EQ(rig.bits("lt_s", {i32(uint32_t(-1)), i32(0)}), 1u);
  EXPECT_EQ(rig.bits("lt_u", {i32(uint32_t(-1)), i32(0)}), 0u);
  EXPECT_EQ(rig.bits("ge_c", {i32(5)}), 1u);
  EXPECT_EQ(rig.bits("ge_c", {i32(6)}), 0u);
  EXPECT_EQ(rig.bits("eqz", {i64(uint64_t(1) << 40)}), 0u);
  EXPECT_EQ(rig.bits("eqz", {i64(0)}), 1u);
  EXPECT_EQ(rig.bits("not_lt", {i32(1), i32(2)}), 0u);
  EXPECT_EQ(rig.bits("max", {i32(uint32_t(-5)), i32(3)}), 3u);
  EXPECT_EQ(rig.bits("max", {i32(9), i32(3)}), 9u);
  EXPECT_EQ(rig.bits("fsel", {f64(1.5), f64(2.5), i32(0)}), std::bit_cast<uint64_t>(2.5));
  EXPECT_EQ(rig.bits("fsel", {f64(1.5), f64(2.5), i32(7)}), std::bit_cast<uint64_t>(1.5));
  float nan = std::numeric_limits<float>::quiet_NaN();
  double dnan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(rig.bits("feq", {f32(nan), f32(nan)}), 0u);
  EXPECT_EQ(rig.bits("feq", {f32(0.0f), f32(-0.0f)}), 1u);
  EXPECT_EQ(rig.bits("fne", {f32(nan), f32(1)}), 1u);
  EXPECT_EQ(rig.bits("fne", {f32(1), f32(1)}), 0u);
  EXPECT_EQ(rig.bits("flt", {f64(dnan), f64(1)}), 0u);
  EXPECT_EQ(rig.bits("flt", {f64(1), f64(2)}), 1u);
  EXPECT_EQ(rig.bits("fge", {f64(2), f64(dnan)}), 0u);
  EXPECT_EQ(rig.bits("fge", {f64(2), f64(2)}), 1u);
  for (const char* f : {"lt_s", "ge_c", "eqz", "not_lt", "max", "fsel", "feq", "flt"})
    rig.expect_compiled(f);
}

TEST_P(TierTest, FloatsAndConversions) {
  ASSERT_TRUE(rig.load(R"((module
    (func (export "fadd") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
    (func (export "fdiv") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
    (func (export "fmin") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
    (func (export "fmax") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
    (func (export "near") (param f64) (result f64) (f64.nearest (local.get 0)))
    (func (export "sqrt") (param f64) (result f64) (f64.sqrt (local.get 0)))
    (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
    (func (export "abs") (param f64) (result f64) (f64.abs (local.get 0)))
    (func (export "copysign") (param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1)))
    (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
    (func (export "trunc_u64") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
    (func (export "sat") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
    (func (export "cvt_u") (param i32) (result f32) (f32.convert_i32_u (local.get 0)))
    (func (export "cvt_s64") (param i64) (result f64) (f64.convert_i64_s (local.get 0)))
    (func (export "cvt_u64") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
    (func (export "promote") (param f32) (result f64) (f64.promote_f32 (local.get 0)))
    (func (export "reinterp") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
    (func (export "const") (result f64) (f64.add (f64.const 0.5) (f64.const 0.25)))
    (func (export "poly") (param f64) (result f64)
      (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.mul (f64.const 3) (local.get 0))))
  ))"));
  EXPECT_EQ(rig.bits("fadd", {f32(1.5f), f32(2.25f)}), std::bit_cast<uint32_t>(3.75f));
  EXPECT_EQ(rig.bits("fdiv", {f64(1), f64(0)}),
            std::bit_cast<uint64_t>(std::numeric_limits<double>::infinity()));
  EXPECT_EQ(rig.bits("fmin", {f32(0.0f), f32(-0.0f)}), 0x80000000u);
  EXPECT_EQ(rig.bits("fmin", {Value::f32_bits(0x7fa00000u), f32(1)}), 0x7fe00000u);
  EXPECT_EQ(rig.bits("fmax", {f64(-0.0), f64(0.0)}), 0u);
  EXPECT_EQ(rig.bits("near", {f64(2.5)}), std::bit_cast<uint64_t>(2.0));
  EXPECT_EQ(rig.bits("near", {f64(-0.4)}), std::bit_cast<uint64_t>(-0.0));
  EXPECT_EQ(rig.bits("sqrt", {f64(16)}), std::bit_cast<uint64_t>(4.0));
  EXPECT_EQ(rig.bits("neg", {Value::f32_bits(0x7fa00001u)}), 0xffa00001u);
  EXPECT_EQ(rig.bits("abs", {Value::f64_bits(0xfff8000000000001ull)}), 0x7ff8000000000001ull);
  EXPECT_EQ(rig.bits("copysign", {f32(2), f32(-0.0f)}), std::bit_cast<uint32_t>(-2.0f));
  EXPECT_EQ(rig.bits("trunc", {f32(-3.9f)}), uint32_t(-3));
  EXPECT_EQ(rig.error("trunc", {f32(3e9f)}), "integer overflow");
  EXPECT_EQ(rig.error("trunc", {f32(std::numeric_limits<float>::quiet_NaN())}),
            "invalid conversion to integer");
  EXPECT_EQ(rig.bits("trunc_u64", {f64(1e19)}), 10000000000000000000ull);
  EXPECT_EQ(rig.bits("sat", {f32(3e9f)}), 0x7fffffffu);
  EXPECT_EQ(rig.bits("sat", {f32(std::numeric_limits<float>::quiet_NaN())}), 0u);
  EXPECT_EQ(rig.bits("cvt_u", {i32(0xffffffffu)}), std::bit_cast<uint32_t>(4294967296.0f));
  EXPECT_EQ(rig.bits("cvt_s64", {i64(uint64_t(-3))}), std::bit_cast<uint64_t>(-3.0));
  EXPECT_EQ(rig.bits("cvt_u64", {i64(~uint64_t(0))}),
            std::bit_cast<uint32_t>(18446744073709551616.0f));
  EXPECT_EQ(rig.bits("promote", {Value::f32_bits(0x7f800001u)}), 0x7ff8000020000000ull);
  EXPECT_EQ(rig.bits("reinterp", {Value::f32_bits(0x7f800001u)}), 0x7f800001u);
  EXPECT_EQ(rig.bits("const"), std::bit_cast<uint64_t>(0.75));
  EXPECT_EQ(rig.bits("poly", {f64(2)}), std::bit_cast<uint64_t>(10.0));
  for (const char* f : {"fadd", "fmin", "near", "neg", "abs", "trunc", "sat", "cvt_u", "cvt_u64",
                        "promote", "reinterp", "poly"})
    rig.expect_compiled(f);
}

TEST_P(TierTest, ControlFlowAndMultiValue) {
  ASSERT_TRUE(rig.load(R"((module
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
        (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func (export "sum") (param i32) (result i64) (local i64)
      (block $done
        (loop $top
          (br_if $done (i32.eqz (local.get 0)))
          (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br $top)))
      (local.get 1))
    (func (export "table") (param i32) (result i32)
      (block $d (block $c (block $b (block $a
        (br_table $a $b $c $d (local.get 0)))
        (return (i32.const 10)))
        (return (i32.const 11)))
        (return (i32.const 12)))
      (i32.const 13))
    (func (export "table_vals") (param i32) (result i32)
      (block $out (result i32)
        (block $x (result i32)
          (br_table $x $out (i32.const 100) (local.get 0)))
        (i32.add (i32.const 1))))
    (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
    (func (export "swap_sub") (param i32 i32) (result i32)
      (call $swap (local.get 0) (local.get 1)) (i32.sub))
    (func (export "multi_block") (result i32)
      (block (result i32 i32) (i32.const 5) (i32.const 3)) (i32.sub))
    (func (export "loop_params") (param i32) (result i32)
      (local.get 0) (i32.const 0)
      (loop (param i32 i32) (result i32)
        ;; [n acc] -> acc + n, n - 1 until n == 0
        (local.set 0) ;; acc
        (if (param i32) (result i32) (i32.eqz (local.tee 0 (local.get 0)))
          (then (drop) (i32.const 0))
          (else))
        (drop)
        (i32.const 0)))
    (func (export "if_params") (param i32 i32) (result i32)
      (local.get 0)
      (if (param i32) (result i32) (local.get 1)
        (then (i32.const 1) (i32.add))
        (else (i32.const 100) (i32.mul))))
    (func (export "early") (param i32) (result i32)
      (block (br_if 0 (local.get 0)) (return (i32.const 7)))
      (i32.const 8))
    (func (export "tee") (param i32) (result i32) (local i32)
      (i32.add (local.tee 1 (i32.mul (local.get 0) (i32.const 2))) (local.get 1)))
    (func (export "ret_local_order") (param i32 i32) (result i32 i32)
      (local.get 1) (local.get 0))
  ))"));
  EXPECT_EQ(rig.bits("fib", {i32(20)}), 6765u);
  EXPECT_EQ(rig.bits("sum", {i32(100000)}), 5000050000ull);
  for (uint32_t i = 0; i < 6; ++i) EXPECT_EQ(rig.bits("table", {i32(i)}), i < 3 ? 10 + i : 13) << i;
  EXPECT_EQ(rig.bits("table_vals", {i32(0)}), 101u);
  EXPECT_EQ(rig.bits("table_vals", {i32(1)}), 100u);
  EXPECT_EQ(rig.bits("table_vals", {i32(99)}), 100u);
  EXPECT_EQ(rig.bits("swap_sub", {i32(3), i32(10)}), 7u);
  EXPECT_EQ(rig.bits("multi_block"), 2u);
  EXPECT_EQ(rig.bits("if_params", {i32(5), i32(1)}), 6u);
  EXPECT_EQ(rig.bits("if_params", {i32(5), i32(0)}), 500u);
  EXPECT_EQ(rig.bits("early", {i32(0)}), 7u);
  EXPECT_EQ(rig.bits("early", {i32(1)}), 8u);
  EXPECT_EQ(rig.bits("tee", {i32(5)}), 20u);
  auto r = rig.call("ret_local_order", {i32(1), i32(2)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].i32(), 2u);
  EXPECT_EQ((*r)[1].i32(), 1u);
  for (const char* f : {"fib", "sum", "table", "table_vals", "swap_sub", "multi_block", "if_params",
                        "early", "tee", "ret_local_order"})
    rig.expect_compiled(f);
}

TEST_P(TierTest, CallsGlobalsTablesAndHost) {
  FuncType t{{kI32}, {kI32}};
  Func host = Func::host(rig.store, t, [](std::span<const Value> a, std::span<Value> r) {
    r[0] = Value::i32(a[0].i32() * 3);
    return Status{};
  });
  Extern e;
  e.kind = ExternKind::Func;
  e.func = host;
  ASSERT_TRUE(rig.load(R"((module
    (import "env" "triple" (func $triple (param i32) (result i32)))
    (type $ii (func (param i32) (result i32)))
    (type $v (func))
    (global $g (mut i64) (i64.const 5))
    (global $f (mut f32) (f32.const 1.5))
    (table $t 4 funcref)
    (elem (table $t) (i32.const 0) func $inc $triple $nothing)
    (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func $nothing)
    (func (export "host") (param i32) (result i32) (call $triple (local.get 0)))
    (func (export "indirect") (param i32 i32) (result i32)
      (call_indirect (type $ii) (local.get 0) (local.get 1)))
    (func (export "bump") (result i64)
      (global.set $g (i64.add (global.get $g) (i64.const 1))) (global.get $g))
    (func (export "fglobal") (result f32)
      (global.set $f (f32.mul (global.get $f) (f32.const 2))) (global.get $f))
    (func (export "tget") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
    (func (export "tsize") (result i32) (table.size $t))
    (func (export "tgrow") (result i32) (table.grow $t (ref.null func) (i32.const 2)))
    (func (export "byref") (param i32) (result i32)
      (call_ref $ii (local.get 0) (ref.func $inc)))
    (func (export "nullref") (param i32) (result i32)
      (call_ref $ii (local.get 0) (ref.null $ii)))
  ))",
                       {e}));
  EXPECT_EQ(rig.bits("host", {i32(14)}), 42u);
  EXPECT_EQ(rig.bits("indirect", {i32(41), i32(0)}), 42u);
  EXPECT_EQ(rig.bits("indirect", {i32(14), i32(1)}), 42u); // host function through a table
  EXPECT_EQ(rig.error("indirect", {i32(1), i32(2)}), "indirect call type mismatch");
  EXPECT_EQ(rig.error("indirect", {i32(1), i32(3)}), "uninitialized element");
  EXPECT_EQ(rig.error("indirect", {i32(1), i32(4)}), "undefined element");
  EXPECT_EQ(rig.bits("bump"), 6u);
  EXPECT_EQ(rig.bits("bump"), 7u);
  EXPECT_EQ(rig.bits("fglobal"), std::bit_cast<uint32_t>(3.0f));
  EXPECT_EQ(rig.bits("tget", {i32(0)}), 0u);
  EXPECT_EQ(rig.bits("tget", {i32(3)}), 1u);
  EXPECT_EQ(rig.error("tget", {i32(4)}), "out of bounds table access");
  EXPECT_EQ(rig.bits("tsize"), 4u);
  EXPECT_EQ(rig.bits("tgrow"), 4u);
  EXPECT_EQ(rig.bits("tsize"), 6u);
  EXPECT_EQ(rig.bits("tget", {i32(5)}), 1u);
  EXPECT_EQ(rig.bits("byref", {i32(1)}), 2u);
  EXPECT_EQ(rig.error("nullref", {i32(1)}), "null function reference");
  for (const char* f : {"host", "indirect", "bump", "fglobal", "tget", "tsize", "tgrow", "byref"})
    rig.expect_compiled(f);
}

TEST_P(TierTest, MemoryAndBulk) {
  ASSERT_TRUE(rig.load(R"((module
    (memory 1 3)
    (data (i32.const 0) "\01\02\03\04\05\06\07\08")
    (data $p "hello")
    (func (export "ld") (param i32) (result i64) (i64.load (local.get 0)))
    (func (export "ld8s") (param i32) (result i32) (i32.load8_s offset=1 (local.get 0)))
    (func (export "st") (param i32 i64) (i64.store16 (local.get 0) (local.get 1)))
    (func (export "stc") (i32.store (i32.const 16) (i32.const 0xdeadbeef)))
    (func (export "ldc") (result i32) (i32.load (i32.const 16)))
    (func (export "fst") (param i32 f64) (f64.store offset=8 (local.get 0) (local.get 1)))
    (func (export "fld") (param i32) (result f64) (f64.load offset=8 (local.get 0)))
    (func (export "size") (result i32) (memory.size))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
    (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
    (func (export "init") (param i32 i32 i32) (memory.init $p (local.get 0) (local.get 1) (local.get 2)))
    (func (export "drop") (data.drop $p))
  ))"));
  EXPECT_EQ(rig.bits("ld", {i32(0)}), 0x0807060504030201ull);
  EXPECT_EQ(rig.bits("ld8s", {i32(0)}), 2u);
  rig.run("st", {i32(0), i64(0xfffe)});
  EXPECT_EQ(rig.bits("ld", {i32(0)}), 0x080706050403fffeull);
  rig.run("stc");
  EXPECT_EQ(rig.bits("ldc"), 0xdeadbeefu);
  rig.run("fst", {i32(100), f64(2.5)});
  EXPECT_EQ(rig.bits("fld", {i32(100)}), std::bit_cast<uint64_t>(2.5));
  EXPECT_EQ(rig.bits("size"), 1u);
  EXPECT_EQ(rig.bits("grow", {i32(1)}), 1u);
  EXPECT_EQ(rig.bits("grow", {i32(5)}), 0xffffffffu);
  EXPECT_EQ(rig.bits("size"), 2u);
  EXPECT_EQ(rig.bits("ld", {i32(65536 * 2 - 8)}), 0u);
  EXPECT_EQ(rig.error("ld", {i32(65536 * 2 - 7)}), "out of bounds memory access");
  rig.run("fill", {i32(200), i32(0xab), i32(8)});
  EXPECT_EQ(rig.bits("ld", {i32(200)}), 0xababababababababull);
  EXPECT_EQ(rig.error("fill", {i32(65536 * 2 - 1), i32(0), i32(2)}), "out of bounds memory access");
  rig.run("copy", {i32(300), i32(200), i32(8)});
  EXPECT_EQ(rig.bits("ld", {i32(300)}), 0xababababababababull);
  rig.run("init", {i32(400), i32(1), i32(4)});
  EXPECT_EQ(rig.bits("ld", {i32(400)}) & 0xffffffffu, 0x6f6c6c65u); // "ello"
  EXPECT_EQ(rig.error("init", {i32(400), i32(2), i32(4)}), "out of bounds memory access");
  rig.run("drop");
  EXPECT_EQ(rig.error("init", {i32(400), i32(0), i32(1)}), "out of bounds memory access");
  for (const char* f : {"ld", "ld8s", "st", "stc", "ldc", "fst", "fld", "size", "grow", "fill",
                        "copy", "init", "drop"})
    rig.expect_compiled(f);
}

TEST_P(TierTest, Memory64AndMultiMemory) {
  ASSERT_TRUE(rig.load(R"((module
    (memory $a i64 1)
    (memory $b 1)
    (func (export "st64") (param i64 i64) (i64.store $a (local.get 0) (local.get 1)))
    (func (export "ld64") (param i64) (result i64) (i64.load $a (local.get 0)))
    (func (export "ldoff") (param i64) (result i32) (i32.load $a offset=0xffffffffffffff00 (local.get 0)))
    (func (export "stb") (param i32 i32) (i32.store $b (local.get 0) (local.get 1)))
    (func (export "ldb") (param i32) (result i32) (i32.load $b (local.get 0)))
    (func (export "size64") (result i64) (memory.size $a))
  ))"));
  rig.run("st64", {i64(8), i64(0x1122334455667788ull)});
  EXPECT_EQ(rig.bits("ld64", {i64(8)}), 0x1122334455667788ull);
  EXPECT_EQ(rig.bits("ld64", {i64(65528)}), 0u);
  EXPECT_EQ(rig.error("ld64", {i64(65529)}), "out of bounds memory access");
  EXPECT_EQ(rig.error("ld64", {i64(uint64_t(1) << 32)}), "out of bounds memory access");
  EXPECT_EQ(rig.error("ldoff", {i64(0x200)}), "out of bounds memory access");
  rig.run("stb", {i32(4), i32(77)});
  EXPECT_EQ(rig.bits("ldb", {i32(4)}), 77u);
  EXPECT_EQ(rig.bits("ld64", {i64(0)}) & 0xffffffff, 0u); // memory $a untouched at 4
  EXPECT_EQ(rig.error("ldb", {i32(65533)}), "out of bounds memory access");
  EXPECT_EQ(rig.bits("size64"), 1u);
  for (const char* f : {"st64", "ld64", "ldoff", "stb", "ldb", "size64"}) rig.expect_compiled(f);
}

TEST_P(TierTest, TailCallsRunInConstantStack) {
  ASSERT_TRUE(rig.load(R"((module
    (type $t (func (param i64 i64) (result i64)))
    (table 1 funcref)
    (elem (i32.const 0) $count_ind)
    (func $count (export "count") (param i64 i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
        (else (return_call $count (i64.sub (local.get 0) (i64.const 1))
                                  (i64.add (local.get 1) (i64.const 2))))))
    (func $count_ind (export "count_ind") (param i64 i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
        (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1))
                                  (i64.add (local.get 1) (i64.const 1)) (i32.const 0)))))
  ))"));
  EXPECT_EQ(rig.bits("count", {i64(1000000), i64(0)}), 2000000u);
  EXPECT_EQ(rig.bits("count_ind", {i64(1000000), i64(0)}), 1000000u);
  rig.expect_compiled("count");
  rig.expect_compiled("count_ind");
}

TEST_P(TierTest, TailCallsAcrossTiersRunInConstantStack) {
  // $odd uses a GC instruction, so under Tier::Jit it falls back to the
  // interpreter while $even is compiled: every tail call crosses the tiers.
  ASSERT_TRUE(rig.load(R"((module
    (func $even (export "even") (param i64) (result i32)
      (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
        (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
    (func $odd (param i64) (result i32)
      (drop (ref.i31 (i32.const 1)))
      (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
        (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
  ))"));
  EXPECT_EQ(rig.bits("even", {i64(1000000)}), 1u);
  EXPECT_EQ(rig.bits("even", {i64(999999)}), 0u);
  rig.expect_compiled("even");
}

TEST_P(TierTest, ExceptionsAcrossFramesAndTiers) {
  // $gc_thrower uses a GC instruction: under Tier::Jit it stays interpreted,
  // so exceptions cross from interpreted to compiled frames and back.
  ASSERT_TRUE(rig.load(R"((module
    (tag $e (param i32 i64))
    (tag $f)
    (func $thrower (param i32) (throw $e (local.get 0) (i64.const 7)))
    (func $gc_thrower (param i32) (drop (ref.i31 (i32.const 1))) (throw $e (local.get 0) (i64.const 9)))
    (func (export "catch") (param i32) (result i64) (local i64)
      (block $h (result i32 i64)
        (try_table (catch $e $h) (call $thrower (local.get 0)))
        (return (i64.const -1)))
      (local.set 1)
      (i64.add (i64.extend_i32_u) (local.get 1)))
    (func (export "catch_interp") (param i32) (result i64) (local i64)
      (block $h (result i32 i64)
        (try_table (catch $e $h) (call $gc_thrower (local.get 0)))
        (return (i64.const -1)))
      (local.set 1)
      (i64.add (i64.extend_i32_u) (local.get 1)))
    (func (export "nested") (result i32) (local i64)
      (block $outer (result i32 i64)
        (block $inner
          (try_table (catch $e $outer)
            (try_table (catch $f $inner) (throw $e (i32.const 40) (i64.const 2)))))
        (return (i32.const 0)))
      (local.set 0)
      (i32.add (i32.wrap_i64 (local.get 0))))
    (func (export "rethrow") (result i32)
      (block $h (result exnref)
        (try_table (catch_all_ref $h) (throw $f))
        (unreachable))
      (block $g (param exnref)
        (try_table (param exnref) (catch $f $g) (throw_ref))
        (unreachable))
      (i32.const 5))
    (func (export "uncaught") (throw $f))
    (func (export "trap_not_caught") (result i32)
      (block $h (try_table (catch_all $h) (unreachable)))
      (i32.const 1))
    (func (export "null_ref") (throw_ref (ref.null exn)))
    (func (export "to_function") (result i32 i64)
      (try_table (catch $e 0) (call $thrower (i32.const 3)))
      (i32.const 0) (i64.const 0))
  ))"));
  EXPECT_EQ(rig.bits("catch", {i32(35)}), 42u);
  EXPECT_EQ(rig.bits("catch_interp", {i32(33)}), 42u);
  EXPECT_EQ(rig.bits("nested"), 42u);
  EXPECT_EQ(rig.bits("rethrow"), 5u);
  EXPECT_EQ(rig.error("uncaught", {}, ErrorKind::Exception), "uncaught exception");
  EXPECT_EQ(rig.error("trap_not_caught"), "unreachable");
  EXPECT_EQ(rig.error("null_ref"), "null exception reference");
  auto r = rig.call("to_function");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].i32(), 3u);
  EXPECT_EQ((*r)[1].i64(), 7u);
  for (const char* f :
       {"catch", "catch_interp", "nested", "rethrow", "uncaught", "trap_not_caught", "to_function"})
    rig.expect_compiled(f);
}

TEST_P(TierTest, SimdValuesAndLanes) {
  ASSERT_TRUE(rig.load(R"((module
    (memory 1)
    (global $g (mut v128) (v128.const i32x4 1 2 3 4))
    (func (export "add") (param i32) (result i32) (local v128)
      (local.set 1 (i32x4.splat (local.get 0)))
      (i32x4.extract_lane 3 (i32x4.add (local.get 1) (global.get $g))))
    (func (export "mem") (result i64)
      (v128.store (i32.const 16) (v128.const i64x2 0x1111 0x2222))
      (v128.store64_lane 1 (i32.const 0) (v128.load (i32.const 16)))
      (i64.load (i32.const 0)))
    (func (export "splat8") (result i32)
      (i32.store8 (i32.const 100) (i32.const 0xab))
      (i32x4.extract_lane 2 (v128.load8_splat (i32.const 100))))
    (func (export "shuffle") (result i32)
      (i8x16.extract_lane_u 0
        (i8x16.shuffle 31 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
          (v128.const i8x16 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)
          (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 77))))
    (func (export "oob") (result i32) (i32x4.extract_lane 0 (v128.load (i32.const 65530))))
    (func (export "lane_oob") (v128.store8_lane 0 (i32.const 65536) (v128.const i32x4 0 0 0 0)))
    (func (export "select") (param i32) (result i32)
      (i32x4.extract_lane 0 (select (v128.const i32x4 1 0 0 0) (v128.const i32x4 2 0 0 0) (local.get 0))))
  ))"));
  EXPECT_EQ(rig.bits("add", {i32(10)}), 14u);
  EXPECT_EQ(rig.bits("mem"), 0x2222u);
  EXPECT_EQ(rig.bits("splat8"), 0xababababu);
  EXPECT_EQ(rig.bits("shuffle"), 77u);
  EXPECT_EQ(rig.error("oob"), "out of bounds memory access");
  EXPECT_EQ(rig.error("lane_oob"), "out of bounds memory access");
  EXPECT_EQ(rig.bits("select", {i32(1)}), 1u);
  EXPECT_EQ(rig.bits("select", {i32(0)}), 2u);
  for (const char* f : {"add", "mem", "splat8", "shuffle", "oob", "lane_oob", "select"})
    rig.expect_compiled(f);
}

TEST_P(TierTest, StackExhaustionIsATrapAndTheStoreRecovers) {
  ASSERT_TRUE(rig.load(R"((module
    (func $inf (export "inf") (param i32) (result i32)
      (i32.add (call $inf (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
    (func (export "ok") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  ))"));
  EXPECT_EQ(rig.error("inf", {i32(0)}, ErrorKind::Exhaustion), "call stack exhausted");
  EXPECT_EQ(rig.bits("ok", {i32(21)}), 42u);
  EXPECT_EQ(rig.error("inf", {i32(0)}, ErrorKind::Exhaustion), "call stack exhausted");
  EXPECT_EQ(rig.bits("ok", {i32(4)}), 8u);
  rig.expect_compiled("inf");
}

TEST_P(TierTest, NativeStackLimitStopsDeepRecursion) {
  // With a huge depth limit the native stack (compiled code) or the value
  // stack (interpreter) runs out first: still a clean exhaustion.
  EngineConfig c = config_for(GetParam());
  c.max_call_depth = 50'000'000;
  TierRig deep(c);
  ASSERT_TRUE(deep.load(R"((module
    (func $inf (export "inf") (param i64) (result i64)
      (i64.add (call $inf (i64.add (local.get 0) (i64.const 1))) (i64.const 1)))
    (func (export "ok") (result i32) (i32.const 3))
  ))"));
  EXPECT_EQ(deep.error("inf", {i64(0)}, ErrorKind::Exhaustion), "call stack exhausted");
  EXPECT_EQ(deep.bits("ok"), 3u);
  deep.expect_compiled("inf");
}

TEST_P(TierTest, TrapsInNestedCallsAndRecovery) {
  ASSERT_TRUE(rig.load(R"((module
    (func $deep (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (unreachable))
        (else (call $deep (i32.sub (local.get 0) (i32.const 1))))))
    (func (export "deep") (param i32) (result i32) (call $deep (local.get 0)))
    (func (export "nonnull") (param funcref) (result funcref) (ref.as_non_null (local.get 0)))
    (func (export "one") (result i32) (i32.const 1))
  ))"));
  EXPECT_EQ(rig.error("deep", {i32(50)}), "unreachable");
  EXPECT_EQ(rig.bits("one"), 1u);
  EXPECT_EQ(rig.error("nonnull", {Value::null(kFuncRef)}), "null reference");
  EXPECT_EQ(rig.bits("one"), 1u);
  rig.expect_compiled("deep");
  rig.expect_compiled("nonnull");
}

TEST_P(TierTest, ManyLiveValuesSpill) {
  // More simultaneously live values than registers: forces spilling.
  std::string body;
  for (int i = 1; i <= 40; ++i)
    body += "(i64.mul (local.get 0) (i64.const " + std::to_string(i) + "))\n";
  for (int i = 1; i < 40; ++i) body += "(i64.add)\n";
  std::string fbody;
  for (int i = 1; i <= 24; ++i)
    fbody += "(f64.mul (local.get 0) (f64.const " + std::to_string(i) + "))\n";
  for (int i = 1; i < 24; ++i) fbody += "(f64.add)\n";
  ASSERT_TRUE(rig.load("(module (func (export \"f\") (param i64) (result i64) " + body +
                       ") (func (export \"g\") (param f64) (result f64) " + fbody + "))"));
  EXPECT_EQ(rig.bits("f", {i64(3)}), 3u * 820u);
  EXPECT_EQ(rig.bits("g", {f64(2)}), std::bit_cast<uint64_t>(2.0 * 300.0));
  rig.expect_compiled("f");
  rig.expect_compiled("g");
}

INSTANTIATE_TEST_SUITE_P(Tiers, TierTest, ::testing::Values(Tier::Interp, Tier::Jit),
                         [](const auto& info) { return std::string(tier_name(info.param)); });

} // namespace
