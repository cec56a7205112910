// The generic SIMD handlers of the interpreter, instantiated per opcode from
// opcodes.def through exec_direct(). Semantics: runtime/op_semantics_simd.h.
// Operand layouts: see direct_operands() in bytecode.h.
#pragma once

#include "interp/bytecode.h"
#include "runtime/memory.h"
#include "runtime/op_semantics_simd.h"
#include "runtime/store.h"

#include <cstring>

namespace tandem::interp {

template <typename T> inline T simd_rd(const char* fp, uint32_t off) {
  T v;
  std::memcpy(static_cast<void*>(&v), fp + off, sizeof(T));
  return v;
}
template <typename T> inline void simd_wr(char* fp, uint32_t off, const T& v) {
  std::memcpy(fp + off, static_cast<const void*>(&v), sizeof(T));
}

// Effective address of a lane access (any memory); false when out of bounds.
inline bool lane_address(const rt::ModuleInst* inst, const char* fp, uint32_t addr_slot,
                         const uint32_t* mem_operands, uint32_t bytes, uint8_t*& out) {
  const rt::MemoryInst* m = inst->ctx.memories[mem_operands[0]];
  uint64_t addr = m->is64 ? simd_rd<uint64_t>(fp, addr_slot) : simd_rd<uint32_t>(fp, addr_slot);
  uint64_t offset = uint64_t(mem_operands[1]) | (uint64_t(mem_operands[2]) << 32);
  if (offset > ~uint64_t(0) - addr) return false;
  uint64_t ea = addr + offset;
  if (!rt::memory_in_bounds(*m, ea, bytes)) return false;
  out = m->base + ea;
  return true;
}

template <Op op>
inline bool exec_simd(char* fp, const uint32_t* pc, rt::MemoryInst* mem, const rt::ModuleInst* inst,
                      TrapKind& trap) {
  using rt::SimdParam;
  using rt::SimdSemantics;
  using rt::Vec128;
  constexpr Shape kShape = op_info(op).shape;
  if constexpr (kShape == Shape::SimdUnary || kShape == Shape::SimdReduce ||
                kShape == Shape::SimdSplat) {
    simd_wr(fp, pc[1], SimdSemantics<op>::fn(simd_rd<SimdParam<op, 0>>(fp, pc[2])));
  } else if constexpr (kShape == Shape::SimdBinary || kShape == Shape::SimdCompare ||
                       kShape == Shape::SimdShift) {
    simd_wr(fp, pc[1],
            SimdSemantics<op>::fn(simd_rd<SimdParam<op, 0>>(fp, pc[2]),
                                  simd_rd<SimdParam<op, 1>>(fp, pc[3])));
  } else if constexpr (kShape == Shape::SimdTernary) {
    simd_wr(fp, pc[1],
            SimdSemantics<op>::fn(simd_rd<Vec128>(fp, pc[2]), simd_rd<Vec128>(fp, pc[3]),
                                  simd_rd<Vec128>(fp, pc[4])));
  } else if constexpr (kShape == Shape::SimdExtractLane) {
    simd_wr(fp, pc[1], SimdSemantics<op>::fn(simd_rd<Vec128>(fp, pc[2]), pc[3]));
  } else if constexpr (kShape == Shape::SimdReplaceLane) {
    simd_wr(fp, pc[1],
            SimdSemantics<op>::fn(simd_rd<Vec128>(fp, pc[2]), simd_rd<SimdParam<op, 1>>(fp, pc[3]),
                                  pc[4]));
  } else if constexpr (kShape == Shape::SimdShuffle) {
    uint8_t lanes[16];
    std::memcpy(lanes, pc + 4, 16);
    simd_wr(fp, pc[1],
            num::simd::shuffle(simd_rd<Vec128>(fp, pc[2]), simd_rd<Vec128>(fp, pc[3]), lanes));
  } else if constexpr (kShape == Shape::SimdLoad) {
    constexpr uint32_t kBytes = memory_access_bytes(op);
    uint64_t ea = uint64_t(simd_rd<uint32_t>(fp, pc[2])) + pc[3];
    if (!rt::memory_in_bounds_33(*mem, ea, kBytes)) {
      trap = TrapKind::MemoryOutOfBounds;
      return false;
    }
    simd_wr(fp, pc[1], rt::simd_load<op>(mem->base + ea));
  } else if constexpr (kShape == Shape::SimdStore) {
    uint64_t ea = uint64_t(simd_rd<uint32_t>(fp, pc[1])) + pc[3];
    if (!rt::memory_in_bounds_33(*mem, ea, 16)) {
      trap = TrapKind::MemoryOutOfBounds;
      return false;
    }
    std::memcpy(mem->base + ea, fp + pc[2], 16);
  } else if constexpr (kShape == Shape::SimdLoadLane) {
    constexpr uint32_t kBytes = memory_access_bytes(op);
    uint8_t* p;
    if (!lane_address(inst, fp, pc[2], pc + 4, kBytes, p)) {
      trap = TrapKind::MemoryOutOfBounds;
      return false;
    }
    Vec128 v = simd_rd<Vec128>(fp, pc[3]);
    std::memcpy(v.bytes + pc[7] * kBytes, p, kBytes);
    simd_wr(fp, pc[1], v);
  } else if constexpr (kShape == Shape::SimdStoreLane) {
    constexpr uint32_t kBytes = memory_access_bytes(op);
    uint8_t* p;
    if (!lane_address(inst, fp, pc[1], pc + 3, kBytes, p)) {
      trap = TrapKind::MemoryOutOfBounds;
      return false;
    }
    std::memcpy(p, fp + pc[2] + pc[6] * kBytes, kBytes);
  } else {
    trap = TrapKind::Unreachable;
    return false;
  }
  return true;
}

} // namespace tandem::interp
