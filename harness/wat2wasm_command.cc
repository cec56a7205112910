// `tandem wat2wasm FILE [-o OUT]`: text-format core module to binary, through
// the project's own encoder (wast/wat_module.h). Errors are printed as
// FILE:LINE:COLUMN: message (exit 1); usage and I/O problems exit with 2.
#include "commands.h"
#include "wast/wat_module.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tandem::harness {

int run_wat2wasm_command(const CliOptions& options) {
  if (options.positionals.size() != 1) {
    std::fputs("tandem wat2wasm: expected exactly one FILE (see 'tandem wat2wasm --help')\n",
               stderr);
    return 2;
  }
  const std::string& in_path = options.positionals[0];
  std::ifstream in(in_path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "tandem wat2wasm: %s: cannot read the file\n", in_path.c_str());
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();

  auto binary = wast::wat_to_binary(text.str());
  if (!binary) {
    const Error& e = binary.error();
    if (e.line)
      std::fprintf(stderr, "%s:%u:%u: %s\n", in_path.c_str(), e.line, e.column, e.message.c_str());
    else
      std::fprintf(stderr, "%s: %s\n", in_path.c_str(), e.message.c_str());
    return 1;
  }

  std::string out_path = options.output;
  if (out_path.empty())
    out_path = std::filesystem::path(in_path).replace_extension(".wasm").string();
  std::ofstream out(out_path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(binary->data()), std::streamsize(binary->size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "tandem wat2wasm: %s: cannot write the output\n", out_path.c_str());
    return 2;
  }
  return 0;
}

} // namespace tandem::harness
