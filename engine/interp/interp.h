// The interpreter tier: its entry function (the shared EntryFn calling
// convention of runtime/objects.h) and lazy lowering.
#pragma once

#include "base/result.h"
#include "interp/bytecode.h"
#include "runtime/objects.h"

#include <memory>
#include <string>

namespace tandem::interp {

// Runs a wasm-defined function: arguments in frame[0..), results to frame[0..).
bool interp_entry(rt::ExecContext* ctx, rt::FuncInst* f, rt::RawValue* frame);

// The function's lowered code, lowering it on first use.
Result<const InterpCode*> code_for(rt::FuncInst* f);

// Lowers one function of an instance (used by code_for and by tests).
Result<std::unique_ptr<InterpCode>> lower_function(rt::ModuleInst& inst, uint32_t func_index);

// A printable listing of lowered code (for tests and `tandem` dumps).
std::string disassemble(const InterpCode& code);

} // namespace tandem::interp
