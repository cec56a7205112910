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

namespace tandem::component {

std::vector<Item>& CompInst::space(Sort s) {
  switch (s) {
  case Sort::CoreFunc: return core_funcs;
  case Sort::CoreTable: return core_tables;
  case Sort::CoreMemory: return core_memories;
  case Sort::CoreGlobal: return core_globals;
  case Sort::CoreTag: return core_tags;
  case Sort::CoreType: return core_types;
  case Sort::CoreModule: return core_modules;
  case Sort::CoreInstance: return core_instances;
  case Sort::Func: return funcs;
  case Sort::Value: return values;
  case Sort::Type: return types;
  case Sort::Component: return components;
  case Sort::Instance: return instances;
  }
  return funcs;
}

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

  Status push(CompInst* ci, Sort s, Item item) {
    item.sort = s;
    std::vector<Item>& sp = ci->space(s);
    if (s == Sort::Type && item.resource && sp.size() < ci->spaces->types.size()) {
      const AnyTypeId& t = ci->spaces->types[sp.size()];
      if (t.kind == AnyTypeId::Kind::Resource) ci->resources[t.id] = item.resource;
    }
    sp.push_back(std::move(item));
    return {};
  }

  Result<Item> get(CompInst* ci, Sort s, uint32_t index) {
    std::vector<Item>& sp = ci->space(s);
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
      auto a = args.find(im.name.name);
      if (a == args.end()) return unlinkable("missing import named `" + im.name.name + "`");
      return push(ci, sort_of(im.type.kind), a->second);
    }
    case DefinitionKind::Export: {
      const ExportDef& ex = c.exports[d.index];
      TANDEM_ASSIGN(Item it, get(ci, ex.item.sort, ex.item.index));
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
        if (name == im.module && idx < ci->core_instances.size()) src = &ci->core_instances[idx];
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
    std::string path = (ci->path == "/" ? "" : ci->path) + "/i" + std::to_string(index);
    TANDEM_ASSIGN(CompInst * child, run(comp.comp->def, ci, comp.comp->env, path, args));
    out.instance->exports = child->exports;
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
      Item it;
      it.func = f;
      return push(ci, Sort::Func, std::move(it));
    }
    case CanonDef::Kind::Lower: return lower(ci, c);
    case CanonDef::Kind::ResourceNew:
    case CanonDef::Kind::ResourceDrop:
    case CanonDef::Kind::ResourceRep: return resource_builtin(ci, c);
    default: return unsupported(kAsyncNyi);
    }
  }

  Status lower(CompInst* ci, const CanonDef& c) {
    TANDEM_ASSIGN(Item callee, get(ci, Sort::Func, c.func));
    if (!callee.func) return Error::make(ErrorKind::Usage, "canon lower of a non-function");
    TANDEM_ASSIGN(CanonOpts opts, options(ci, c.options));
    std::shared_ptr<FuncRt> target = callee.func;
    const FuncTy& ft = target->arena->funcs[target->type];
    if (ft.async) return unsupported(kAsyncNyi);
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
      AbiCx cx{rt, ci, &opts, target->arena, 0, false, false, &lent, nullptr};
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
      uint32_t x = args[0].i32();
      if (kind == CanonDef::Kind::ResourceNew) {
        Handle h;
        h.res = res;
        h.rep = x;
        uint32_t idx;
        if (!ci->free_handles.empty()) {
          idx = ci->free_handles.back();
          ci->free_handles.pop_back();
          ci->handles[idx] = h;
        } else {
          idx = uint32_t(ci->handles.size());
          ci->handles.push_back(h);
        }
        out[0] = Value::i32(idx);
        return {};
      }
      if (x >= ci->handles.size() || !ci->handles[x].res)
        return trap("unknown handle index " + std::to_string(x));
      Handle& h = ci->handles[x];
      if (h.res != res)
        return trap("handle index " + std::to_string(x) +
                    " used with the wrong type, expected guest-defined resource but found a "
                    "different guest-defined resource");
      if (kind == CanonDef::Kind::ResourceRep) {
        out[0] = Value::i32(h.rep);
        return {};
      }
      if (h.own && h.lend_count != 0) return trap("cannot remove owned resource while borrowed");
      Handle copy = h;
      h = Handle{};
      ci->free_handles.push_back(x);
      if (copy.own && copy.res->dtor) {
        CompInst* owner = copy.res->owner;
        if (owner != ci && !owner->may_enter) return trap("cannot enter component instance");
        Value a[1] = {Value::i32(copy.rep)};
        TANDEM_TRY(copy.res->dtor.call(*rt->store, a));
      }
      return {};
    };
    Item it;
    it.core.kind = ExternKind::Func;
    it.core.func = Func::host(*rt_.store, core, std::move(cb));
    return push(ci, Sort::CoreFunc, std::move(it));
  }

  ComponentRuntime& rt_;
  std::map<CompInst*, CompInst*> outer_;
};

} // namespace

Result<CompInst*> instantiate_root(ComponentRuntime& rt) {
  Instantiator in(rt);
  return in.run(rt.compiled->def.get(), nullptr, nullptr, "/", {});
}

Result<std::vector<ComponentValue>> call_adapter(ComponentRuntime& rt, CompInst* caller,
                                                 const FuncRt& callee,
                                                 std::vector<ComponentValue> args) {
  // The ledger hook point: caller (nullptr = host) -> callee.owner.
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
  std::vector<uint32_t> borrowed;
  AbiCx cx{&rt,     ci,       &callee.opts, callee.arena, rt.next_call++, true, caller == nullptr,
           nullptr, &borrowed};
  ci->may_leave = false;
  auto flat = lower_flat_values(cx, params, args, kMaxFlatParams, std::nullopt);
  ci->may_leave = true;
  if (!flat) return flat.error();
  for (CompInst* x : entering) x->may_enter = false;
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

} // namespace tandem::component
