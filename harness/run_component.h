// `tandem run` for components (run_component.cc); called by run_command.cc
// once it has told a component from a core module.
#pragma once

#include "cli_options.h"
#include "tandem/tandem.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace tandem::harness {

// Exit statuses of `tandem run` besides 0 and the program's own exit code.
inline constexpr int kRunExitTrap = 1;
inline constexpr int kRunExitUsage = 2;

// Prints "tandem run: MESSAGE" to stderr and returns `status`.
inline int run_fail(int status, const std::string& message) {
  std::fprintf(stderr, "tandem run: %s\n", message.c_str());
  return status;
}

// Runs the component in `bytes` (binary when `binary`, else component text)
// as `tandem run` does; returns the exit status.
int run_component(const CliOptions& options, Engine& engine, std::vector<uint8_t> bytes,
                  bool binary);

} // namespace tandem::harness
