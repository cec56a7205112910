// tandem-difffuzz [--keep DIR] [--verbose] FILE.wasm...: differential execution of
// each module on the interpreter and on the JIT. binaryen's `wasm-opt -ttf`
// modules import `fuzzing-support` log-i32/i64/f32/f64; those calls are
// recorded. For each exported function (after calling `hangLimitInitializer`
// when the module has it, as binaryen's own harness does) the driver records
// the logs, the results or the trap, then a hash of every exported memory and
// global. The two traces must be identical. Stack exhaustion or a resource
// error ends the comparison at that export (not a divergence). Floating-point
// NaNs compare equal whatever their payload. Exit status: 0 no divergence,
// 1 divergences (files copied to --keep DIR with a note), 2 usage.
#include "fuzz/fuzz_support.h"
#include "runtime/module_impl.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace tandem;

namespace {

struct Block {
  std::string text;
  bool ends_case = false; // exhaustion / resource error: stop comparing here
};

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

bool f32_nan(uint32_t b) {
  return (b & 0x7f800000u) == 0x7f800000u && (b & 0x7fffffu) != 0;
}
bool f64_nan(uint64_t b) {
  return (b & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (b & 0xfffffffffffffull) != 0;
}

std::string show(const Store& store, const Value& v) {
  switch (v.type().kind()) {
  case ValKind::I32: return "i32:" + hex(v.i32());
  case ValKind::I64: return "i64:" + hex(v.i64());
  case ValKind::F32: return f32_nan(v.f32_bits()) ? "f32:nan" : "f32:" + hex(v.f32_bits());
  case ValKind::F64: return f64_nan(v.f64_bits()) ? "f64:nan" : "f64:" + hex(v.f64_bits());
  case ValKind::V128: {
    std::string s = "v128:";
    for (uint8_t b : v.v128().bytes) s += hex(b) + ".";
    return s;
  }
  default: return "ref:" + std::to_string(int(store.describe(v).kind));
  }
}

uint64_t fnv(std::span<const uint8_t> bytes, uint64_t h = 1469598103934665603ull) {
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
      s += " global " + name + "=" + show(store, ext.global.get(store));
    }
  }
  return s;
}

bool ends_case(const Error& e) {
  return e.kind == ErrorKind::Exhaustion || e.kind == ErrorKind::Unsupported ||
         e.message.find("out of memory") != std::string::npos;
}

// Runs the module on one tier; the first block describes compile+instantiate.
std::vector<Block> run(const std::vector<uint8_t>& bytes, Tier tier) {
  std::vector<Block> blocks;
  EngineConfig config;
  config.tier = tier;
  Engine engine(config);
  Result<Module> module = Module::compile(engine, bytes);
  if (!module.ok()) {
    blocks.push_back({"compile: " + module.error().message, ends_case(module.error())});
    return blocks;
  }
  Store store(engine);
  auto log = std::make_shared<std::string>();
  fuzz::HostProvider provider;
  provider = [log](Store& s, const wasm::Import& imp, const FuncType& type) -> std::optional<Func> {
    if (imp.module != "fuzzing-support") return std::nullopt;
    std::string name = imp.name;
    return Func::host(s, type,
                      [log, name, &s](std::span<const Value> args, std::span<Value>) -> Status {
                        *log += " " + name;
                        for (const Value& a : args) *log += " " + show(s, a);
                        return {};
                      });
  };
  const wasm::Module& ir = module.value().impl()->module;
  Result<std::vector<Extern>> imports = fuzz::default_imports(store, ir, provider);
  if (!imports.ok()) {
    blocks.push_back({"imports: " + imports.error().message, true});
    return blocks;
  }
  Result<Instance> inst = Instance::instantiate(store, module.value(), imports.value());
  if (!inst.ok()) {
    blocks.push_back({"instantiate: " + std::string(error_kind_name(inst.error().kind)) + " " +
                          inst.error().message,
                      ends_case(inst.error())});
    return blocks;
  }
  blocks.push_back({"instantiated" + *log + state_hash(store, inst.value()), false});
  std::optional<Extern> reset = inst.value().get_export(store, "hangLimitInitializer");
  for (auto& [name, ext] : inst.value().exports(store)) {
    if (ext.kind != ExternKind::Func || name == "hangLimitInitializer") continue;
    std::optional<std::vector<Value>> args = fuzz::zero_args(ext.func.type(store));
    if (!args) continue;
    log->clear();
    Block b;
    if (reset && reset->kind == ExternKind::Func) (void)reset->func.call(store, {});
    Result<std::vector<Value>> r = ext.func.call(store, *args);
    b.text = name + ":";
    if (r.ok()) {
      for (const Value& v : r.value()) b.text += " " + show(store, v);
    } else {
      b.text += " " + std::string(error_kind_name(r.error().kind)) + " " + r.error().message;
      b.ends_case = ends_case(r.error());
    }
    b.text += " |" + *log + " |" + state_hash(store, inst.value());
    bool stop = b.ends_case;
    blocks.push_back(std::move(b));
    if (stop) break;
  }
  return blocks;
}

} // namespace

int main(int argc, char** argv) {
  fs::path keep;
  bool verbose = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--keep" && i + 1 < argc)
      keep = argv[++i];
    else if (a == "--verbose")
      verbose = true;
    else
      files.push_back(a);
  }
  if (files.empty()) {
    std::cerr << "usage: tandem-difffuzz [--keep DIR] [--verbose] FILE.wasm...\n";
    return 2;
  }
  size_t ran = 0, compiled = 0, divergences = 0, calls = 0;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<Block> a = run(bytes, Tier::Interp);
    std::vector<Block> b = run(bytes, Tier::Jit);
    ++ran;
    if (a.size() > 1) ++compiled;
    size_t n = std::min(a.size(), b.size());
    std::string diff;
    for (size_t i = 0; i < n; ++i) {
      if (a[i].text != b[i].text) {
        diff = "interp: " + a[i].text + "\njit:    " + b[i].text + "\n";
        break;
      }
      if (a[i].ends_case || b[i].ends_case) {
        n = i + 1;
        break;
      }
    }
    bool ended = (n > 0 && (a[n - 1].ends_case || b[n - 1].ends_case));
    if (diff.empty() && a.size() != b.size() && !ended)
      diff = "different number of exports run: " + std::to_string(a.size()) + " vs " +
             std::to_string(b.size()) + "\n";
    calls += n > 0 ? n - 1 : 0;
    if (verbose)
      for (const Block& blk : a) std::cout << file << ": " << blk.text << "\n";
    if (diff.empty()) continue;
    ++divergences;
    std::cout << "DIVERGENCE " << file << "\n" << diff;
    if (!keep.empty()) {
      fs::create_directories(keep);
      fs::path stem = keep / fs::path(file).stem();
      fs::copy_file(file, stem.string() + ".wasm", fs::copy_options::overwrite_existing);
      std::ofstream(stem.string() + ".txt")
          << "tandem-difffuzz " << fs::path(file).filename().string() << "\n"
          << diff;
    }
  }
  std::cout << "modules " << ran << ", instantiated " << compiled << ", export calls compared "
            << calls << ", divergences " << divergences << "\n";
  return divergences == 0 ? 0 : 1;
}
