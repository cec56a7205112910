// Module validation (wasm 3.0): the type section, imports, tables, memories,
// globals, tags, segments, start, exports and every function body, with the
// spec interpreter's messages ("type mismatch", "unknown memory 0", ...).
//
// Features are gated by the FeatureSet: a module that uses a disabled
// feature fails with ErrorKind::Unsupported and "feature 'gc' is not
// supported". Function bodies are type checked by FuncValidator, a visitor
// over the shared FunctionDecoder; a malformed instruction found there keeps
// ErrorKind::Malformed.
#pragma once

#include "base/result.h"
#include "validator/func_validator.h"
#include "validator/type_context.h"
#include "wasm/features.h"
#include "wasm/module.h"

#include <memory>

namespace tandem {

// Validates a whole module (decode_module output).
Status validate_module(const wasm::Module& m, const FeatureSet& features);

// For callers that validate function bodies separately or lazily: first
// validate_declarations(), then validate_function() for each body.
class ModuleValidator {
public:
  ModuleValidator(const wasm::Module& m, const FeatureSet& features);
  ModuleValidator(const ModuleValidator&) = delete;
  ModuleValidator& operator=(const ModuleValidator&) = delete;

  // Everything except function bodies.
  Status validate_declarations();
  // One defined function (func_index counts imports). Requires a successful
  // validate_declarations().
  Status validate_function(uint32_t func_index);
  // Both of the above for every function.
  Status validate_all();

private:
  Status check_features();
  Status check_types();
  Status check_descriptor_clauses(uint32_t k, uint32_t first, uint32_t end);
  Status check_descriptor_subtyping(uint32_t k, uint32_t s, const std::string& msg);
  Status check_limits(const Limits& l, bool is_memory);
  Status check_const(const wasm::ConstExpr& e, ValType type, uint32_t visible_globals);
  Status check_val_type(ValType t, uint32_t offset) const;
  Status collect_declared_funcs();
  Status check_imports();
  Status check_tables();
  Status check_memories();
  Status check_globals();
  Status check_tags();
  Status check_elems();
  Status check_datas();
  Status check_start();
  Status check_exports();

  const wasm::Module& m_;
  FeatureSet features_;
  TypeContext types_;
  ModuleEnv env_;
};

} // namespace tandem
