// Opcode lookups by name and by encoding. Both tables are built at compile
// time from kOpInfo (opcodes.def): a name-sorted array for binary search, and
// one dense array per prefix indexed by code (kNoOp marks unassigned codes).
#include "wasm/opcodes.h"

#include <algorithm>
#include <array>

namespace tandem {
namespace {

constexpr uint16_t kNoOp = 0xffff;

constexpr std::array<Op, kOpCount> sorted_by_name() {
  std::array<Op, kOpCount> ops{};
  for (size_t i = 0; i < kOpCount; ++i) ops[i] = kOpInfo[i].op;
  std::sort(ops.begin(), ops.end(), [](Op a, Op b) { return op_name(a) < op_name(b); });
  return ops;
}

constexpr auto kByName = sorted_by_name();

constexpr size_t prefix_slot(uint8_t prefix) {
  switch (prefix) {
  case 0: return 0;
  case 0xFB: return 1;
  case 0xFC: return 2;
  case 0xFD: return 3;
  case 0xFE: return 4;
  }
  return 5;
}

constexpr size_t code_space(size_t slot) {
  uint32_t max = 0;
  for (const OpInfo& info : kOpInfo)
    if (prefix_slot(info.prefix) == slot) max = std::max(max, info.code);
  return size_t(max) + 1;
}

template <size_t Slot> constexpr auto build_code_table() {
  std::array<uint16_t, code_space(Slot)> table{};
  table.fill(kNoOp);
  for (const OpInfo& info : kOpInfo)
    if (prefix_slot(info.prefix) == Slot) table[info.code] = uint16_t(info.op);
  return table;
}

constexpr auto kSingle = build_code_table<0>();
constexpr auto kGc = build_code_table<1>();
constexpr auto kMisc = build_code_table<2>();
constexpr auto kSimd = build_code_table<3>();
constexpr auto kAtomic = build_code_table<4>();

static_assert(kSingle.size() <= 256, "single-byte opcodes must fit a byte");

template <size_t N> std::optional<Op> lookup(const std::array<uint16_t, N>& table, uint32_t code) {
  if (code >= N || table[code] == kNoOp) return std::nullopt;
  return Op(table[code]);
}

} // namespace

std::optional<Op> op_by_name(std::string_view name) {
  auto it = std::lower_bound(kByName.begin(), kByName.end(), name,
                             [](Op op, std::string_view n) { return op_name(op) < n; });
  if (it == kByName.end() || op_name(*it) != name) return std::nullopt;
  return *it;
}

std::optional<Op> op_by_code(uint8_t prefix, uint32_t code) {
  switch (prefix) {
  case 0: return lookup(kSingle, code);
  case 0xFB: return lookup(kGc, code);
  case 0xFC: return lookup(kMisc, code);
  case 0xFD: return lookup(kSimd, code);
  case 0xFE: return lookup(kAtomic, code);
  }
  return std::nullopt;
}

} // namespace tandem
