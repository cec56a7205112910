// Every scalar numeric operator (opcodes.def shapes Unary, Binary, Compare,
// Test and Convert) on edge-case operands, on both tiers, compared bit for
// bit: results, trap kinds and messages. The interpreter's answer comes from
// numerics.h, so this checks that every instruction the JIT inlines is the
// same operation as numerics.h. Operands arrive as locals (memory operands),
// as constants (immediate forms, on either side) and as computed values
// (registers).
#include "jit/tests/tier_rig.h"
#include "wasm/opcodes.h"

#include <map>
#include <string>
#include <vector>

using namespace tandem;
using namespace tandem::jit::testing;

namespace {

std::vector<uint64_t> values_for(char c) {
  switch (c) {
  case 'i':
    return {0,          1,          2,          7,          31,         32,   33,     0x7fffffff,
            0x80000000, 0x80000001, 0xffffffff, 0xfffffffe, 0x12345678, 0xff, 0x8000, 0xffff8000};
  case 'I':
    return {0,
            1,
            2,
            63,
            64,
            65,
            0xffffffff,
            0x100000000,
            0x7fffffffffffffff,
            0x8000000000000000,
            0x8000000000000001,
            ~uint64_t(0),
            ~uint64_t(1),
            0x123456789abcdef0,
            0xffffffff80000000,
            0x80};
  case 'f':
    return {0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0xbfc00000, 0x40200000,
            0x40600000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00000, 0x7f800001,
            0x501502f9, 0xd01502f9, 0x4f000000, 0xcf000001, 0x4f800000, 0x00000001, 0x7f7fffff,
            0x5f000000, 0xdf000000, 0x5f800000, 0xbf000000, 0x3effffff};
  default:
    return {0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
            0x3fe0000000000000, 0xbff8000000000000, 0x4004000000000000, 0x400c000000000000,
            0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0xfff8000000000000,
            0x7ff4000000000000, 0x7ff0000000000001, 0x41dfffffffc00000, 0xc1e0000000000000,
            0x41e0000000000000, 0x41efffffffe00000, 0x41f0000000000000, 0x0000000000000001,
            0x7fefffffffffffff, 0x43e0000000000000, 0xc3e0000000000000, 0x43f0000000000000,
            0xbfe0000000000000, 0x3fdfffffffffffff, 0x4330000000000001, 0xc1e0000000200000};
  }
}

std::string literal(char c, uint64_t bits) {
  // Integer-typed constants; floats are written through reinterpret.
  switch (c) {
  case 'i': return "(i32.const " + std::to_string(int32_t(uint32_t(bits))) + ")";
  case 'I': return "(i64.const " + std::to_string(int64_t(bits)) + ")";
  case 'f':
    return "(f32.reinterpret_i32 (i32.const " + std::to_string(int32_t(uint32_t(bits))) + "))";
  default: return "(f64.reinterpret_i64 (i64.const " + std::to_string(int64_t(bits)) + "))";
  }
}

// A computed copy of local x (forces a register): x op identity.
std::string computed(char c, int x) {
  std::string l = "(local.get " + std::to_string(x) + ")";
  switch (c) {
  case 'i': return "(i32.xor " + l + " (i32.const 0))";
  case 'I': return "(i64.or " + l + " (i64.const 0))";
  case 'f': return "(f32.neg (f32.neg " + l + "))";
  default: return "(f64.neg (f64.neg " + l + "))";
  }
}

struct NumericOp {
  std::string name;
  std::string params; // signature characters
  char result;
};

std::vector<NumericOp> numeric_ops() {
  std::vector<NumericOp> ops;
  for (const OpInfo& info : kOpInfo) {
    if (info.shape != Shape::Unary && info.shape != Shape::Binary && info.shape != Shape::Compare &&
        info.shape != Shape::Test && info.shape != Shape::Convert)
      continue;
    if (info.feature == Feature::simd || info.feature == Feature::relaxed_simd) continue;
    size_t colon = info.sig.find(':');
    ops.push_back(
        {std::string(info.name), std::string(info.sig.substr(0, colon)), info.sig[colon + 1]});
  }
  return ops;
}

std::string outcome(const Result<std::vector<Value>>& r) {
  if (!r.ok()) return "trap:" + r.error().message;
  const Value& v = r.value()[0];
  switch (v.type().kind()) {
  case ValKind::I32:
  case ValKind::F32: return std::to_string(v.i32());
  default: return std::to_string(v.i64());
  }
}

TEST(NumericDifferential, EveryOperatorAgreesOnBothTiers) {
  std::vector<NumericOp> ops = numeric_ops();
  ASSERT_GT(ops.size(), 120u);
  std::string wat = "(module\n";
  for (size_t k = 0; k < ops.size(); ++k) {
    const NumericOp& op = ops[k];
    std::string ps;
    for (char c : op.params) ps += std::string(" ") + sig_type_name(c);
    std::string sig = "(param" + ps + ") (result " + sig_type_name(op.result) + ")";
    std::string id = std::to_string(k);
    // Locals as operands.
    std::string args;
    for (size_t i = 0; i < op.params.size(); ++i) args += " (local.get " + std::to_string(i) + ")";
    wat += "(func (export \"l" + id + "\") " + sig + " (" + op.name + args + "))\n";
    // Computed operands.
    args.clear();
    for (size_t i = 0; i < op.params.size(); ++i) args += " " + computed(op.params[i], int(i));
    wat += "(func (export \"r" + id + "\") " + sig + " (" + op.name + args + "))\n";
    // One constant operand (the other a local), for each constant of the table.
    std::vector<uint64_t> vals = values_for(op.params.back());
    for (size_t v = 0; v < vals.size(); ++v) {
      std::string c = literal(op.params.back(), vals[v]);
      std::string vid = id + "_" + std::to_string(v);
      if (op.params.size() == 1) {
        wat += "(func (export \"c" + vid + "\") (result " + sig_type_name(op.result) + ") (" +
               op.name + " " + c + "))\n";
      } else {
        wat += "(func (export \"b" + vid + "\") (param " + sig_type_name(op.params[0]) +
               ") (result " + sig_type_name(op.result) + ") (" + op.name + " (local.get 0) " + c +
               "))\n";
        wat += "(func (export \"a" + vid + "\") (param " + sig_type_name(op.params[0]) +
               ") (result " + sig_type_name(op.result) + ") (" + op.name + " " + c +
               " (local.get 0)))\n";
      }
    }
  }
  wat += ")";
  TierRig interp(Tier::Interp), jit(Tier::Jit);
  ASSERT_TRUE(interp.load(wat));
  ASSERT_TRUE(jit.load(wat));
  size_t checks = 0;
  for (size_t k = 0; k < ops.size(); ++k) {
    const NumericOp& op = ops[k];
    std::string id = std::to_string(k);
    std::vector<uint64_t> va = values_for(op.params[0]);
    std::vector<uint64_t> vb =
        op.params.size() > 1 ? values_for(op.params[1]) : std::vector<uint64_t>{0};
    for (const char* form : {"l", "r"}) {
      std::string name = form + id;
      for (uint64_t a : va) {
        for (uint64_t b : vb) {
          std::vector<Value> args{scalar_from_bits(op.params[0], a)};
          if (op.params.size() > 1) args.push_back(scalar_from_bits(op.params[1], b));
          std::string want = outcome(interp.call(name, args));
          std::string got = outcome(jit.call(name, args));
          EXPECT_EQ(got, want) << op.name << " (" << form << ") a=" << a << " b=" << b;
          ++checks;
        }
      }
      jit.expect_compiled(name);
    }
    std::vector<uint64_t> consts = values_for(op.params.back());
    for (size_t v = 0; v < consts.size(); ++v) {
      std::string vid = id + "_" + std::to_string(v);
      if (op.params.size() == 1) {
        EXPECT_EQ(outcome(jit.call("c" + vid)), outcome(interp.call("c" + vid)))
            << op.name << " const " << consts[v];
        ++checks;
        continue;
      }
      for (uint64_t a : va) {
        std::vector<Value> args{scalar_from_bits(op.params[0], a)};
        EXPECT_EQ(outcome(jit.call("b" + vid, args)), outcome(interp.call("b" + vid, args)))
            << op.name << " a=" << a << " const b=" << consts[v];
        EXPECT_EQ(outcome(jit.call("a" + vid, args)), outcome(interp.call("a" + vid, args)))
            << op.name << " const a=" << consts[v] << " b=" << a;
        checks += 2;
      }
    }
  }
  EXPECT_GT(checks, 50000u);
}

} // namespace
