// Tests of file discovery, sharding, the parallel runner's ordering, fail-fast,
// the summary line and the JSON report.
#include "report.h"
#include "suite_runner.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

namespace tandem::harness {
namespace {
namespace fs = std::filesystem;

class TempDir {
public:
  TempDir() {
    char tmpl[] = "/tmp/tandem-suite-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  void touch(const std::string& rel) {
    fs::create_directories((path_ / rel).parent_path());
    std::ofstream(path_ / rel) << "(module)\n";
  }

private:
  fs::path path_;
};

TEST(SuiteRunner, CollectsSortedRecursively) {
  TempDir d;
  d.touch("b.wast");
  d.touch("a.wast");
  d.touch("sub/c.wast");
  d.touch("sub/ignored.wat");
  std::vector<std::string> args{d.path().string()};
  auto r = collect_script_files(args);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].shard_key, "a.wast");
  EXPECT_EQ((*r)[1].shard_key, "b.wast");
  EXPECT_EQ((*r)[2].shard_key, "sub/c.wast");
  EXPECT_EQ((*r)[2].path, (d.path() / "sub/c.wast").string());
  std::string dir_name = d.path().filename().string();
  EXPECT_EQ((*r)[2].list_path, dir_name + "/sub/c.wast");
  // A trailing slash on the directory gives the same names.
  std::vector<std::string> slashed{d.path().string() + "/"};
  auto r2 = collect_script_files(slashed);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ((*r2)[0].list_path, dir_name + "/a.wast");
}

TEST(SuiteRunner, MissingPathIsIoError) {
  std::vector<std::string> args{"/nonexistent/x.wast"};
  auto r = collect_script_files(args);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Io);
}

TEST(SuiteRunner, ShardsPartitionTheFiles) {
  std::vector<ScriptFile> files;
  for (int i = 0; i < 50; ++i)
    files.push_back({"f" + std::to_string(i), "f" + std::to_string(i), ""});
  std::set<std::string> seen;
  size_t total = 0;
  for (uint32_t k = 1; k <= 3; ++k) {
    auto part = select_shard(files, Shard{k, 3});
    total += part.size();
    for (auto& f : part) seen.insert(f.path);
  }
  EXPECT_EQ(total, 50u);
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_EQ(stable_path_hash("abc"), stable_path_hash("abc"));
}

FileOutcome fake(const ScriptFile& f, bool fail) {
  FileOutcome o;
  o.path = f.path;
  o.directives.push_back(make_outcome(1, "module", Outcome::Passed, ""));
  o.directives.push_back(make_outcome(2, "assert_return", fail ? Outcome::Failed : Outcome::Passed,
                                      fail ? "boom" : ""));
  o.directives.push_back(make_outcome(3, "assert_return", Outcome::Skipped, "why"));
  return o;
}

std::string run_to_string(const std::vector<ScriptFile>& files, const SuiteOptions& opts,
                          const FileRunner& runner, RunSummary* summary_out = nullptr) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* mem = open_memstream(&buf, &len);
  RunSummary s = run_suite(files, opts, runner, mem);
  std::fclose(mem);
  std::string text(buf, len);
  std::free(buf);
  if (summary_out) *summary_out = std::move(s);
  return text;
}

TEST(SuiteRunner, ParallelOutputIsInFileOrder) {
  std::vector<ScriptFile> files;
  for (int i = 0; i < 20; ++i) files.push_back({"f" + std::to_string(i) + ".wast", "", ""});
  SuiteOptions opts;
  opts.jobs = 4;
  RunSummary summary;
  std::string text = run_to_string(
      files, opts,
      [](const ScriptFile& f, const FileRunContext&) { return fake(f, f.path == "f7.wast"); },
      &summary);
  size_t last = 0;
  for (int i = 0; i < 20; ++i) {
    size_t at = text.find("f" + std::to_string(i) + ".wast: ");
    ASSERT_NE(at, std::string::npos);
    EXPECT_GE(at, last);
    last = at;
  }
  EXPECT_NE(text.find("f7.wast:2: assert_return: boom\n"), std::string::npos);
  Counts totals;
  for (auto& f : summary.files) totals += f.counts();
  EXPECT_EQ(summary_line(totals), "39 passed, 1 failed, 20 skipped");
}

TEST(SuiteRunner, FailFastStopsSchedulingFiles) {
  std::vector<ScriptFile> files;
  for (int i = 0; i < 10; ++i) files.push_back({"f" + std::to_string(i) + ".wast", "", ""});
  SuiteOptions opts;
  opts.fail_fast = true;
  RunSummary summary;
  run_to_string(
      files, opts, [](const ScriptFile& f, const FileRunContext&) { return fake(f, true); },
      &summary);
  EXPECT_EQ(summary.files.size(), 1u);
}

TEST(SuiteRunner, ExpectedFailuresAppliedPerFile) {
  auto list = ExpectedFailureList::parse("f1.wast:2 -- known\n", "l");
  ASSERT_TRUE(list.ok());
  std::vector<ScriptFile> files{{"f1.wast", "", ""}, {"f2.wast", "", ""}};
  SuiteOptions opts;
  opts.expected = &*list;
  RunSummary summary;
  run_to_string(
      files, opts, [](const ScriptFile& f, const FileRunContext&) { return fake(f, true); },
      &summary);
  Counts totals;
  for (auto& f : summary.files) totals += f.counts();
  EXPECT_EQ(totals.xfail, 1u);
  EXPECT_EQ(totals.failed, 1u);
}

TEST(SuiteRunner, WrittenExpectedFailuresRoundTrip) {
  std::vector<ScriptFile> files{{"/x/core/a.wast", "a.wast", "core/a.wast"},
                                {"/x/core/sub/a.wast", "sub/a.wast", "core/sub/a.wast"}};
  SuiteOptions opts;
  RunSummary summary;
  run_to_string(
      files, opts,
      [](const ScriptFile& f, const FileRunContext&) { return fake(f, f.shard_key == "a.wast"); },
      &summary);
  std::string text = render_expected_failures(summary, TierChoice::Interp);
  EXPECT_NE(text.find("core/a.wast:2 interp -- assert_return: boom\n"), std::string::npos) << text;
  auto list = ExpectedFailureList::parse(text, "generated");
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->for_file("/x/core/a.wast", TierChoice::Interp).size(), 1u);
  EXPECT_EQ(list->for_file("/x/core/sub/a.wast", TierChoice::Interp).size(), 0u);
  EXPECT_EQ(list->for_file("/x/core/a.wast", TierChoice::Jit).size(), 0u);
}

TEST(Report, JsonHasTheSchemaFields) {
  RunSummary run;
  run.tier = "interp";
  FileOutcome f = fake({"dir/a\"b.wast", "", ""}, true);
  f.directives[1].message = "bad \x01 \xff";
  run.files.push_back(f);
  std::string json = render_json_report(run);
  for (const char* key : {"\"tandem\"", "\"tier\": \"interp\"", "\"differential\": false",
                          "\"files\"", "\"path\": \"dir/a\\\"b.wast\"", "\"failures\"",
                          "\"line\": 2", "\"directive\": \"assert_return\"", "\\u0001", "\\u00ff",
                          "\"totals\"", "\"xfail\": 0", "\"xpass\": 0"})
    EXPECT_NE(json.find(key), std::string::npos) << key << "\n" << json;
}

} // namespace
} // namespace tandem::harness
