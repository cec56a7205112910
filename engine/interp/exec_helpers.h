// Inline helpers of the dispatch loop: slot access, the generic numeric,
// load and store handlers (instantiated per opcode from opcodes.def), and the
// slow paths of bulk memory and table instructions.
//
// Slot operands are byte offsets from the frame pointer; all access is by
// memcpy so any bit pattern survives and no alignment is assumed.
#pragma once

#include "interp/bytecode.h"
#include "interp/exec_simd.h"
#include "runtime/memory.h"
#include "runtime/op_semantics.h"
#include "runtime/store.h"

#include <cstring>

namespace tandem::interp {

#define TANDEM_ALWAYS_INLINE inline __attribute__((always_inline))

template <typename T> TANDEM_ALWAYS_INLINE T rd(const char* fp, uint32_t off) {
  T v;
  std::memcpy(&v, fp + off, sizeof(T));
  return v;
}
template <typename T> TANDEM_ALWAYS_INLINE void wr(char* fp, uint32_t off, T v) {
  std::memcpy(fp + off, &v, sizeof(T));
}
TANDEM_ALWAYS_INLINE void copy_slot(char* fp, uint32_t dst, uint32_t src) {
  std::memcpy(fp + dst, fp + src, sizeof(rt::RawValue));
}
template <typename T> TANDEM_ALWAYS_INLINE T* ptr_at(const uint32_t* p) {
  uintptr_t v;
  std::memcpy(&v, p, sizeof v);
  return reinterpret_cast<T*>(v);
}
TANDEM_ALWAYS_INLINE uint64_t u64_at(const uint32_t* p) {
  return uint64_t(p[0]) | (uint64_t(p[1]) << 32);
}

// An operand of a handler: slot `off`, or the register r in a "from r" form
// (bytecode.h, RegForm). r holds integers only.
template <typename T, bool kFromR>
TANDEM_ALWAYS_INLINE T operand(const char* fp, uint32_t off, uint64_t r) {
  if constexpr (kFromR) {
    return T(r);
  } else {
    return rd<T>(fp, off);
  }
}
// Writes an operation's result (a value, or an Outcome that may be a trap)
// to slot `dst`, or to r in a "to r" form; false on a trap (kind in `trap`).
template <typename R, bool kToR, typename V>
TANDEM_ALWAYS_INLINE bool put_result(char* fp, uint32_t dst, uint64_t& r, const V& v,
                                     TrapKind& trap) {
  R value;
  if constexpr (rt::IsOutcome<V>::value) {
    if (!v.ok()) {
      trap = v.trap;
      return false;
    }
    value = R(v.value);
  } else {
    value = R(v);
  }
  if constexpr (kToR) {
    r = uint64_t(value);
  } else {
    wr(fp, dst, value);
  }
  return true;
}

// Unary, test and convert: [hdr, dst, src]. False on a trap (kind in `trap`).
template <Op op, bool kA = false, bool kD = false>
TANDEM_ALWAYS_INLINE bool exec_unary(char* fp, const uint32_t* pc, uint64_t& r, TrapKind& trap) {
  using T = rt::OpTypes<op>;
  auto v = rt::OpSemantics<op>::apply(operand<typename T::A, kA>(fp, pc[2], r));
  return put_result<typename T::R, kD>(fp, pc[1], r, v, trap);
}

// Binary and compare: [hdr, dst, a, b].
template <Op op, bool kA = false, bool kD = false>
TANDEM_ALWAYS_INLINE bool exec_binary(char* fp, const uint32_t* pc, uint64_t& r, TrapKind& trap) {
  using T = rt::OpTypes<op>;
  auto v = rt::OpSemantics<op>::apply(operand<typename T::A, kA>(fp, pc[2], r),
                                      rd<typename T::B>(fp, pc[3]));
  return put_result<typename T::R, kD>(fp, pc[1], r, v, trap);
}

// Compare-and-branch form: [hdr, a, b, target]; true when the branch is taken.
template <Op op, bool kA = false>
TANDEM_ALWAYS_INLINE bool exec_branch(const char* fp, const uint32_t* pc, uint64_t r) {
  if constexpr (has_branch_form(op)) {
    using T = rt::OpTypes<op>;
    if constexpr (op_info(op).shape == Shape::Test) {
      return rt::OpSemantics<op>::apply(operand<typename T::A, kA>(fp, pc[1], r)) != 0;
    } else {
      return rt::OpSemantics<op>::apply(operand<typename T::A, kA>(fp, pc[1], r),
                                        rd<typename T::B>(fp, pc[2])) != 0;
    }
  } else {
    return false;
  }
}

// Compare-and-branch with an immediate: [hdr, a, imm lo, imm hi, target].
template <Op op, bool kA = false>
TANDEM_ALWAYS_INLINE bool exec_branch_imm(const char* fp, const uint32_t* pc, uint64_t r) {
  if constexpr (has_branch_form(op) && op_info(op).shape == Shape::Compare) {
    using T = rt::OpTypes<op>;
    return rt::OpSemantics<op>::apply(operand<typename T::A, kA>(fp, pc[1], r),
                                      typename T::B(u64_at(pc + 2))) != 0;
  } else {
    return false;
  }
}

// The integer type a load reads from memory (sign taken from the mnemonic).
template <Op op> struct LoadTypes {
  static constexpr uint32_t kBytes = memory_access_bytes(op);
  static constexpr std::string_view kSig = op_info(op).sig;
  using R = typename rt::SigType<kSig[kSig.size() - 1]>::type;
  static constexpr bool kSigned = op_info(op).name.ends_with("_s");
  using U =
      std::conditional_t<kBytes == 1, uint8_t,
                         std::conditional_t<kBytes == 2, uint16_t,
                                            std::conditional_t<kBytes == 4, uint32_t, uint64_t>>>;
  using S = std::make_signed_t<U>;
  using Mem = std::conditional_t<kSigned, S, U>;
};

// Reads the value of a load at `p` (already bounds-checked) into slot `dst`
// or, in a "to r" form, into r.
template <Op op, bool kD>
TANDEM_ALWAYS_INLINE void load_value(char* fp, uint32_t dst, uint64_t& r, const uint8_t* p) {
  using L = LoadTypes<op>;
  typename L::R v;
  if constexpr (L::kBytes == sizeof(typename L::R)) {
    std::memcpy(&v, p, sizeof v);
  } else {
    typename L::Mem m;
    std::memcpy(&m, p, sizeof m);
    v = typename L::R(m); // sign- or zero-extends
  }
  if constexpr (kD) {
    r = uint64_t(v);
  } else {
    wr(fp, dst, v);
  }
}

// Writes the low bytes of a store's value (slot `src`, or r in a "from r"
// form) at `p` (already bounds-checked).
template <Op op, bool kFromR>
TANDEM_ALWAYS_INLINE void store_value(const char* fp, uint32_t src, uint64_t r, uint8_t* p) {
  constexpr uint32_t kBytes = memory_access_bytes(op);
  if constexpr (kFromR) {
    std::memcpy(p, &r, kBytes); // little-endian: the low bytes come first
  } else {
    std::memcpy(p, fp + src, kBytes);
  }
}

// A load or store at effective address `ea` of memory 0; false when out of bounds.
template <Op op, bool kD = false>
TANDEM_ALWAYS_INLINE bool load_at(char* fp, uint32_t dst, uint64_t& r, uint64_t ea,
                                  const rt::MemoryInst* mem) {
  constexpr uint64_t kBytes = memory_access_bytes(op);
  if (!rt::memory_in_bounds_33(*mem, ea, kBytes)) return false;
  load_value<op, kD>(fp, dst, r, mem->base + ea);
  return true;
}
template <Op op, bool kFromR = false>
TANDEM_ALWAYS_INLINE bool store_at(const char* fp, uint32_t src, uint64_t r, uint64_t ea,
                                   rt::MemoryInst* mem) {
  constexpr uint64_t kBytes = memory_access_bytes(op);
  if (!rt::memory_in_bounds_33(*mem, ea, kBytes)) return false;
  store_value<op, kFromR>(fp, src, r, mem->base + ea);
  return true;
}

// Loads and stores on memory 0 with a 32-bit address: [hdr, dst|addr, addr|value, offset].
// A "from r" load takes its address from r, a "from r" store its value.
template <Op op, bool kA = false, bool kD = false>
TANDEM_ALWAYS_INLINE bool exec_load(char* fp, const uint32_t* pc, uint64_t& r,
                                    const rt::MemoryInst* mem) {
  return load_at<op, kD>(fp, pc[1], r, uint64_t(operand<uint32_t, kA>(fp, pc[2], r)) + pc[3], mem);
}
template <Op op, bool kA = false>
TANDEM_ALWAYS_INLINE bool exec_store(char* fp, const uint32_t* pc, uint64_t r,
                                     rt::MemoryInst* mem) {
  return store_at<op, kA>(fp, pc[2], r, uint64_t(rd<uint32_t>(fp, pc[1])) + pc[3], mem);
}

// The effective address of the fused forms: i32(base + add) + offset (the
// i32.add of a constant wraps before the memarg offset is added).
TANDEM_ALWAYS_INLINE uint64_t fused_address(uint32_t base, uint32_t add, uint32_t offset) {
  return uint64_t(uint32_t(base + add)) + offset;
}

// Loads and stores of memory 0 whose address adds a constant to a slot:
// [hdr, dst|base, base|value, add, offset] (bytecode.h, iop_imm). A "from r"
// load takes its base from r (stores have no register form here).
template <Op op, bool kA = false, bool kD = false>
TANDEM_ALWAYS_INLINE bool exec_load_add(char* fp, const uint32_t* pc, uint64_t& r,
                                        const rt::MemoryInst* mem) {
  uint32_t base = operand<uint32_t, kA>(fp, pc[2], r);
  return load_at<op, kD>(fp, pc[1], r, fused_address(base, pc[3], pc[4]), mem);
}
template <Op op>
TANDEM_ALWAYS_INLINE bool exec_store_add(char* fp, const uint32_t* pc, rt::MemoryInst* mem) {
  return store_at<op>(fp, pc[2], 0, fused_address(rd<uint32_t>(fp, pc[1]), pc[3], pc[4]), mem);
}

// Immediate form: [hdr, dst, a, imm lo, imm hi], or a load or store with an
// added constant (above). Only for has_imm_form and has_addr_imm_form ops
// (and their register forms, has_reg_form); other rows trap (they are never
// emitted).
template <Op op, bool kA = false, bool kD = false>
TANDEM_ALWAYS_INLINE bool exec_imm(char* fp, const uint32_t* pc, uint64_t& r, rt::MemoryInst* mem,
                                   TrapKind& trap) {
  constexpr bool kPlain = !kA && !kD;
  if constexpr (!kPlain && !has_reg_form(op, RegForm{Family::Imm, kA, kD})) {
    trap = TrapKind::Unreachable;
    return false;
  } else if constexpr (op_info(op).shape == Shape::Load) {
    if (exec_load_add<op, kA, kD>(fp, pc, r, mem)) return true;
    trap = TrapKind::MemoryOutOfBounds;
    return false;
  } else if constexpr (op_info(op).shape == Shape::Store) {
    if (exec_store_add<op>(fp, pc, mem)) return true;
    trap = TrapKind::MemoryOutOfBounds;
    return false;
  } else if constexpr (op == Op::i32_div_u) {
    // The immediate is the divisor's reciprocal (lower.cc, imm_operand).
    uint32_t v = num::div_u32_by_magic(operand<uint32_t, kA>(fp, pc[2], r), u64_at(pc + 3));
    return put_result<uint32_t, kD>(fp, pc[1], r, v, trap);
  } else if constexpr (has_imm_form(op)) {
    using T = rt::OpTypes<op>;
    typename T::B b = typename T::B(u64_at(pc + 3));
    auto v = rt::OpSemantics<op>::apply(operand<typename T::A, kA>(fp, pc[2], r), b);
    return put_result<typename T::R, kD>(fp, pc[1], r, v, trap);
  } else {
    trap = TrapKind::Unreachable;
    return false;
  }
}

// The handler of every wasm opcode that runs directly (is_direct), chosen by
// shape, and of its register forms (has_reg_form). Opcodes that never reach
// the interpreter as themselves, and forms an opcode lacks, trap.
template <Op op, bool kA = false, bool kD = false>
TANDEM_ALWAYS_INLINE bool exec_direct(char* fp, const uint32_t* pc, uint64_t& r,
                                      rt::MemoryInst* mem, const rt::ModuleInst* inst,
                                      TrapKind& trap) {
  constexpr Shape kShape = op_info(op).shape;
  constexpr bool kPlain = !kA && !kD;
  if constexpr (!kPlain && !has_reg_form(op, RegForm{Family::Direct, kA, kD})) {
    trap = TrapKind::Unreachable;
    return false;
  } else if constexpr (kShape == Shape::Unary || kShape == Shape::Test ||
                       kShape == Shape::Convert) {
    return exec_unary<op, kA, kD>(fp, pc, r, trap);
  } else if constexpr (kShape == Shape::Binary || kShape == Shape::Compare) {
    return exec_binary<op, kA, kD>(fp, pc, r, trap);
  } else if constexpr (kShape == Shape::Load) {
    if (exec_load<op, kA, kD>(fp, pc, r, mem)) return true;
    trap = TrapKind::MemoryOutOfBounds;
    return false;
  } else if constexpr (kShape == Shape::Store) {
    if (exec_store<op, kA>(fp, pc, r, mem)) return true;
    trap = TrapKind::MemoryOutOfBounds;
    return false;
  } else if constexpr (is_direct(op)) {
    return exec_simd<op>(fp, pc, mem, inst, trap);
  } else {
    trap = TrapKind::Unreachable;
    return false;
  }
}

// The store of a constant (internal_ops.def, store*_imm): [hdr, addr, add,
// offset, value lo, value hi]; false when out of bounds.
template <uint32_t kBytes, bool kA>
TANDEM_ALWAYS_INLINE bool exec_store_imm(const char* fp, const uint32_t* pc, uint64_t r,
                                         rt::MemoryInst* mem) {
  uint64_t ea = fused_address(operand<uint32_t, kA>(fp, pc[1], r), pc[2], pc[3]);
  if (!rt::memory_in_bounds_33(*mem, ea, kBytes)) return false;
  uint64_t v = u64_at(pc + 4);
  std::memcpy(mem->base + ea, &v, kBytes); // little-endian: the low bytes come first
  return true;
}

// Writes the multiply-add x + a * b to slot dst, or to r (kD).
template <bool kD>
TANDEM_ALWAYS_INLINE void mul_add_to(char* fp, uint32_t dst, uint32_t x, uint32_t a, uint32_t b,
                                     uint64_t& r) {
  uint32_t v = rt::OpSemantics<Op::i32_add>::apply(x, rt::OpSemantics<Op::i32_mul>::apply(a, b));
  if constexpr (kD) {
    r = v;
  } else {
    wr(fp, dst, v);
  }
}
// The multiply-add (internal_ops.def): [hdr, dst, x, a, b].
template <bool kImm, bool kA, bool kD>
TANDEM_ALWAYS_INLINE void exec_mul_add(char* fp, const uint32_t* pc, uint64_t& r) {
  uint32_t b = kImm ? pc[4] : rd<uint32_t>(fp, pc[4]);
  mul_add_to<kD>(fp, pc[1], rd<uint32_t>(fp, pc[2]), operand<uint32_t, kA>(fp, pc[3], r), b, r);
}
// The same with a loaded as i32.load/imm does: [hdr, dst, x, base, add,
// offset, b]; here the _ar forms (kX) take x from r. False when out of bounds.
template <bool kImm, bool kX, bool kD>
TANDEM_ALWAYS_INLINE bool exec_load_mul_add(char* fp, const uint32_t* pc, uint64_t& r,
                                            const rt::MemoryInst* mem) {
  uint64_t a = 0;
  uint32_t x = operand<uint32_t, kX>(fp, pc[2], r);
  uint32_t base = rd<uint32_t>(fp, pc[3]);
  if (!load_at<Op::i32_load, true>(fp, 0, a, fused_address(base, pc[4], pc[5]), mem)) return false;
  uint32_t b = kImm ? pc[6] : rd<uint32_t>(fp, pc[6]);
  mul_add_to<kD>(fp, pc[1], x, uint32_t(a), b, r);
  return true;
}

// The general load/store (any memory, 64-bit addresses): the opcode is an
// operand. [hdr, op, dst|addr, addr|value, memory, offset lo, offset hi].
bool exec_load_x(char* fp, const uint32_t* pc, const rt::ModuleInst* inst);
bool exec_store_x(char* fp, const uint32_t* pc, const rt::ModuleInst* inst);

// Bulk memory and table instructions; they return the trap kind or kCount.
TrapKind exec_memory_op(IOp op, char* fp, const uint32_t* pc, rt::ModuleInst* inst);
TrapKind exec_table_op(IOp op, char* fp, const uint32_t* pc, rt::ModuleInst* inst);
TrapKind exec_gc_op(IOp op, char* fp, const uint32_t* pc, rt::ModuleInst* inst);
TrapKind exec_atomic(char* fp, const uint32_t* pc, rt::ModuleInst* inst);
TrapKind exec_wide(char* fp, const uint32_t* pc);

} // namespace tandem::interp
