// tandem-fuzz-seeds OUT_DIR SUITE_DIR...: builds the seed corpora of the
// libFuzzer targets from the .wast suites. Every text or binary module of
// every script is written once (deduplicated by content):
//   OUT_DIR/core-bin/   core binaries (encoded by the WAT encoder)  -> targets a, b
//   OUT_DIR/core-text/  the `(module ...)` text forms                -> target c
//   OUT_DIR/wast/       the scripts themselves (those under 64 KiB)  -> target d
//   OUT_DIR/component/  component binaries                           -> target e
#include "wast/component_encoder.h"
#include "wast/script.h"
#include "wast/wat_module.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using namespace tandem;

namespace {

struct Writer {
  fs::path dir;
  std::set<size_t> seen;
  size_t count = 0;
  void write(std::string_view content) {
    size_t h = std::hash<std::string_view>{}(content);
    if (!seen.insert(h).second) return;
    char name[32];
    std::snprintf(name, sizeof name, "%016zx", h);
    std::ofstream(dir / name, std::ios::binary)
        .write(content.data(), std::streamsize(content.size()));
    ++count;
  }
  void write(const std::vector<uint8_t>& bytes) {
    write(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
};

void collect(const wast::Script& s, const std::vector<wast::Command>& cmds, Writer& bin,
             Writer& text, Writer& comp) {
  for (const wast::Command& c : cmds) {
    collect(s, c.body, bin, text, comp);
    const wast::ModuleSource& m = c.module;
    bool core = m.kind == wast::ModuleKind::Core;
    if (m.form == wast::ModuleForm::Binary) {
      (core ? bin : comp).write(std::string_view(m.bytes));
    } else if (m.form == wast::ModuleForm::Text && m.form_end > m.form_begin) {
      std::span<const wast::Token> form = s.form_tokens(m);
      size_t begin = form.front().offset;
      size_t end = form.back().offset + form.back().text.size();
      if (core) {
        if (end > begin && end <= s.source->size())
          text.write(s.source->substr(begin, end - begin));
        Result<std::vector<uint8_t>> b = wast::encode_wat_module(form);
        if (b.ok()) bin.write(b.value());
      } else {
        Result<std::vector<uint8_t>> b = wast::encode_wat_component(form);
        if (b.ok()) comp.write(b.value());
      }
    }
  }
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: tandem-fuzz-seeds OUT_DIR SUITE_DIR...\n";
    return 2;
  }
  fs::path out = argv[1];
  Writer bin, text, wast_files, comp;
  bin.dir = out / "core-bin";
  text.dir = out / "core-text";
  wast_files.dir = out / "wast";
  comp.dir = out / "component";
  for (Writer* w : {&bin, &text, &wast_files, &comp}) fs::create_directories(w->dir);
  for (int i = 2; i < argc; ++i) {
    for (const auto& entry : fs::recursive_directory_iterator(argv[i])) {
      if (!entry.is_regular_file() || entry.path().extension() != ".wast") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string source = ss.str();
      if (source.size() < 64 * 1024) wast_files.write(std::string_view(source));
      Result<wast::Script> script = wast::parse_script(source, entry.path().string());
      if (!script.ok()) continue;
      collect(script.value(), script.value().commands, bin, text, comp);
    }
  }
  std::cout << "core-bin " << bin.count << ", core-text " << text.count << ", wast "
            << wast_files.count << ", component " << comp.count << "\n";
  return 0;
}
