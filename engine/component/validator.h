// Component validation (Explainer.md, Binary.md, CanonicalABI.md): index
// spaces, type definitions, kebab/interface names, external visibility of
// types, resources and their generativity, outer-alias restrictions,
// canonical options and flattening, and subtyping on instantiation.
//
// Error messages follow wasmtime (wasmparser), which the component suite's
// assert_invalid texts come from; context lines are prepended as wasmparser
// does ("type mismatch for import `a`\nexpected func, found instance").
//
// Embedded core modules are validated by the core validator
// (validator/validator.h) when it is built.
//
// Feature gating: the Component Model needs Feature::component_model; the
// async, threading and error-context built-ins, async function types,
// `stream`/`future` and the `async` canonical option need
// Feature::component_model_async (an Invalid error naming it otherwise).
// Fixed-length lists, maps, `implements`/`external-id` need no switch.
#pragma once

#include "base/result.h"
#include "component/component.h"
#include "component/types.h"
#include "wasm/features.h"

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace tandem::component {

// The types of one validated component's index spaces (ids into the arena):
// what a later instantiation step needs next to Component::spaces.
struct ComponentSpaceTypes {
  std::vector<uint32_t> core_funcs;     // canonical core func type ids
  std::vector<uint32_t> core_modules;   // TypeArena::modules
  std::vector<uint32_t> core_instances; // TypeArena::core_instances
  std::vector<AnyTypeId> types;
  std::vector<uint32_t> funcs;      // TypeArena::funcs
  std::vector<uint32_t> instances;  // TypeArena::instances
  std::vector<uint32_t> components; // TypeArena::components
  // Resources defined in this component and their core representation
  // (nullopt for resources of instantiated child components).
  std::vector<std::pair<ResourceId, std::optional<ValType>>> defined_resources;
  uint32_t component_type = 0; // TypeArena::components
};

// The type of a validated component, plus the arena its ids refer to.
struct ValidatedComponent {
  std::shared_ptr<TypeArena> types;
  uint32_t component_type = 0; // index into types->components
  // Index-space types of the component and of every nested component.
  std::map<const Component*, ComponentSpaceTypes> spaces;
};

Result<ValidatedComponent> validate_component_types(const Component& c, const FeatureSet& features);

Status validate_component(const Component& c, const FeatureSet& features);

} // namespace tandem::component
