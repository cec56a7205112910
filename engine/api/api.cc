// The implementation of the public embedding API (tandem/tandem.h) on top of
// the decoder, the validator, the runtime and the interpreter.
//
// Tier selection: see wasm_entry_for (the entry each defined function gets).
#include "decoder/custom_sections.h"
#include "decoder/module_decoder.h"
#include "interp/interp.h"
#include "jit/jit.h"
#include "jit/tier_up.h"
#include "runtime/handles.h"
#include "runtime/memory.h"
#include "runtime/module_impl.h"
#include "runtime/store.h"
#include "tandem/tandem.h"

#if TANDEM_HAVE_VALIDATOR
#include "validator/validator.h"
#endif

namespace tandem {

namespace {

// Tier hook (added by H8, the JIT): Tier::Jit compiles every defined
// function before its first execution; Tier::Tiered starts every function
// in the interpreter and the store's tier-up hook (set in Store::Store)
// moves hot ones to compiled code. A function the JIT rejects runs on the
// interpreter (counted in jit::stats()).
rt::EntryFn wasm_entry_for(const EngineConfig& config) {
  jit::set_fallback_entry(&interp::interp_entry);
  bool jit_only =
      config.tier == Tier::Jit || (config.tier == Tier::Tiered && config.tierup_threshold == 0);
  return jit_only ? &jit::lazy_compile_entry : &interp::interp_entry;
}

// Canonical form of an API-level type (abstract heap types only).
ValType api_val(ValType t) {
  return t;
}

} // namespace

// ---- Engine / Store ----------------------------------------------------------

Engine::Engine(EngineConfig config) : config_(std::move(config)) {}

Store::Store(const Engine& engine) : impl_(std::make_unique<rt::StoreImpl>(engine)) {
  if (engine.config().tier == Tier::Tiered && engine.config().tierup_threshold > 0) { // H8
    jit::set_fallback_entry(&interp::interp_entry);
    impl_->exec.tierup =
        jit::tier_up_hook(jit::tier_up_config_from_env(engine.config().tierup_threshold));
  }
}
Store::~Store() = default;
const Engine& Store::engine() const {
  return impl_->engine;
}

Value Store::extern_ref(uint32_t host_id) {
  rt::HostRefObj* o = impl_->host_ref(host_id);
  return Value::ref(kExternRef, RefBits{reinterpret_cast<uintptr_t>(o)});
}

Value Store::host_any_ref(uint32_t host_id) {
  rt::HostRefObj* o = impl_->host_ref(host_id);
  return Value::ref(ValType::ref_null(AbsHeap::Any), RefBits{reinterpret_cast<uintptr_t>(o)});
}

RefDescription Store::describe(const Value& v) const {
  RefDescription d;
  if (!v.type().is_ref()) return d;
  d.hierarchy = impl_->types.top_of(v.type().heap());
  uintptr_t bits = v.ref().bits;
  if (bits == 0) return d;
  rt::ObjKind kind = rt::obj_kind(bits);
  if (d.hierarchy == AbsHeap::Extern) {
    // Anything seen through an externref (extern.convert_any keeps the value).
    d.kind = RefKind::Extern;
    if (kind == rt::ObjKind::Host)
      d.host_id = reinterpret_cast<const rt::HostRefObj*>(bits)->host_id;
    return d;
  }
  switch (kind) {
  case rt::ObjKind::Func:
    d.kind = RefKind::Func;
    d.hierarchy = AbsHeap::Func;
    break;
  case rt::ObjKind::Host:
    d.kind = RefKind::HostAny;
    d.hierarchy = AbsHeap::Any;
    d.host_id = reinterpret_cast<const rt::HostRefObj*>(bits)->host_id;
    break;
  case rt::ObjKind::Exn:
    d.kind = RefKind::Exn;
    d.hierarchy = AbsHeap::Exn;
    break;
  case rt::ObjKind::Struct: d.kind = RefKind::Struct; break;
  case rt::ObjKind::Array: d.kind = RefKind::Array; break;
  case rt::ObjKind::I31: d.kind = RefKind::I31; break;
  }
  return d;
}

// ---- Module --------------------------------------------------------------------

Result<Module> Module::compile(const Engine& engine, std::span<const uint8_t> bytes) {
  const FeatureSet& features = engine.config().features;
  TANDEM_ASSIGN(wasm::Module decoded,
                decode_module(std::vector<uint8_t>(bytes.begin(), bytes.end()), features));
#if TANDEM_HAVE_VALIDATOR
  TANDEM_TRY(validate_module(decoded, features));
#endif
  auto impl = std::make_shared<rt::ModuleImpl>();
  impl->module = std::move(decoded);
  impl->features = features;
#if TANDEM_ASSERTIONS
  if (const std::string& name = engine.config().debug_jit_miscompile; !name.empty()) {
    std::optional<Op> op = op_by_name(name);
    std::string_view sig = op ? op_info(*op).sig : std::string_view();
    Shape shape = op ? op_info(*op).shape : Shape::Const;
    bool numeric = shape == Shape::Unary || shape == Shape::Binary || shape == Shape::Compare ||
                   shape == Shape::Test || shape == Shape::Convert;
    bool int_result =
        sig.size() >= 2 && sig[sig.size() - 2] == ':' && (sig.back() == 'i' || sig.back() == 'I');
    if (!numeric || !int_result)
      return Error::make(ErrorKind::Usage, "debug_jit_miscompile: \"" + name +
                                               "\" is not a numeric operator with an integer "
                                               "result");
    impl->jit_miscompile = op;
  }
#endif
  Module m;
  rt::HandleAccess::set_module(m, std::move(impl));
  return m;
}

Status Module::decode_only(const Engine& engine, std::span<const uint8_t> bytes) {
  TANDEM_TRY(
      decode_module(std::vector<uint8_t>(bytes.begin(), bytes.end()), engine.config().features));
  return {};
}

Status Module::check_custom_sections() const {
  if (!impl_) return {};
  return tandem::check_custom_sections(impl_->module);
}

std::vector<ImportDesc> Module::imports() const {
  std::vector<ImportDesc> out;
  if (!impl_) return out;
  for (const wasm::Import& imp : impl_->module.imports)
    out.push_back(ImportDesc{imp.module, imp.name, imp.kind});
  return out;
}

std::vector<ExportDesc> Module::exports() const {
  std::vector<ExportDesc> out;
  if (!impl_) return out;
  for (const wasm::Export& e : impl_->module.exports) out.push_back(ExportDesc{e.name, e.kind});
  return out;
}

// ---- Func -------------------------------------------------------------------------

Func Func::host(Store& store, FuncType type, HostCallback cb) {
  for (ValType& t : type.params) t = api_val(t);
  for (ValType& t : type.results) t = api_val(t);
  return rt::HandleAccess::func(store.impl()->new_host_func(std::move(type), std::move(cb)));
}

FuncType Func::type(const Store&) const {
  return f_ ? *f_->type : FuncType{};
}

Result<std::vector<Value>> Func::call(Store& store, std::span<const Value> args) const {
  if (!f_) return Error::make(ErrorKind::Usage, "call of a null function handle");
  return store.impl()->invoke(f_, args);
}

// ---- Table / Memory / Global -------------------------------------------------------

Result<Table> Table::create(Store& store, TableType type, Value init) {
  rt::TableInst& t = store.impl()->tables.emplace_back();
  type.elem = api_val(type.elem);
  TANDEM_TRY(rt::table_create(t, type, init.ref().bits));
  return rt::HandleAccess::table(&t);
}

TableType Table::type(const Store&) const {
  return t_ ? rt::table_type(*t_) : TableType{};
}
uint64_t Table::size(const Store&) const {
  return t_ ? t_->size : 0;
}

Result<Memory> Memory::create(Store& store, MemoryType type) {
  rt::MemoryInst& m = store.impl()->memories.emplace_back();
  TANDEM_TRY(rt::memory_create(m, type));
  return rt::HandleAccess::memory(&m);
}

MemoryType Memory::type(const Store&) const {
  return m_ ? rt::memory_type(*m_) : MemoryType{};
}

std::span<uint8_t> Memory::data(Store&) const {
  if (!m_) return {};
  return std::span<uint8_t>(m_->base, m_->size);
}

Result<Global> Global::create(Store& store, GlobalType type, Value init) {
  rt::GlobalInst& g = store.impl()->globals.emplace_back();
  g.type = api_val(type.type);
  g.mut = type.mut;
  g.value = rt::to_raw(init);
  return rt::HandleAccess::global(&g);
}

GlobalType Global::type(const Store&) const {
  return g_ ? GlobalType{g_->type, g_->mut} : GlobalType{};
}

Value Global::get(const Store&) const {
  return g_ ? rt::from_raw(g_->value, g_->type) : Value();
}

// ---- Instance ------------------------------------------------------------------------

Result<Instance> Instance::instantiate(Store& store, const Module& module,
                                       std::span<const Extern> imports) {
  if (!module.impl()) return Error::make(ErrorKind::Usage, "instantiate of an empty module");
  rt::StoreImpl& s = *store.impl();
  TANDEM_ASSIGN(rt::ModuleInst * inst,
                rt::instantiate(s, module.impl(), imports, wasm_entry_for(s.engine.config())));
  return rt::HandleAccess::instance(inst);
}

std::optional<Extern> Instance::get_export(const Store&, std::string_view name) const {
  if (!inst_) return std::nullopt;
  for (const auto& [n, e] : inst_->exports)
    if (n == name) return e;
  return std::nullopt;
}

std::vector<std::pair<std::string, Extern>> Instance::exports(const Store&) const {
  if (!inst_) return {};
  return inst_->exports;
}

} // namespace tandem
