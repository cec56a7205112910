// The Component Model binary decoder (Binary.md): bytes to the Component IR.
//
// It checks the binary grammar only and reports wasmparser's wording, which the
// component suite expects ("unexpected end-of-file", "malformed section id",
// "invalid leading byte (0x2) for instance", ...). Embedded core modules are
// decoded by the core module decoder (decoder/module_decoder.h); their errors
// keep the core wording with offsets shifted to the component binary.
//
// Nested components and nested component/instance type declarations are
// decoded recursively with a depth limit (kMaxComponentNesting): hostile
// nesting gives a Malformed error, never a stack overflow.
#pragma once

#include "base/result.h"
#include "component/component.h"
#include "wasm/features.h"

#include <cstdint>
#include <memory>
#include <span>

namespace tandem::component {

inline constexpr uint32_t kMaxComponentNesting = 100;

// True when `bytes` starts with a component preamble (magic, version 0x0d,
// layer 1), as opposed to a core module.
bool is_component_binary(std::span<const uint8_t> bytes);

Result<std::shared_ptr<const Component>> decode_component(std::span<const uint8_t> bytes,
                                                          const FeatureSet& features);

} // namespace tandem::component
