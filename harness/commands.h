// The subcommands of `tandem`, each taking the parsed options and returning the
// process exit status (0, 1 or 2; see docs/cli.md).
#pragma once

#include "cli_options.h"

namespace tandem::harness {

int run_wast_command(const CliOptions& options);
int run_wat2wasm_command(const CliOptions& options);
int run_run_command(const CliOptions& options);

} // namespace tandem::harness
