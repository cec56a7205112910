// Parse + encode timer (bench/suite_timing.sh): reads each .wast file, parses
// the script and encodes every core text module to binary, as the harness
// does before running a file and as wabt's wast2json does (quote and binary
// modules are carried as they are, not parsed: wast2json does the same).
// Prints one summary line:
//   files N parse-errors P modules M encode-errors E source-MB S seconds T
// Time includes reading the files; no output is written (wast2json writes
// its .json and .wasm files, a small extra cost on its side).
// Usage: tandem_wast_encode_timer FILE...
#include "wast/script.h"
#include "wast/wat_module.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

using namespace tandem;

namespace {

bool has_module(wast::CommandKind k) {
  using wast::CommandKind;
  switch (k) {
  case CommandKind::Module:
  case CommandKind::AssertUninstantiable:
  case CommandKind::AssertInvalid:
  case CommandKind::AssertMalformed:
  case CommandKind::AssertUnlinkable:
  case CommandKind::AssertMalformedCustom:
  case CommandKind::AssertInvalidCustom: return true;
  default: return false;
  }
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE...\n", argv[0]);
    return 2;
  }
  uint64_t files = 0, parse_errors = 0, modules = 0, encode_errors = 0, source_bytes = 0;
  uint64_t binary_bytes = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot read the file\n", argv[i]);
      return 2;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++files;
    source_bytes += text.size();
    auto script = wast::parse_script(text, argv[i]);
    if (!script.ok()) {
      ++parse_errors;
      continue;
    }
    for (const wast::Command& c : script->commands) {
      if (!has_module(c.kind) || c.module.kind != wast::ModuleKind::Core ||
          c.module.form != wast::ModuleForm::Text)
        continue;
      auto bytes = wast::encode_wat_module(script->form_tokens(c.module));
      ++modules;
      if (bytes.ok())
        binary_bytes += bytes->size();
      else
        ++encode_errors;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("files %llu parse-errors %llu modules %llu encode-errors %llu source-MB %.3f "
              "binary-MB %.3f seconds %.6f\n",
              (unsigned long long)files, (unsigned long long)parse_errors,
              (unsigned long long)modules, (unsigned long long)encode_errors, source_bytes / 1e6,
              binary_bytes / 1e6, seconds);
  return 0;
}
