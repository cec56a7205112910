// Every v128 lane operator (SIMD and relaxed SIMD shapes of opcodes.def) and
// every special v128 load, on edge-case operands, on the interpreter and on
// the JIT at each CPU level this machine has (cpu_features.h: baseline SSE2
// with helper calls, SSE4.1, AVX2), compared bit for bit, NaN payloads
// included: the inline sequences of codegen_simd_inline.cc must be the same
// operations as numerics_simd.h. Operands arrive as locals (memory operands
// under AVX), as computed values (registers) and, for shift counts, as
// constants.
#include "jit/cpu_features.h"
#include "jit/tests/tier_rig.h"
#include "wasm/opcodes.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace tandem;
using namespace tandem::jit::testing;

namespace {

V128 vec_of_bytes(std::initializer_list<uint8_t> b) {
  V128 v;
  size_t i = 0;
  for (uint8_t x : b) v.bytes[i++] = x;
  return v;
}
template <typename T> V128 vec_of(std::initializer_list<T> lanes) {
  V128 v;
  size_t i = 0;
  for (T x : lanes) {
    std::memcpy(v.bytes + i, &x, sizeof(T));
    i += sizeof(T);
  }
  return v;
}

std::vector<V128> vectors() {
  std::vector<V128> v;
  v.push_back(V128{});
  v.push_back(vec_of<uint64_t>({~uint64_t(0), ~uint64_t(0)}));
  v.push_back(vec_of_bytes({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}));
  v.push_back(vec_of_bytes({0x80, 0x7f, 0x01, 0xff, 0x00, 0xfe, 0x81, 0x10, 0x1f, 0x20, 0xf0, 0x0f,
                            0x40, 0xc0, 0x55, 0xaa}));
  v.push_back(vec_of<uint16_t>({0x8000, 0x7fff, 0, 1, 0xffff, 0x0080, 0xff7f, 0x1234}));
  v.push_back(vec_of<uint32_t>({0x80000000, 0x7fffffff, 0xffffffff, 1}));
  v.push_back(vec_of<uint32_t>({0x7fc00000, 0x80000000, 0x3fc00000, 0xc0200000}));
  v.push_back(vec_of<uint32_t>({0x7fa00000, 0xffc00001, 0x7f800000, 0xff800000}));
  v.push_back(vec_of<uint32_t>({0x4f000000, 0x4f800000, 0xcf000001, 0x4f7fffff}));
  v.push_back(vec_of<uint32_t>({0x3f000000, 0x40200000, 0xbf000000, 0x40600000}));
  v.push_back(vec_of<uint32_t>({0x00000001, 0x80000001, 0x3effffff, 0x7f7fffff}));
  v.push_back(vec_of<uint64_t>({0x7ff8000000000000, 0x8000000000000000}));
  v.push_back(vec_of<uint64_t>({0x41dfffffffc00000, 0xc1e0000000200000}));
  v.push_back(vec_of<uint64_t>({0x41efffffffe00000, 0x41f0000000000000}));
  v.push_back(vec_of<uint64_t>({0x7ff4000000000000, 0x4004000000000000}));
  v.push_back(vec_of<uint64_t>({0x7ff0000000000000, 0xbff8000000000000}));
  V128 r;
  uint32_t s = 12345;
  for (uint8_t& b : r.bytes) {
    s = s * 1103515245u + 12345u;
    b = uint8_t(s >> 16);
  }
  v.push_back(r);
  return v;
}

std::vector<uint64_t> scalars(char c) {
  switch (c) {
  case 'i':
    return {0,  1,  7,  8,          9,          15,   16,   17,     31,         32,    33,
            63, 64, 65, 0xffffffff, 0x80000001, 0x80, 0xff, 0x8000, 0x12345678, 65517, 65529};
  case 'I': return {0, 1, ~uint64_t(0), 0x8000000000000000, 0x123456789abcdef0};
  case 'f': return {0, 0x80000000, 0x3f800000, 0x7fc00000, 0xffc00000, 0x7fa00000, 0xff800001};
  default:
    return {0,
            0x8000000000000000,
            0x3ff0000000000000,
            0x7ff8000000000000,
            0x7ff4000000000000,
            0xfff0000000000001};
  }
}

// A computed copy of local x (forces a register).
std::string computed(char c, int x) {
  std::string l = "(local.get " + std::to_string(x) + ")";
  switch (c) {
  case 'v': return "(v128.or " + l + " " + l + ")";
  case 'i': return "(i32.xor " + l + " (i32.const 0))";
  case 'I': return "(i64.or " + l + " (i64.const 0))";
  case 'f': return "(f32.neg (f32.neg " + l + "))";
  default: return "(f64.neg (f64.neg " + l + "))";
  }
}

std::string outcome(const Result<std::vector<Value>>& r) {
  if (!r.ok()) return "trap:" + r.error().message;
  const Value& v = r.value()[0];
  char buf[40];
  switch (v.type().kind()) {
  case ValKind::V128: {
    std::string s;
    for (uint8_t b : v.v128().bytes) {
      std::snprintf(buf, sizeof buf, "%02x", b);
      s += buf;
    }
    return s;
  }
  case ValKind::I32:
  case ValKind::F32: return std::to_string(v.i32());
  default: return std::to_string(v.i64());
  }
}

// One test function and the argument lists it is called with.
struct Case {
  std::string name, label;
  std::vector<std::vector<Value>> args;
};

std::vector<std::vector<Value>> arg_lists(const std::string& params, size_t vec_limit) {
  std::vector<V128> vs = vectors();
  if (vs.size() > vec_limit) vs.resize(vec_limit);
  std::vector<std::vector<Value>> lists{{}};
  for (char c : params) {
    std::vector<std::vector<Value>> next;
    for (const auto& l : lists) {
      if (c == 'v') {
        for (const V128& v : vs) {
          next.push_back(l);
          next.back().push_back(Value::v128(v));
        }
      } else {
        for (uint64_t s : scalars(c)) {
          next.push_back(l);
          next.back().push_back(scalar_from_bits(c, s));
        }
      }
    }
    lists = std::move(next);
  }
  return lists;
}

uint32_t lane_count(std::string_view name) {
  if (name.starts_with("i8x16")) return 16;
  if (name.starts_with("i16x8")) return 8;
  if (name.starts_with("i32x4") || name.starts_with("f32x4")) return 4;
  return 2;
}

struct Suite {
  std::string wat =
      "(module (memory 1)\n"
      "(data (i32.const 0) \"\\80\\7f\\01\\ff\\00\\fe\\81\\10\\1f\\20\\f0\\0f\\40\")\n"
      "(data (i32.const 65520) \"\\01\\02\\03\\04\\05\\06\\07\\08\\f9\\fa\\fb\\fc"
      "\\fd\\fe\\ff\\80\")\n";
  std::vector<Case> cases;

  void add(const std::string& label, const std::string& params, char result,
           const std::string& body, size_t vec_limit) {
    std::string name = "f" + std::to_string(cases.size());
    std::string ps;
    for (char c : params) ps += std::string(" ") + sig_type_name(c);
    wat += "(func (export \"" + name + "\") (param" + ps + ") (result " + sig_type_name(result) +
           ") " + body + ")\n";
    cases.push_back({name, label, arg_lists(params, vec_limit)});
  }
};

Suite build_suite() {
  Suite s;
  static const char* kShuffles[] = {
      "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",   "16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31",
      "15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0",   "0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23",
      "31 0 30 1 29 2 28 3 27 4 26 5 25 6 24 7", "3 3 3 3 19 19 19 19 0 0 0 0 16 16 16 16"};
  for (const OpInfo& info : kOpInfo) {
    if (info.feature != Feature::simd && info.feature != Feature::relaxed_simd) continue;
    size_t colon = info.sig.find(':');
    std::string params(info.sig.substr(0, colon));
    char result = info.sig[colon + 1];
    std::string name(info.name);
    size_t limit = params.size() >= 3 ? 7 : 64;
    switch (info.shape) {
    case Shape::SimdUnary:
    case Shape::SimdBinary:
    case Shape::SimdTernary:
    case Shape::SimdCompare:
    case Shape::SimdReduce:
    case Shape::SimdSplat:
    case Shape::SimdShift: {
      std::string l, r;
      for (size_t i = 0; i < params.size(); ++i) {
        l += " (local.get " + std::to_string(i) + ")";
        r += " " + computed(params[i], int(i));
      }
      s.add(name + " locals", params, result, "(" + name + l + ")", limit);
      s.add(name + " computed", params, result, "(" + name + r + ")", limit);
      if (info.shape == Shape::SimdShift) {
        for (uint64_t n : scalars('i'))
          s.add(name + " const " + std::to_string(n), "v", result,
                "(" + name + " (local.get 0) (i32.const " + std::to_string(int32_t(n)) + "))",
                limit);
      }
      break;
    }
    case Shape::SimdExtractLane:
    case Shape::SimdReplaceLane:
      for (uint32_t lane = 0; lane < lane_count(name); ++lane) {
        std::string l = " " + std::to_string(lane);
        std::string args = " (local.get 0)";
        if (params.size() > 1) args += " " + computed(params[1], 1);
        s.add(name + l, params, result, "(" + name + l + args + ")", limit);
      }
      break;
    case Shape::SimdShuffle:
      for (const char* mask : kShuffles)
        s.add(name + " " + mask, params, result,
              "(" + name + " " + mask + " (local.get 0) (local.get 1))", limit);
      break;
    case Shape::SimdLoad:
      s.add(name, "i", 'v', "(" + name + " offset=3 (local.get 0))", limit);
      break;
    default: break;
    }
  }
  s.wat += ")";
  return s;
}

TEST(SimdDifferential, EveryOperatorAgreesOnEveryCpuLevel) {
  Suite suite = build_suite();
  ASSERT_GT(suite.cases.size(), 300u);
  TierRig interp(Tier::Interp);
  // SIMD_TEST_DUMP_WAT=FILE writes the module's text (to debug a failure).
  if (const char* dump = std::getenv("SIMD_TEST_DUMP_WAT")) {
    FILE* f = std::fopen(dump, "w");
    if (f) {
      std::fputs(suite.wat.c_str(), f);
      std::fclose(f);
    }
  }
  ASSERT_TRUE(interp.load(suite.wat));
  std::vector<std::vector<std::string>> want(suite.cases.size());
  for (size_t k = 0; k < suite.cases.size(); ++k)
    for (const auto& args : suite.cases[k].args)
      want[k].push_back(outcome(interp.call(suite.cases[k].name, args)));

  const jit::CpuFeatures& cpu = jit::cpu_features();
  size_t checks = 0;
  for (jit::CpuLevel level : {jit::CpuLevel::Baseline, jit::CpuLevel::Sse41, jit::CpuLevel::Avx2}) {
    if (level > cpu.level) continue;
    jit::set_jit_cpu_level_for_testing(level);
    ASSERT_EQ(jit::jit_isa().level, level);
    TierRig jit(Tier::Jit);
    ASSERT_TRUE(jit.load(suite.wat));
    for (size_t k = 0; k < suite.cases.size(); ++k) {
      const Case& c = suite.cases[k];
      for (size_t a = 0; a < c.args.size(); ++a) {
        std::string got = outcome(jit.call(c.name, c.args[a]));
        if (got != want[k][a]) {
          ADD_FAILURE() << c.label << " at " << jit::cpu_level_name(level) << ", argument set " << a
                        << ": jit " << got << ", interp " << want[k][a];
        }
        ++checks;
      }
      jit.expect_compiled(c.name);
    }
  }
  jit::set_jit_cpu_level_for_testing(std::nullopt);
  EXPECT_GT(checks, 10000u);
}

TEST(SimdDifferential, CpuLevelNames) {
  EXPECT_EQ(jit::parse_cpu_level("baseline"), jit::CpuLevel::Baseline);
  EXPECT_EQ(jit::parse_cpu_level("sse41"), jit::CpuLevel::Sse41);
  EXPECT_EQ(jit::parse_cpu_level("avx2"), jit::CpuLevel::Avx2);
  EXPECT_FALSE(jit::parse_cpu_level("avx512").has_value());
  jit::set_jit_cpu_level_for_testing(jit::CpuLevel::Baseline);
  jit::JitIsa isa = jit::jit_isa();
  EXPECT_FALSE(isa.sse41 || isa.ssse3 || isa.avx);
  jit::set_jit_cpu_level_for_testing(std::nullopt);
  EXPECT_LE(jit::jit_isa().level, jit::cpu_features().level);
}

} // namespace
