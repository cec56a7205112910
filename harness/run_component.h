// `tandem run` for components (run_component.cc); called by run_command.cc
// once it has told a component from a core module.
#pragma once

#include "cli_options.h"
#include "tandem/tandem.h"

#include <cstdint>
#include <vector>

namespace tandem::harness {

// Runs the component in `bytes` (binary when `binary`, else component text)
// as `tandem run` does; returns the exit status.
int run_component(const CliOptions& options, Engine& engine, std::vector<uint8_t> bytes,
                  bool binary);

} // namespace tandem::harness
