// Module validation (stub: body syntax only; being written).
#pragma once
#include "base/result.h"
#include "wasm/features.h"
#include "wasm/module.h"
namespace tandem {
Status validate_module(const wasm::Module& m, const FeatureSet& features);
}
