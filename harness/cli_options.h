// The `tandem` command line: the one table of subcommands and options, the
// parser that reads argv against it, and the --help text generated from it.
//
// Invariants: every option a subcommand accepts is a row of kOptionTable (see
// cli_options.cc); help output is produced only from that table, so the help
// can never disagree with the parser. Parsing never exits the process: it
// returns a Result whose Usage errors the caller prints (exit status 2).
#pragma once

#include "base/result.h"
#include "wasm/features.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::harness {

enum class Subcommand : uint8_t { Wast, Wat2wasm, Run };

// Bit set of subcommands an option belongs to.
enum SubcommandMask : uint8_t {
  kForWast = 1u << uint8_t(Subcommand::Wast),
  kForWat2wasm = 1u << uint8_t(Subcommand::Wat2wasm),
  kForRun = 1u << uint8_t(Subcommand::Run),
};

enum class OptionId : uint8_t {
  Help,
  Tier,
  Differential,
  Feature,
  ExpectedFailures,
  WriteExpectedFailures,
  Report,
  Jobs,
  Isolation,
  IsolationReport,
  FailFast,
  Shard,
  Progress,
  Quiet,
  Output,
  Invoke,
  Dir,
  Env,
};

struct OptionSpec {
  OptionId id;
  char short_name;            // 0 when the option has no short form
  std::string_view long_name; // without the leading "--"; empty if short only
  std::string_view arg_name;  // empty: a flag without an argument
  std::string_view description;
  uint8_t subcommands; // SubcommandMask bits
};

struct SubcommandSpec {
  Subcommand id;
  std::string_view name;
  std::string_view usage; // the part after "tandem NAME"
  std::string_view summary;
};

std::span<const OptionSpec> option_table();
std::span<const SubcommandSpec> subcommand_table();
std::optional<Subcommand> subcommand_by_name(std::string_view name);
const SubcommandSpec& subcommand_spec(Subcommand s);

enum class TierChoice : uint8_t { Interp, Jit, Tiered };
enum class IsolationMode : uint8_t { Off, Auto, Full };

struct Shard {
  uint32_t index = 1; // 1-based K
  uint32_t count = 1; // N
};

// Everything the option table can set, with the defaults of cli.md.
struct CliOptions {
  Subcommand subcommand = Subcommand::Wast;
  bool help = false;
  TierChoice tier = TierChoice::Tiered;
  bool differential = false;
  FeatureSet features = FeatureSet::defaults();
  std::string expected_failures;
  std::string write_expected_failures;
  std::string report;
  uint32_t jobs = 1;
  IsolationMode isolation = IsolationMode::Off;
  bool isolation_explicit = false; // --isolation given (else: full for scripts that audit)
  std::string isolation_report;
  bool fail_fast = false;
  Shard shard;
  std::optional<bool> progress; // unset: on when stdout is a terminal
  bool quiet = false;
  std::string output;
  std::string invoke;
  std::vector<std::string> dirs;
  std::vector<std::string> envs;
  std::vector<std::string> positionals;
};

// Parses the arguments that follow the subcommand name. For `run`, option
// parsing stops at the first positional (FILE): the rest are guest ARGS.
Result<CliOptions> parse_subcommand_args(Subcommand sub, std::span<const std::string_view> args);

// Applies one -W value ("all", "NAME", "NAME=y|n", or a comma-separated list of
// those) to `features`. Unknown feature names are a Usage error.
Status apply_feature_switch(std::string_view spec, FeatureSet& features);

// Parses "K/N" with 1 <= K <= N.
Result<Shard> parse_shard(std::string_view spec);

// Generated help texts.
std::string top_level_help();
std::string subcommand_help(Subcommand s);
std::string_view tier_name(TierChoice t);

} // namespace tandem::harness
