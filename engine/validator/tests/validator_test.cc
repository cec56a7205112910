// Unit tests for the validator on hand-built binaries: operand typing and its
// messages, indices, control, locals, constant expressions, module-level
// rules, GC subtyping and feature gating.
#include "decoder/module_decoder.h"
#include "decoder/tests/wasm_builder.h"
#include "validator/validator.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

using namespace tandem;
using namespace tandem::test;

namespace {

// "ok", or "<kind>: <message>" for the first error of decode + validate.
std::string check(Bytes b, FeatureSet f = FeatureSet::defaults()) {
  auto m = decode_module(std::move(b), f);
  if (!m.ok()) return std::string(error_kind_name(m.error().kind)) + ": " + m.error().message;
  Status s = validate_module(*m, f);
  if (s.ok()) return "ok";
  return std::string(error_kind_name(s.error().kind)) + ": " + s.error().message;
}

std::string invalid(const std::string& msg) {
  return "invalid: " + msg;
}

const Bytes kVoid = func_type({}, {});
const Bytes kToI32 = func_type({}, {0x7f});
const Bytes kI32ToI32 = func_type({0x7f}, {0x7f});

} // namespace

TEST(Validator, NumericTyping) {
  EXPECT_EQ(check(one_func(kToI32, {0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b})), "ok");
  EXPECT_EQ(check(one_func(kToI32, {0x42, 0x01, 0x45, 0x0b})),
            invalid("type mismatch: instruction requires [i32] but stack has [i64]"));
  EXPECT_EQ(check(one_func(kToI32, {0x41, 0x01, 0x6a, 0x0b})),
            invalid("type mismatch: instruction requires [i32 i32] but stack has [i32]"));
  EXPECT_EQ(check(one_func(kVoid, {0x41, 0x01, 0x0b})),
            invalid("type mismatch: block requires [] but stack has [i32]"));
  EXPECT_EQ(check(one_func(kToI32, {0x0b})),
            invalid("type mismatch: instruction requires [i32] but stack has []"));
  // Unreachable code is stack-polymorphic.
  EXPECT_EQ(check(one_func(kToI32, {0x00, 0x6a, 0x0b})), "ok");
  EXPECT_EQ(
      check(one_func(kToI32, {0x00, 0x42, 0x00, 0x6a, 0x0b})).rfind("invalid: type mismatch", 0),
      0u);
}

TEST(Validator, LocalsAndGlobals) {
  EXPECT_EQ(check(one_func(kI32ToI32, {0x20, 0x00, 0x0b})), "ok");
  EXPECT_EQ(check(one_func(kI32ToI32, {0x20, 0x01, 0x0b})), invalid("unknown local 1"));
  EXPECT_EQ(check(one_func(kToI32, {0x20, 0x02, 0x0b}, vec({{0x03, 0x7f}}))), "ok");
  Bytes global = section(6, vec({{0x7f, 0x00, 0x41, 0x00, 0x0b}}));
  EXPECT_EQ(check(one_func(kVoid, {0x41, 0x01, 0x24, 0x00, 0x0b}, {0x00}, {global})),
            invalid("immutable global 0"));
  EXPECT_EQ(check(one_func(kToI32, {0x23, 0x01, 0x0b}, {0x00}, {global})),
            invalid("unknown global 1"));
}

TEST(Validator, ControlAndBranches) {
  // block (result i32) i32.const 1 br 0 end
  EXPECT_EQ(check(one_func(kToI32, {0x02, 0x7f, 0x41, 0x01, 0x0c, 0x00, 0x0b, 0x0b})), "ok");
  EXPECT_EQ(check(one_func(kVoid, {0x0c, 0x01, 0x0b})), invalid("unknown label 1"));
  // if (result i32) without else is invalid.
  EXPECT_EQ(check(one_func(kToI32, {0x41, 0x00, 0x04, 0x7f, 0x41, 0x01, 0x0b, 0x0b}))
                .rfind("invalid: type mismatch", 0),
            0u);
  // loop label takes the loop's parameters (none): br 0 with a value on the stack is fine
  // only if unreachable afterwards.
  EXPECT_EQ(check(one_func(kVoid, {0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b})), "ok");
  // br_table with mismatched arities.
  Bytes code = {0x02, 0x7f, 0x02, 0x40, 0x41, 0x00, 0x0e, 0x01,
                0x00, 0x01, 0x0b, 0x41, 0x00, 0x0b, 0x0b};
  EXPECT_EQ(check(one_func(kToI32, code)).rfind("invalid: type mismatch", 0), 0u);
  // select of two different types.
  EXPECT_EQ(check(one_func(kVoid, {0x41, 0x00, 0x42, 0x00, 0x41, 0x00, 0x1b, 0x1a, 0x0b}))
                .rfind("invalid: type mismatch", 0),
            0u);
}

TEST(Validator, CallsAndFunctions) {
  Bytes types = section(1, vec({kVoid, kI32ToI32}));
  Bytes funcs = section(3, vec({{0x00}, {0x01}}));
  Bytes code = section(10, vec({body({0x00}, {0x41, 0x05, 0x10, 0x01, 0x1a, 0x0b}),
                                body({0x00}, {0x20, 0x00, 0x0b})}));
  EXPECT_EQ(check(module({types, funcs, code})), "ok");
  Bytes bad =
      section(10, vec({body({0x00}, {0x10, 0x07, 0x0b}), body({0x00}, {0x20, 0x00, 0x0b})}));
  EXPECT_EQ(check(module({types, funcs, bad})), invalid("unknown function 7"));
  Bytes start = section(8, uleb(1));
  EXPECT_EQ(check(module({types, funcs, start, code})), invalid("start function"));
}

TEST(Validator, MemoryInstructions) {
  Bytes mem = section(5, vec({{0x00, 0x01}}));
  EXPECT_EQ(check(one_func(kToI32, {0x41, 0x00, 0x28, 0x02, 0x00, 0x0b}, {0x00}, {mem})), "ok");
  EXPECT_EQ(check(one_func(kToI32, {0x41, 0x00, 0x28, 0x03, 0x00, 0x0b}, {0x00}, {mem})),
            invalid("alignment must not be larger than natural"));
  EXPECT_EQ(check(one_func(kToI32, {0x41, 0x00, 0x28, 0x02, 0x00, 0x0b})),
            invalid("unknown memory 0"));
  EXPECT_EQ(check(one_func(kVoid, {0xfc, 0x09, 0x00, 0x0b}, {0x00}, {mem})),
            "malformed: data count section required");
  Bytes big = section(5, vec({{0x00, 0x81, 0x80, 0x04}}));
  EXPECT_EQ(check(module({big})), invalid("memory size must be at most 65536 pages (4GiB)"));
  Bytes minmax = section(5, vec({{0x01, 0x02, 0x01}}));
  EXPECT_EQ(check(module({minmax})), invalid("size minimum must not be greater than maximum"));
}

TEST(Validator, SimdLanes) {
  // v128.const 0; i8x16.extract_lane_s 16
  Bytes code = {0xfd, 0x0c};
  code.insert(code.end(), 16, 0);
  Bytes ok = cat({code, {0xfd, 0x15, 0x0f, 0x0b}});
  Bytes bad = cat({code, {0xfd, 0x15, 0x10, 0x0b}});
  EXPECT_EQ(check(one_func(kToI32, ok)), "ok");
  EXPECT_EQ(check(one_func(kToI32, bad)), invalid("invalid lane index"));
}

TEST(Validator, ExportsAndConstantExpressions) {
  Bytes exports = section(7, vec({cat({name("a"), {0x00, 0x00}}), cat({name("a"), {0x00, 0x00}})}));
  EXPECT_EQ(check(one_func(kVoid, {0x0b}, {0x00}, {exports})), invalid("duplicate export name"));
  Bytes nonconst = section(6, vec({{0x7f, 0x00, 0x41, 0x00, 0x45, 0x0b}}));
  EXPECT_EQ(check(module({nonconst})), invalid("constant expression required"));
  Bytes extended = section(6, vec({{0x7f, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b}}));
  EXPECT_EQ(check(module({extended})), "ok");
  Bytes wrong = section(6, vec({{0x7e, 0x00, 0x41, 0x00, 0x0b}}));
  EXPECT_EQ(check(module({wrong})).rfind("invalid: type mismatch", 0), 0u);
}

TEST(Validator, FunctionReferences) {
  // ref.func 0 without a declaration is invalid; with an export it is fine.
  Bytes t = func_type({}, {0x70});
  EXPECT_EQ(check(one_func(t, {0xd2, 0x00, 0x0b})), invalid("undeclared function reference"));
  Bytes exports = section(7, vec({cat({name("f"), {0x00, 0x00}})}));
  EXPECT_EQ(check(one_func(t, {0xd2, 0x00, 0x0b}, {0x00}, {exports})), "ok");
  // A non-defaultable local must be set before it is read: (local (ref func)).
  Bytes local_ref = vec({{0x01, 0x64, 0x70}});
  Bytes fn = func_type({}, {});
  EXPECT_EQ(check(one_func(fn, {0x20, 0x00, 0x1a, 0x0b}, local_ref)),
            invalid("uninitialized local 0"));
}

TEST(Validator, GcSubtyping) {
  // (type $a (sub (struct (field i32)))) (type $b (sub $a (struct (field i32 i64))))
  Bytes a = {0x50, 0x00, 0x5f, 0x01, 0x7f, 0x00};
  Bytes b = {0x50, 0x01, 0x00, 0x5f, 0x02, 0x7f, 0x00, 0x7e, 0x00};
  EXPECT_EQ(check(module({section(1, vec({a, b}))})), "ok");
  // Field types that do not match the supertype.
  Bytes c = {0x50, 0x01, 0x00, 0x5f, 0x01, 0x7e, 0x00};
  EXPECT_EQ(check(module({section(1, vec({a, c}))})),
            invalid("sub type 1 does not match super type 0"));
  // Final supertype.
  Bytes f = {0x4f, 0x00, 0x5f, 0x00};
  Bytes g = {0x50, 0x01, 0x00, 0x5f, 0x00};
  EXPECT_EQ(check(module({section(1, vec({f, g}))})),
            invalid("sub type 1 does not match super type 0"));
  // Two identical rec groups are the same type: a function taking (ref 1) may pass its
  // argument to one taking (ref 0); with different structures it may not.
  auto module_with = [](const Bytes& t1) {
    Bytes types = section(
        1, vec({{0x5f, 0x00}, t1, {0x60, 0x01, 0x64, 0x00, 0x00}, {0x60, 0x01, 0x64, 0x01, 0x00}}));
    Bytes funcs = section(3, vec({{0x02}, {0x03}}));
    Bytes code =
        section(10, vec({body({0x00}, {0x0b}), body({0x00}, {0x20, 0x00, 0x10, 0x00, 0x0b})}));
    return module({types, funcs, code});
  };
  EXPECT_EQ(check(module_with({0x5f, 0x00})), "ok");
  EXPECT_EQ(check(module_with({0x5f, 0x01, 0x7f, 0x00})).rfind("invalid: type mismatch", 0), 0u);
}

TEST(Validator, FeatureGating) {
  FeatureSet no_gc = FeatureSet::defaults();
  no_gc.set(Feature::gc, false);
  Bytes st = section(1, vec({{0x5f, 0x00}}));
  EXPECT_EQ(check(module({st}), no_gc), "unsupported: feature 'gc' is not supported");
  FeatureSet no_simd = FeatureSet::defaults();
  no_simd.set(Feature::simd, false);
  Bytes code = {0xfd, 0x0c};
  code.insert(code.end(), 16, 0);
  code.insert(code.end(), {0x1a, 0x0b});
  EXPECT_EQ(check(one_func(kVoid, code), no_simd), "unsupported: feature 'simd' is not supported");
  // Legacy exceptions are off by default.
  EXPECT_EQ(check(one_func(kVoid, {0x06, 0x40, 0x0b, 0x0b})),
            "unsupported: feature 'legacy-exceptions' is not supported");
}

namespace {

// A module of `n` functions of about 3 KB each (over the size at which
// bodies are validated on several threads), where function i's body reads
// local bad[i] (unknown: the functions have none) when present.
Bytes large_module(uint32_t n, const std::map<uint32_t, uint32_t>& bad) {
  Bytes funcs = uleb(n), code = uleb(n);
  for (uint32_t i = 0; i < n; ++i) {
    funcs.push_back(0x00);
    Bytes instrs;
    for (int k = 0; k < 1000; ++k) instrs.insert(instrs.end(), {0x41, 0x01, 0x1a});
    if (auto it = bad.find(i); it != bad.end())
      instrs.insert(instrs.end(), {0x20, uint8_t(it->second), 0x1a});
    instrs.push_back(0x0b);
    Bytes b = body({0x00}, instrs);
    code.insert(code.end(), b.begin(), b.end());
  }
  return module({section(1, vec({kVoid})), section(3, funcs), section(10, code)});
}

} // namespace

// Validation of a large module is split over threads; the error reported is
// still that of the lowest-numbered invalid function.
TEST(Validator, LargeModuleReportsTheFirstInvalidFunction) {
  EXPECT_EQ(check(large_module(400, {})), "ok");
  EXPECT_EQ(check(large_module(400, {{390, 7}})), invalid("unknown local 7"));
  EXPECT_EQ(check(large_module(400, {{150, 9}, {390, 7}})), invalid("unknown local 9"));
  EXPECT_EQ(check(large_module(400, {{0, 3}, {399, 7}})), invalid("unknown local 3"));
}
