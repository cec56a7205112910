// Instruction identifiers and their static facts, generated from opcodes.def.
//
// Op is a dense enum in table order. op_info(op) is constexpr, so tiers can
// read the shape, immediate kind or signature of an opcode at compile time
// (e.g. `if constexpr (op_info(op).sig == "ii:i")`). Lookups by text name and
// by binary encoding are O(log n) and O(1) over tables built at compile time.
#pragma once

#include "wasm/features.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace tandem {

enum class Op : uint16_t {
#define OP(id, name, prefix, code, imm, shape, sig, feature) id,
#include "wasm/opcodes.def"
#undef OP
};

// Immediate kinds, in binary-format terms (all indices are u32 LEBs).
enum class Imm : uint8_t {
  None,
  BlockType,    // s33 block type: 0x40, a value type, or a type index
  Label,        // label index
  BrTable,      // vec(label) default-label
  Func,         // function index
  CallIndirect, // type index, table index
  Type,         // type index
  Local,        // local index
  Global,       // global index
  Table,        // table index
  TableCopy,    // destination table, source table
  TableInit,    // element segment, table
  Elem,         // element segment index
  Data,         // data segment index
  MemoryInit,   // data segment, memory
  Memory,       // memory index (a single 0x00 byte before multi-memory)
  MemoryCopy,   // destination memory, source memory
  MemArg,       // align flags (bit 6: memory index follows), [memory], offset
  MemArgLane,   // memarg, lane byte
  Lane,         // lane byte
  Shuffle,      // 16 lane bytes
  I32,          // s32
  I64,          // s64
  F32,          // 4 bytes
  F64,          // 8 bytes
  V128,         // 16 bytes
  HeapType,     // s33 heap type
  SelectT,      // vec(valtype)
  TryTable,     // block type, vec(catch clause)
  Tag,          // tag index
  TypeField,    // type index, field index
  TypeType,     // two type indices
  TypeData,     // type index, data segment
  TypeElem,     // type index, element segment
  TypeLen,      // type index, u32 operand count
  BrOnCast,     // cast flags byte, label, heap type, heap type
  ZeroByte,     // one reserved 0x00 byte (atomic.fence)
};

// Visitor groups. The function-body decoder calls one visitor method per
// shape, with the Op as a template argument (see decoder/function_decoder.h).
enum class Shape : uint8_t {
  // Control
  Unreachable,
  Nop,
  Block,
  If,
  Else,
  End,
  Try,
  Catch,
  CatchAll,
  Delegate,
  TryTable,
  Throw,
  ThrowRef,
  Rethrow,
  Br,
  BrTable,
  BrOnNull,
  BrOnCast,
  Return,
  Call,
  CallIndirect,
  CallRef,
  // Parametric and variables
  Drop,
  Select,
  SelectT,
  Local,
  Global,
  // Numeric
  Const,
  Unary,
  Binary,
  Compare,
  Test,
  Convert,
  WideArith,
  // Memory
  Load,
  Store,
  MemorySize,
  MemoryGrow,
  MemoryFill,
  MemoryCopy,
  MemoryInit,
  DataDrop,
  // Tables
  TableAccess,
  TableSize,
  TableGrow,
  TableFill,
  TableCopy,
  TableInit,
  ElemDrop,
  // References
  RefNull,
  RefIsNull,
  RefFunc,
  RefEq,
  RefAsNonNull,
  RefTest,
  RefCast,
  RefCastDescEq,
  RefGetDesc,
  RefI31,
  I31Get,
  ExternConvert,
  // GC aggregates
  StructNew,
  StructGet,
  StructSet,
  ArrayNew,
  ArrayNewFixed,
  ArrayNewData,
  ArrayNewElem,
  ArrayGet,
  ArraySet,
  ArrayLen,
  ArrayFill,
  ArrayCopy,
  ArrayInitData,
  ArrayInitElem,
  // SIMD
  SimdLoad,
  SimdStore,
  SimdLoadLane,
  SimdStoreLane,
  SimdShuffle,
  SimdSplat,
  SimdExtractLane,
  SimdReplaceLane,
  SimdUnary,
  SimdBinary,
  SimdTernary,
  SimdCompare,
  SimdReduce,
  SimdShift,
  // Atomics
  AtomicLoad,
  AtomicStore,
  AtomicRmw,
  AtomicCmpxchg,
  AtomicNotify,
  AtomicWait,
  AtomicFence,
};

struct OpInfo {
  Op op;
  std::string_view name; // unique; see the legend of opcodes.def
  uint8_t prefix;        // 0, 0xFB, 0xFC, 0xFD or 0xFE
  uint32_t code;
  Imm imm;
  Shape shape;
  std::string_view sig; // "params:results" or "*"
  Feature feature;
};

inline constexpr OpInfo kOpInfo[] = {
#define OP(id, name, prefix, code, imm, shape, sig, feature)                                       \
  {Op::id, name, prefix, code, Imm::imm, Shape::shape, sig, Feature::feature},
#include "wasm/opcodes.def"
#undef OP
};

inline constexpr size_t kOpCount = sizeof(kOpInfo) / sizeof(kOpInfo[0]);

constexpr const OpInfo& op_info(Op op) {
  return kOpInfo[size_t(op)];
}
constexpr std::string_view op_name(Op op) {
  return op_info(op).name;
}

// The text-format mnemonic (the name without a " null" / " t" qualifier).
constexpr std::string_view op_mnemonic(Op op) {
  std::string_view n = op_info(op).name;
  return n.substr(0, n.find(' '));
}

// Exact name lookup ("i32.add", "ref.test null"). A bare mnemonic that is
// shared by two encodings returns the unqualified row ("ref.test").
std::optional<Op> op_by_name(std::string_view name);

// Lookup by encoding: prefix 0 with a single-byte code, or a prefix byte and
// the u32 that follows it. Returns nullopt for unassigned encodings.
std::optional<Op> op_by_code(uint8_t prefix, uint32_t code);

// The "sig" column parsed at compile time: letters i I f F v a (see the
// legend of opcodes.def). `known` is false for "*" rows.
struct OpSig {
  bool known = false;
  uint8_t num_params = 0;
  uint8_t num_results = 0;
  char params[4] = {};
  char results[2] = {};
};

constexpr OpSig parse_op_sig(std::string_view sig) {
  OpSig s;
  if (sig == "*") return s;
  s.known = true;
  size_t colon = sig.find(':');
  for (size_t i = 0; i < colon && i < 4; ++i) s.params[s.num_params++] = sig[i];
  for (size_t i = colon + 1; i < sig.size() && s.num_results < 2; ++i)
    s.results[s.num_results++] = sig[i];
  return s;
}

template <Op op> inline constexpr OpSig kOpSig = parse_op_sig(op_info(op).sig);

namespace detail {
inline constexpr uint16_t kNoSingleByteOp = 0xffff;
constexpr auto make_single_byte_ops() {
  struct Table {
    uint16_t ops[256];
  } t{};
  for (auto& o : t.ops) o = kNoSingleByteOp;
  for (const OpInfo& info : kOpInfo)
    if (info.prefix == 0) t.ops[info.code] = uint16_t(info.op);
  return t;
}
inline constexpr auto kSingleByteOps = make_single_byte_ops();
} // namespace detail

// Inline lookup of a single-byte opcode (the decoder's hot path); same
// answer as op_by_code(0, b).
constexpr std::optional<Op> op_by_single_byte(uint8_t b) {
  uint16_t v = detail::kSingleByteOps.ops[b];
  if (v == detail::kNoSingleByteOp) return std::nullopt;
  return Op(v);
}

// True for the four prefix bytes 0xFB..0xFE.
constexpr bool is_prefix_byte(uint8_t b) {
  return b >= 0xFB && b <= 0xFE;
}

// Number of bytes a memory instruction accesses (its natural alignment is
// log2 of this); 0 for instructions that do not access linear memory by a
// memarg. Derived from the name: "i64.load16_s" -> 2, "v128.load8x8_u" -> 8,
// "i32.atomic.rmw8.add_u" -> 1, "memory.atomic.wait64" -> 8, "f64.store" -> 8.
constexpr uint32_t memory_access_bytes(Op op) {
  const OpInfo& info = op_info(op);
  if (info.imm != Imm::MemArg && info.imm != Imm::MemArgLane) return 0;
  std::string_view n = info.name;
  if (n == "memory.atomic.notify") return 4;
  for (std::string_view key : {"load", "store", "rmw", "wait"}) {
    size_t at = n.find(key);
    if (at == std::string_view::npos) continue;
    size_t p = at + key.size();
    uint32_t bits = 0;
    while (p < n.size() && n[p] >= '0' && n[p] <= '9') bits = bits * 10 + uint32_t(n[p++] - '0');
    if (bits != 0) return (p < n.size() && n[p] == 'x') ? 8 : bits / 8; // "8x8" etc: 64 bits
    break;
  }
  if (n.starts_with("v128")) return 16;
  if (n.starts_with("i64") || n.starts_with("f64")) return 8;
  return 4;
}

} // namespace tandem
