// The JIT tier: a single-pass baseline compiler from validated wasm function
// bodies to x86-64, in the style of V8's Liftoff and Wasmtime's Winch.
//
// How it fits the engine
//  - Compiled code implements the shared calling convention of
//    runtime/objects.h: it IS an rt::EntryFn, `bool(ExecContext*, FuncInst*,
//    RawValue* frame)`, arguments in frame[0..n), results to frame[0..m). So
//    an interpreted function calls a compiled one through FuncInst::entry, and
//    compiled code calls any function (compiled, interpreted, host) the same
//    way: `callee->entry(ctx, callee, args)`.
//  - A compiled function keeps its locals and its spilled operand stack in
//    the value-stack frame it is given (slot i at frame + 16 * i), like the
//    interpreter: locals first, then one slot per operand-stack height.
//  - Leaving on a trap never unwinds C++ frames. Traps inside compiled code
//    jump to a per-function stub that records the trap (StoreImpl::fail) and
//    returns false through the normal epilogue; a `false` from a callee is
//    propagated the same way (the error is already pending). A memory access
//    that faults in a guard page is redirected by the signal handler
//    (trap_handler.h) to the same kind of stub.
//
// Tier selection: under Tier::Jit the engine installs `lazy_compile_entry` as
// the entry of every defined function; the first call compiles it and
// replaces the entry. A function the JIT cannot compile (an operator it does
// not support yet) gets the fallback entry (the interpreter's) and is counted
// in JitStats; results are never wrong, only slower.
#pragma once

#include "base/result.h"
#include "runtime/objects.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::jit {

// The entry installed for Tier::Jit: compiles `f` on first use, then runs it.
bool lazy_compile_entry(rt::ExecContext* ctx, rt::FuncInst* f, rt::RawValue* frame);

// The entry of functions the JIT rejects (the interpreter's). The engine sets
// it once before any instance is created; the JIT never includes the
// interpreter itself.
void set_fallback_entry(rt::EntryFn entry);

// Compiles `f` now and installs its entry: the compiled code, or the fallback
// when the JIT rejects the function (the error says why; the function still
// runs). Compiling an already compiled function does nothing.
Status compile_function(rt::FuncInst* f);

// Compiles every function of `inst` not compiled yet, as the first call
// under Tier::Jit does (batches sharing one code mapping each); functions the
// JIT rejects get the fallback entry. For measurements and eager compiles.
void compile_instance(rt::ModuleInst* inst);

// True when `f` currently runs compiled code.
bool is_compiled(const rt::FuncInst* f);

struct JitStats {
  uint64_t compiled = 0;    // functions compiled
  uint64_t fallbacks = 0;   // functions left to the interpreter
  uint64_t code_bytes = 0;  // machine code emitted
  uint64_t osr_entries = 0; // interpreted calls moved to compiled code at a loop head
  // One line per distinct fallback reason with its count, e.g.
  // "3 the JIT does not support v128.load yet".
  std::vector<std::string> fallback_reasons;
};

// Process-wide counters (all stores and engines).
JitStats stats();
void reset_stats();

} // namespace tandem::jit
