// Tandem runs of fuzz modules and their comparison (see difffuzz_trace.h).
#include "fuzz/difffuzz_trace.h"

#include "fuzz/fuzz_support.h"
#include "runtime/module_impl.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>

namespace tandem::difffuzz {
namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// A NaN by its pattern (the spec leaves arithmetic NaN payloads and signs
// open): canonical or arithmetic; a signalling NaN keeps its bits.
std::string float_text(uint64_t bits, uint64_t exponent, uint64_t quiet, uint64_t sign) {
  uint64_t magnitude = bits & ~sign;
  bool nan = (magnitude & exponent) == exponent && magnitude != exponent;
  if (nan && magnitude == (exponent | quiet)) return "nan:canonical";
  if (nan && (magnitude & quiet)) return "nan:arithmetic";
  return hex(bits);
}

uint64_t fnv(std::span<const uint8_t> bytes) {
  uint64_t h = 1469598103934665603ull;
  for (uint8_t b : bytes) h = (h ^ b) * 1099511628211ull;
  return h;
}

std::string state_hash(Store& store, Instance& inst) {
  std::string s;
  for (auto& [name, ext] : inst.exports(store)) {
    if (ext.kind == ExternKind::Memory) {
      std::span<uint8_t> data = ext.memory.data(store);
      s += " mem " + name + "=" + std::to_string(data.size()) + "/" + hex(fnv(data));
    } else if (ext.kind == ExternKind::Global) {
      s += " global " + name + "=" + value_text(ext.global.get(store));
    }
  }
  return s;
}

bool ends_case(const Error& e) {
  return e.kind == ErrorKind::Exhaustion || e.kind == ErrorKind::Unsupported ||
         e.message.find("out of memory") != std::string::npos;
}

std::string logs_text(const std::vector<LogCall>& logs) {
  std::string s;
  for (const LogCall& l : logs) {
    s += " " + l.import;
    for (const Value& v : l.args) s += " " + value_text(v);
  }
  return s;
}

// Sets the tier-up mode the next Store reads (jit::tier_up_config_from_env).
void set_tierup_env(const std::string& mode) {
  if (mode.empty())
    unsetenv("TANDEM_TIERUP");
  else
    setenv("TANDEM_TIERUP", mode.c_str(), 1);
}

} // namespace

std::string RunConfig::label() const {
  switch (tier) {
  case Tier::Interp: return "interp";
  case Tier::Jit: return "jit";
  case Tier::Tiered:
    return "tiered(threshold " + std::to_string(tierup_threshold) +
           (tierup_mode.empty() ? "" : ", " + tierup_mode) + ")";
  }
  return "?";
}

std::string value_text(const Value& v) {
  switch (v.type().kind()) {
  case ValKind::I32: return "i32:" + hex(v.i32());
  case ValKind::I64: return "i64:" + hex(v.i64());
  case ValKind::F32:
    return "f32:" + float_text(v.f32_bits(), 0x7f800000u, 0x00400000u, 0x80000000u);
  case ValKind::F64:
    return "f64:" + float_text(v.f64_bits(), 0x7ff0000000000000ull, 0x0008000000000000ull,
                               0x8000000000000000ull);
  case ValKind::V128: {
    std::string s = "v128:";
    for (uint8_t b : v.v128().bytes) s += hex(b) + ".";
    return s;
  }
  default: return v.ref().is_null() ? "ref:null" : "ref:non-null";
  }
}

std::string call_text(const Call& c) {
  std::string s = c.name + ":";
  if (c.ok) {
    for (const Value& v : c.results) s += " " + value_text(v);
  } else {
    s += " " + std::string(error_kind_name(c.error_kind)) + " " + c.message;
  }
  return s + " |" + logs_text(c.logs) + " |" + c.state;
}

Trace run_module(const std::vector<uint8_t>& bytes, const RunConfig& config) {
  Trace t;
  EngineConfig ec;
  ec.tier = config.tier;
  ec.tierup_threshold = config.tierup_threshold;
  Engine engine(ec);
  Result<Module> module = Module::compile(engine, bytes);
  if (!module.ok()) {
    t.setup = "compile: " + module.error().message;
    t.setup_ends_case = ends_case(module.error());
    return t;
  }
  set_tierup_env(config.tier == Tier::Tiered ? config.tierup_mode : "");
  Store store(engine);
  auto logs = std::make_shared<std::vector<LogCall>>();
  fuzz::HostProvider provider = [logs](Store& s, const wasm::Import& imp,
                                       const FuncType& type) -> std::optional<Func> {
    if (imp.module != "fuzzing-support") return std::nullopt;
    std::string name = imp.name;
    return Func::host(s, type, [logs, name](std::span<const Value> args, std::span<Value>) {
      logs->push_back(LogCall{name, std::vector<Value>(args.begin(), args.end())});
      return Status{};
    });
  };
  const wasm::Module& ir = module.value().impl()->module;
  Result<std::vector<Extern>> imports = fuzz::default_imports(store, ir, provider);
  if (!imports.ok()) {
    t.setup = "imports: " + imports.error().message;
    t.setup_ends_case = true;
    return t;
  }
  Result<Instance> inst = Instance::instantiate(store, module.value(), imports.value());
  t.start_logs = *logs;
  if (!inst.ok()) {
    t.setup = "instantiate: " + std::string(error_kind_name(inst.error().kind)) + " " +
              inst.error().message + " |" + logs_text(t.start_logs);
    t.setup_ends_case = ends_case(inst.error());
    return t;
  }
  t.instantiated = true;
  t.setup = "instantiated |" + logs_text(t.start_logs) + " |" + state_hash(store, inst.value());
  std::optional<Extern> reset = inst.value().get_export(store, "hangLimitInitializer");
  for (auto& [name, ext] : inst.value().exports(store)) {
    if (ext.kind != ExternKind::Func || name == "hangLimitInitializer") continue;
    const FuncType& type = ext.func.type(store);
    std::optional<std::vector<Value>> args = fuzz::zero_args(type);
    if (!args) continue;
    Call c;
    c.name = name;
    for (ValType p : type.params) c.has_v128_signature |= p.kind() == ValKind::V128;
    for (ValType r : type.results) c.has_v128_signature |= r.kind() == ValKind::V128;
    if (reset && reset->kind == ExternKind::Func) (void)reset->func.call(store, {});
    logs->clear();
    Result<std::vector<Value>> r = ext.func.call(store, *args);
    c.logs = *logs;
    if (r.ok()) {
      c.ok = true;
      c.results = r.value();
    } else {
      c.error_kind = r.error().kind;
      c.message = r.error().message;
      c.ends_case = ends_case(r.error());
    }
    c.state = state_hash(store, inst.value());
    bool stop = c.ends_case;
    t.calls.push_back(std::move(c));
    if (stop) break;
  }
  return t;
}

std::string compare_traces(const Trace& a, const std::string& name_a, const Trace& b,
                           const std::string& name_b, size_t* calls_compared) {
  if (a.setup_ends_case || b.setup_ends_case) return "";
  if (a.setup != b.setup) return name_a + ": " + a.setup + "\n" + name_b + ": " + b.setup + "\n";
  size_t n = std::min(a.calls.size(), b.calls.size());
  for (size_t i = 0; i < n; ++i) {
    const Call& x = a.calls[i];
    const Call& y = b.calls[i];
    if (x.ends_case || y.ends_case) return "";
    std::string tx = call_text(x), ty = call_text(y);
    if (tx != ty) return name_a + ": " + tx + "\n" + name_b + ": " + ty + "\n";
    if (calls_compared) ++*calls_compared;
  }
  if (a.calls.size() != b.calls.size())
    return "different number of exports run: " + name_a + " " + std::to_string(a.calls.size()) +
           ", " + name_b + " " + std::to_string(b.calls.size()) + "\n";
  return "";
}

} // namespace tandem::difffuzz
