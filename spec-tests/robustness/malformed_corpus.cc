// tandem-malformed-corpus: the long malformed-corpus run (issue 9). Every
// module of every .wast under the given paths (text modules encoded by the
// WAT encoder, binary modules as written, quoted modules when they encode;
// core modules and components; assertion modules included) is cut at every
// length and mutated by random bit flips; each input goes through decode +
// validate (core: decode_module/validate_module; component:
// decode_component/validate_component). Every input must give a clean error
// or a valid result within --limit seconds; a crash ends the process (run it
// under the asan preset to catch memory errors too).
//
// Usage: tandem-malformed-corpus [--flips N] [--seed S] [--limit SECONDS]
//                                [--max-size BYTES] PATH...
// Prints the counts; exit 1 if any input took longer than the limit.
// The ctest hostile_input_test runs a fast sample; ci/malformed-corpus.sh
// runs this over the whole suite.
#include "component/decoder.h"
#include "component/validator.h"
#include "decoder/module_decoder.h"
#include "validator/validator.h"
#include "wast/component_encoder.h"
#include "wast/script.h"
#include "wast/wat_module.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace tandem;

namespace {

using Clock = std::chrono::steady_clock;

// Per-input limits use process CPU time (the box is shared; wall time
// mostly measures the other jobs).
double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

struct CorpusModule {
  bool component = false;
  std::vector<uint8_t> bytes;
  std::string origin; // file:line
};

struct Collector {
  std::set<size_t> seen;
  std::vector<CorpusModule> modules;
  size_t max_size = 0;
  void add(bool component, std::vector<uint8_t> bytes, std::string origin) {
    if (bytes.empty() || (max_size && bytes.size() > max_size)) return;
    size_t h = std::hash<std::string_view>{}(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    if (!seen.insert(h ^ size_t(component)).second) return;
    modules.push_back({component, std::move(bytes), std::move(origin)});
  }
};

void collect(const wast::Script& s, const std::vector<wast::Command>& cmds, const std::string& file,
             Collector& out) {
  for (const wast::Command& c : cmds) {
    collect(s, c.body, file, out);
    const wast::ModuleSource& m = c.module;
    bool component = m.kind != wast::ModuleKind::Core;
    std::string origin = file + ":" + std::to_string(m.loc.line);
    Result<std::vector<uint8_t>> bytes = Error::make(ErrorKind::Malformed, "none");
    if (m.form == wast::ModuleForm::Binary) {
      bytes = std::vector<uint8_t>(m.bytes.begin(), m.bytes.end());
    } else if (m.form == wast::ModuleForm::Text && m.form_end > m.form_begin) {
      bytes = component ? wast::encode_wat_component(s.form_tokens(m))
                        : wast::encode_wat_module(s.form_tokens(m));
    } else if (m.form == wast::ModuleForm::Quote) {
      bytes = component ? wast::component_text_to_binary(m.text) : wast::wat_to_binary(m.text);
    }
    if (bytes.ok()) out.add(component, std::move(bytes).value(), origin);
  }
}

// Decode + validate one input; true if valid. Never crashes (that is the test).
bool check(bool component, std::vector<uint8_t> bytes) {
  if (component) {
    auto c = component::decode_component(bytes, FeatureSet::all());
    return c.ok() && component::validate_component(*c.value(), FeatureSet::all()).ok();
  }
  Result<wasm::Module> m = decode_module(std::move(bytes), FeatureSet::all());
  return m.ok() && validate_module(m.value(), FeatureSet::all()).ok();
}

struct Stats {
  size_t inputs = 0, valid = 0, slow = 0;
  double max_seconds = 0;
  std::string slowest;
};

void run_one(const CorpusModule& m, std::vector<uint8_t> input, const std::string& what,
             double limit, Stats& st) {
  double start = cpu_now();
  bool ok = check(m.component, std::move(input));
  double t = cpu_now() - start;
  ++st.inputs;
  st.valid += ok;
  if (t > st.max_seconds) {
    st.max_seconds = t;
    st.slowest = m.origin + " " + what;
  }
  if (t > limit) {
    ++st.slow;
    std::fprintf(stderr, "SLOW %.3f s: %s %s\n", t, m.origin.c_str(), what.c_str());
  }
}

int usage() {
  std::fprintf(stderr, "usage: tandem-malformed-corpus [--flips N] [--seed S] [--limit SECONDS] "
                       "[--max-size BYTES] PATH...\n");
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  size_t flips = 64;
  unsigned seed = 1;
  double limit = 1.0;
  Collector col;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--flips" && (v = value()))
      flips = std::strtoul(v, nullptr, 10);
    else if (a == "--seed" && (v = value()))
      seed = unsigned(std::strtoul(v, nullptr, 10));
    else if (a == "--limit" && (v = value()))
      limit = std::strtod(v, nullptr);
    else if (a == "--max-size" && (v = value()))
      col.max_size = std::strtoul(v, nullptr, 10);
    else if (a.starts_with("--"))
      return usage();
    else
      paths.push_back(a);
  }
  if (paths.empty()) return usage();

  auto start = Clock::now();
  std::vector<fs::path> files;
  for (const std::string& p : paths) {
    if (fs::is_regular_file(p)) {
      files.push_back(p);
      continue;
    }
    if (!fs::is_directory(p)) {
      std::fprintf(stderr, "tandem-malformed-corpus: no such file or directory: %s\n", p.c_str());
      return 2;
    }
    for (const auto& e : fs::recursive_directory_iterator(p))
      if (e.is_regular_file() && e.path().extension() == ".wast") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string source = ss.str();
    Result<wast::Script> script = wast::parse_script(source, f.string());
    if (!script.ok()) continue;
    collect(script.value(), script.value().commands, f.string(), col);
  }
  size_t core = 0, bytes = 0;
  for (const CorpusModule& m : col.modules) {
    core += !m.component;
    bytes += m.bytes.size();
  }
  std::printf("%zu files, %zu distinct modules (%zu core, %zu components, %zu bytes)\n",
              files.size(), col.modules.size(), core, col.modules.size() - core, bytes);
  std::fflush(stdout);

  std::mt19937 rng(seed);
  Stats trunc, flip;
  for (const CorpusModule& m : col.modules) {
    for (size_t len = 0; len < m.bytes.size(); ++len)
      run_one(m, std::vector<uint8_t>(m.bytes.begin(), m.bytes.begin() + long(len)),
              "truncated to " + std::to_string(len), limit, trunc);
    for (size_t k = 0; k < flips; ++k) {
      std::vector<uint8_t> copy = m.bytes;
      int nbits = 1 + int(rng() % 4);
      std::string what = "flips";
      for (int b = 0; b < nbits; ++b) {
        size_t pos = rng() % copy.size();
        unsigned bit = rng() % 8;
        copy[pos] ^= uint8_t(1u << bit);
        what += " " + std::to_string(pos) + ":" + std::to_string(bit);
      }
      run_one(m, std::move(copy), what, limit, flip);
    }
  }
  double total = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("truncations: %zu inputs (%zu valid), max %.4f s (%s)\n", trunc.inputs, trunc.valid,
              trunc.max_seconds, trunc.slowest.c_str());
  std::printf("bit flips:   %zu inputs (%zu valid), max %.4f s (%s)\n", flip.inputs, flip.valid,
              flip.max_seconds, flip.slowest.c_str());
  std::printf("0 crashes; %zu inputs over %.2f s CPU; total %.1f s wall\n", trunc.slow + flip.slow,
              limit, total);
  return trunc.slow + flip.slow == 0 ? 0 : 1;
}
