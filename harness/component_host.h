// The host items wasmtime's wast runner links into every component script
// (docs/wast-script-language.md section 10.2, wasmtime's
// link_component_spectest), so that component scripts written for wasmtime
// find them here: root functions `host-echo-u32` and `host-return-two`, and
// the instance `host` (functions, a nested instance, a core module, the
// resource types resource1/resource2/resource1-again and their functions).
//
// Async items (never-return, return-two-slowly, echo-slowly,
// [method]resource1.never-return) exist so that imports link; lowering them
// with `async` is Unsupported at instantiation ("component async not
// implemented"). Called synchronously, the "slowly" ones complete at once
// (a sync caller blocks until the result exists) and the never-returning
// ones fail Unsupported.
#pragma once

#include "tandem/component.h"

#include <cstdint>
#include <memory>

namespace tandem::harness {

// State observed by the resource1 functions; one per script session.
struct WasmtimeHostState {
  uint32_t drops = 0;     // resource1 destructor runs
  uint32_t last_drop = 0; // rep of the last resource1 destroyed
};

// The root of wasmtime's component linker for wast scripts.
HostInstance wasmtime_component_host(const Engine& engine,
                                     std::shared_ptr<WasmtimeHostState> state);

} // namespace tandem::harness
