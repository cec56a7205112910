// The public Component Model API (tandem/component.h): compile = decode +
// validate; instantiate = build the instance graph (instantiate.cc); call =
// the adapter (call_adapter) with the host as caller.
#include "component/decoder.h"
#include "component/runtime.h"
#include "component/validator.h"
#include "tandem/component.h"

namespace tandem {

using component::CompiledComponent;

Result<Component> Component::compile(const Engine& engine, std::span<const uint8_t> bytes) {
  return compile(engine, bytes, engine.config().features);
}

Result<Component> Component::compile(const Engine& engine, std::span<const uint8_t> bytes,
                                     const FeatureSet& features) {
  (void)engine;
  auto cc = std::make_shared<CompiledComponent>();
  cc->bytes = std::make_shared<const std::vector<uint8_t>>(bytes.begin(), bytes.end());
  TANDEM_ASSIGN(cc->def, component::decode_component(*cc->bytes, features));
  TANDEM_ASSIGN(cc->types, component::validate_component_types(*cc->def, features));
  Component c;
  c.impl_ = std::shared_ptr<const void>(cc, cc.get());
  return c;
}

Result<ComponentInstance> ComponentInstance::instantiate(Store& store, const Component& component) {
  auto rt = std::make_shared<component::ComponentRuntime>();
  rt->store = &store;
  rt->compiled = std::static_pointer_cast<const CompiledComponent>(component.impl_);
  TANDEM_ASSIGN(component::CompInst * root, component::instantiate_root(*rt));
  ComponentInstance ci;
  ci.rt_ = rt;
  ci.ci_ = root;
  return ci;
}

Result<ComponentInstance> ComponentInstance::instantiate(Store& store, const Component& component,
                                                         const HostInstance& imports) {
  auto rt = std::make_shared<component::ComponentRuntime>();
  rt->store = &store;
  rt->compiled = std::static_pointer_cast<const CompiledComponent>(component.impl_);
  TANDEM_ASSIGN(component::CompInst * root, component::instantiate_root(*rt, &imports));
  ComponentInstance ci;
  ci.rt_ = rt;
  ci.ci_ = root;
  return ci;
}

bool ComponentInstance::has_func(std::string_view name) const {
  if (!ci_) return false;
  auto it = ci_->exports.find(std::string(name));
  return it != ci_->exports.end() && it->second.func;
}

HostInstance ComponentInstance::reflect() const {
  HostInstance out;
  if (!ci_) return out;
  for (const auto& [name, item] : ci_->exports) {
    if (item.sort == component::Sort::CoreModule && item.module) {
      out.module(name, *item.module);
    } else if (item.sort == component::Sort::Type && item.resource) {
      component::ResourceRt& r = *item.resource;
      if (!r.decl)
        r.decl = std::make_shared<const HostInstance::ResourceDecl>(
            HostInstance::ResourceDecl{r.name.empty() ? name : r.name, {}});
      out.resource_type(name, r.decl);
    }
  }
  return out;
}

Result<std::vector<ComponentValue>>
ComponentInstance::call(Store& store, std::string_view name,
                        std::span<const ComponentValue> args) const {
  (void)store;
  if (!ci_) return Error::make(ErrorKind::Usage, "no component instance");
  auto it = ci_->exports.find(std::string(name));
  if (it == ci_->exports.end() || !it->second.func)
    return Error::make(ErrorKind::Usage,
                       "failed to find function export `" + std::string(name) + "`");
  std::vector<ComponentValue> in(args.begin(), args.end());
  return component::call_adapter(*rt_, nullptr, *it->second.func, std::move(in));
}

} // namespace tandem
