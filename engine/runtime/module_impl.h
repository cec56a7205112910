// ModuleImpl: a decoded and validated module as the public tandem::Module
// holds it, and the instantiation entry point of the runtime.
#pragma once

#include "base/result.h"
#include "runtime/store.h"
#include "wasm/module.h"
#include "wasm/opcodes.h"

#include <memory>
#include <optional>
#include <span>

namespace tandem::rt {

struct ModuleImpl {
  wasm::Module module;
  FeatureSet features;
  // Test-only: the operator the JIT miscompiles (EngineConfig::debug_jit_miscompile).
  std::optional<Op> jit_miscompile;
};

// Instantiates `module` in `store` with imports in the module's import order.
// Defined functions get `wasm_entry` as their entry (the tier that runs them).
// On a trap during initialisation the instance stays allocated (imported
// tables may already refer to its functions) and the trap is returned.
Result<ModuleInst*> instantiate(StoreImpl& store, std::shared_ptr<const ModuleImpl> module,
                                std::span<const Extern> imports, EntryFn wasm_entry);

// Evaluates a constant expression of `inst` (globals, table initialisers,
// element items, segment offsets).
Result<RawValue> eval_const(StoreImpl& store, ModuleInst& inst, const wasm::ConstExpr& expr);

// Handles for runtime objects (the public classes' constructors are private).
Extern make_extern(ExternKind kind, void* object);
void* extern_object(const Extern& e);

} // namespace tandem::rt
