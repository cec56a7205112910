// Internal to the JIT: compiling functions and installing the results,
// shared by the lazy entry (jit.cc) and tier-up (tier_up.cc).
#pragma once

#include "base/result.h"
#include "jit/macro_assembler.h"
#include "runtime/objects.h"

#include <memory>
#include <span>
#include <string>

namespace tandem::jit {

class CodeGenerator;

// Generates f's code as the next function of `masm` (not yet executable)
// with `gen` (a generator for f's instance over `masm`). On an error the
// function is abandoned and `masm` stays usable for the next one.
Status generate(CodeGenerator& gen, MacroAssembler& masm, rt::FuncInst* f);

// Compiles f alone (a batch of one); with `osr_points`, also its
// on-stack-replacement entries (for tier-up: interpreted calls of f may move
// to the code; Tier::Jit never needs them). Reads only immutable instance
// data, so it may run on the compiler thread while the store's thread keeps
// running.
Result<std::shared_ptr<CodeBatch>> compile_code(rt::FuncInst* f, bool osr_points);

// On the store's thread: makes batch entry i the entry of funcs[i] (atomic
// stores) and hands the batch to their module instance `inst`.
void install_batch(rt::ModuleInst* inst, std::shared_ptr<CodeBatch> batch,
                   std::span<rt::FuncInst* const> funcs);

// Counts an on-stack replacement (an OSR entry handed to the interpreter).
void count_osr_entry();

// Counts a function left to the interpreter, with the reason.
void count_fallback(const std::string& reason);

// The interpreter's entry (set by the engine), or null.
rt::EntryFn fallback_entry();

} // namespace tandem::jit
