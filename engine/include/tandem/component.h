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
#include <functional>
#include <memory>
#include <optional>
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
class IsolationAudit;

// Host component items ---------------------------------------------------------
//
// A HostInstance is what the embedder gives a root component for its imports:
// functions, resource types, nested instances and core modules, by name. At
// instantiation each host instance bound to a root import becomes a CI of kind
// host (path "host:<import name>", nested ones "host:<import>/<name>"); its
// functions are FuncRt owned by that CI and every call of them passes through
// call_adapter, like any cross-CI call.
//
// Host functions take the importer's declared type: arguments arrive lifted
// as ComponentValues of that type, results are lowered with it (a result that
// does not fit the type fails the call with a Trap "host function `f`
// returned ..."). Resources in flight are (rep, runtime resource id): an
// own/borrow argument has `bits` = the rep; a host function returning an own
// of a host resource sets `bits` = rep and may leave `resource` = 0 (filled
// from the declared result type).

struct HostCallContext {
  Store& store;
  std::string_view instance_path; // the host CI's path, e.g. "host:wasi:filesystem/types"
  std::string_view name;          // the function's export name in that instance
};

using HostFunction = std::function<Result<std::vector<ComponentValue>>(
    HostCallContext& cx, std::span<const ComponentValue> args)>;
// Runs when a guest drops the last own handle of a host resource.
using HostDestructor = std::function<Status(uint32_t rep)>;

class HostInstance {
public:
  struct ResourceDecl {
    std::string name;
    HostDestructor dtor;
  };
  struct Entry {
    enum class Kind : uint8_t { Func, Resource, Instance, Module };
    Kind kind = Kind::Func;
    HostFunction func;
    std::shared_ptr<const ResourceDecl> resource; // same pointer = same resource type
    std::shared_ptr<const HostInstance> instance;
    std::optional<Module> module;
  };

  HostInstance& func(std::string name, HostFunction f);
  // A resource type; dtor may be empty.
  HostInstance& resource(std::string name, HostDestructor dtor = {});
  // `name` is the same resource type as the earlier `existing` (no second dtor).
  HostInstance& resource_alias(std::string name, std::string_view existing);
  // `name` is the resource type `type` (an entry's `resource`, possibly of
  // another HostInstance): importers of both see one type. A null `type`
  // declares a fresh resource type without destructor.
  HostInstance& resource_type(std::string name, std::shared_ptr<const ResourceDecl> type);
  HostInstance& instance(std::string name, HostInstance nested);
  HostInstance& module(std::string name, Module m);

  const Entry* find(std::string_view name) const;
  const std::vector<std::pair<std::string, Entry>>& entries() const { return entries_; }

private:
  HostInstance& add(std::string name, Entry e);
  std::vector<std::pair<std::string, Entry>> entries_;
};

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
  // Instantiates with imports: each root import of the component is looked up
  // by name among the top-level entries of `imports` (a missing one is
  // Unlinkable "missing import named `x`", a kind mismatch Unlinkable "type
  // mismatch for import `x`: expected ..., found ...").
  static Result<ComponentInstance> instantiate(Store& store, const Component& component,
                                               const HostInstance& imports);
  // Calls the exported function `name` (a top-level export).
  Result<std::vector<ComponentValue>> call(Store& store, std::string_view name,
                                           std::span<const ComponentValue> args) const;
  bool has_func(std::string_view name) const;
  // This instance's exported core modules and resource types as host items
  // (what wasmtime's wast runner makes importable for a named instance): an
  // importer gets the same modules and the same resource types (no
  // destructor: handles of them stay with their owner). Exported functions,
  // instances and value types are not reflected.
  HostInstance reflect() const;
  explicit operator bool() const { return ci_ != nullptr; }

private:
  friend class IsolationAudit;       // tandem/isolation.h: reads the instance graph
  friend struct ComponentTextAccess; // tandem/component_text.h: reads export types
  std::shared_ptr<component::ComponentRuntime> rt_;
  component::CompInst* ci_ = nullptr;
};

} // namespace tandem
