// The module decoder: wasm 3.0 binary format to the Module IR (wasm/module.h).
//
// It checks the binary grammar of every section and reports the reference
// interpreter's malformed messages ("magic header not detected", "section
// size mismatch", "malformed limits flags", ...) with byte offsets. Function
// bodies and constant expressions are decoded here for syntax only (with a
// no-op visitor), because the reference decoder's messages depend on where
// an instruction sequence really ends; the validator decodes them again with
// its visitor. Missing data count sections and disabled features are found
// by that second pass (validate_module).
//
// `features` matters only where the binary grammar itself depends on a
// feature (shared and custom-page-size limits flags); everything else that
// needs a feature is recorded in Module::features_used for the validator.
#pragma once

#include "base/result.h"
#include "wasm/features.h"
#include "wasm/module.h"

#include <cstdint>
#include <vector>

namespace tandem {

Result<wasm::Module> decode_module(std::vector<uint8_t> bytes,
                                   const FeatureSet& features = FeatureSet::all());

} // namespace tandem
