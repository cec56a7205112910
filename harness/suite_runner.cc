// File discovery, sharding, the worker pool and the text output of `tandem wast`.
#include "suite_runner.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

namespace tandem::harness {
namespace fs = std::filesystem;

Result<std::vector<ScriptFile>> collect_script_files(std::span<const std::string> paths) {
  std::vector<ScriptFile> out;
  for (const auto& arg : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st))
      return Error::make(ErrorKind::Io, arg + ": no such file or directory");
    if (!fs::is_directory(st)) {
      out.push_back({arg, fs::path(arg).lexically_normal().generic_string()});
      continue;
    }
    std::vector<ScriptFile> found;
    fs::recursive_directory_iterator it(arg, fs::directory_options::follow_directory_symlink, ec);
    if (ec) return Error::make(ErrorKind::Io, arg + ": cannot read directory: " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) return Error::make(ErrorKind::Io, arg + ": cannot read directory: " + ec.message());
      const fs::directory_entry& e = *it;
      if (e.path().extension() != ".wast" || !e.is_regular_file(ec)) continue;
      std::string rel = e.path().lexically_relative(arg).generic_string();
      found.push_back({(fs::path(arg) / rel).lexically_normal().generic_string(), rel});
    }
    std::sort(found.begin(), found.end(),
              [](const ScriptFile& a, const ScriptFile& b) { return a.path < b.path; });
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

uint64_t stable_path_hash(std::string_view key) {
  uint64_t h = 0xcbf29ce484222325ull; // FNV-1a, 64 bits
  for (unsigned char c : key) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::vector<ScriptFile> select_shard(const std::vector<ScriptFile>& files, Shard shard) {
  if (shard.count <= 1) return files;
  std::vector<ScriptFile> out;
  for (const auto& f : files)
    if (stable_path_hash(f.shard_key) % shard.count == shard.index - 1) out.push_back(f);
  return out;
}

bool FileRunContext::is_listed(uint32_t line) const {
  if (!expected) return false;
  for (const auto& e : *expected)
    if (!e.line || *e.line == line) return true;
  return false;
}

std::string summary_line(const Counts& totals) {
  return std::to_string(totals.passed) + " passed, " + std::to_string(totals.failed) +
         " failed, " + std::to_string(totals.skipped) + " skipped";
}

namespace {

class OutputPrinter {
public:
  OutputPrinter(std::FILE* out, const SuiteOptions& opts, size_t total)
      : out_(out), opts_(opts), total_(total) {}

  void file_done(const FileOutcome& f) {
    clear_progress();
    Counts c = f.counts();
    for (const auto& d : f.directives) {
      if (d.outcome == Outcome::Failed || d.outcome == Outcome::XPass) {
        if (d.line == 0)
          std::fprintf(out_, "%s: %s: %s\n", f.path.c_str(), d.directive.c_str(),
                       d.message.c_str());
        else
          std::fprintf(out_, "%s:%u: %s: %s\n", f.path.c_str(), d.line, d.directive.c_str(),
                       d.message.c_str());
      } else if (d.outcome == Outcome::XFail && !opts_.quiet) {
        std::fprintf(out_, "%s:%u: %s: xfail: %s\n", f.path.c_str(), d.line,
                     d.directive.c_str(), d.message.c_str());
      }
    }
    if (!opts_.quiet) {
      // Skips grouped by reason, in order of first appearance.
      std::vector<std::pair<std::string, std::pair<uint32_t, uint64_t>>> reasons;
      for (const auto& d : f.directives) {
        if (d.outcome != Outcome::Skipped) continue;
        auto it = std::find_if(reasons.begin(), reasons.end(),
                               [&](const auto& r) { return r.first == d.message; });
        if (it == reasons.end()) reasons.push_back({d.message, {d.line, 1}});
        else ++it->second.second;
      }
      for (const auto& [reason, where] : reasons)
        std::fprintf(out_, "%s:%u: skipped %llu directive%s: %s\n", f.path.c_str(), where.first,
                     (unsigned long long)where.second, where.second == 1 ? "" : "s",
                     reason.c_str());
      for (const auto& w : f.warnings)
        std::fprintf(out_, "%s: warning: %s\n", f.path.c_str(), w.c_str());
      std::string xnote;
      if (c.xfail || c.xpass)
        xnote = " (" + std::to_string(c.xfail) + " xfail, " + std::to_string(c.xpass) + " xpass)";
      std::fprintf(out_, "%s: %s%s\n", f.path.c_str(), summary_line(c).c_str(), xnote.c_str());
    }
    ++done_;
    show_progress(f.path);
    std::fflush(out_);
  }

  void finish() { clear_progress(); }

private:
  void show_progress(const std::string& last) {
    if (!opts_.progress) return;
    std::fprintf(out_, "\r\x1b[K[%zu/%zu] %s", done_, total_, last.c_str());
    progress_shown_ = true;
  }
  void clear_progress() {
    if (!progress_shown_) return;
    std::fprintf(out_, "\r\x1b[K");
    progress_shown_ = false;
  }

  std::FILE* out_;
  const SuiteOptions& opts_;
  size_t total_;
  size_t done_ = 0;
  bool progress_shown_ = false;
};

} // namespace

RunSummary run_suite(const std::vector<ScriptFile>& files, const SuiteOptions& options,
                     const FileRunner& runner, std::FILE* out) {
  auto start = std::chrono::steady_clock::now();
  RunSummary summary;
  summary.tier = std::string(tier_name(options.tier));

  std::vector<std::optional<FileOutcome>> results(files.size());
  std::mutex mu;
  size_t next_to_print = 0;
  std::atomic<size_t> next_index{0};
  StopFlag stop{false};
  OutputPrinter printer(out, options, files.size());

  auto worker = [&] {
    while (!stop.load()) {
      size_t i = next_index.fetch_add(1);
      if (i >= files.size()) break;
      std::vector<ExpectedFailure> expected;
      if (options.expected) expected = options.expected->for_file(files[i].path, options.tier);
      FileRunContext ctx{&expected, &stop, options.fail_fast};
      auto t0 = std::chrono::steady_clock::now();
      FileOutcome outcome = runner(files[i], ctx);
      outcome.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (outcome.path.empty()) outcome.path = files[i].path;
      apply_expected_failures(outcome, expected);
      bool failed = outcome.counts().failed > 0;
      std::lock_guard lock(mu);
      results[i] = std::move(outcome);
      if (failed && options.fail_fast) stop.store(true);
      // Print every finished file whose predecessors are all printed.
      while (next_to_print < files.size() && results[next_to_print]) {
        printer.file_done(*results[next_to_print]);
        ++next_to_print;
      }
    }
  };

  uint32_t jobs = options.jobs;
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  jobs = uint32_t(std::min<size_t>(jobs, std::max<size_t>(files.size(), 1)));
  if (jobs <= 1) {
    worker();
  } else {
    std::vector<std::thread> threads;
    for (uint32_t t = 0; t < jobs; ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
  }
  // With --fail-fast, files after a gap (not run) are printed too if they ran.
  for (size_t i = next_to_print; i < files.size(); ++i)
    if (results[i]) printer.file_done(*results[i]);
  printer.finish();

  for (size_t i = 0; i < files.size(); ++i)
    if (results[i]) summary.files.push_back(std::move(*results[i]));
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

} // namespace tandem::harness
