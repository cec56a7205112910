// Encodes every component text form of the component-model suite that is
// meant to be well-formed (all but the `assert_malformed (component quote
// ...)` bodies, which must fail), and reads each output back with the
// independent walker of component_walker.h: the grammar for all of them, and
// index bounds for the components of `module` commands (which are valid).
// Skipped when the suite is absent.
#include "component_walker.h"
#include "testsuite_path.h"
#include "wast/component_encoder.h"
#include "wast/script.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace tandem::wast {
namespace {

namespace fs = std::filesystem;

struct SuiteCounts {
  int files = 0;
  int forms = 0;
  int encoded = 0;
  int index_checked = 0;
  int malformed_quotes = 0;
  int malformed_rejected = 0;
  std::vector<std::string> failures;
};

void run_command(const Script& script, const Command& cmd, SuiteCounts& r) {
  for (const Command& sub : cmd.body) run_command(script, sub, r);
  const ModuleSource& m = cmd.module;
  if (m.kind != ModuleKind::Component) return;
  if (m.form == ModuleForm::Quote && cmd.kind == CommandKind::AssertMalformed) {
    ++r.malformed_quotes;
    auto res = component_text_to_binary(m.text);
    if (!res.ok())
      ++r.malformed_rejected;
    else
      r.failures.push_back(script.where(cmd.loc) + ": malformed quote was accepted");
    return;
  }
  Result<std::vector<uint8_t>> res = Error::make(ErrorKind::Internal, "");
  if (m.form == ModuleForm::Text)
    res = encode_wat_component(script.form_tokens(m));
  else if (m.form == ModuleForm::Quote)
    res = component_text_to_binary(m.text);
  else
    return;
  ++r.forms;
  if (!res.ok()) {
    const Error& e = res.error();
    r.failures.push_back(script.file_name + ":" + std::to_string(e.line) + ":" +
                         std::to_string(e.column) + ": " + e.message);
    return;
  }
  // Components of `module` commands (and of assert_unlinkable/assert_trap)
  // must be valid, so every index must be in
  // bounds; assertion bodies are only checked against the grammar.
  bool valid = cmd.kind == CommandKind::Module || cmd.kind == CommandKind::AssertUnlinkable ||
               cmd.kind == CommandKind::AssertUninstantiable;
  std::string err = testing::ComponentWalker(*res, valid).run();
  if (!err.empty()) {
    r.failures.push_back(script.where(cmd.loc) + ": bad structure: " + err);
    return;
  }
  ++r.encoded;
  if (valid) ++r.index_checked;
}

TEST(ComponentSuite, EncodesEveryWellFormedTextComponent) {
  std::string root = testing::testsuite_dir();
  if (root.empty()) GTEST_SKIP() << "testsuite not found";
  fs::path dir = fs::path(root) / "component-model";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "component-model suite not found";
  std::vector<fs::path> files;
  for (auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".wast") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  SuiteCounts r;
  for (const fs::path& p : files) {
    ++r.files;
    std::string rel = fs::relative(p, dir).string();
    auto script = parse_script(testing::read_file(p), rel);
    ASSERT_TRUE(script.ok()) << rel << ": " << script.error().message;
    for (const Command& cmd : script->commands) run_command(*script, cmd, r);
  }
  std::printf("component-model: %d files, %d/%d text components encoded (%d with all "
              "indices in bounds), %d/%d malformed quotes rejected\n",
              r.files, r.encoded, r.forms, r.index_checked, r.malformed_rejected,
              r.malformed_quotes);
  for (const std::string& f : r.failures) std::printf("  FAIL %s\n", f.c_str());
  EXPECT_GT(r.forms, 400);
  EXPECT_EQ(r.encoded, r.forms);
  EXPECT_EQ(r.malformed_rejected, r.malformed_quotes);
}

// Every prefix (and every one-token deletion, for small forms) of the
// suite's text components must give a result or a clean error, never a crash.
TEST(ComponentSuite, MangledFormsFailCleanly) {
  std::string root = testing::testsuite_dir();
  if (root.empty()) GTEST_SKIP() << "testsuite not found";
  fs::path dir = fs::path(root) / "component-model" / "validation";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "component-model suite not found";
  size_t attempts = 0, errors = 0;
  for (const char* name : {"indicies.wast", "outer-alias.wast", "attributes.wast", "abi.wast"}) {
    auto script = parse_script(testing::read_file(dir / name), name);
    ASSERT_TRUE(script.ok());
    for (const Command& cmd : script->commands) {
      const ModuleSource& m = cmd.module;
      if (m.kind != ModuleKind::Component || m.form != ModuleForm::Text) continue;
      std::span<const Token> form = script->form_tokens(m);
      for (size_t n = 1; n < form.size(); ++n) {
        ++attempts;
        if (!encode_wat_component(form.first(n)).ok()) ++errors;
      }
      if (form.size() > 200) continue;
      for (size_t k = 0; k < form.size(); ++k) {
        std::vector<Token> copy(form.begin(), form.end());
        copy.erase(copy.begin() + long(k));
        ++attempts;
        if (!encode_wat_component(copy).ok()) ++errors;
      }
    }
  }
  EXPECT_GT(attempts, 1000u);
  EXPECT_GT(errors, attempts / 2);
}

} // namespace
} // namespace tandem::wast
