// The out-of-bounds grid, on both tiers: memory sizes 0, 1 and 2 pages and
// after growing; access widths 1, 2, 4 and 8 (integer and float); offsets
// 0, 1 and 0xffff; effective addresses from len-width-1 to len+1, plus
// addresses near the top of the index space. Every out-of-bounds access
// traps with "out of bounds memory access" and changes nothing; every
// in-bounds access works. 32-bit memories exercise the JIT's guard pages
// (signal handler), memory64 its explicit checks.
#include "jit/tests/tier_rig.h"

#include <string>

using namespace tandem;
using namespace tandem::jit::testing;

namespace {

struct GridParam {
  Tier tier;
  bool is64;
};

class MemoryGrid : public ::testing::TestWithParam<GridParam> {};

constexpr uint32_t kWidths[] = {1, 2, 4, 8};
constexpr uint64_t kOffsets[] = {0, 1, 0xffff};
constexpr uint64_t kPage = 65536;

std::string grid_module(uint32_t pages, uint64_t offset, bool is64) {
  std::string at = is64 ? "i64" : "i32";
  std::string off = " offset=" + std::to_string(offset) + " ";
  std::string m =
      "(module (memory " + std::string(is64 ? "i64 " : "") + std::to_string(pages) + ")\n";
  m += "(func (export \"grow\") (param " + at + ") (result " + at +
       ") (memory.grow (local.get 0)))\n";
  const char* loads[] = {"i64.load8_u", "i64.load16_u", "i64.load32_u", "i64.load"};
  const char* stores[] = {"i64.store8", "i64.store16", "i64.store32", "i64.store"};
  for (int i = 0; i < 4; ++i) {
    std::string w = std::to_string(kWidths[i]);
    m += "(func (export \"ld" + w + "\") (param " + at + ") (result i64) (" + loads[i] + off +
         "(local.get 0)))\n";
    m += "(func (export \"st" + w + "\") (param " + at + " i64) (" + stores[i] + off +
         "(local.get 0) (local.get 1)))\n";
  }
  m += "(func (export \"fld4\") (param " + at + ") (result f32) (f32.load" + off +
       "(local.get 0)))\n";
  m += "(func (export \"fld8\") (param " + at + ") (result f64) (f64.load" + off +
       "(local.get 0)))\n";
  m += "(func (export \"fst4\") (param " + at + " f32) (f32.store" + off +
       "(local.get 0) (local.get 1)))\n";
  m += "(func (export \"fst8\") (param " + at + " f64) (f64.store" + off +
       "(local.get 0) (local.get 1)))\n";
  m += "(func (export \"byte\") (param " + at + ") (result i32) (i32.load8_u (local.get 0)))\n";
  m += ")";
  return m;
}

Value addr(uint64_t a, bool is64) {
  return is64 ? Value::i64(a) : Value::i32(uint32_t(a));
}

// Checks every width and address around the end of a memory of `len` bytes.
void check_grid(TierRig& rig, uint64_t len, uint64_t offset, bool is64) {
  const std::string oob = "out of bounds memory access";
  for (uint32_t w : kWidths) {
    std::string ws = std::to_string(w);
    uint64_t lo = len >= w + 1 ? len - w - 1 : 0;
    for (uint64_t ea = lo; ea <= len + 1; ++ea) {
      if (ea < offset) continue;
      uint64_t a = ea - offset;
      bool in = ea + w <= len;
      SCOPED_TRACE("len=" + std::to_string(len) + " offset=" + std::to_string(offset) +
                   " width=" + ws + " ea=" + std::to_string(ea));
      uint64_t pattern = 0x0102030405060708ull * (ea % 7 + 1);
      uint64_t mask = w == 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * w)) - 1;
      if (in) {
        rig.run("st" + ws, {addr(a, is64), Value::i64(pattern)});
        EXPECT_EQ(rig.bits("ld" + ws, {addr(a, is64)}), pattern & mask);
        if (w == 4 || w == 8) {
          Value f = w == 4 ? Value::f32_bits(uint32_t(pattern)) : Value::f64_bits(pattern);
          rig.run("fst" + ws, {addr(a, is64), f});
          EXPECT_EQ(rig.bits("fld" + ws, {addr(a, is64)}), pattern & mask);
        }
      } else {
        // The bytes that are in bounds must not change on a trapping store.
        uint64_t before = len > 0 ? rig.bits("byte", {addr(len - 1, is64)}) : 0;
        EXPECT_EQ(rig.error("st" + ws, {addr(a, is64), Value::i64(~uint64_t(0))}), oob);
        EXPECT_EQ(rig.error("ld" + ws, {addr(a, is64)}), oob);
        if (w == 4 || w == 8) {
          EXPECT_EQ(rig.error("fld" + ws, {addr(a, is64)}), oob);
          Value f = w == 4 ? Value::f32_bits(~0u) : Value::f64_bits(~uint64_t(0));
          EXPECT_EQ(rig.error("fst" + ws, {addr(a, is64), f}), oob);
        }
        if (len > 0) {
          EXPECT_EQ(rig.bits("byte", {addr(len - 1, is64)}), before);
        }
      }
    }
    // Far out: the top of the 32-bit index space (and beyond, for memory64).
    for (uint64_t a : {uint64_t(0xffffffffu), uint64_t(0xfffffff0u), uint64_t(0x80000000u)}) {
      EXPECT_EQ(rig.error("ld" + ws, {addr(a, is64)}), oob) << a;
      EXPECT_EQ(rig.error("st" + ws, {addr(a, is64), Value::i64(0)}), oob) << a;
    }
    if (is64) {
      for (uint64_t a : {uint64_t(1) << 32, ~uint64_t(0), ~uint64_t(0) - offset}) {
        EXPECT_EQ(rig.error("ld" + ws, {addr(a, true)}), oob) << a;
        EXPECT_EQ(rig.error("st" + ws, {addr(a, true), Value::i64(0)}), oob) << a;
      }
    }
  }
}

TEST_P(MemoryGrid, EveryOutOfBoundsAccessTraps) {
  GridParam p = GetParam();
  for (uint32_t pages : {0u, 1u, 2u}) {
    for (uint64_t offset : kOffsets) {
      TierRig rig(p.tier);
      ASSERT_TRUE(rig.load(grid_module(pages, offset, p.is64)));
      check_grid(rig, pages * kPage, offset, p.is64);
      // Grow by one page: the old end is now in bounds, the new end traps.
      Value one = p.is64 ? Value::i64(1) : Value::i32(1);
      EXPECT_EQ(rig.bits("grow", {one}), pages);
      check_grid(rig, (pages + 1) * kPage, offset, p.is64);
      if (p.tier == Tier::Jit) {
        for (const char* f : {"ld1", "ld2", "ld4", "ld8", "st1", "st8", "fld4", "fst8"})
          rig.expect_compiled(f);
      }
    }
  }
}

TEST_P(MemoryGrid, ConstantAddresses) {
  GridParam p = GetParam();
  std::string at = p.is64 ? "i64" : "i32";
  TierRig rig(p.tier);
  ASSERT_TRUE(rig.load("(module (memory " + std::string(p.is64 ? "i64 " : "") +
                       "1)\n"
                       "(func (export \"in\") (result i32) (i32.load (" +
                       at +
                       ".const 65532)))\n"
                       "(func (export \"edge\") (result i32) (i32.load (" +
                       at +
                       ".const 65533)))\n"
                       "(func (export \"off\") (result i32) (i32.load offset=65535 (" +
                       at +
                       ".const 1)))\n"
                       "(func (export \"huge\") (result i32) (i32.load offset=4294967295 (" +
                       at +
                       ".const 4294967295)))\n"
                       "(func (export \"st\") (i32.store offset=65534 (" +
                       at +
                       ".const 0) (i32.const 1)))\n"
                       "(func (export \"grow\") (result " +
                       at + ") (memory.grow (" + at +
                       ".const 1)))\n"
                       ")"));
  const std::string oob = "out of bounds memory access";
  EXPECT_EQ(rig.bits("in"), 0u);
  EXPECT_EQ(rig.error("edge"), oob);
  EXPECT_EQ(rig.error("off"), oob);
  EXPECT_EQ(rig.error("huge"), oob);
  EXPECT_EQ(rig.error("st"), oob);
  EXPECT_EQ(rig.bits("grow"), 1u);
  EXPECT_EQ(rig.bits("edge"), 0u);
  EXPECT_EQ(rig.bits("off"), 0u);
  rig.run("st");
  EXPECT_EQ(rig.error("huge"), oob);
  for (const char* f : {"in", "edge", "off", "huge", "st"}) rig.expect_compiled(f);
}

INSTANTIATE_TEST_SUITE_P(Grid, MemoryGrid,
                         ::testing::Values(GridParam{Tier::Interp, false},
                                           GridParam{Tier::Jit, false},
                                           GridParam{Tier::Interp, true},
                                           GridParam{Tier::Jit, true}),
                         [](const auto& info) {
                           return std::string(tier_name(info.param.tier)) +
                                  (info.param.is64 ? "_Memory64" : "_Memory32");
                         });

} // namespace
