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

#include "runtime/objects.h"
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
// Twelve blocks of instructions follow the internal ones, each indexed by Op.
// The first four are four families: the opcode itself, its form with an
// immediate second operand, and its fused compare-and-branch forms with a
// slot or an immediate second operand (see has_imm_form / has_branch_form).
// The other eight are the register forms of those families (RegForm below).
inline constexpr uint32_t kNumFormBlocks = 12;
inline constexpr uint32_t kNumIOps = kNumInternalOps + kNumFormBlocks * uint32_t(kOpCount);

inline constexpr uint8_t kInternalOperands[] = {
#define IOP(id, n) n,
#include "interp/internal_ops.def"
#undef IOP
};

// The family and register form of an instruction of the form blocks
// (register forms: see below).
enum class Family : uint8_t { Direct, Imm, Branch, BranchImm };
struct RegForm {
  Family family = Family::Direct;
  bool from_r = false;
  bool to_r = false;
};
inline constexpr uint32_t kNoForm = ~uint32_t(0);
// Block of each form: [family][from_r][to_r]; branches have no "to r" form.
inline constexpr uint32_t kFormBlock[4][2][2] = {{{0, 5}, {4, 6}},
                                                 {{1, 8}, {7, 9}},
                                                 {{2, kNoForm}, {10, kNoForm}},
                                                 {{3, kNoForm}, {11, kNoForm}}};

// The instruction number of `op` in form `f` (kFormBlock).
constexpr uint32_t iop_form(Op op, RegForm f) {
  return kNumInternalOps + kFormBlock[uint32_t(f.family)][f.from_r][f.to_r] * uint32_t(kOpCount) +
         uint32_t(op);
}
// The instruction number of a wasm opcode that runs directly.
constexpr uint32_t iop_of(Op op) {
  return iop_form(op, RegForm{Family::Direct, false, false});
}
// Integer binary/compare opcodes with the second operand as an immediate:
// S dst, S a, I lo, I hi. Loads and stores of memory 0 with a 32-bit address
// have an immediate form too, fusing the i32.add of a constant that computes
// their address: S dst|addr, S base|value, I add, I offset (address
// i32(base + add) + offset).
constexpr uint32_t iop_imm(Op op) {
  return iop_form(op, RegForm{Family::Imm, false, false});
}
// Integer compares and eqz fused with br_if: S a, S b (unused for eqz), T target.
// The branch is taken when the comparison is true.
constexpr uint32_t iop_branch(Op op) {
  return iop_form(op, RegForm{Family::Branch, false, false});
}
// Fused compare-and-branch with an immediate: S a, I lo, I hi, T target.
constexpr uint32_t iop_branch_imm(Op op) {
  return iop_form(op, RegForm{Family::BranchImm, false, false});
}
constexpr bool is_int_sig(char c) {
  return c == 'i' || c == 'I';
}
constexpr bool has_imm_form(Op op) {
  Shape s = op_info(op).shape;
  return (s == Shape::Binary || s == Shape::Compare) && is_int_sig(op_info(op).sig[1]);
}
constexpr bool has_addr_imm_form(Op op) {
  Shape s = op_info(op).shape;
  return s == Shape::Load || s == Shape::Store;
}
constexpr bool has_branch_form(Op op) {
  Shape s = op_info(op).shape;
  return (s == Shape::Compare || s == Shape::Test) && is_int_sig(op_info(op).sig[0]);
}

// ---- register forms ---------------------------------------------------------
//
// The dispatch loop keeps one 64-bit integer register, r. An instruction in a
// "to r" form writes its integer result to r instead of its destination slot
// (the slot operand stays in the encoding, unused). The instruction right
// after it, in a "from r" form, reads that value from r instead of one slot
// operand. The lowering pairs the two only when the value dies in the reader
// and no label lies between them, so r is never live across a branch target,
// a call or a trap. An i32 in r may carry any high bits; readers of an i32
// take the low 32.
//
// The operand a "from r" form reads (the others stay slots):
//   direct unary/test/convert/binary/compare:  a        (unit 2)
//   direct load:                               address  (unit 2)
//   direct store:                              value    (unit 2)
//   immediate binary/compare, load:            a, base  (unit 2)
//   compare-and-branch, with or without imm:   a        (unit 1)
constexpr bool is_int_result(Op op) {
  std::string_view sig = op_info(op).sig;
  return sig.size() >= 2 && sig[sig.size() - 2] == ':' && is_int_sig(sig.back());
}
constexpr bool is_value_shape(Shape s) {
  return s == Shape::Unary || s == Shape::Test || s == Shape::Convert || s == Shape::Binary ||
         s == Shape::Compare;
}
// Whether `op` has the given register form.
constexpr bool has_reg_form(Op op, RegForm f) {
  Shape s = op_info(op).shape;
  std::string_view sig = op_info(op).sig;
  bool reads = true, writes = true;
  switch (f.family) {
  case Family::Direct:
    if (f.from_r)
      reads = (is_value_shape(s) && is_int_sig(sig[0])) || s == Shape::Load ||
              (s == Shape::Store && is_int_sig(sig[1]));
    if (f.to_r) writes = (is_value_shape(s) || s == Shape::Load) && is_int_result(op);
    return reads && writes;
  case Family::Imm:
    if (f.from_r) reads = has_imm_form(op) || s == Shape::Load;
    if (f.to_r) writes = (has_imm_form(op) || s == Shape::Load) && is_int_result(op);
    return reads && writes;
  case Family::Branch:
  case Family::BranchImm: return !f.to_r && has_branch_form(op);
  }
  return false;
}
// The multiply-add instructions x + a * b (internal_ops.def): b a slot or an
// immediate; the multiplicand a in its slot or in r (from_r), or (load)
// loaded from memory, and then from_r says that x is in r; the result to the
// slot or to r.
struct MulAddForm {
  bool imm = false;
  bool from_r = false;
  bool to_r = false;
  bool load = false;
};
inline constexpr IOp kMulAddOps[2][2][2][2] = {
    {{{IOp::i32_mul_add, IOp::i32_mul_add_d}, {IOp::i32_mul_add_ar, IOp::i32_mul_add_ar_d}},
     {{IOp::i32_mul_imm_add, IOp::i32_mul_imm_add_d},
      {IOp::i32_mul_imm_add_ar, IOp::i32_mul_imm_add_ar_d}}},
    {{{IOp::i32_load_mul_add, IOp::i32_load_mul_add_d},
      {IOp::i32_load_mul_add_ar, IOp::i32_load_mul_add_ar_d}},
     {{IOp::i32_load_mul_imm_add, IOp::i32_load_mul_imm_add_d},
      {IOp::i32_load_mul_imm_add_ar, IOp::i32_load_mul_imm_add_ar_d}}}};
constexpr IOp mul_add_op(MulAddForm f) {
  return kMulAddOps[f.load][f.imm][f.from_r][f.to_r];
}
constexpr bool decode_mul_add(uint32_t iop, MulAddForm& f) {
  for (uint32_t l = 0; l < 2; ++l)
    for (uint32_t i = 0; i < 2; ++i)
      for (uint32_t a = 0; a < 2; ++a)
        for (uint32_t d = 0; d < 2; ++d)
          if (uint32_t(kMulAddOps[l][i][a][d]) == iop) {
            f = MulAddForm{i != 0, a != 0, d != 0, l != 0};
            return true;
          }
  return false;
}

// The store of a constant of `bytes` bytes (1, 2, 4 or 8), its address in
// r (from_r) or in its slot.
constexpr IOp store_imm_op(uint32_t bytes, bool from_r) {
  constexpr IOp kOps[2][4] = {
      {IOp::store8_imm, IOp::store16_imm, IOp::store32_imm, IOp::store64_imm},
      {IOp::store8_imm_r, IOp::store16_imm_r, IOp::store32_imm_r, IOp::store64_imm_r}};
  return kOps[from_r][bytes == 1 ? 0 : bytes == 2 ? 1 : bytes == 4 ? 2 : 3];
}

// The op and form of an instruction number of the blocks; false for
// internal instructions.
constexpr bool decode_form(uint32_t iop, Op& op, RegForm& f) {
  if (iop < kNumInternalOps || iop >= kNumIOps) return false;
  uint32_t block = (iop - kNumInternalOps) / uint32_t(kOpCount);
  op = Op((iop - kNumInternalOps) % uint32_t(kOpCount));
  for (uint32_t fam = 0; fam < 4; ++fam)
    for (uint32_t a = 0; a < 2; ++a)
      for (uint32_t d = 0; d < 2; ++d)
        if (kFormBlock[fam][a][d] == block) {
          f = RegForm{Family(fam), a != 0, d != 0};
          return true;
        }
  return false;
}
constexpr uint32_t iop_of(IOp op) {
  return uint32_t(op);
}

// Wasm opcodes with their own interpreter instruction, and their operands
// (S = slot, I = immediate; loads/stores of this form use memory 0 with a
// 32-bit address, others go through load_x/store_x):
//   unary, test, convert, SIMD unary/reduce/splat:  S dst, S a
//   binary, compare, SIMD binary/compare/shift:      S dst, S a, S b
//   SIMD ternary:                                    S dst, S a, S b, S c
//   load, SIMD load:                                 S dst, S addr, I offset
//   store, SIMD store:                               S addr, S value, I offset
//   extract_lane:                                    S dst, S v, I lane
//   replace_lane:                                    S dst, S v, S x, I lane
//   shuffle:                                         S dst, S a, S b, 4 x I lanes
//   load_lane:    S dst, S addr, S v, I memory, I offset lo, I offset hi, I lane
//   store_lane:   S addr, S v, I memory, I offset lo, I offset hi, I lane
constexpr bool is_direct(Op op) {
  switch (op_info(op).shape) {
  case Shape::Unary:
  case Shape::Test:
  case Shape::Convert:
  case Shape::Binary:
  case Shape::Compare:
  case Shape::Load:
  case Shape::Store:
  case Shape::SimdUnary:
  case Shape::SimdReduce:
  case Shape::SimdSplat:
  case Shape::SimdBinary:
  case Shape::SimdCompare:
  case Shape::SimdShift:
  case Shape::SimdTernary:
  case Shape::SimdLoad:
  case Shape::SimdStore:
  case Shape::SimdExtractLane:
  case Shape::SimdReplaceLane:
  case Shape::SimdShuffle:
  case Shape::SimdLoadLane:
  case Shape::SimdStoreLane: return true;
  default: return false;
  }
}
constexpr uint32_t direct_operands(Op op) {
  switch (op_info(op).shape) {
  case Shape::Unary:
  case Shape::Test:
  case Shape::Convert:
  case Shape::SimdUnary:
  case Shape::SimdReduce:
  case Shape::SimdSplat: return 2;
  case Shape::SimdTernary:
  case Shape::SimdReplaceLane: return 4;
  case Shape::SimdShuffle:
  case Shape::SimdLoadLane: return 7;
  case Shape::SimdStoreLane: return 6;
  default: return 3;
  }
}

constexpr uint32_t slot_offset(uint32_t slot) {
  return slot * uint32_t(sizeof(rt::RawValue));
}

inline constexpr uint32_t kNoExnSlot = ~uint32_t(0);
inline constexpr uint32_t kNoHandler = ~uint32_t(0);

// A catch clause of a try_table: where the unwinder continues. The payload
// (and, for *_ref kinds, the exnref after it) is written to consecutive slots
// from Handler::slot, then execution continues at `target`, a stub that
// branches to the clause's label.
struct CatchEntry {
  uint8_t kind = 0;               // CatchKind (decoder/immediates.h)
  rt::TagInst* tag = nullptr;     // null for catch_all / catch_all_ref
  uint32_t target = 0;            // code position of the stub
  uint32_t exn_slot = kNoExnSlot; // legacy catch: where the exnref goes (for rethrow)
};

// The code range [start, end) of one try_table body and its clauses.
// Handlers are listed innermost first.
// A legacy `try ... delegate l` is a handler with `delegate` set: a throw in
// its range continues at the handler whose id is `delegate_to` (or leaves
// the function for kNoHandler), skipping the handlers in between.
struct Handler {
  uint32_t start = 0;
  uint32_t end = 0;
  uint32_t slot = 0; // slot byte offset where caught values go
  std::vector<CatchEntry> catches;
  uint32_t id = 0; // creation order in the function
  bool delegate = false;
  uint32_t delegate_to = kNoHandler;
};

// jit (OSR): a loop header with an empty operand stack, where a running
// activation may move to compiled code (runtime/objects.h, TierUpHook).
struct OsrLoop {
  uint32_t code_pos = 0;    // position of the loop's first instruction in `code`
  uint32_t wasm_offset = 0; // byte offset of the `loop` opcode (decoder offset)
};

// The lowered code of one function.
struct InterpCode {
  std::vector<uint32_t> code;
  std::vector<Handler> handlers;
  std::vector<OsrLoop> osr_loops; // jit: sorted by code_pos
  uint32_t num_params = 0;
  uint32_t num_locals = 0; // parameters included
  uint32_t num_results = 0;
  uint32_t frame_slots = 0; // locals plus the deepest operand stack
};

// The header unit for an instruction (threaded label offset or IOp number).
uint32_t encode_header(uint32_t iop);

} // namespace tandem::interp
