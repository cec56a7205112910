// Unit tests for the opcode table: uniqueness of names and encodings, lookup
// round trips, spot checks of codes against the spec, and table invariants
// the decoder and visitors rely on (one Imm kind per shape).
#include "wasm/opcodes.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>

using namespace tandem;

TEST(Opcodes, NamesAreUnique) {
  std::set<std::string_view> names;
  for (const OpInfo& info : kOpInfo) EXPECT_TRUE(names.insert(info.name).second) << info.name;
}

TEST(Opcodes, EncodingsAreUnique) {
  std::set<std::pair<uint8_t, uint32_t>> codes;
  for (const OpInfo& info : kOpInfo)
    EXPECT_TRUE(codes.insert({info.prefix, info.code}).second) << info.name;
}

TEST(Opcodes, TableIsInEnumOrder) {
  for (size_t i = 0; i < kOpCount; ++i) EXPECT_EQ(size_t(kOpInfo[i].op), i);
}

TEST(Opcodes, RoundTripByNameAndCode) {
  for (const OpInfo& info : kOpInfo) {
    auto by_name = op_by_name(info.name);
    ASSERT_TRUE(by_name.has_value()) << info.name;
    EXPECT_EQ(*by_name, info.op);
    auto by_code = op_by_code(info.prefix, info.code);
    ASSERT_TRUE(by_code.has_value()) << info.name;
    EXPECT_EQ(*by_code, info.op);
  }
}

TEST(Opcodes, PrefixesAndSingleBytes) {
  for (const OpInfo& info : kOpInfo) {
    if (info.prefix == 0) {
      EXPECT_LT(info.code, 0xFBu) << info.name;
    } else {
      EXPECT_TRUE(is_prefix_byte(info.prefix)) << info.name;
    }
  }
}

TEST(Opcodes, SpotChecks) {
  auto code = [](std::string_view n) {
    auto op = op_by_name(n);
    EXPECT_TRUE(op.has_value()) << n;
    return op ? std::pair<int, uint32_t>{op_info(*op).prefix, op_info(*op).code}
              : std::pair<int, uint32_t>{-1, 0};
  };
  using P = std::pair<int, uint32_t>;
  EXPECT_EQ(code("unreachable"), P(0, 0x00));
  EXPECT_EQ(code("i32.add"), P(0, 0x6A));
  EXPECT_EQ(code("i64.extend32_s"), P(0, 0xC4));
  EXPECT_EQ(code("f64.reinterpret_i64"), P(0, 0xBF));
  EXPECT_EQ(code("ref.null"), P(0, 0xD0));
  EXPECT_EQ(code("br_on_non_null"), P(0, 0xD6));
  EXPECT_EQ(code("try_table"), P(0, 0x1F));
  EXPECT_EQ(code("select t"), P(0, 0x1C));
  EXPECT_EQ(code("i32.trunc_sat_f32_s"), P(0xFC, 0));
  EXPECT_EQ(code("table.fill"), P(0xFC, 17));
  EXPECT_EQ(code("i64.mul_wide_u"), P(0xFC, 22));
  EXPECT_EQ(code("struct.new"), P(0xFB, 0));
  EXPECT_EQ(code("ref.cast null"), P(0xFB, 23));
  EXPECT_EQ(code("i31.get_u"), P(0xFB, 30));
  EXPECT_EQ(code("ref.get_desc"), P(0xFB, 34));
  EXPECT_EQ(code("i8x16.shuffle"), P(0xFD, 0x0D));
  EXPECT_EQ(code("f64x2.convert_low_i32x4_u"), P(0xFD, 0xFF));
  EXPECT_EQ(code("i32x4.relaxed_dot_i8x16_i7x16_add_s"), P(0xFD, 0x113));
  EXPECT_EQ(code("memory.atomic.wait64"), P(0xFE, 0x02));
  EXPECT_EQ(code("i64.atomic.rmw32.cmpxchg_u"), P(0xFE, 0x4E));
}

TEST(Opcodes, IdentifiersFollowTheNamingRule) {
  EXPECT_EQ(op_name(Op::i32_trunc_sat_f32_s), "i32.trunc_sat_f32_s");
  EXPECT_EQ(op_name(Op::v128_load8x8_s), "v128.load8x8_s");
  EXPECT_EQ(op_name(Op::memory_atomic_wait32), "memory.atomic.wait32");
  EXPECT_EQ(op_name(Op::if_), "if");
  EXPECT_EQ(op_name(Op::catch_), "catch");
  EXPECT_EQ(op_name(Op::delegate), "delegate");
  EXPECT_EQ(op_name(Op::ref_test_null), "ref.test null");
  EXPECT_EQ(op_mnemonic(Op::ref_test_null), "ref.test");
  EXPECT_EQ(op_mnemonic(Op::select_t), "select");
  EXPECT_EQ(op_by_name("ref.test"), Op::ref_test);
}

TEST(Opcodes, UnknownLookups) {
  EXPECT_FALSE(op_by_name("i32.wrap/i64").has_value());
  EXPECT_FALSE(op_by_name("").has_value());
  EXPECT_FALSE(op_by_code(0, 0x27).has_value());
  EXPECT_FALSE(op_by_code(0, 0xFF).has_value());
  EXPECT_FALSE(op_by_code(0xFC, 18).has_value());
  EXPECT_FALSE(op_by_code(0xFD, 0x9A).has_value());
  EXPECT_FALSE(op_by_code(0xFD, 0xFFFFFFFF).has_value());
  EXPECT_FALSE(op_by_code(0x12, 0).has_value());
}

TEST(Opcodes, OneImmediateKindPerShape) {
  std::map<Shape, Imm> seen;
  for (const OpInfo& info : kOpInfo) {
    if (info.shape == Shape::Const) continue; // one immediate per value type
    auto [it, inserted] = seen.emplace(info.shape, info.imm);
    if (!inserted) {
      EXPECT_EQ(it->second, info.imm) << info.name;
    }
  }
}

TEST(Opcodes, SignaturesAreWellFormed) {
  for (const OpInfo& info : kOpInfo) {
    if (info.sig == "*") continue;
    size_t colon = info.sig.find(':');
    ASSERT_NE(colon, std::string_view::npos) << info.name;
    EXPECT_EQ(info.sig.find(':', colon + 1), std::string_view::npos) << info.name;
    for (char c : info.sig)
      EXPECT_NE(std::string_view("iIfFva:").find(c), std::string_view::npos) << info.name;
    bool uses_address = info.sig.find('a') != std::string_view::npos;
    bool has_memory = info.imm == Imm::MemArg || info.imm == Imm::MemArgLane ||
                      info.imm == Imm::Memory || info.imm == Imm::MemoryInit;
    EXPECT_EQ(uses_address, has_memory) << info.name;
  }
}

TEST(Opcodes, MemoryAccessBytes) {
  EXPECT_EQ(memory_access_bytes(Op::i32_load), 4u);
  EXPECT_EQ(memory_access_bytes(Op::i64_load), 8u);
  EXPECT_EQ(memory_access_bytes(Op::i64_load16_s), 2u);
  EXPECT_EQ(memory_access_bytes(Op::i64_store32), 4u);
  EXPECT_EQ(memory_access_bytes(Op::f64_store), 8u);
  EXPECT_EQ(memory_access_bytes(Op::v128_load), 16u);
  EXPECT_EQ(memory_access_bytes(Op::v128_load8x8_u), 8u);
  EXPECT_EQ(memory_access_bytes(Op::v128_load32x2_s), 8u);
  EXPECT_EQ(memory_access_bytes(Op::v128_load16_splat), 2u);
  EXPECT_EQ(memory_access_bytes(Op::v128_load64_zero), 8u);
  EXPECT_EQ(memory_access_bytes(Op::v128_store8_lane), 1u);
  EXPECT_EQ(memory_access_bytes(Op::i32_atomic_rmw8_add_u), 1u);
  EXPECT_EQ(memory_access_bytes(Op::i64_atomic_rmw_cmpxchg), 8u);
  EXPECT_EQ(memory_access_bytes(Op::i64_atomic_load32_u), 4u);
  EXPECT_EQ(memory_access_bytes(Op::memory_atomic_wait64), 8u);
  EXPECT_EQ(memory_access_bytes(Op::memory_atomic_notify), 4u);
  EXPECT_EQ(memory_access_bytes(Op::i32_add), 0u);
  EXPECT_EQ(memory_access_bytes(Op::memory_fill), 0u);
  static_assert(memory_access_bytes(Op::i32_load8_u) == 1);
}

TEST(Opcodes, ParsedSignatures) {
  static_assert(kOpSig<Op::i32_add>.known);
  static_assert(kOpSig<Op::i32_add>.num_params == 2 && kOpSig<Op::i32_add>.num_results == 1);
  static_assert(kOpSig<Op::i64_add128>.num_params == 4 && kOpSig<Op::i64_add128>.num_results == 2);
  static_assert(!kOpSig<Op::call>.known);
  constexpr OpSig store = kOpSig<Op::f64_store>;
  EXPECT_EQ(store.num_params, 2);
  EXPECT_EQ(store.params[0], 'a');
  EXPECT_EQ(store.params[1], 'F');
  EXPECT_EQ(store.num_results, 0);
  for (const OpInfo& info : kOpInfo) {
    OpSig s = parse_op_sig(info.sig);
    if (!s.known) continue;
    EXPECT_EQ(size_t(s.num_params + s.num_results + 1), info.sig.size()) << info.name;
  }
}

TEST(Opcodes, SingleByteLookupMatchesTable) {
  for (int b = 0; b < 256; ++b) EXPECT_EQ(op_by_single_byte(uint8_t(b)), op_by_code(0, b)) << b;
}
