// tandem-difffuzz [--keep DIR] [--verbose] [--seed N] [--binaryen CMD] [--node CMD]
//                 FILE.wasm...
// Differential execution of binaryen fuzz modules (`wasm-opt -ttf --denan`):
// each module runs on the tandem interpreter, the JIT, and tiered execution
// twice (counting tier-up with a random threshold 1..64 on the background
// compiler thread, and per-function random tiers with a random seed), and the
// traces (difffuzz_trace.h: logging-import calls, results, traps, exported
// memory and global hashes) must agree with the interpreter's. With
// --binaryen CMD (e.g. "wasm-opt --enable-simd ... --fuzz-exec-before") the
// interpreter's trace is also compared with binaryen's own execution, and
// with --node CMD (e.g. "node fuzz/difffuzz_node.mjs") with node's V8
// (difffuzz_reference.h). Stack exhaustion and out-of-memory end a case
// without counting as a divergence.
// Exit status: 0 no divergence, 1 divergences (files copied to --keep DIR
// with a note), 2 usage.
#include "fuzz/difffuzz_reference.h"
#include "fuzz/difffuzz_trace.h"
#include "runtime/module_impl.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace tandem;
using namespace tandem::difffuzz;

namespace {

// Runs `cmd` through the shell and returns its standard output.
std::string capture(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

char type_letter(ValType t) {
  switch (t.kind()) {
  case ValKind::I32: return 'i';
  case ValKind::I64: return 'I';
  case ValKind::F32: return 'f';
  case ValKind::F64: return 'F';
  case ValKind::V128: return 'v';
  default: return 'r';
  }
}

// [[name, "PARAMS/RESULTS"], ...] for the node runner, in export order.
std::string exports_json(const std::vector<uint8_t>& bytes) {
  Engine engine{EngineConfig{}};
  Result<Module> m = Module::compile(engine, bytes);
  if (!m.ok()) return "[]";
  const wasm::Module& ir = m.value().impl()->module;
  std::string json = "[";
  for (const wasm::Export& e : ir.exports) {
    if (e.kind != ExternKind::Func) continue;
    const FuncType& type = ir.func_type_of(e.index);
    std::string sig;
    for (ValType p : type.params) sig += type_letter(p);
    sig += '/';
    for (ValType r : type.results) sig += type_letter(r);
    std::string name;
    for (char c : e.name) {
      if (c == '"' || c == '\\') name += '\\';
      name += c;
    }
    json += std::string(json.size() > 1 ? "," : "") + "[\"" + name + "\",\"" + sig + "\"]";
  }
  return json + "]";
}

struct Totals {
  size_t modules = 0, instantiated = 0, divergent_modules = 0;
  size_t compared_jit = 0, compared_tiered = 0, compared_binaryen = 0, compared_node = 0;
  size_t div_jit = 0, div_tiered = 0, div_binaryen = 0, div_node = 0;
};

} // namespace

int main(int argc, char** argv) {
  fs::path keep;
  bool verbose = false;
  uint64_t seed = 1;
  std::string binaryen, node;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--keep" && i + 1 < argc)
      keep = argv[++i];
    else if (a == "--verbose")
      verbose = true;
    else if (a == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--binaryen" && i + 1 < argc)
      binaryen = argv[++i];
    else if (a == "--node" && i + 1 < argc)
      node = argv[++i];
    else
      files.push_back(a);
  }
  if (files.empty()) {
    std::cerr << "usage: tandem-difffuzz [--keep DIR] [--verbose] [--seed N] [--binaryen CMD] "
                 "[--node CMD] FILE.wasm...\n";
    return 2;
  }
  std::mt19937_64 rng(seed);
  Totals t;
  struct Case {
    std::string file;
    Trace interp;
    std::string diff;
  };
  std::vector<Case> cases;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    ++t.modules;
    RunConfig counting(Tier::Tiered, uint32_t(1 + rng() % 64));
    RunConfig random(Tier::Tiered, 1, "random:" + std::to_string(rng() % 1000000));
    Case k{file, run_module(bytes, RunConfig(Tier::Interp)), ""};
    const Trace& interp = k.interp;
    if (interp.instantiated) ++t.instantiated;
    auto check = [&](const std::string& what, std::string d, size_t& count) {
      if (d.empty()) return;
      ++count;
      k.diff += "[" + what + "]\n" + d;
    };
    check("jit",
          compare_traces(interp, "interp", run_module(bytes, RunConfig(Tier::Jit)), "jit",
                         &t.compared_jit),
          t.div_jit);
    check(counting.label(),
          compare_traces(interp, "interp", run_module(bytes, counting), counting.label(),
                         &t.compared_tiered),
          t.div_tiered);
    check(random.label(),
          compare_traces(interp, "interp", run_module(bytes, random), random.label(),
                         &t.compared_tiered),
          t.div_tiered);
    if (!binaryen.empty() && interp.instantiated) {
      RefOutput ref =
          parse_reference_output(capture(binaryen + " " + shell_quote(file) + " 2>/dev/null"));
      check("binaryen", compare_with_reference(interp, ref, "binaryen", &t.compared_binaryen),
            t.div_binaryen);
    }
    if (verbose) {
      std::cout << file << ": " << interp.setup << "\n";
      for (const Call& c : interp.calls) std::cout << file << ": " << call_text(c) << "\n";
    }
    // Only what the reference runs need is kept.
    k.interp.setup.clear();
    cases.push_back(std::move(k));
  }
  // node: one process for the whole batch (V8's start-up dominates otherwise).
  if (!node.empty()) {
    fs::path jobs =
        fs::temp_directory_path() / ("tandem-difffuzz-" + std::to_string(getpid()) + ".json");
    {
      std::ofstream out(jobs);
      out << "[";
      for (size_t i = 0; i < cases.size(); ++i) {
        std::ifstream in(cases[i].file, std::ios::binary);
        std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
        std::string path = fs::absolute(cases[i].file).string();
        std::string quoted;
        for (char c : path) {
          if (c == '"' || c == '\\') quoted += '\\';
          quoted += c;
        }
        out << (i ? "," : "") << "[\"" << quoted << "\"," << exports_json(bytes) << "]";
      }
      out << "]";
    }
    std::string all = capture(node + " --batch " + shell_quote(jobs.string()) + " 2>/dev/null");
    fs::remove(jobs);
    std::vector<std::string> sections(cases.size());
    size_t pos = 0;
    while ((pos = all.find("[module ", pos)) != std::string::npos) {
      size_t index = std::strtoull(all.c_str() + pos + 8, nullptr, 10);
      size_t body = all.find('\n', pos);
      size_t next = all.find("[module ", pos + 1);
      if (body != std::string::npos && index < sections.size())
        sections[index] =
            all.substr(body + 1, (next == std::string::npos ? all.size() : next) - body - 1);
      pos = pos + 1;
    }
    for (size_t i = 0; i < cases.size(); ++i) {
      if (!cases[i].interp.instantiated) continue;
      std::string d = compare_with_reference(cases[i].interp, parse_reference_output(sections[i]),
                                             "node", &t.compared_node);
      if (d.empty()) continue;
      ++t.div_node;
      cases[i].diff += "[node]\n" + d;
    }
  }
  for (const Case& k : cases) {
    if (k.diff.empty()) continue;
    ++t.divergent_modules;
    std::cout << "DIVERGENCE " << k.file << "\n" << k.diff;
    if (!keep.empty()) {
      fs::create_directories(keep);
      fs::path stem = keep / fs::path(k.file).stem();
      fs::copy_file(k.file, stem.string() + ".wasm", fs::copy_options::overwrite_existing);
      std::ofstream(stem.string() + ".txt") << "tandem-difffuzz --seed " << seed << " "
                                            << fs::path(k.file).filename().string() << "\n"
                                            << k.diff;
    }
  }
  std::cout << "modules " << t.modules << ", instantiated " << t.instantiated
            << ", calls compared: jit " << t.compared_jit << ", tiered " << t.compared_tiered
            << ", binaryen " << t.compared_binaryen << ", node " << t.compared_node
            << "; divergences: jit " << t.div_jit << ", tiered " << t.div_tiered << ", binaryen "
            << t.div_binaryen << ", node " << t.div_node << "; divergent modules "
            << t.divergent_modules << "\n";
  return t.divergent_modules == 0 ? 0 : 1;
}
