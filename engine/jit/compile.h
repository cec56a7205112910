// Internal to the JIT: compiling one function and installing the result,
// shared by the lazy entry (jit.cc) and tier-up (tier_up.cc).
#pragma once

#include "base/result.h"
#include "jit/macro_assembler.h"
#include "runtime/objects.h"

#include <memory>
#include <string>

namespace tandem::jit {

// Compiles f's body. Reads only immutable instance data, so it may run on
// the compiler thread while the store's thread keeps running.
Result<std::unique_ptr<CompiledCode>> compile_code(rt::FuncInst* f);

// On the store's thread: makes `code` f's entry (atomic store) and hands its
// ownership to f's module instance.
void install_code(rt::FuncInst* f, std::unique_ptr<CompiledCode> code);

// Counts a function left to the interpreter, with the reason.
void count_fallback(const std::string& reason);

// The interpreter's entry (set by the engine), or null.
rt::EntryFn fallback_entry();

} // namespace tandem::jit
