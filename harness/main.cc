// Entry point of the `tandem` executable: dispatches to the subcommands.
// Exit statuses: 0 success, 1 a failure in the input or the tests, 2 bad usage
// or an unreadable input (see docs/cli.md).
#include "cli_options.h"
#include "commands.h"
#include "script_runner.h"

#include <cstdio>
#include <string_view>
#include <vector>

using namespace tandem::harness;

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(top_level_help().c_str(), stderr);
    return 2;
  }
  std::string_view first = args[0];
  if (first == "--help" || first == "-h") {
    std::fputs(top_level_help().c_str(), stdout);
    return 0;
  }
  if (first == "--version" || first == "-V") {
    std::printf("tandem " TANDEM_VERSION_STRING "\n");
    std::printf("jit-fault-injection: %s\n", kJitFaultInjectionAvailable ? "yes" : "no");
    return 0;
  }
  if (first == "help") {
    if (args.size() == 1) {
      std::fputs(top_level_help().c_str(), stdout);
      return 0;
    }
    auto sub = subcommand_by_name(args[1]);
    if (!sub || args.size() > 2) {
      std::fprintf(stderr, "tandem help: unknown subcommand '%.*s' (see 'tandem --help')\n",
                   int(args[1].size()), args[1].data());
      return 2;
    }
    std::fputs(subcommand_help(*sub).c_str(), stdout);
    return 0;
  }
  auto sub = subcommand_by_name(first);
  if (!sub) {
    if (first.starts_with("-"))
      std::fprintf(stderr, "tandem: unknown option '%.*s' (see 'tandem --help')\n",
                   int(first.size()), first.data());
    else
      std::fprintf(stderr, "tandem: unknown subcommand '%.*s' (see 'tandem --help')\n",
                   int(first.size()), first.data());
    return 2;
  }
  auto parsed = parse_subcommand_args(*sub, std::span(args).subspan(1));
  if (!parsed) {
    std::fprintf(stderr, "%s\n", parsed.error().message.c_str());
    return 2;
  }
  if (parsed->help) {
    std::fputs(subcommand_help(*sub).c_str(), stdout);
    return 0;
  }
  switch (*sub) {
  case Subcommand::Wast: return run_wast_command(*parsed);
  case Subcommand::Wat2wasm: return run_wat2wasm_command(*parsed);
  case Subcommand::Run: return run_run_command(*parsed);
  }
  return 2;
}
