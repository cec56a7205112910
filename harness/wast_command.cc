// `tandem wast`: checks the options, expands the paths, runs every script file
// through the script runner (one store per file) and prints the results.
#include "commands.h"
#include "expected_failures.h"
#include "isolation_report.h"
#include "report.h"
#include "script_runner.h"
#include "suite_runner.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

namespace tandem::harness {

int run_wast_command(const CliOptions& options) {
  if (options.positionals.empty()) {
    std::fputs("tandem wast: no PATH given (see 'tandem wast --help')\n", stderr);
    return 2;
  }
  if (options.progress && options.quiet) {
    std::fputs("tandem wast: --progress and --quiet cannot be combined\n", stderr);
    return 2;
  }

  // --differential: the interpreter is the primary store, the JIT the second one.
  TierChoice effective = options.differential ? TierChoice::Interp : options.tier;

  ExpectedFailureList expected;
  if (!options.expected_failures.empty()) {
    auto loaded = ExpectedFailureList::load(options.expected_failures);
    if (!loaded) {
      std::fprintf(stderr, "tandem wast: %s\n", loaded.error().message.c_str());
      return 2;
    }
    expected = std::move(*loaded);
  }

  auto files = collect_script_files(options.positionals);
  if (!files) {
    std::fprintf(stderr, "tandem wast: %s\n", files.error().message.c_str());
    return 2;
  }
  std::vector<ScriptFile> selected = select_shard(*files, options.shard);

  SuiteOptions suite;
  suite.jobs = options.jobs;
  suite.fail_fast = options.fail_fast;
  suite.quiet = options.quiet;
  suite.progress = options.progress.value_or(!options.quiet && isatty(STDOUT_FILENO));
  // Expected failures are matched against the requested tier: a jit list stays a jit list.
  suite.tier = options.tier;
  suite.expected = options.expected_failures.empty() ? nullptr : &expected;

  ScriptRunConfig config;
  config.features = options.features;
  config.tier = effective;
  config.differential = options.differential;
  config.isolation = options.isolation;
  config.isolation_explicit = options.isolation_explicit;
  config.isolation_report = !options.isolation_report.empty();
  if (const char* env = std::getenv("TANDEM_INJECT_DIFFERENTIAL_FAULT"); env && *env) {
    if (!kJitFaultInjectionAvailable) {
      std::fputs("tandem wast: TANDEM_INJECT_DIFFERENTIAL_FAULT: fault injection is compiled out "
                 "of this build (TANDEM_ASSERTIONS=OFF)\n",
                 stderr);
      return 2;
    }
    config.inject_jit_miscompile = env;
  }
  if (const char* env = std::getenv("TANDEM_DIFFERENTIAL_TIERED"); env && *env)
    config.differential_tiered_threshold = uint32_t(std::strtoul(env, nullptr, 10));
  FileRunner runner = [&config](const ScriptFile& f, const FileRunContext& ctx) {
    return run_script_file(f, ctx, config);
  };
  RunSummary summary = run_suite(selected, suite, runner, stdout);
  summary.differential = options.differential;

  Counts totals;
  bool unreadable = false;
  for (const auto& f : summary.files) {
    totals += f.counts();
    unreadable |= f.unreadable;
  }
  if (!options.report.empty()) {
    std::ofstream out(options.report, std::ios::binary);
    out << render_json_report(summary);
    if (!out) {
      std::fprintf(stderr, "tandem wast: cannot write the report to %s\n", options.report.c_str());
      return 2;
    }
  }
  if (!options.isolation_report.empty() &&
      !write_isolation_report(summary, options.isolation_report)) {
    std::fprintf(stderr, "tandem wast: cannot write the isolation report to %s\n",
                 options.isolation_report.c_str());
    return 2;
  }
  if (!options.write_expected_failures.empty()) {
    std::ofstream out(options.write_expected_failures, std::ios::binary);
    out << render_expected_failures(summary, options.tier);
    if (!out) {
      std::fprintf(stderr, "tandem wast: cannot write %s\n",
                   options.write_expected_failures.c_str());
      return 2;
    }
  }
  if (totals.xfail || totals.xpass)
    std::printf("(%llu xfail counted as skipped, %llu xpass counted as failed)\n",
                (unsigned long long)totals.xfail, (unsigned long long)totals.xpass);
  std::printf("%s\n", summary_line(totals).c_str());
  std::fflush(stdout);
  if (unreadable) return 2;
  return totals.failed ? 1 : 0;
}

} // namespace tandem::harness
