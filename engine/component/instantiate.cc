// Component instantiation: walks a component's definitions in binary order
// and builds the instance graph (one CompInst per component instance, with
// parent link and path), runtime items for every index space, real engine
// instances for core instances (Instance::instantiate), lifted functions,
// host functions for `canon lower` and `resource.*`, and resource types.
//
// Also the adapter (call_adapter): the one function through which every call
// of a lifted function passes, from the host or from another CI.
//
// Nesting depth is bounded by the decoder (kMaxComponentNesting), which
// bounds the recursion of nested instantiation.
#include "component/runtime.h"

#include "component/isolation_ledger.h"

#include <algorithm>

namespace tandem::component {

namespace {

constexpr const char* kAsyncNyi = "component async not implemented";

Error unsupported(std::string m) {
  return Error::make(ErrorKind::Unsupported, std::move(m));
}
Error unlinkable(std::string m) {
  return Error::make(ErrorKind::Unlinkable, std::move(m));
}

Sort sort_of(ExternType::Kind k) {
  switch (k) {
  case ExternType::Kind::Module: return Sort::CoreModule;
  case ExternType::Kind::Func: return Sort::Func;
  case ExternType::Kind::Value: return Sort::Value;
  case ExternType::Kind::Type: return Sort::Type;
  case ExternType::Kind::Component: return Sort::Component;
  case ExternType::Kind::Instance: return Sort::Instance;
  }
  return Sort::Func;
}

class Instantiator {
public:
  explicit Instantiator(ComponentRuntime& rt) : rt_(rt) {}

  Result<CompInst*> run(const Component* def, CompInst* parent, CompInst* outer, std::string path,
                        const std::map<std::string, Item>& args) {
    auto owned = std::make_unique<CompInst>();
    CompInst* ci = owned.get();
    ci->id = uint32_t(rt_.instances.size());
    ci->parent = parent;
    ci->path = std::move(path);
    ci->def = def;
    outer_[ci] = outer;
    auto it = rt_.compiled->types.spaces.find(def);
    if (it == rt_.compiled->types.spaces.end())
      return Error::make(ErrorKind::Usage, "component without validated types");
    ci->spaces = &it->second;
    rt_.instances.push_back(std::move(owned));
    for (const DefinitionRef& d : def->order) TANDEM_TRY(step(ci, d, args));
    return ci;
  }

private:
  const TypeArena& arena() const { return *rt_.compiled->types.types; }

  // Gives a function or resource its first export name (ledger and reports).
  static void name_item(const Item& it, const std::string& name) {
    if (it.func && it.func->name.empty()) it.func->name = name;
    if (it.resource && it.resource->name.empty()) it.resource->name = name;
  }

  // The function a lift of `core` merely forwards to: `core` is a `canon
  // lower` of it made in `ci`, directly or re-exported unchanged by a core
  // instance (same engine function), so no core code of `ci` runs between.
  static const FuncRt* pass_through_target(const CompInst* ci, const Item& core) {
    if (core.lowered) return core.lowered.get();
    if (!core.core.func) return nullptr;
    for (const Item& f : ci->items.core_funcs)
      if (f.lowered && f.core.func.raw() == core.core.func.raw()) return f.lowered.get();
    return nullptr;
  }

  Status push(CompInst* ci, Sort s, Item item) {
    item.sort = s;
    std::vector<Item>& sp = ci->items.of(s);
    if (s == Sort::Type && item.resource && sp.size() < ci->spaces->types.size()) {
      const AnyTypeId& t = ci->spaces->types[sp.size()];
      if (t.kind == AnyTypeId::Kind::Resource) ci->resources[t.id] = item.resource;
    }
    sp.push_back(std::move(item));
    return {};
  }

  Result<Item> get(CompInst* ci, Sort s, uint32_t index) {
    std::vector<Item>& sp = ci->items.of(s);
    if (index >= sp.size())
      return Error::make(ErrorKind::Usage, std::string(sort_name(s)) + " index out of range");
    return sp[index];
  }

  Result<CanonOpts> options(CompInst* ci, const std::vector<CanonOption>& opts) {
    CanonOpts o;
    for (const CanonOption& op : opts) {
      switch (op.kind) {
      case CanonOption::Kind::Utf8: o.encoding = StringEncoding::Utf8; break;
      case CanonOption::Kind::Utf16: o.encoding = StringEncoding::Utf16; break;
      case CanonOption::Kind::Latin1Utf16: o.encoding = StringEncoding::Latin1Utf16; break;
      case CanonOption::Kind::Memory: {
        TANDEM_ASSIGN(Item m, get(ci, Sort::CoreMemory, op.index));
        o.memory = m.core.memory;
        o.has_memory = true;
        break;
      }
      case CanonOption::Kind::Realloc: {
        TANDEM_ASSIGN(Item f, get(ci, Sort::CoreFunc, op.index));
        o.realloc = f.core.func;
        break;
      }
      case CanonOption::Kind::PostReturn: {
        TANDEM_ASSIGN(Item f, get(ci, Sort::CoreFunc, op.index));
        o.post_return = f.core.func;
        break;
      }
      default: return unsupported(kAsyncNyi);
      }
    }
    return o;
  }

  Status step(CompInst* ci, const DefinitionRef& d, const std::map<std::string, Item>& args) {
    const Component& c = *ci->def;
    switch (d.kind) {
    case DefinitionKind::CoreModule: {
      const CoreModuleDef& m = c.modules[d.index];
      const auto& bytes = *rt_.compiled->bytes;
      if (uint64_t(m.offset) + m.size > bytes.size())
        return Error::make(ErrorKind::Usage, "core module outside the component binary");
      TANDEM_ASSIGN(Module mod, Module::compile(rt_.store->engine(),
                                                std::span(bytes).subspan(m.offset, m.size)));
      Item it;
      it.module = std::move(mod);
      return push(ci, Sort::CoreModule, std::move(it));
    }
    case DefinitionKind::CoreInstance: return core_instance(ci, c.core_instances[d.index]);
    case DefinitionKind::CoreType: return push(ci, Sort::CoreType, Item{});
    case DefinitionKind::Component: {
      Item it;
      it.comp = std::make_shared<ComponentClosure>();
      it.comp->def = c.components[d.index].component.get();
      it.comp->env = ci;
      return push(ci, Sort::Component, std::move(it));
    }
    case DefinitionKind::Instance: return instance(ci, c.instances[d.index], d.index);
    case DefinitionKind::Alias: return alias(ci, c.aliases[d.index]);
    case DefinitionKind::Type: {
      const TypeDef& t = *c.types[d.index];
      Item it;
      if (t.kind == TypeDef::Kind::Resource) {
        auto r = std::make_unique<ResourceRt>();
        r->id = uint32_t(rt_.resources.size()) + 1;
        r->owner = ci;
        if (t.resource.dtor) {
          TANDEM_ASSIGN(Item f, get(ci, Sort::CoreFunc, *t.resource.dtor));
          r->dtor = f.core.func;
        }
        it.resource = r.get();
        rt_.resources.push_back(std::move(r));
      }
      return push(ci, Sort::Type, std::move(it));
    }
    case DefinitionKind::Canon: return canon(ci, c.canons[d.index]);
    case DefinitionKind::Start: return unsupported("component start functions are not implemented");
    case DefinitionKind::Import: {
      const ImportDef& im = c.imports[d.index];
      if (ci->parent == nullptr && host_) return host_import(ci, im);
      auto a = args.find(im.name.name);
      if (a == args.end()) return unlinkable("missing import named `" + im.name.name + "`");
      return push(ci, sort_of(im.type.kind), a->second);
    }
    case DefinitionKind::Export: {
      const ExportDef& ex = c.exports[d.index];
      TANDEM_ASSIGN(Item it, get(ci, ex.item.sort, ex.item.index));
      name_item(it, ex.name.name);
      ci->exports[ex.name.name] = it;
      return push(ci, ex.item.sort, std::move(it));
    }
    case DefinitionKind::Value: return unsupported("component values are not implemented");
    }
    return {};
  }

  Status core_instance(CompInst* ci, const CoreInstanceDef& def) {
    Item out;
    if (!def.instantiate) {
      for (const CoreInlineExport& e : def.exports) {
        TANDEM_ASSIGN(Item it, get(ci, e.sort, e.index));
        out.core_exports[e.name] = it.core;
      }
      return push(ci, Sort::CoreInstance, std::move(out));
    }
    TANDEM_ASSIGN(Item m, get(ci, Sort::CoreModule, def.module));
    std::vector<Extern> imports;
    for (const ImportDesc& im : m.module->imports()) {
      const Item* src = nullptr;
      for (const auto& [name, idx] : def.args)
        if (name == im.module && idx < ci->items.core_instances.size())
          src = &ci->items.core_instances[idx];
      if (!src) return unlinkable("unknown import: `" + im.module + "::" + im.name + "`");
      auto e = src->core_exports.find(im.name);
      if (e == src->core_exports.end())
        return unlinkable("unknown import: `" + im.module + "::" + im.name +
                          "` has not been defined");
      imports.push_back(e->second);
    }
    TANDEM_ASSIGN(Instance inst, Instance::instantiate(*rt_.store, *m.module, imports));
    for (auto& [name, ext] : inst.exports(*rt_.store)) out.core_exports[name] = ext;
    return push(ci, Sort::CoreInstance, std::move(out));
  }

  Status instance(CompInst* ci, const InstanceDef& def, uint32_t index) {
    Item out;
    out.instance = std::make_shared<InstanceRt>();
    if (!def.instantiate) {
      for (const InlineExport& e : def.exports) {
        TANDEM_ASSIGN(Item it, get(ci, e.item.sort, e.item.index));
        name_item(it, e.name.name);
        out.instance->exports[e.name.name] = it;
      }
      return push(ci, Sort::Instance, std::move(out));
    }
    TANDEM_ASSIGN(Item comp, get(ci, Sort::Component, def.component));
    std::map<std::string, Item> args;
    for (const InstantiateArg& a : def.args) {
      TANDEM_ASSIGN(Item it, get(ci, a.item.sort, a.item.index));
      args[a.name] = it;
    }
    (void)index;
    // The path names the new CI after its $id (component-name section), or
    // its instance index: "/virtA", "/outer/childA", "/#3".
    uint32_t slot = uint32_t(ci->items.instances.size());
    auto named = ci->def->instance_names.find(slot);
    std::string leaf =
        named != ci->def->instance_names.end() ? named->second : "#" + std::to_string(slot);
    std::string path = (ci->path == "/" ? "" : ci->path) + "/" + leaf;
    TANDEM_ASSIGN(CompInst * child, run(comp.comp->def, ci, comp.comp->env, path, args));
    out.instance->exports = child->exports;
    out.instance->ci = child;
    // Items the child re-exports but does not own keep a note of it (the
    // isolation audit reports such edges as `alias`).
    for (auto& [name, item] : out.instance->exports) {
      if ((item.func && item.func->owner != child) ||
          (item.resource && item.resource->owner != child))
        item.via = child;
    }
    return push(ci, Sort::Instance, std::move(out));
  }

  Status alias(CompInst* ci, const Alias& a) {
    switch (a.kind) {
    case Alias::Kind::CoreInstanceExport: {
      TANDEM_ASSIGN(Item inst, get(ci, Sort::CoreInstance, a.instance));
      auto e = inst.core_exports.find(a.name);
      if (e == inst.core_exports.end())
        return Error::make(ErrorKind::Usage, "core export `" + a.name + "` not found");
      Item it;
      it.core = e->second;
      return push(ci, a.sort, std::move(it));
    }
    case Alias::Kind::InstanceExport: {
      TANDEM_ASSIGN(Item inst, get(ci, Sort::Instance, a.instance));
      if (!inst.instance) return Error::make(ErrorKind::Usage, "instance item without exports");
      auto e = inst.instance->exports.find(a.name);
      if (e == inst.instance->exports.end())
        return Error::make(ErrorKind::Usage, "export `" + a.name + "` not found");
      return push(ci, a.sort, e->second);
    }
    case Alias::Kind::Outer: {
      CompInst* env = ci;
      for (uint32_t k = 0; k < a.count && env; ++k) env = outer_[env];
      if (!env) return Error::make(ErrorKind::Usage, "outer alias beyond the root");
      TANDEM_ASSIGN(Item it, get(env, a.sort, a.index));
      return push(ci, a.sort, std::move(it));
    }
    }
    return {};
  }

  Status canon(CompInst* ci, const CanonDef& c) {
    switch (c.kind) {
    case CanonDef::Kind::Lift: {
      auto f = std::make_shared<FuncRt>();
      f->owner = ci;
      TANDEM_ASSIGN(Item core, get(ci, Sort::CoreFunc, c.func));
      f->core = core.core.func;
      f->arena = &arena();
      if (c.type >= ci->spaces->types.size() ||
          ci->spaces->types[c.type].kind != AnyTypeId::Kind::Func)
        return Error::make(ErrorKind::Usage, "canon lift without a function type");
      f->type = ci->spaces->types[c.type].id;
      if (arena().funcs[f->type].async) return unsupported(kAsyncNyi);
      TANDEM_ASSIGN(f->opts, options(ci, c.options));
      f->forwards = pass_through_target(ci, core);
      Item it;
      it.func = f;
      return push(ci, Sort::Func, std::move(it));
    }
    case CanonDef::Kind::Lower: return lower(ci, c);
    case CanonDef::Kind::ResourceNew:
    case CanonDef::Kind::ResourceDrop:
    case CanonDef::Kind::ResourceRep: return resource_builtin(ci, c);
    case CanonDef::Kind::ContextGet:
    case CanonDef::Kind::ContextSet: return context_builtin(ci, c);
    case CanonDef::Kind::BackpressureInc:
    case CanonDef::Kind::BackpressureDec: return backpressure_builtin(ci, c);
    default: return async_stub(ci);
    }
  }

  // context.get/set (CanonicalABI.md "canon context.get/set"): the slots of
  // the current task. Only sync tasks exist here: one per call_adapter call.
  // Neither built-in checks may_leave (post-return may use them).
  Status context_builtin(CompInst* ci, const CanonDef& c) {
    if (c.slot >= 2 || (c.core_type != kI32 && c.core_type != kI64)) return async_stub(ci);
    FuncType core;
    bool get = c.kind == CanonDef::Kind::ContextGet;
    if (get)
      core.results = {c.core_type};
    else
      core.params = {c.core_type};
    uint32_t slot = c.slot;
    ValType t = c.core_type;
    auto cb = [ci, slot, get, t](std::span<const Value> args, std::span<Value> out) -> Status {
      if (ci->task_contexts.empty()) return unsupported(kAsyncNyi); // no task: start functions
      uint64_t& v = ci->task_contexts.back()[slot];
      if (get)
        out[0] = t == kI32 ? Value::i32(uint32_t(v)) : Value::i64(v);
      else
        v = t == kI32 ? args[0].i32() : args[0].i64();
      return {};
    };
    Item it;
    it.core.kind = ExternKind::Func;
    it.core.func = Func::host(*rt_.store, core, std::move(cb));
    return push(ci, Sort::CoreFunc, std::move(it));
  }

  // backpressure.inc/dec: a counter on the instance. Without async tasks
  // nothing waits on it; leaving its range is not implemented.
  Status backpressure_builtin(CompInst* ci, const CanonDef& c) {
    bool inc = c.kind == CanonDef::Kind::BackpressureInc;
    auto cb = [ci, inc](std::span<const Value>, std::span<Value>) -> Status {
      if (inc ? ci->backpressure == 0xffff : ci->backpressure == 0) return unsupported(kAsyncNyi);
      if (inc)
        ci->backpressure++;
      else
        ci->backpressure--;
      return {};
    };
    Item it;
    it.core.kind = ExternKind::Func;
    it.core.func = Func::host(*rt_.store, FuncType{}, std::move(cb));
    return push(ci, Sort::CoreFunc, std::move(it));
  }

  // An async built-in (or an async-lowered import): the core function exists
  // so that the instance links, and does what every built-in does first
  // (CanonicalABI.md: trap_if(not task.inst.may_leave)); past that check it
  // is Unsupported, as the rest of async is.
  Status async_stub(CompInst* ci) {
    size_t index = ci->items.core_funcs.size();
    if (index >= ci->spaces->core_funcs.size() ||
        !arena().core.is_func(ci->spaces->core_funcs[index]))
      return unsupported(kAsyncNyi);
    FuncType core = arena().core.func(ci->spaces->core_funcs[index]);
    auto cb = [ci](std::span<const Value>, std::span<Value>) -> Status {
      if (!ci->may_leave) return trap("cannot leave component instance");
      return unsupported(kAsyncNyi);
    };
    Item it;
    it.core.kind = ExternKind::Func;
    it.core.func = Func::host(*rt_.store, core, std::move(cb));
    return push(ci, Sort::CoreFunc, std::move(it));
  }

  static bool sync_option(const CanonOption& op) {
    using K = CanonOption::Kind;
    return op.kind == K::Utf8 || op.kind == K::Utf16 || op.kind == K::Latin1Utf16 ||
           op.kind == K::Memory || op.kind == K::Realloc || op.kind == K::PostReturn;
  }

  Status lower(CompInst* ci, const CanonDef& c) {
    TANDEM_ASSIGN(Item callee, get(ci, Sort::Func, c.func));
    if (!callee.func) return Error::make(ErrorKind::Usage, "canon lower of a non-function");
    for (const CanonOption& op : c.options)
      if (!sync_option(op)) return async_stub(ci);
    TANDEM_ASSIGN(CanonOpts opts, options(ci, c.options));
    std::shared_ptr<FuncRt> target = callee.func;
    const FuncTy& ft = target->arena->funcs[target->type];
    if (ft.async) return async_stub(ci);
    std::vector<ValTy> params, results;
    for (const auto& p : ft.params) params.push_back(p.second);
    if (ft.result) results.push_back(*ft.result);
    std::vector<ValType> fp = flatten_types(*target->arena, params);
    std::vector<ValType> fr = flatten_types(*target->arena, results);
    FuncType core;
    bool spill_params = fp.size() > kMaxFlatParams;
    bool spill_results = fr.size() > kMaxFlatResults;
    core.params = spill_params ? std::vector<ValType>{kI32} : fp;
    if (spill_results)
      core.params.push_back(kI32);
    else
      core.results = fr;
    ComponentRuntime* rt = &rt_;
    auto cb = [rt, ci, target, opts, params, results,
               spill_results](std::span<const Value> args, std::span<Value> out) -> Status {
      if (!ci->may_leave) return trap("cannot leave component instance");
      std::vector<uint32_t> lent;
      AbiCx cx{rt, ci, &opts, target->arena, 0, false, false, &lent, nullptr, target->owner};
      std::span<const Value> in = args;
      std::optional<uint32_t> retptr;
      if (spill_results && !in.empty()) {
        retptr = in.back().i32();
        in = in.first(in.size() - 1);
      }
      TANDEM_ASSIGN(std::vector<ComponentValue> vals,
                    lift_flat_values(cx, params, in, kMaxFlatParams));
      auto r = call_adapter(*rt, ci, *target, std::move(vals));
      for (uint32_t h : lent)
        if (h < ci->handles.size() && ci->handles[h].lend_count) ci->handles[h].lend_count--;
      if (!r) return r.error();
      ci->may_leave = false;
      auto flat = lower_flat_values(cx, results, *r, kMaxFlatResults, retptr);
      ci->may_leave = true;
      if (!flat) return flat.error();
      for (size_t i = 0; i < out.size() && i < flat->size(); ++i) out[i] = (*flat)[i];
      return {};
    };
    Item it;
    it.core.kind = ExternKind::Func;
    it.core.func = Func::host(*rt_.store, core, std::move(cb));
    it.lowered = target;
    return push(ci, Sort::CoreFunc, std::move(it));
  }

  Status resource_builtin(CompInst* ci, const CanonDef& c) {
    TANDEM_ASSIGN(Item t, get(ci, Sort::Type, c.type));
    ResourceRt* res = t.resource;
    if (!res) return Error::make(ErrorKind::Usage, "resource built-in on a non-resource type");
    FuncType core;
    core.params = {kI32};
    if (c.kind != CanonDef::Kind::ResourceDrop) core.results = {kI32};
    ComponentRuntime* rt = &rt_;
    CanonDef::Kind kind = c.kind;
    auto cb = [rt, ci, res, kind](std::span<const Value> args, std::span<Value> out) -> Status {
      // resource.new and resource.drop may not run where the instance may
      // not leave (post-return, realloc); resource.rep may.
      if (kind != CanonDef::Kind::ResourceRep && !ci->may_leave)
        return trap("cannot leave component instance");
      uint32_t x = args[0].i32();
      if (kind == CanonDef::Kind::ResourceNew) {
        Handle h;
        h.res = res;
        h.rep = x;
        out[0] = Value::i32(ci->add_handle(h));
        return {};
      }
      TANDEM_ASSIGN(Handle * live, ci->live_handle(x, res));
      if (kind == CanonDef::Kind::ResourceRep) {
        out[0] = Value::i32(live->rep);
        return {};
      }
      if (live->own && live->lend_count != 0)
        return trap("cannot remove owned resource while borrowed");
      Handle copy = ci->remove_handle(x);
      if (copy.own && copy.res->dtor) {
        CompInst* owner = copy.res->owner;
        if (owner != ci && !owner->may_enter) return trap("cannot enter component instance");
        Value a[1] = {Value::i32(copy.rep)};
        IsolationLedger* ledger = owner != ci ? rt->ledger : nullptr;
        if (ledger) [[unlikely]]
          ledger->enter_destructor(*rt, ci, *copy.res);
        auto r = copy.res->dtor.call(*rt->store, a);
        if (ledger) [[unlikely]]
          ledger->leave();
        if (!r) return r.error();
      } else if (copy.own && copy.res->host_dtor) {
        IsolationLedger* ledger = rt->ledger;
        if (ledger) [[unlikely]]
          ledger->enter_destructor(*rt, ci, *copy.res);
        Status st = copy.res->host_dtor(copy.rep);
        if (ledger) [[unlikely]]
          ledger->leave();
        TANDEM_TRY(st);
      }
      return {};
    };
    Item it;
    it.core.kind = ExternKind::Func;
    it.core.func = Func::host(*rt_.store, core, std::move(cb));
    return push(ci, Sort::CoreFunc, std::move(it));
  }

  // Host imports ------------------------------------------------------------

  CompInst* new_host_ci(CompInst* parent, std::string path) {
    auto owned = std::make_unique<CompInst>();
    CompInst* h = owned.get();
    h->kind = CompInst::Kind::Host;
    h->id = uint32_t(rt_.instances.size());
    h->parent = parent;
    h->path = std::move(path);
    rt_.instances.push_back(std::move(owned));
    return h;
  }

  ResourceRt* host_resource(const std::shared_ptr<const HostInstance::ResourceDecl>& decl,
                            CompInst* owner) {
    auto it = host_resources_.find(decl.get());
    if (it != host_resources_.end()) return it->second;
    auto r = std::make_unique<ResourceRt>();
    r->id = uint32_t(rt_.resources.size()) + 1;
    r->owner = owner;
    r->host_dtor = decl->dtor;
    r->name = decl->name;
    r->decl = decl;
    ResourceRt* p = r.get();
    rt_.resources.push_back(std::move(r));
    host_resources_[decl.get()] = p;
    return p;
  }

  static const char* entry_kind(HostInstance::Entry::Kind k) {
    switch (k) {
    case HostInstance::Entry::Kind::Func: return "func";
    case HostInstance::Entry::Kind::Resource: return "resource";
    case HostInstance::Entry::Kind::Instance: return "instance";
    case HostInstance::Entry::Kind::Module: return "module";
    }
    return "?";
  }

  // A host core module against the importer's declared module type
  // (arena().modules[module_type]), by names and kinds in wasmtime's wording:
  // the module may import only what the declaration provides, and must
  // export everything it declares. Value types of the items are not checked.
  Status check_module(const std::string& name, const Module& m, uint32_t module_type) {
    if (module_type >= arena().modules.size()) return Error::make(ErrorKind::Usage, "bad import");
    const ModuleTy& want = arena().modules[module_type];
    auto fail = [&](const std::string& why) {
      return unlinkable("type mismatch for import `" + name + "`\n" + why);
    };
    auto kinds = [](ExternKind expected, ExternKind found) {
      return std::string("expected ") + extern_kind_name(expected) + " found " +
             extern_kind_name(found);
    };
    for (const ImportDesc& im : m.imports()) {
      const CoreEntity* d = want.imports.find({im.module, im.name});
      if (!d) return fail("module import `" + im.module + "::" + im.name + "` not defined");
      if (d->kind != im.kind) return fail(kinds(im.kind, d->kind));
    }
    std::vector<ExportDesc> has = m.exports();
    for (const auto& [ename, d] : want.exports.items) {
      auto ex = std::find_if(has.begin(), has.end(),
                             [&](const ExportDesc& x) { return x.name == ename; });
      if (ex == has.end()) return fail("module export `" + ename + "` not defined");
      if (ex->kind != d.kind) return fail(kinds(d.kind, ex->kind));
    }
    return {};
  }

  // Binds host entry `e` to an import (or instance export) of type `ty`,
  // declared in `importer`. `host_ci` owns it (created for root items).
  Result<Item> bind_host(CompInst* importer, CompInst* host_ci, const std::string& name,
                         const std::string& short_name, const HostInstance::Entry& e,
                         const EntityType& ty) {
    using EK = HostInstance::Entry::Kind;
    auto mismatch = [&](const char* expected) {
      return unlinkable("type mismatch for import `" + name + "`\nexpected " + expected +
                        ", found " + entry_kind(e.kind));
    };
    Item it;
    switch (ty.kind) {
    case EntityType::Kind::Func: {
      if (e.kind != EK::Func) return mismatch("func");
      if (arena().funcs[ty.id].async) return unsupported(kAsyncNyi);
      auto f = std::make_shared<FuncRt>();
      f->owner = host_ci;
      f->host = e.func;
      f->name = short_name;
      f->arena = &arena();
      f->type = ty.id;
      f->type_env = importer;
      it.func = std::move(f);
      it.sort = Sort::Func;
      return it;
    }
    case EntityType::Kind::Type: {
      it.sort = Sort::Type;
      if (ty.referenced.kind != AnyTypeId::Kind::Resource) return it; // a value type: no item
      if (e.kind != EK::Resource) return mismatch("resource");
      it.resource = host_resource(e.resource, host_ci);
      // `(eq $r)` on an earlier import: the host must give that same type.
      auto bound = importer->resources.find(ty.referenced.id);
      if (bound != importer->resources.end() && bound->second != it.resource)
        return unlinkable("mismatched resource types for import `" + name + "`");
      importer->resources[ty.referenced.id] = it.resource;
      importer->resources[ty.created.id] = it.resource;
      return it;
    }
    case EntityType::Kind::Instance: {
      if (e.kind != EK::Instance) return mismatch("instance");
      return host_instance(importer, host_ci, name, *e.instance, ty.id);
    }
    case EntityType::Kind::Module: {
      if (e.kind != EK::Module || !e.module) return mismatch("module");
      TANDEM_TRY(check_module(name, *e.module, ty.id));
      it.sort = Sort::CoreModule;
      it.module = e.module;
      return it;
    }
    case EntityType::Kind::Value: return unsupported("component values are not implemented");
    case EntityType::Kind::Component: return mismatch("component");
    }
    return it;
  }

  Result<Item> host_instance(CompInst* importer, CompInst* host_ci, const std::string& name,
                             const HostInstance& h, uint32_t instance_type) {
    Item out;
    out.sort = Sort::Instance;
    out.instance = std::make_shared<InstanceRt>();
    const InstanceTy& ity = arena().instances[instance_type];
    for (const auto& [ename, ety] : ity.exports.items) {
      const HostInstance::Entry* e = h.find(ename);
      std::string full = name + "/" + ename;
      if (!e) {
        // Non-resource type exports need nothing from the host.
        if (ety.kind == EntityType::Kind::Type &&
            ety.referenced.kind != AnyTypeId::Kind::Resource) {
          out.instance->exports[ename] = Item{};
          continue;
        }
        return unlinkable("missing import named `" + full + "`");
      }
      CompInst* owner = host_ci;
      if (e->kind == HostInstance::Entry::Kind::Instance && ety.kind == EntityType::Kind::Instance)
        owner = new_host_ci(host_ci, host_ci->path + "/" + ename);
      TANDEM_ASSIGN(Item it, bind_host(importer, owner, full, ename, *e, ety));
      out.instance->exports[ename] = std::move(it);
    }
    return out;
  }

  Status host_import(CompInst* ci, const ImportDef& im) {
    const std::string& name = im.name.name;
    const HostInstance::Entry* e = host_->find(name);
    if (!e) return unlinkable("missing import named `" + name + "`");
    Sort s = sort_of(im.type.kind);
    size_t index = ci->items.of(s).size();
    EntityType ty;
    switch (im.type.kind) {
    case ExternType::Kind::Func:
      ty.kind = EntityType::Kind::Func;
      if (index >= ci->spaces->funcs.size()) return Error::make(ErrorKind::Usage, "bad import");
      ty.id = ci->spaces->funcs[index];
      break;
    case ExternType::Kind::Instance:
      ty.kind = EntityType::Kind::Instance;
      if (index >= ci->spaces->instances.size()) return Error::make(ErrorKind::Usage, "bad import");
      ty.id = ci->spaces->instances[index];
      break;
    case ExternType::Kind::Type:
      ty.kind = EntityType::Kind::Type;
      if (index >= ci->spaces->types.size()) return Error::make(ErrorKind::Usage, "bad import");
      ty.referenced = ty.created = ci->spaces->types[index];
      break;
    case ExternType::Kind::Module:
      ty.kind = EntityType::Kind::Module;
      if (index >= ci->spaces->core_modules.size())
        return Error::make(ErrorKind::Usage, "bad import");
      ty.id = ci->spaces->core_modules[index];
      break;
    case ExternType::Kind::Value: return unsupported("component values are not implemented");
    case ExternType::Kind::Component:
      return unlinkable("type mismatch for import `" + name + "`\nexpected component, found " +
                        entry_kind(e->kind));
    }
    CompInst* owner = nullptr;
    if (ty.kind == EntityType::Kind::Func || ty.kind == EntityType::Kind::Instance ||
        ty.kind == EntityType::Kind::Type)
      owner = new_host_ci(nullptr, "host:" + name);
    TANDEM_ASSIGN(Item it, bind_host(ci, owner, name, name, *e, ty));
    return push(ci, s, std::move(it));
  }

public:
  const HostInstance* host_ = nullptr;

private:
  ComponentRuntime& rt_;
  std::map<CompInst*, CompInst*> outer_;
  std::map<const void*, ResourceRt*> host_resources_;
};

} // namespace

Result<CompInst*> instantiate_root(ComponentRuntime& rt, const HostInstance* imports) {
  Instantiator in(rt);
  in.host_ = imports;
  return in.run(rt.compiled->def.get(), nullptr, nullptr, "/", {});
}

namespace {

// The host half of call_adapter: a host function gets the lifted values and
// its results are checked against (and normalised to) the declared type.
// Host errors never poison the host CI.
Result<std::vector<ComponentValue>> call_host(ComponentRuntime& rt, const FuncRt& callee,
                                              const std::vector<CompInst*>& entering,
                                              const std::vector<ValTy>& params,
                                              const std::vector<ValTy>& results,
                                              std::vector<ComponentValue> args) {
  if (CompInst* env = callee.type_env) {
    auto ok = normalize_host_values(*callee.arena, env, params, args);
    if (!ok)
      return Error::make(ErrorKind::Usage, "bad arguments for host function `" + callee.name +
                                               "`: " + ok.error().message);
  }
  for (CompInst* x : entering) x->may_enter = false;
  HostCallContext hc{*rt.store, callee.owner->path, callee.name};
  auto r = callee.host(hc, std::span<const ComponentValue>(args));
  for (CompInst* x : entering) x->may_enter = true;
  if (!r) return r.error();
  auto ok = normalize_host_values(*callee.arena, callee.type_env, results, *r);
  if (!ok)
    return trap("host function `" + callee.name + "` of " + callee.owner->path +
                " returned a value that does not match its type: " + ok.error().message);
  return r;
}

} // namespace

// The body of call_adapter (below), which adds the ledger hook.
static Result<std::vector<ComponentValue>> adapter(ComponentRuntime& rt, CompInst* caller,
                                                   const FuncRt& callee,
                                                   std::vector<ComponentValue> args) {
  CompInst* ci = callee.owner;
  // The entering set (definitions.py entering_set): the callee and its
  // ancestors that the caller is not already inside.
  std::vector<CompInst*> entering;
  for (CompInst* x = ci; x; x = x->parent) {
    bool shared = false;
    for (CompInst* y = caller; y && !shared; y = y->parent) shared = x == y;
    if (!shared) entering.push_back(x);
  }
  for (CompInst* x : entering)
    if (!x->may_enter) return trap("cannot enter component instance");
  // wasmtime (and this suite's trap-on-reenter.wast) also traps, for now, on
  // calls between a component instance and its own ancestors or descendants.
  if (caller) {
    auto is_ancestor = [](CompInst* a, CompInst* b) {
      for (CompInst* x = b; x; x = x->parent)
        if (x == a) return true;
      return false;
    };
    if (is_ancestor(ci, caller) || is_ancestor(caller, ci))
      return trap("cannot enter component instance");
  }
  const FuncTy& ft = callee.arena->funcs[callee.type];
  std::vector<ValTy> params, results;
  for (const auto& p : ft.params) params.push_back(p.second);
  if (ft.result) results.push_back(*ft.result);
  if (callee.host) return call_host(rt, callee, entering, params, results, std::move(args));
  std::vector<uint32_t> borrowed;
  AbiCx cx{&rt,     ci,        &callee.opts, callee.arena, rt.next_call++, true, caller == nullptr,
           nullptr, &borrowed, caller};
  ci->may_leave = false;
  auto flat = lower_flat_values(cx, params, args, kMaxFlatParams, std::nullopt);
  ci->may_leave = true;
  if (!flat) return flat.error();
  for (CompInst* x : entering) x->may_enter = false;
  // This call is a (sync) task of `ci`: its context slots live until return.
  ci->task_contexts.push_back({0, 0});
  struct PopContext {
    CompInst* ci;
    ~PopContext() { ci->task_contexts.pop_back(); }
  } pop_context{ci};
  auto leave = [&] {
    for (CompInst* x : entering) x->may_enter = true;
  };
  auto core = callee.core.call(*rt.store, *flat);
  if (!core) {
    // A trap poisons the instances entered (wasmtime): they stay unenterable.
    if (core.error().kind != ErrorKind::Trap) leave();
    return core.error();
  }
  auto lifted = lift_flat_values(cx, results, *core, kMaxFlatResults);
  if (!lifted) {
    leave();
    return lifted.error();
  }
  if (callee.opts.post_return) {
    if (rt.ledger) [[unlikely]]
      rt.ledger->record(rt, CrossingKind::PostReturn, caller, ci, "post-return");
    ci->may_leave = false;
    auto pr = callee.opts.post_return.call(*rt.store, *core);
    ci->may_leave = true;
    if (!pr) {
      leave();
      return pr.error();
    }
  }
  leave();
  for (uint32_t h : borrowed)
    if (h < ci->handles.size() && ci->handles[h].res && !ci->handles[h].own &&
        ci->handles[h].call_id == cx.call_id)
      return trap("borrow handles still remain at the end of the call");
  return lifted;
}

// The ledger hook point (isolation_ledger.h): caller (nullptr = host) ->
// callee.owner. With auditing off this is one predicted branch.
Result<std::vector<ComponentValue>> call_adapter(ComponentRuntime& rt, CompInst* caller,
                                                 const FuncRt& callee,
                                                 std::vector<ComponentValue> args) {
  if (IsolationLedger* ledger = rt.ledger) [[unlikely]] {
    ledger->enter_call(rt, caller, callee);
    auto r = adapter(rt, caller, callee, std::move(args));
    ledger->leave();
    return r;
  }
  return adapter(rt, caller, callee, std::move(args));
}

} // namespace tandem::component
