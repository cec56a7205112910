// Runs the component suite's validation-related directives through
// text encoder -> decode_component -> validate_component and compares the
// outcome and the message (the expected text must be a substring of ours).
// Covers validation/*.wast, binary/binary.wast and the assert_invalid /
// assert_malformed / plain components of values/, resources/ and async/.
// Prints per-file pass counts; superseded later by the harness runner.
//
// Each file has a floor of passing directives (kFloors); a regression below
// it fails the test.
#include "component/decoder.h"
#include "component/validator.h"
#include "wast/component_encoder.h"
#include "wast/script.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace tandem::component {
namespace {

namespace fs = std::filesystem;

std::string suite_dir() {
  std::string dir;
  if (const char* env = std::getenv("TANDEM_TESTSUITE"); env && *env) dir = env;
#ifdef TANDEM_TESTSUITE_DIR
  if (dir.empty()) dir = TANDEM_TESTSUITE_DIR;
#endif
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir + "/component-model", ec)) return "";
  return dir + "/component-model";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct FileResult {
  int total = 0, passed = 0;
  std::vector<std::string> failures;
};

// Decode + validate; returns the error if any.
std::optional<Error> load(const std::vector<uint8_t>& bytes) {
  FeatureSet f = FeatureSet::all();
  auto c = decode_component(bytes, f);
  if (!c.ok()) return std::move(c).error();
  Status s = validate_component(**c, f);
  if (!s.ok()) return std::move(s).error();
  return std::nullopt;
}

Result<std::vector<uint8_t>> bytes_of(const wast::Script& script, const wast::ModuleSource& m) {
  switch (m.form) {
  case wast::ModuleForm::Binary: return std::vector<uint8_t>(m.bytes.begin(), m.bytes.end());
  case wast::ModuleForm::Quote: return wast::component_text_to_binary(m.text);
  case wast::ModuleForm::Text: return wast::encode_wat_component(script.form_tokens(m));
  case wast::ModuleForm::Instance: break;
  }
  return Error::make(ErrorKind::Usage, "instance form");
}

FileResult run_file(const fs::path& path) {
  FileResult r;
  std::string src = read_file(path);
  auto script = wast::parse_script(src, path.filename().string());
  if (!script.ok()) {
    r.total = 1;
    r.failures.push_back("script parse error: " + script.error().message);
    return r;
  }
  for (const wast::Command& cmd : script->commands) {
    bool is_module = cmd.kind == wast::CommandKind::Module;
    bool is_invalid = cmd.kind == wast::CommandKind::AssertInvalid;
    bool is_malformed = cmd.kind == wast::CommandKind::AssertMalformed;
    if (!is_module && !is_invalid && !is_malformed) continue;
    const wast::ModuleSource& m = cmd.module;
    if (m.kind != wast::ModuleKind::Component || m.form == wast::ModuleForm::Instance) continue;
    ++r.total;
    std::string where = path.filename().string() + ":" + std::to_string(cmd.loc.line);
    auto bytes = bytes_of(*script, m);
    if (!bytes.ok()) {
      if (is_malformed && bytes.error().message.find(cmd.message) != std::string::npos) {
        ++r.passed;
      } else {
        r.failures.push_back(where + ": encode error: " + bytes.error().message);
      }
      continue;
    }
    auto err = load(*bytes);
    if (is_module) {
      if (!err)
        ++r.passed;
      else
        r.failures.push_back(where + ": expected valid, got: " + err->message);
      continue;
    }
    if (!err) {
      r.failures.push_back(where + ": expected failure \"" + cmd.message + "\", but it loaded");
      continue;
    }
    ErrorKind want = is_invalid ? ErrorKind::Invalid : ErrorKind::Malformed;
    bool msg_ok = err->message.find(cmd.message) != std::string::npos;
    if (msg_ok && err->kind == want) {
      ++r.passed;
    } else {
      r.failures.push_back(where + ": expected " + error_kind_name(want) + " \"" + cmd.message +
                           "\", got " + error_kind_name(err->kind) + " \"" + err->message + "\"");
    }
  }
  return r;
}

// Minimum passing directives per file (regression floors).
const std::map<std::string, int> kFloors = {
    {"async/async-calls-sync.wast", 1},
    {"async/big-interleaving-test.wast", 1},
    {"async/builtin-trap-poisons-instance.wast", 2},
    {"async/cancel-stream.wast", 1},
    {"async/cancel-subtask.wast", 1},
    {"async/cancellable.wast", 1},
    {"async/closed-stream.wast", 1},
    {"async/cross-abi-calls.wast", 1},
    {"async/cross-task-future.wast", 1},
    {"async/deadlock.wast", 1},
    {"async/dont-block-start.wast", 0},
    {"async/drop-cross-task-borrow.wast", 1},
    {"async/drop-stream.wast", 1},
    {"async/drop-subtask.wast", 1},
    {"async/drop-waitable-set.wast", 1},
    {"async/during-sync-call-may-block-if-other-ready-threads.wast", 1},
    {"async/during-sync-call-no-exclusive-resume.wast", 2},
    {"async/during-sync-call-no-sibling-resume.wast", 2},
    {"async/empty-wait.wast", 1},
    {"async/futures-must-write.wast", 1},
    {"async/partial-stream-copies.wast", 1},
    {"async/passing-resources.wast", 1},
    {"async/same-component-stream-future.wast", 1},
    {"async/sync-barges-in.wast", 1},
    {"async/sync-streams.wast", 1},
    {"async/trap-if-block-and-sync.wast", 1},
    {"async/trap-if-done.wast", 1},
    {"async/trap-if-sync-and-waitable-set.wast", 1},
    {"async/trap-if-transfer-in-waitable-set.wast", 1},
    {"async/trap-on-reenter.wast", 3},
    {"async/validate-no-async-abi-for-sync-type.wast", 3},
    {"async/validate-no-stream-char.wast", 1},
    {"async/wait-during-callback.wast", 1},
    {"async/zero-length.wast", 1},
    {"binary/binary.wast", 123},
    {"resources/borrows.wast", 1},
    {"resources/handle-table.wast", 6},
    {"resources/multiple-resources.wast", 1},
    {"validation/abi.wast", 23},
    {"validation/annotated-names.wast", 36},
    {"validation/attributes.wast", 27},
    {"validation/core-modules.wast", 11},
    {"validation/defined-types.wast", 47},
    {"validation/extern-names.wast", 12},
    {"validation/external-visibility.wast", 62},
    {"validation/indicies.wast", 17},
    {"validation/instantiation.wast", 82},
    {"validation/kebab.wast", 31},
    {"validation/max-value-size.wast", 8},
    {"validation/outer-alias.wast", 31},
    {"validation/resources.wast", 72},
    {"values/alignment.wast", 7},
    {"values/concat.wast", 2},
    {"values/numerics.wast", 7},
    {"values/post-return.wast", 5},
    {"values/realloc.wast", 5},
    {"values/strings.wast", 8},
    {"values/transcode.wast", 5},
    {"values/variants.wast", 2},
};

TEST(ComponentSuite, ValidationAndBinary) {
  std::string dir = suite_dir();
  if (dir.empty()) GTEST_SKIP() << "component-model suite not found";
  std::vector<fs::path> files;
  for (const char* sub : {"validation", "binary", "values", "resources", "async"}) {
    for (const auto& e : fs::directory_iterator(dir + "/" + sub))
      if (e.path().extension() == ".wast") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  int total = 0, passed = 0;
  bool verbose = std::getenv("TANDEM_VERBOSE") != nullptr;
  for (const auto& f : files) {
    FileResult r = run_file(f);
    std::string name = f.parent_path().filename().string() + "/" + f.filename().string();
    std::printf("%-48s %4d / %4d\n", name.c_str(), r.passed, r.total);
    if (verbose) {
      for (const auto& msg : r.failures) std::printf("    %s\n", msg.c_str());
    }
    total += r.total;
    passed += r.passed;
    auto floor = kFloors.find(name);
    if (floor != kFloors.end()) {
      EXPECT_GE(r.passed, floor->second) << name;
    }
  }
  std::printf("TOTAL %d / %d\n", passed, total);
}

} // namespace
} // namespace tandem::component
