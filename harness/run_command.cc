// `tandem run [OPTIONS] FILE [ARGS...]`: runs a core module (binary or text,
// told apart by the \0asm magic, not the extension). A module exporting
// `_start` runs as a WASI preview1 command (engine/wasi): ARGS become argv
// (argv[0] is FILE as given) and proc_exit's code becomes the exit status.
// `--invoke NAME ARGS` calls any export with ARGS parsed by its parameter
// types and prints the results one per line.
//
// Exit status: the program's (0 when _start returns); 1 for a trap, stack
// exhaustion or an uncaught exception ("error: wasm trap: MESSAGE" on
// stderr); 2 for bad usage or input: missing/unreadable file, malformed or
// invalid module, unknown imports, a missing export, wrong --invoke
// arguments. Components are run by run_component.cc.
#include "commands.h"

#include <cstdio>

#include "run_component.h"
#include "script_runner.h"
#include "value_format.h"
#include "wasi/wasi.h"
#include "wast/wat_module.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace tandem::harness {
namespace {

bool read_file(const std::string& path, std::vector<uint8_t>& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = "read error";
    return false;
  }
  return true;
}

bool looks_like_component_text(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(uint8_t(text[i]))) {
      ++i;
    } else if (text.substr(i, 2) == ";;") {
      i = text.find('\n', i);
      if (i == std::string_view::npos) return false;
    } else if (text.substr(i, 2) == "(;") {
      i = text.find(";)", i);
      if (i == std::string_view::npos) return false;
      i += 2;
    } else {
      break;
    }
  }
  if (i >= text.size() || text[i] != '(') return false;
  ++i;
  while (i < text.size() && std::isspace(uint8_t(text[i]))) ++i;
  return text.substr(i, 9) == "component";
}

// Parses an integer argument: decimal or 0x hex, optionally signed; accepted
// if it fits the type signed or unsigned.
bool parse_int(std::string_view s, unsigned bits, uint64_t& out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c == '_') continue;
    int d = std::isdigit(uint8_t(c))                    ? c - '0'
            : (base == 16 && std::isxdigit(uint8_t(c))) ? std::tolower(c) - 'a' + 10
                                                        : -1;
    if (d < 0) return false;
    if (v > (UINT64_MAX - uint64_t(d)) / uint64_t(base)) return false;
    v = v * uint64_t(base) + uint64_t(d);
  }
  uint64_t umax = bits == 64 ? UINT64_MAX : (uint64_t(1) << bits) - 1;
  uint64_t neg_max = uint64_t(1) << (bits - 1);
  if (neg) {
    if (v > neg_max) return false;
    out = (0 - v) & umax;
  } else {
    if (v > umax) return false;
    out = v;
  }
  return true;
}

// Parses a float argument: anything strtod accepts (decimal, hex, inf, nan)
// plus nan:0xPAYLOAD. `bits` is 32 or 64; returns the bit pattern.
bool parse_float(std::string_view s, unsigned bits, uint64_t& out) {
  std::string str(s);
  std::string_view body = s;
  bool neg = !body.empty() && body[0] == '-';
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
  if (body.starts_with("nan:")) {
    uint64_t payload = 0;
    unsigned mant = bits == 32 ? 23 : 52;
    if (!parse_int(body.substr(4), 64, payload) || payload == 0 || payload >= (uint64_t(1) << mant))
      return false;
    uint64_t exp = bits == 32 ? 0x7f800000ull : 0x7ff0000000000000ull;
    out = exp | payload | (neg ? uint64_t(1) << (bits - 1) : 0);
    return true;
  }
  if (str.empty() || std::isspace(uint8_t(str[0]))) return false;
  char* end = nullptr;
  errno = 0;
  if (bits == 32) {
    float f = std::strtof(str.c_str(), &end);
    if (end != str.c_str() + str.size()) return false;
    uint32_t b;
    std::memcpy(&b, &f, 4);
    out = b;
  } else {
    double d = std::strtod(str.c_str(), &end);
    if (end != str.c_str() + str.size()) return false;
    std::memcpy(&out, &d, 8);
  }
  return true;
}

std::string format_result(Store& store, const Value& v) {
  switch (v.type().kind()) {
  case ValKind::I32: return std::to_string(int32_t(v.i32()));
  case ValKind::I64: return std::to_string(int64_t(v.i64()));
  case ValKind::F32: return format_f32(v.f32_bits());
  case ValKind::F64: return format_f64(v.f64_bits());
  case ValKind::V128: return format_v128(v.v128(), LaneShape::I32x4);
  case ValKind::Ref: return format_ref(store.describe(v));
  case ValKind::Bot: break;
  }
  return "?";
}

// Reports a failed call or instantiation; proc_exit is not a failure.
int report_call_error(const Error& e, const wasi::Wasi& host, const std::string& what) {
  if (auto code = host.exit_code()) return int(*code);
  switch (e.kind) {
  case ErrorKind::Trap:
    std::fprintf(stderr, "error: wasm trap: %s\n  (while %s)\n", e.message.c_str(), what.c_str());
    return kRunExitTrap;
  case ErrorKind::Exhaustion:
  case ErrorKind::Exception:
    std::fprintf(stderr, "error: %s\n  (while %s)\n", e.message.c_str(), what.c_str());
    return kRunExitTrap;
  default:
    std::fprintf(stderr, "tandem run: error while %s: %s: %s\n", what.c_str(),
                 error_kind_name(e.kind), e.message.c_str());
    return kRunExitUsage;
  }
}

Result<wasi::WasiConfig> make_wasi_config(const CliOptions& options) {
  wasi::WasiConfig config;
  config.args = options.positionals; // argv[0] = FILE as given
  for (const auto& kv : options.envs) {
    if (kv.find('=') == std::string::npos || kv.front() == '=')
      return Error::make(ErrorKind::Usage, "--env needs K=V, not '" + kv + "'");
    config.env.push_back(kv);
  }
  for (const auto& d : options.dirs) {
    size_t sep = d.find("::");
    wasi::Preopen p;
    p.host_path = d.substr(0, sep);
    p.guest_path = sep == std::string::npos ? d : d.substr(sep + 2);
    if (p.host_path.empty() || p.guest_path.empty())
      return Error::make(ErrorKind::Usage, "--dir needs HOST[::GUEST], not '" + d + "'");
    config.preopens.push_back(std::move(p));
  }
  return config;
}

int invoke_export(Store& store, const Instance& instance, wasi::Wasi& host,
                  const CliOptions& options) {
  const std::string& name = options.invoke;
  auto ext = instance.get_export(store, name);
  if (!ext || ext->kind != ExternKind::Func)
    return run_fail(kRunExitUsage,
                    "'" + options.positionals[0] + "' has no exported function '" + name + "'");
  FuncType type = ext->func.type(store);
  std::span<const std::string> raw(options.positionals.begin() + 1, options.positionals.end());
  if (raw.size() != type.params.size())
    return run_fail(kRunExitUsage, "'" + name + "' takes " + std::to_string(type.params.size()) +
                                       " argument(s), " + std::to_string(raw.size()) + " given");
  std::vector<Value> args;
  for (size_t i = 0; i < raw.size(); ++i) {
    uint64_t bits = 0;
    bool ok = false;
    const char* tname = "?";
    switch (type.params[i].kind()) {
    case ValKind::I32: ok = parse_int(raw[i], 32, bits), tname = "i32"; break;
    case ValKind::I64: ok = parse_int(raw[i], 64, bits), tname = "i64"; break;
    case ValKind::F32: ok = parse_float(raw[i], 32, bits), tname = "f32"; break;
    case ValKind::F64: ok = parse_float(raw[i], 64, bits), tname = "f64"; break;
    default:
      return run_fail(kRunExitUsage,
                      "argument " + std::to_string(i + 1) + " of '" + name +
                          "' has a type --invoke cannot parse (only i32, i64, f32, f64)");
    }
    if (!ok)
      return run_fail(kRunExitUsage, "argument " + std::to_string(i + 1) + " of '" + name + "': '" +
                                         raw[i] + "' is not a valid " + tname);
    switch (type.params[i].kind()) {
    case ValKind::I32: args.push_back(Value::i32(uint32_t(bits))); break;
    case ValKind::I64: args.push_back(Value::i64(bits)); break;
    case ValKind::F32: args.push_back(Value::f32_bits(uint32_t(bits))); break;
    default: args.push_back(Value::f64_bits(bits)); break;
    }
  }
  auto results = ext->func.call(store, args);
  std::fflush(stdout);
  if (!results) return report_call_error(results.error(), host, "calling '" + name + "'");
  for (const Value& v : *results) std::printf("%s\n", format_result(store, v).c_str());
  return 0;
}

} // namespace

int run_run_command(const CliOptions& options) {
  if (options.positionals.empty())
    return run_fail(kRunExitUsage, "missing FILE (see 'tandem run --help')");
  const std::string& file = options.positionals[0];
  std::vector<uint8_t> bytes;
  std::string io_error;
  if (!read_file(file, bytes, io_error))
    return run_fail(kRunExitUsage, "cannot read '" + file + "': " + io_error);

  static constexpr uint8_t kMagic[4] = {0, 'a', 's', 'm'};
  bool binary = bytes.size() >= 4 && std::memcmp(bytes.data(), kMagic, 4) == 0;
  // Core modules have version 1 (01 00 00 00); components have layer 1 in bytes 6-7.
  bool is_component = binary ? bytes.size() >= 8 && bytes[6] == 1 && bytes[7] == 0
                             : looks_like_component_text(std::string_view(
                                   reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  if (!binary && !is_component) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    auto encoded = wast::wat_to_binary(text);
    if (!encoded) {
      const Error& e = encoded.error();
      return run_fail(kRunExitUsage, file + ":" + std::to_string(e.line) + ":" +
                                         std::to_string(e.column) +
                                         ": not a wasm binary (no \\0asm "
                                         "magic) nor valid text: " +
                                         e.message);
    }
    bytes = std::move(*encoded);
  }

  EngineConfig config;
  config.features = options.features;
  TierChoice tier = options.tier;
  config.tier = tier == TierChoice::Jit      ? Tier::Jit
                : tier == TierChoice::Tiered ? Tier::Tiered
                                             : Tier::Interp;
  Engine engine(config);
  if (is_component) return run_component(options, engine, std::move(bytes), binary);
  auto module = Module::compile(engine, bytes);
  if (!module) {
    const Error& e = module.error();
    std::string where = binary ? " at byte offset " + std::to_string(e.offset) : "";
    return run_fail(kRunExitUsage,
                    file + where + ": " + error_kind_name(e.kind) + " module: " + e.message);
  }

  auto wasi_config = make_wasi_config(options);
  if (!wasi_config) return run_fail(kRunExitUsage, wasi_config.error().message);
  auto host = wasi::Wasi::create(std::move(*wasi_config));
  if (!host) return run_fail(kRunExitUsage, host.error().message);

  Store store(engine);
  std::vector<Extern> imports;
  for (const ImportDesc& imp : module->imports()) {
    if (imp.module != wasi::kModuleName || imp.kind != ExternKind::Func)
      return run_fail(kRunExitUsage, file + ": unknown import '" + imp.module + "::" + imp.name +
                                         "' (only " + std::string(wasi::kModuleName) +
                                         " functions can be imported)");
    auto f = (*host)->import_function(store, imp.name);
    if (!f) return run_fail(kRunExitUsage, file + ": " + f.error().message);
    Extern ext;
    ext.kind = ExternKind::Func;
    ext.func = *f;
    imports.push_back(ext);
  }
  auto instance = Instance::instantiate(store, *module, imports);
  if (!instance) return report_call_error(instance.error(), **host, "instantiating " + file);
  if (auto mem = instance->get_export(store, "memory"); mem && mem->kind == ExternKind::Memory)
    (*host)->set_memory(mem->memory);

  if (!options.invoke.empty()) {
    if (auto init = instance->get_export(store, "_initialize");
        init && init->kind == ExternKind::Func && options.invoke != "_initialize") {
      auto r = init->func.call(store, {});
      if (!r) return report_call_error(r.error(), **host, "calling '_initialize'");
    }
    return invoke_export(store, *instance, **host, options);
  }
  auto start = instance->get_export(store, "_start");
  if (!start || start->kind != ExternKind::Func)
    return run_fail(kRunExitUsage, "'" + file +
                                       "' has no '_start' export (not a WASI command); use "
                                       "--invoke NAME to call another export");
  FuncType type = start->func.type(store);
  if (!type.params.empty() || !type.results.empty())
    return run_fail(kRunExitUsage,
                    "'" + file + "': '_start' must take no parameters and return nothing");
  auto r = start->func.call(store, {});
  std::fflush(stdout);
  if (!r) return report_call_error(r.error(), **host, "running '_start' of " + file);
  return 0;
}

} // namespace tandem::harness
