// Running many script files: discovery (files or directories searched
// recursively for *.wast, sorted), sharding, parallel execution with -j,
// expected failures, and the output of `tandem wast` (failure lines, one line
// per file, and the final summary line "N passed, N failed, N skipped").
//
// The suite runner does not know how a script is executed: it calls a
// FileRunner for each file, on worker threads. A FileRunner must be safe to
// call concurrently for different files (each file gets its own store).
// Output is printed in file order whatever the completion order.
#pragma once

#include "cli_options.h"
#include "expected_failures.h"
#include "outcome.h"
#include "report.h"

#include <atomic>
#include <cstdio>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace tandem::harness {

struct ScriptFile {
  std::string path;      // as printed and matched against expected failures
  std::string shard_key; // path relative to the directory argument (stable across machines)
  // How an expected-failures list names the file: the directory argument's
  // last component plus the relative path ("core/simd/simd_add.wast"), or the
  // file argument as given. Unambiguous under suffix matching.
  std::string list_path;
};

// Expands PATH arguments. A missing path is an Io error (exit status 2).
Result<std::vector<ScriptFile>> collect_script_files(std::span<const std::string> paths);

// Keeps the files whose stable hash of shard_key falls in share K of N.
std::vector<ScriptFile> select_shard(const std::vector<ScriptFile>& files, Shard shard);
uint64_t stable_path_hash(std::string_view key);

// Stop flag shared by the workers (--fail-fast). Runners poll it between directives.
using StopFlag = std::atomic<bool>;

struct FileRunContext {
  const std::vector<ExpectedFailure>* expected = nullptr;
  const StopFlag* stop = nullptr;
  bool fail_fast = false;
  // True when a failure at `line` is covered by an expected-failure entry.
  bool is_listed(uint32_t line) const;
};

using FileRunner = std::function<FileOutcome(const ScriptFile& file, const FileRunContext& ctx)>;

struct SuiteOptions {
  uint32_t jobs = 1;
  bool fail_fast = false;
  bool quiet = false;
  bool progress = false;
  TierChoice tier = TierChoice::Interp;
  const ExpectedFailureList* expected = nullptr;
};

// Runs the files, prints to `out`, and returns what ran (files in input order).
RunSummary run_suite(const std::vector<ScriptFile>& files, const SuiteOptions& options,
                     const FileRunner& runner, std::FILE* out);

// The last line of the output: "N passed, N failed, N skipped".
std::string summary_line(const Counts& totals);

// An expected-failures list naming every failure (and xfail) of `run`, one
// line per directive, with the failure message as the reason.
std::string render_expected_failures(const RunSummary& run, TierChoice tier);

} // namespace tandem::harness
