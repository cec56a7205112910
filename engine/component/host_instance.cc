// The HostInstance builder of the public API (tandem/component.h): an
// ordered, name-unique list of host items (functions, resource types, nested
// instances, core modules) that instantiate() binds to root imports.
// Binding them into host CIs is instantiate.cc's job.
#include "tandem/component.h"

namespace tandem {

HostInstance& HostInstance::add(std::string name, Entry e) {
  for (auto& [n, old] : entries_)
    if (n == name) {
      old = std::move(e); // a later definition replaces an earlier one
      return *this;
    }
  entries_.emplace_back(std::move(name), std::move(e));
  return *this;
}

HostInstance& HostInstance::func(std::string name, HostFunction f) {
  Entry e;
  e.kind = Entry::Kind::Func;
  e.func = std::move(f);
  return add(std::move(name), std::move(e));
}

HostInstance& HostInstance::resource(std::string name, HostDestructor dtor) {
  Entry e;
  e.kind = Entry::Kind::Resource;
  e.resource = std::make_shared<const ResourceDecl>(ResourceDecl{name, std::move(dtor)});
  return add(std::move(name), std::move(e));
}

HostInstance& HostInstance::resource_alias(std::string name, std::string_view existing) {
  const Entry* old = find(existing);
  // Aliasing something that is not a resource declares a fresh resource
  // without destructor: the mistake shows up as a type mismatch, never UB.
  return resource_type(std::move(name),
                       old && old->kind == Entry::Kind::Resource ? old->resource : nullptr);
}

HostInstance& HostInstance::resource_type(std::string name,
                                          std::shared_ptr<const ResourceDecl> type) {
  Entry e;
  e.kind = Entry::Kind::Resource;
  e.resource =
      type ? std::move(type) : std::make_shared<const ResourceDecl>(ResourceDecl{name, {}});
  return add(std::move(name), std::move(e));
}

HostInstance& HostInstance::instance(std::string name, HostInstance nested) {
  Entry e;
  e.kind = Entry::Kind::Instance;
  e.instance = std::make_shared<const HostInstance>(std::move(nested));
  return add(std::move(name), std::move(e));
}

HostInstance& HostInstance::module(std::string name, Module m) {
  Entry e;
  e.kind = Entry::Kind::Module;
  e.module = std::move(m);
  return add(std::move(name), std::move(e));
}

const HostInstance::Entry* HostInstance::find(std::string_view name) const {
  for (const auto& [n, e] : entries_)
    if (n == name) return &e;
  return nullptr;
}

} // namespace tandem
