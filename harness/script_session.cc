// Engine-facing script state: registry, bindings, import resolution, actions.
#include "script_session.h"

#include "value_format.h"
#include "value_match.h"

#include <cinttypes>
#include <cstdio>

namespace tandem::harness {
namespace {

const char* kind_word(ExternKind k) {
  switch (k) {
  case ExternKind::Func: return "function";
  case ExternKind::Table: return "table";
  case ExternKind::Memory: return "memory";
  case ExternKind::Global: return "global";
  case ExternKind::Tag: return "tag";
  }
  return "item";
}

ActionOutcome unavailable_outcome(const Unavailable& u) {
  ActionOutcome out;
  out.unavailable = u;
  return out;
}

} // namespace

ScriptSession::ScriptSession(const EngineConfig& config)
    : engine_(config), store_(std::make_unique<Store>(engine_)) {
  registry_["spectest"] = make_spectest_module(*store_);
}

void ScriptSession::observe_result(const Result<std::vector<Value>>& r) {
  if (!r) {
    observe(std::string(error_kind_name(r.error().kind)) + ": " + r.error().message);
    return;
  }
  observations_.push_back(observe_values(r.value()));
}

Observation ScriptSession::observe_values(std::span<const Value> values) {
  RefDescriber describe = [this](const Value& v) { return store_->describe(v); };
  Observation o;
  o.text = format_values(values, {}, describe);
  o.has_values = true;
  o.values.assign(values.begin(), values.end());
  for (const Value& v : values) o.value_texts.push_back(format_values({&v, 1}, {}, describe));
  return o;
}

void ScriptSession::observe(const std::string& what) {
  observations_.push_back(Observation{what});
}

Result<Module> ScriptSession::compile(std::span<const uint8_t> bytes) {
  auto m = Module::compile(engine_, bytes);
  observe(m ? std::string("compiled")
            : "compile " + std::string(error_kind_name(m.error().kind)) + ": " + m.error().message);
  return m;
}

std::vector<Observation> ScriptSession::state_digest() {
  if (!current_ || !current_->instance) return {};
  std::vector<Observation> out;
  for (auto& [name, ext] : current_->instance->exports(*store_)) {
    switch (ext.kind) {
    case ExternKind::Global: {
      Value v = ext.global.get(*store_);
      Observation o = observe_values({&v, 1});
      o.text = "global " + name + "=" + o.text;
      out.push_back(std::move(o));
      break;
    }
    case ExternKind::Memory: {
      std::span<uint8_t> data = ext.memory.data(*store_);
      uint64_t h = 0xcbf29ce484222325ull;
      for (uint8_t b : data) {
        h ^= b;
        h *= 0x100000001b3ull;
      }
      char buf[64];
      std::snprintf(buf, sizeof buf, "bytes:%zu,hash:%016" PRIx64, data.size(), h);
      out.push_back(Observation{"memory " + name + "=" + buf});
      break;
    }
    case ExternKind::Table:
      out.push_back(
          Observation{"table " + name + "=size:" + std::to_string(ext.table.size(*store_))});
      break;
    default: break;
    }
  }
  return out;
}

ActionOutcome ScriptSession::instantiate(const Module& module, Instance* out) {
  std::vector<Extern> imports;
  for (const ImportDesc& imp : module.imports()) {
    auto src = registry_.find(imp.module);
    if (src == registry_.end()) {
      ActionOutcome o;
      o.result = Error::make(ErrorKind::Unlinkable, "unknown import: no module \"" + imp.module +
                                                        "\" is registered (importing \"" +
                                                        imp.name + "\")");
      return o;
    }
    if (!src->second.skipped.empty())
      return unavailable_outcome(
          {false, "imports \"" + imp.module + "\", which was skipped: " + src->second.skipped});
    if (auto u = src->second.unavailable.find(imp.name); u != src->second.unavailable.end())
      return unavailable_outcome(
          {false, "imports " + imp.module + "." + imp.name + ", unavailable: " + u->second});
    auto item = src->second.items.find(imp.name);
    if (item == src->second.items.end()) {
      ActionOutcome o;
      o.result = Error::make(ErrorKind::Unlinkable,
                             "unknown import \"" + imp.module + "\" \"" + imp.name + "\"");
      return o;
    }
    if (item->second.kind != imp.kind) {
      ActionOutcome o;
      o.result = Error::make(ErrorKind::Unlinkable, "incompatible import type: \"" + imp.module +
                                                        "\" \"" + imp.name + "\" is a " +
                                                        kind_word(item->second.kind) + ", not a " +
                                                        kind_word(imp.kind));
      return o;
    }
    imports.push_back(item->second);
  }
  ActionOutcome o;
  auto inst = Instance::instantiate(*store_, module, imports);
  if (!inst) {
    observe("instantiate " + std::string(error_kind_name(inst.error().kind)) + ": " +
            inst.error().message);
    if (inst.error().kind == ErrorKind::Unsupported)
      return unavailable_outcome({false, inst.error().message});
    o.result = inst.error();
    return o;
  }
  observe("instantiated");
  *out = *inst;
  return o;
}

void ScriptSession::bind_module(const std::string& name, ModuleBinding b) {
  modules_[name] = std::move(b);
}

void ScriptSession::bind_instance(const std::string& name, InstanceBinding b) {
  instances_[name] = std::move(b);
}

const ModuleBinding* ScriptSession::find_module(const std::optional<std::string>& name) const {
  if (!name) return last_module_ ? &*last_module_ : nullptr;
  auto it = modules_.find(*name);
  return it == modules_.end() ? nullptr : &it->second;
}

const InstanceBinding* ScriptSession::find_instance(const std::optional<std::string>& name) const {
  if (!name) return current_ ? &*current_ : nullptr;
  auto it = instances_.find(*name);
  return it == instances_.end() ? nullptr : &it->second;
}

Status ScriptSession::register_instance(const std::string& as_name, const InstanceBinding& b) {
  ImportSource src;
  if (b.unavailable) {
    src.skipped = b.unavailable->reason;
  } else {
    for (auto& [name, ext] : b.instance->exports(*store_)) src.items[name] = ext;
  }
  registry_[as_name] = std::move(src);
  return {};
}

ActionOutcome ScriptSession::invoke(const InstanceBinding& b, std::string_view export_name,
                                    std::span<const Value> args) {
  if (b.unavailable) return unavailable_outcome(*b.unavailable);
  ActionOutcome o;
  auto ext = b.instance->get_export(*store_, export_name);
  if (!ext) {
    o.result =
        Error::make(ErrorKind::Usage, "undefined export \"" + std::string(export_name) + "\"");
    return o;
  }
  if (ext->kind != ExternKind::Func) {
    o.result = Error::make(ErrorKind::Usage,
                           "export \"" + std::string(export_name) + "\" is not a function");
    return o;
  }
  o.result = ext->func.call(*store_, args);
  observe_result(o.result);
  // A function the engine cannot run yet (e.g. an unimplemented instruction).
  if (!o.result && o.result.error().kind == ErrorKind::Unsupported)
    return unavailable_outcome({false, o.result.error().message});
  return o;
}

ActionOutcome ScriptSession::get(const InstanceBinding& b, std::string_view export_name) {
  if (b.unavailable) return unavailable_outcome(*b.unavailable);
  ActionOutcome o;
  auto ext = b.instance->get_export(*store_, export_name);
  if (!ext) {
    o.result =
        Error::make(ErrorKind::Usage, "undefined export \"" + std::string(export_name) + "\"");
    return o;
  }
  if (ext->kind != ExternKind::Global) {
    o.result = Error::make(ErrorKind::Usage,
                           "export \"" + std::string(export_name) + "\" is not a global");
    return o;
  }
  o.result = std::vector<Value>{ext->global.get(*store_)};
  observe_result(o.result);
  return o;
}

} // namespace tandem::harness
