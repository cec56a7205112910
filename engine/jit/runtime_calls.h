// Every runtime function compiled code calls, with its signature: the one
// list of the JIT's helpers. They are plain C++ functions called with the
// SysV ABI after the code generator has spilled its registers.
//
// Operand protocol: a helper that consumes wasm operands receives a pointer
// to the first of them in the caller's frame (consecutive 16-byte slots, the
// value-stack layout) and writes its result, if any, over operands[0]. A
// helper that can trap returns a TrapKind as uint32_t (TrapKind::kCount when
// it did not trap); the compiled code then jumps to its trap exit.
//
// Numeric helpers wrap runtime/op_semantics.h (hence wasm/numerics.h): the
// JIT inlines only operators whose machine instruction is obviously the same
// operation, and calls these for the rest (min/max, nearest, trunc with
// traps, saturating truncation, ...).
#pragma once

#include "runtime/objects.h"
#include "wasm/opcodes.h"

#include <cstdint>

namespace tandem::jit::calls {

using rt::RawValue;

// Records the trap `kind` as the pending error of ctx's store.
void raise_trap(rt::ExecContext* ctx, uint32_t kind);

// A numeric operator: operands[0] (and operands[1]) in, result to operands[0].
using NumericFn = uint32_t (*)(RawValue* operands);
// The helper of a Unary/Binary/Compare/Test/Convert opcode, else null.
NumericFn numeric_helper(Op op);

// A SIMD operator (op_semantics_simd.h): operands[0..n) in, result (a
// vector or a scalar) to operands[0]. `imm_lo`/`imm_hi` carry the lane
// index (extract/replace_lane) or the 16 shuffle lane bytes.
using SimdFn = uint32_t (*)(RawValue* operands, uint64_t imm_lo, uint64_t imm_hi);
// The helper of a SIMD opcode of shapes SimdUnary .. SimdShuffle, or of a
// non-plain SimdLoad (splat, extend, zero: operands[0] holds the bytes read
// from memory and becomes the vector), else null.
SimdFn simd_helper(Op op);

// memory.grow: operands[0] = delta in, old size in pages (or -1) out.
uint32_t memory_grow(rt::MemoryInst* m, RawValue* operands);
// memory.fill [d, value, n], memory.copy [d, s, n], memory.init [d, s, n].
uint32_t memory_fill(rt::MemoryInst* m, RawValue* operands);
uint32_t memory_copy(rt::MemoryInst* dst, rt::MemoryInst* src, RawValue* operands);
uint32_t memory_init(rt::MemoryInst* m, rt::DataSegInst* seg, RawValue* operands);

// table.grow [init, delta] -> old size or -1; table.fill [i, value, n];
// table.copy [d, s, n]; table.init [d, s, n].
uint32_t table_grow(rt::TableInst* t, RawValue* operands);
uint32_t table_fill(rt::TableInst* t, RawValue* operands);
uint32_t table_copy(rt::TableInst* dst, rt::TableInst* src, RawValue* operands);
uint32_t table_init(rt::TableInst* t, rt::ElemSegInst* seg, RawValue* operands);

// Exceptions (same protocol as the interpreter: ctx->exception holds the
// exception in flight and the pending error is ErrorKind::Exception).
// throw: a new exception of `tag` with payload operands[0..n).
void throw_exception(rt::ExecContext* ctx, rt::TagInst* tag, RawValue* operands);
// throw_ref: rethrows `exn` (TrapKind::NullExceptionReference when null).
uint32_t throw_ref(rt::ExecContext* ctx, uintptr_t exn);
// The exception a failed call or throw left in flight, or null when the
// pending error is not a wasm exception (a trap, exhaustion: not catchable).
rt::ExnObj* caught_exception(rt::ExecContext* ctx);

// call_indirect's slow signature check (the fast path compares ids inline):
// 1 when `callee`'s type is a subtype of canonical type `expected`.
uint32_t func_type_matches(rt::ExecContext* ctx, rt::FuncInst* callee, uint32_t expected);

} // namespace tandem::jit::calls
