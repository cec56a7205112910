// Decoded immediates, one C++ type per Imm kind of opcodes.def, and the
// compile-time map ImmFor<op> from an opcode to its immediate type.
//
// Spans (br_table targets, select types, try_table catches) point into
// buffers owned by the FunctionDecoder and are valid only during the visit
// call that receives them.
#pragma once

#include "decoder/binary_types.h"
#include "wasm/opcodes.h"
#include "wasm/types.h"

#include <array>
#include <cstdint>
#include <span>

namespace tandem {

struct NoImm {};
using BlockTypeImm = BlockType;

// Label, Func, Type, Local, Global, Table, Elem, Data, Memory and Tag.
struct IndexImm {
  uint32_t index = 0;
};
struct BrTableImm {
  std::span<const uint32_t> targets;
  uint32_t default_target = 0;
};
struct CallIndirectImm {
  uint32_t type_index = 0;
  uint32_t table = 0;
};
struct TableCopyImm {
  uint32_t dst = 0, src = 0;
};
struct TableInitImm {
  uint32_t elem = 0, table = 0;
};
struct MemoryInitImm {
  uint32_t data = 0, memory = 0;
};
struct MemoryCopyImm {
  uint32_t dst = 0, src = 0;
};
struct MemArgImm {
  uint32_t align_log2 = 0; // the alignment exponent (flags & 0x3f)
  uint32_t memory = 0;
  uint64_t offset = 0;
};
struct MemArgLaneImm {
  MemArgImm mem;
  uint8_t lane = 0;
};
struct LaneImm {
  uint8_t lane = 0;
};
struct ShuffleImm {
  std::array<uint8_t, 16> lanes{};
};
struct I32Imm {
  int32_t value = 0;
};
struct I64Imm {
  int64_t value = 0;
};
struct F32Imm {
  uint32_t bits = 0;
};
struct F64Imm {
  uint64_t bits = 0;
};
struct V128Imm {
  std::array<uint8_t, 16> bytes{}; // little-endian lane order, as encoded
};
struct HeapTypeImm {
  HeapType type;
};
struct SelectTImm {
  std::span<const ValType> types;
};
enum class CatchKind : uint8_t { Catch = 0, CatchRef = 1, CatchAll = 2, CatchAllRef = 3 };
struct CatchClause {
  CatchKind kind = CatchKind::Catch;
  uint32_t tag = 0; // Catch and CatchRef only
  uint32_t label = 0;
};
struct TryTableImm {
  BlockType block;
  std::span<const CatchClause> catches;
};
struct TypeFieldImm {
  uint32_t type_index = 0, field = 0;
};
struct TypeTypeImm {
  uint32_t dst_type = 0, src_type = 0;
};
// TypeData and TypeElem: a type index and a data or element segment.
struct TypeSegmentImm {
  uint32_t type_index = 0, segment = 0;
};
struct TypeLenImm {
  uint32_t type_index = 0, length = 0;
};
struct BrOnCastImm {
  uint32_t label = 0;
  ValType from; // reference types; nullability from the cast flags
  ValType to;
};

template <Imm k> struct ImmTypeOf;
#define TANDEM_IMM_TYPE(kind, type)                                                                \
  template <> struct ImmTypeOf<Imm::kind> { using type_t = type; };
TANDEM_IMM_TYPE(None, NoImm)
TANDEM_IMM_TYPE(BlockType, BlockTypeImm)
TANDEM_IMM_TYPE(Label, IndexImm)
TANDEM_IMM_TYPE(BrTable, BrTableImm)
TANDEM_IMM_TYPE(Func, IndexImm)
TANDEM_IMM_TYPE(CallIndirect, CallIndirectImm)
TANDEM_IMM_TYPE(Type, IndexImm)
TANDEM_IMM_TYPE(Local, IndexImm)
TANDEM_IMM_TYPE(Global, IndexImm)
TANDEM_IMM_TYPE(Table, IndexImm)
TANDEM_IMM_TYPE(TableCopy, TableCopyImm)
TANDEM_IMM_TYPE(TableInit, TableInitImm)
TANDEM_IMM_TYPE(Elem, IndexImm)
TANDEM_IMM_TYPE(Data, IndexImm)
TANDEM_IMM_TYPE(MemoryInit, MemoryInitImm)
TANDEM_IMM_TYPE(Memory, IndexImm)
TANDEM_IMM_TYPE(MemoryCopy, MemoryCopyImm)
TANDEM_IMM_TYPE(MemArg, MemArgImm)
TANDEM_IMM_TYPE(MemArgLane, MemArgLaneImm)
TANDEM_IMM_TYPE(Lane, LaneImm)
TANDEM_IMM_TYPE(Shuffle, ShuffleImm)
TANDEM_IMM_TYPE(I32, I32Imm)
TANDEM_IMM_TYPE(I64, I64Imm)
TANDEM_IMM_TYPE(F32, F32Imm)
TANDEM_IMM_TYPE(F64, F64Imm)
TANDEM_IMM_TYPE(V128, V128Imm)
TANDEM_IMM_TYPE(HeapType, HeapTypeImm)
TANDEM_IMM_TYPE(SelectT, SelectTImm)
TANDEM_IMM_TYPE(TryTable, TryTableImm)
TANDEM_IMM_TYPE(Tag, IndexImm)
TANDEM_IMM_TYPE(TypeField, TypeFieldImm)
TANDEM_IMM_TYPE(TypeType, TypeTypeImm)
TANDEM_IMM_TYPE(TypeData, TypeSegmentImm)
TANDEM_IMM_TYPE(TypeElem, TypeSegmentImm)
TANDEM_IMM_TYPE(TypeLen, TypeLenImm)
TANDEM_IMM_TYPE(BrOnCast, BrOnCastImm)
TANDEM_IMM_TYPE(ZeroByte, NoImm)
#undef TANDEM_IMM_TYPE

// The immediate type of an opcode: ImmFor<Op::i32_load> is MemArgImm.
template <Op op> using ImmFor = typename ImmTypeOf<op_info(op).imm>::type_t;

} // namespace tandem
