// Tandem's public Component Model API: compile a component binary (decode +
// validate), instantiate it in a Store, call its exported functions with
// component values.
//
// Instantiation builds a graph of component instances (CIs): each has an id,
// a parent, a path ("/", "/c", "/outer/childA") and its definition. The core
// instances a CI owns are ordinary engine instances (Instance::instantiate),
// so every tier runs them. Every call that crosses a CI boundary, and every
// call from the host, goes through one adapter function
// (component/runtime.h: call_adapter), where a later ledger can hook.
//
// Async (tasks, streams, futures, waitables) is not implemented: components
// that need it fail with ErrorKind::Unsupported "component async not
// implemented".
#pragma once

#include "base/result.h"
#include "tandem/tandem.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

namespace component {
struct Component;
struct ComponentRuntime;
struct CompInst;
} // namespace component

// A component value (Explainer.md "Value types"). Variant, enum, option and
// result cases are given by `text` (the case label) from the host; results
// returned to the host carry both `text` and `bits` (the case index).
struct ComponentValue {
  enum class Kind : uint8_t {
    Bool,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
    S64,
    U64,
    F32, // bits: IEEE bits
    F64, // bits: IEEE bits
    Char,
    String, // text: UTF-8
    List,   // items
    Record, // items, names = field labels
    Tuple,  // items
    Variant,
    Enum,
    Option, // bits 0 none / 1 some; items: payload
    Result, // bits 0 ok / 1 err; items: 0 or 1 payload
    Flags,  // names: the set flags
    Own,    // bits: handle (host side) / representation (in flight)
    Borrow,
  };
  Kind kind = Kind::Bool;
  uint64_t bits = 0; // scalars (signed ones sign-extended), case index
  std::string text;  // string content or case label
  std::vector<ComponentValue> items;
  std::vector<std::string> names;
  uint32_t resource = 0; // Own/Borrow in flight: runtime resource type id
};

class ComponentInstance;

class Component {
public:
  // Decodes and validates a component binary with the engine's features.
  static Result<Component> compile(const Engine& engine, std::span<const uint8_t> bytes);
  // Same, validating with `features` instead of the engine's.
  static Result<Component> compile(const Engine& engine, std::span<const uint8_t> bytes,
                                   const FeatureSet& features);
  const std::shared_ptr<const void>& impl() const { return impl_; }

private:
  friend class ComponentInstance;
  std::shared_ptr<const void> impl_; // component/runtime.h CompiledComponent
};

class ComponentInstance {
public:
  ComponentInstance() = default;
  // Instantiates a component with no imports (the wast runner's host gives
  // none): a component with imports is Unlinkable.
  static Result<ComponentInstance> instantiate(Store& store, const Component& component);
  // Calls the exported function `name` (a top-level export).
  Result<std::vector<ComponentValue>> call(Store& store, std::string_view name,
                                           std::span<const ComponentValue> args) const;
  bool has_func(std::string_view name) const;
  explicit operator bool() const { return ci_ != nullptr; }

private:
  std::shared_ptr<component::ComponentRuntime> rt_;
  component::CompInst* ci_ = nullptr;
};

} // namespace tandem
