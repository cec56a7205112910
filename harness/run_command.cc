// `tandem run`: not implemented yet. It says so and exits with status 2, as
// its --help text states.
#include "commands.h"

#include <cstdio>

namespace tandem::harness {

int run_run_command(const CliOptions& options) {
  std::fputs("tandem run: not implemented yet (the WASI host and `run` are a later issue); use "
             "'tandem wast' to run scripts\n",
             stderr);
  return 2;
}

} // namespace tandem::harness
