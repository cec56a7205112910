// The interpreter's internal bytecode: a register machine over frame slots.
//
// Code is a vector of 32-bit units. An instruction is one header unit
// followed by its operands. The header is the instruction's handler: in the
// threaded build the byte distance of its label from the dispatch loop's
// base label, in the switch build (TANDEM_INTERP_SWITCH) its IOp number.
// Operands are frame-slot byte offsets (slot * 16, so a handler adds them to
// the frame pointer directly), 32-bit immediates, pointers (two units) or
// branch offsets (in units, relative to the instruction's header).
//
// Instructions (IOp) are the interpreter's own ones (internal_ops.def) plus,
// after them, one per wasm opcode: the numeric, load and store opcodes run as
// themselves, with the operand layouts given by direct_operands().
//
// Frame layout of a function: slots [0, num_params) are the parameters,
// [num_params, num_locals) the declared locals (zeroed on entry), then the
// operand-stack slots up to frame_slots. A call passes arguments in
// consecutive slots of the caller; those slots become the callee's frame
// base, and the callee leaves its results in its slots [0, num_results).
#pragma once

#include "runtime/raw_value.h"
#include "wasm/opcodes.h"

#include <cstdint>
#include <vector>

namespace tandem::interp {

enum class IOp : uint16_t {
#define IOP(id, n) id,
#include "interp/internal_ops.def"
#undef IOP
  kInternalCount
};

inline constexpr uint32_t kNumInternalOps = uint32_t(IOp::kInternalCount);
inline constexpr uint32_t kNumIOps = kNumInternalOps + uint32_t(kOpCount);

inline constexpr uint8_t kInternalOperands[] = {
#define IOP(id, n) n,
#include "interp/internal_ops.def"
#undef IOP
};

// The instruction number of a wasm opcode that runs directly.
constexpr uint32_t iop_of(Op op) { return kNumInternalOps + uint32_t(op); }
constexpr uint32_t iop_of(IOp op) { return uint32_t(op); }

// Wasm opcodes with their own interpreter instruction, and their operands:
// unary/test/convert: S dst, S src; binary/compare: S dst, S a, S b;
// load (memory 0, 32-bit): S dst, S addr, I offset; store: S addr, S value, I offset.
constexpr bool is_direct(Op op) {
  switch (op_info(op).shape) {
  case Shape::Unary:
  case Shape::Test:
  case Shape::Convert:
  case Shape::Binary:
  case Shape::Compare:
  case Shape::Load:
  case Shape::Store: return true;
  default: return false;
  }
}
constexpr uint32_t direct_operands(Op op) {
  switch (op_info(op).shape) {
  case Shape::Unary:
  case Shape::Test:
  case Shape::Convert: return 2;
  default: return 3;
  }
}

constexpr uint32_t slot_offset(uint32_t slot) { return slot * uint32_t(sizeof(rt::RawValue)); }

// The lowered code of one function.
struct InterpCode {
  std::vector<uint32_t> code;
  uint32_t num_params = 0;
  uint32_t num_locals = 0; // parameters included
  uint32_t num_results = 0;
  uint32_t frame_slots = 0; // locals plus the deepest operand stack
};

// The header unit for an instruction (threaded label offset or IOp number).
uint32_t encode_header(uint32_t iop);

} // namespace tandem::interp
