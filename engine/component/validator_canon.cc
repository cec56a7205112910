// Validation of canonical definitions (CanonicalABI.md "Canonical
// Definitions"): option rules (string encodings, memory, realloc,
// post-return, async, callback), the flattened core signature of `canon
// lift`/`canon lower`, and the core types of the resource, async, thread and
// error-context built-ins.
#include "component/validator_state.h"

namespace tandem::component {
namespace {

Error invalid(uint64_t off, std::string msg) {
  return Error::invalid(off, std::move(msg));
}

FuncType fty(std::vector<ValType> p, std::vector<ValType> r) {
  return FuncType{std::move(p), std::move(r)};
}

const char* option_name(CanonOption::Kind k) {
  switch (k) {
  case CanonOption::Kind::Utf8: return "utf8";
  case CanonOption::Kind::Utf16: return "utf16";
  case CanonOption::Kind::Latin1Utf16: return "latin1-utf16";
  case CanonOption::Kind::Memory: return "memory";
  case CanonOption::Kind::Realloc: return "realloc";
  case CanonOption::Kind::PostReturn: return "post-return";
  case CanonOption::Kind::Async: return "async";
  case CanonOption::Kind::Callback: return "callback";
  case CanonOption::Kind::CoreType: return "core-type";
  case CanonOption::Kind::Gc: return "gc";
  }
  return "?";
}

Status require_memory(const CanonOptions& o, uint64_t off) {
  if (!o.memory) return invalid(off, "canonical option `memory` is required");
  return {};
}

Status require_realloc(const CanonOptions& o, uint64_t off) {
  TANDEM_TRY(require_memory(o, off));
  if (!o.realloc) return invalid(off, "canonical option `realloc` is required");
  return {};
}

Status check_lower_options(const CanonOptions& o, uint64_t off) {
  if (o.post_return)
    return invalid(off, "canonical option `post-return` cannot be specified for lowerings");
  if (o.callback)
    return invalid(off, "canonical option `callback` cannot be specified for lowerings");
  return {};
}

} // namespace

Status Validator::cabi_memory(uint32_t idx, uint64_t off) {
  const Scope& s = cur();
  if (idx >= s.core_memories.size())
    return invalid(off, "unknown memory " + std::to_string(idx) + ": memory index out of bounds");
  const MemoryType& m = s.core_memories[idx];
  if (m.limits.is64)
    return invalid(off, "64-bit memories require the `cm64` feature to be enabled");
  MemoryType plain;
  plain.limits.page_size_log2 = m.limits.page_size_log2;
  return Subtyping::memory(m, plain, off);
}

Result<CanonOptions> Validator::check_options(const std::vector<CanonOption>& opts, uint64_t off) {
  CanonOptions o;
  std::optional<CanonOption::Kind> encoding;
  for (const CanonOption& opt : opts) {
    switch (opt.kind) {
    case CanonOption::Kind::Utf8:
    case CanonOption::Kind::Utf16:
    case CanonOption::Kind::Latin1Utf16:
      if (encoding)
        return invalid(off, std::string("canonical encoding option `") + option_name(*encoding) +
                                "` conflicts with option `" + option_name(opt.kind) + "`");
      encoding = opt.kind;
      o.encoding = opt.kind == CanonOption::Kind::Utf8
                       ? StringEncoding::Utf8
                       : (opt.kind == CanonOption::Kind::Utf16 ? StringEncoding::Utf16
                                                               : StringEncoding::Latin1Utf16);
      break;
    case CanonOption::Kind::Memory:
      if (o.memory) return invalid(off, "canonical option `memory` is specified more than once");
      TANDEM_TRY(cabi_memory(opt.index, off));
      o.memory = opt.index;
      break;
    case CanonOption::Kind::Realloc:
      if (o.realloc) return invalid(off, "canonical option `realloc` is specified more than once");
      o.realloc = opt.index;
      break;
    case CanonOption::Kind::PostReturn:
      if (o.post_return)
        return invalid(off, "canonical option `post-return` is specified more than once");
      o.post_return = opt.index;
      break;
    case CanonOption::Kind::Async:
      if (o.async) return invalid(off, "canonical option `async` is specified more than once");
      TANDEM_TRY(require_async("canonical option `async`", off));
      o.async = true;
      break;
    case CanonOption::Kind::Callback:
      if (o.callback)
        return invalid(off, "canonical option `callback` is specified more than once");
      o.callback = opt.index;
      break;
    case CanonOption::Kind::CoreType:
      return invalid(off, "canonical option `core type` requires the component model gc feature");
    case CanonOption::Kind::Gc:
      return invalid(off, "canonical option `gc` requires the `cm-gc` feature");
    }
  }
  if (!o.async && o.callback) return invalid(off, "cannot specify callback without async");
  if (o.async && o.post_return) return invalid(off, "cannot specify post-return function in async");
  if (o.realloc) {
    if (!o.memory)
      return invalid(off, "canonical option `realloc` requires `memory` to also be specified");
    TANDEM_ASSIGN(uint32_t ft, core_func_at(*o.realloc, off));
    if (!t_.core.is_func(ft) || t_.core.func(ft) != fty({kI32, kI32, kI32, kI32}, {kI32}))
      return invalid(off,
                     "canonical option `realloc` uses a core function with an incorrect signature");
  }
  return o;
}

// The core signature of a lifted or lowered function (flatten_functype),
// checking the options each parameter and result needs.
Result<FuncType> Validator::lower_signature(const FuncTy& ft, const CanonOptions& o, bool lift,
                                            uint64_t off) {
  FuncType sig;
  if (!lift && o.async) {
    // Memory is needed for spilled parameters and for the result buffer (the
    // suite lowers async functions with few scalar params without memory).
    if (ft.result && t_.contains_ptr(*ft.result)) TANDEM_TRY(require_realloc(o, off));
    bool overflow = false;
    for (const auto& [n, t] : ft.params) {
      if (t_.contains_ptr(t)) TANDEM_TRY(require_memory(o, off));
      if (!flatten(t_, t, sig.params, kMaxFlatAsyncParams)) overflow = true;
    }
    if (overflow) {
      TANDEM_TRY(require_memory(o, off));
      sig.params = {kI32};
    }
    if (ft.result) {
      TANDEM_TRY(require_memory(o, off));
      sig.params.push_back(kI32);
    }
    sig.results = {kI32};
    return sig;
  }
  for (const auto& [n, t] : ft.params) {
    bool ptr = t_.contains_ptr(t);
    if (lift && ptr) TANDEM_TRY(require_realloc(o, off));
    if (!lift && ptr) TANDEM_TRY(require_memory(o, off));
    if (!flatten(t_, t, sig.params, kMaxFlatParams)) {
      sig.params = {kI32};
      TANDEM_TRY(require_memory(o, off));
      if (lift) TANDEM_TRY(require_realloc(o, off));
      break;
    }
  }
  if (!o.async) {
    if (ft.result) {
      if (!lift && t_.contains_ptr(*ft.result)) TANDEM_TRY(require_realloc(o, off));
      if (!flatten(t_, *ft.result, sig.results, kMaxFlatResults)) {
        sig.results.clear();
        TANDEM_TRY(require_memory(o, off));
        if (lift)
          sig.results = {kI32};
        else
          sig.params.push_back(kI32);
      }
    }
  } else if (o.callback) {
    sig.results = {kI32};
  }
  return sig;
}

Status Validator::canon(const CanonDef& c) {
  using K = CanonDef::Kind;
  uint64_t off = c.offset;
  auto push_core = [&](const FuncType& f) { cur().core_funcs.push_back(t_.core.intern_func(f)); };
  auto async_builtin = [&]() {
    return require_async(std::string("`") + canon_name(c.kind) + "`", off);
  };
  auto typed = [&](DefKind want) -> Result<const DefinedType*> {
    TANDEM_TRY(async_builtin());
    TANDEM_ASSIGN(uint32_t id, defined_type_at(c.type, off));
    const DefinedType* d = &t_.defined[id];
    if (d->kind != want)
      return invalid(off, std::string("`") + canon_name(c.kind) + "` requires a " +
                              (want == DefKind::Stream ? "stream" : "future") + " type");
    return d;
  };
  switch (c.kind) {
  case K::Lift: {
    TANDEM_ASSIGN(uint32_t ft_id, func_type_at(c.type, off));
    TANDEM_ASSIGN(uint32_t core_id, core_func_at(c.func, off));
    TANDEM_ASSIGN(CanonOptions o, check_options(c.options, off));
    FuncType core = t_.core.func(core_id);
    if (o.post_return) {
      TANDEM_ASSIGN(uint32_t pr, core_func_at(*o.post_return, off));
      const FuncType& p = t_.core.func(pr);
      if (p.params != core.results || !p.results.empty())
        return invalid(
            off, "canonical option `post-return` uses a core function with an incorrect signature");
    }
    if (o.callback) {
      TANDEM_ASSIGN(uint32_t cb, core_func_at(*o.callback, off));
      const FuncType& f = t_.core.func(cb);
      if (f.params != std::vector<ValType>{kI32, kI32, kI32} &&
          f.params != std::vector<ValType>{kI32})
        return invalid(
            off, "canonical option `callback` uses a core function with an incorrect signature");
    }
    FuncTy ft = t_.funcs[ft_id];
    if (o.async && !ft.async)
      return invalid(off, "the `async` canonical option requires an async function type");
    TANDEM_ASSIGN(FuncType lowered, lower_signature(ft, o, true, off));
    if (lowered.params != core.params)
      return invalid(off, "lowered parameter types `" + debug_valtypes(lowered.params) +
                              "` do not match parameter types `" + debug_valtypes(core.params) +
                              "` of core function " + std::to_string(c.func));
    if (lowered.results != core.results)
      return invalid(off, "lowered result types `" + debug_valtypes(lowered.results) +
                              "` do not match result types `" + debug_valtypes(core.results) +
                              "` of core function " + std::to_string(c.func));
    cur().funcs.push_back(ft_id);
    return {};
  }
  case K::Lower: {
    TANDEM_ASSIGN(uint32_t f_id, func_at(c.func, off));
    TANDEM_ASSIGN(CanonOptions o, check_options(c.options, off));
    TANDEM_TRY(check_lower_options(o, off));
    FuncTy ft = t_.funcs[f_id];
    if (o.async && !ft.async)
      return invalid(off, "the `async` canonical option requires an async function type");
    TANDEM_ASSIGN(FuncType lowered, lower_signature(ft, o, false, off));
    push_core(lowered);
    return {};
  }
  case K::ResourceNew:
  case K::ResourceRep: {
    TANDEM_ASSIGN(AnyTypeId r, resource_at(c.type, off));
    const std::optional<ValType>* rep = cur().defined_rep(r.id);
    if (!rep || !*rep)
      return invalid(off, "type " + std::to_string(c.type) + " is not a local resource");
    if (c.kind == K::ResourceNew)
      push_core(fty({**rep}, {kI32}));
    else
      push_core(fty({kI32}, {**rep}));
    return {};
  }
  case K::ResourceDrop: {
    TANDEM_TRY(resource_at(c.type, off));
    push_core(fty({kI32}, {}));
    return {};
  }
  case K::BackpressureInc:
  case K::BackpressureDec:
  case K::TaskCancel:
    TANDEM_TRY(async_builtin());
    push_core(fty({}, {}));
    return {};
  case K::TaskReturn: {
    TANDEM_TRY(async_builtin());
    FuncTy ft;
    if (c.result) {
      TANDEM_ASSIGN(ValTy v, val_type(*c.result, off));
      ft.params.emplace_back("v", v);
    }
    TANDEM_ASSIGN(CanonOptions o, check_options(c.options, off));
    if (o.realloc) return invalid(off, "cannot specify `realloc` option on `task.return`");
    if (o.post_return) return invalid(off, "cannot specify `post-return` option on `task.return`");
    TANDEM_TRY(check_lower_options(o, off));
    if (o.async) return invalid(off, "cannot specify `async` option on `task.return`");
    TANDEM_ASSIGN(FuncType lowered, lower_signature(ft, o, false, off));
    push_core(lowered);
    return {};
  }
  case K::ContextGet:
  case K::ContextSet: {
    TANDEM_TRY(async_builtin());
    const char* what = canon_name(c.kind);
    if (c.core_type == kI64)
      return invalid(off, std::string("64-bit `") + what +
                              "` requires the component model 64-bit feature");
    if (c.core_type != kI32)
      return invalid(off, std::string("`") + what + "` only supports `i32` or `i64`");
    Scope& s = cur();
    if (s.context_type && *s.context_type != c.core_type)
      return invalid(off, std::string("`") + what + "` type must match previous context type");
    s.context_type = c.core_type;
    if (c.slot > 1)
      return invalid(off, std::string("`") + what +
                              "` immediate must be zero or one: " + std::to_string(c.slot));
    if (c.kind == K::ContextGet)
      push_core(fty({}, {c.core_type}));
    else
      push_core(fty({c.core_type}, {}));
    return {};
  }
  case K::SubtaskDrop:
    TANDEM_TRY(async_builtin());
    push_core(fty({kI32}, {}));
    return {};
  case K::SubtaskCancel:
    TANDEM_TRY(async_builtin());
    push_core(fty({kI32}, {kI32}));
    return {};
  case K::StreamNew:
  case K::FutureNew: {
    TANDEM_TRY(typed(c.kind == K::StreamNew ? DefKind::Stream : DefKind::Future));
    push_core(fty({}, {kI64}));
    return {};
  }
  case K::StreamRead:
  case K::StreamWrite:
  case K::FutureRead:
  case K::FutureWrite: {
    bool stream = c.kind == K::StreamRead || c.kind == K::StreamWrite;
    bool read = c.kind == K::StreamRead || c.kind == K::FutureRead;
    TANDEM_ASSIGN(const DefinedType* d, typed(stream ? DefKind::Stream : DefKind::Future));
    std::optional<ValTy> elem = d->first;
    TANDEM_ASSIGN(CanonOptions o, check_options(c.options, off));
    if (elem) TANDEM_TRY(require_memory(o, off));
    if (read && elem && t_.contains_ptr(*elem)) TANDEM_TRY(require_realloc(o, off));
    TANDEM_TRY(check_lower_options(o, off));
    if (stream)
      push_core(fty({kI32, kI32, kI32}, {kI32}));
    else
      push_core(fty({kI32, kI32}, {kI32}));
    return {};
  }
  case K::StreamCancelRead:
  case K::StreamCancelWrite:
  case K::FutureCancelRead:
  case K::FutureCancelWrite: {
    bool stream = c.kind == K::StreamCancelRead || c.kind == K::StreamCancelWrite;
    TANDEM_TRY(typed(stream ? DefKind::Stream : DefKind::Future));
    push_core(fty({kI32}, {kI32}));
    return {};
  }
  case K::StreamDropReadable:
  case K::StreamDropWritable:
  case K::FutureDropReadable:
  case K::FutureDropWritable: {
    bool stream = c.kind == K::StreamDropReadable || c.kind == K::StreamDropWritable;
    TANDEM_TRY(typed(stream ? DefKind::Stream : DefKind::Future));
    push_core(fty({kI32}, {}));
    return {};
  }
  case K::ErrorContextNew:
  case K::ErrorContextDebugMessage: {
    TANDEM_TRY(async_builtin());
    TANDEM_ASSIGN(CanonOptions o, check_options(c.options, off));
    TANDEM_TRY(require_memory(o, off));
    if (c.kind == K::ErrorContextDebugMessage) TANDEM_TRY(require_realloc(o, off));
    if (o.async)
      return invalid(off,
                     std::string("cannot specify `async` option on `") + canon_name(c.kind) + "`");
    TANDEM_TRY(check_lower_options(o, off));
    if (c.kind == K::ErrorContextNew)
      push_core(fty({kI32, kI32}, {kI32}));
    else
      push_core(fty({kI32, kI32}, {}));
    return {};
  }
  case K::ErrorContextDrop:
  case K::WaitableSetDrop:
  case K::ThreadResumeLater:
    TANDEM_TRY(async_builtin());
    push_core(fty({kI32}, {}));
    return {};
  case K::WaitableSetNew:
  case K::ThreadIndex:
  case K::ThreadSuspend:
  case K::ThreadYield:
    TANDEM_TRY(async_builtin());
    push_core(fty({}, {kI32}));
    return {};
  case K::WaitableSetWait:
  case K::WaitableSetPoll:
    TANDEM_TRY(async_builtin());
    TANDEM_TRY(cabi_memory(c.memory, off));
    push_core(fty({kI32, kI32}, {kI32}));
    return {};
  case K::WaitableJoin:
    TANDEM_TRY(async_builtin());
    push_core(fty({kI32, kI32}, {}));
    return {};
  case K::ThreadSuspendThenResume:
  case K::ThreadYieldThenResume:
  case K::ThreadSuspendThenPromote:
  case K::ThreadYieldThenPromote:
    TANDEM_TRY(async_builtin());
    push_core(fty({kI32}, {kI32}));
    return {};
  case K::ThreadNewIndirect: {
    TANDEM_TRY(async_builtin());
    TANDEM_ASSIGN(CoreTypeSlot slot, core_type_at(c.type, off));
    if (slot.is_module) return invalid(off, "expected a core function type");
    if (!t_.core.is_func(slot.id)) return invalid(off, "start type must be a function");
    const FuncType& f = t_.core.func(slot.id);
    if (f.params != std::vector<ValType>{kI32})
      return invalid(off, "start function must take a single `i32` argument (currently)");
    if (!f.results.empty()) return invalid(off, "start function must not return any values");
    const Scope& s = cur();
    if (c.table >= s.core_tables.size())
      return invalid(off,
                     "unknown table " + std::to_string(c.table) + ": table index out of bounds");
    TableType want;
    want.elem = kFuncRef;
    Status ts = Subtyping::table(s.core_tables[c.table], want, off);
    if (!ts.ok())
      return with_context(std::move(ts).error(),
                          "table is not a 32-bit table of (ref null (func))");
    push_core(fty({kI32, kI32}, {kI32}));
    return {};
  }
  case K::ThreadSpawnRef:
  case K::ThreadSpawnIndirect:
  case K::ThreadAvailableParallelism:
    return invalid(off, std::string("`") + canon_name(c.kind) +
                            "` requires the shared-everything-threads proposal");
  }
  return {};
}

} // namespace tandem::component
