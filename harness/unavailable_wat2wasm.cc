// Fallback linked while the text encoder (wast/wat_module.cc) is not built.
#include "commands.h"

#include <cstdio>

namespace tandem::harness {

int run_wat2wasm_command(const CliOptions&) {
  std::fputs("tandem wat2wasm: this tandem was built without the text-format encoder\n", stderr);
  return 2;
}

} // namespace tandem::harness
