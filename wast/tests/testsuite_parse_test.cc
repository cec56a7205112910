// Parses every .wast file of the official suites (core, proposals,
// component-model) and checks command counts against
// docs/conformance-map.md. Also reports the time spent lexing and parsing.
#include "testsuite_path.h"
#include "wast/script.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

namespace tandem::wast {
namespace {

namespace fs = std::filesystem;

struct SuiteResult {
  CommandCounts counts;
  std::map<std::string, CommandCounts> per_file; // keyed by path relative to the suite root
  std::vector<std::string> failures;
  // Module forms: top-level `module` commands and the modules inside assertions.
  uint32_t top_definitions = 0, top_instances = 0, top_quote = 0, top_binary = 0, top_text = 0;
  uint32_t malformed_quote = 0, malformed_binary = 0, malformed_text = 0;
  uint32_t component_commands = 0;
  size_t files = 0;
  size_t bytes = 0;
  double millis = 0;
};

std::vector<fs::path> wast_files(const fs::path& root) {
  std::vector<fs::path> out;
  for (auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".wast") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

SuiteResult parse_suite(const fs::path& root) {
  SuiteResult r;
  std::vector<std::pair<fs::path, std::string>> sources;
  for (const fs::path& p : wast_files(root)) sources.emplace_back(p, testing::read_file(p));
  auto t0 = std::chrono::steady_clock::now();
  for (auto& [path, text] : sources) {
    ++r.files;
    r.bytes += text.size();
    std::string rel = fs::relative(path, root).string();
    auto script = parse_script(text, rel);
    if (!script.ok()) {
      r.failures.push_back(format_error(script.error(), rel));
      continue;
    }
    for (const Command& cmd : script->commands) {
      const ModuleSource& m = cmd.module;
      if (cmd.kind == CommandKind::Module) {
        if (m.kind == ModuleKind::Component) ++r.component_commands;
        if (m.definition) ++r.top_definitions;
        switch (m.form) {
        case ModuleForm::Instance: ++r.top_instances; break;
        case ModuleForm::Quote: ++r.top_quote; break;
        case ModuleForm::Binary: ++r.top_binary; break;
        case ModuleForm::Text: ++r.top_text; break;
        }
      } else if (cmd.kind == CommandKind::AssertMalformed) {
        if (m.form == ModuleForm::Quote)
          ++r.malformed_quote;
        else if (m.form == ModuleForm::Binary)
          ++r.malformed_binary;
        else
          ++r.malformed_text;
      }
    }
    CommandCounts c = count_commands(*script);
    r.per_file[rel] = c;
    for (size_t k = 0; k < c.by_kind.size(); ++k) r.counts.by_kind[k] += c.by_kind[k];
  }
  r.millis =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

void print_counts(const char* name, const SuiteResult& r) {
  std::printf("[%s] %zu files, %.1f MB, lex+parse %.1f ms\n", name, r.files, r.bytes / 1e6,
              r.millis);
  std::printf("  module forms: text %u, binary %u, quote %u, definition %u, instance %u; "
              "assert_malformed quote %u / binary %u / text %u\n",
              r.top_text, r.top_binary, r.top_quote, r.top_definitions, r.top_instances,
              r.malformed_quote, r.malformed_binary, r.malformed_text);
  for (size_t k = 0; k < r.counts.by_kind.size(); ++k)
    if (r.counts.by_kind[k])
      std::printf("  %-24s %u\n", command_kind_name(static_cast<CommandKind>(k)),
                  r.counts.by_kind[k]);
}

#define REQUIRE_TESTSUITE(dir)                                                                     \
  std::string dir = testing::testsuite_dir();                                                      \
  if (dir.empty())                                                                                 \
  GTEST_SKIP() << "testsuite not found: set TANDEM_TESTSUITE or configure "                        \
                  "with -DTANDEM_TESTSUITE_DIR=<path to testsuite>"

SuiteResult merge(const SuiteResult& a, const SuiteResult& b) {
  SuiteResult r = a;
  for (size_t k = 0; k < r.counts.by_kind.size(); ++k) r.counts.by_kind[k] += b.counts.by_kind[k];
  r.per_file.insert(b.per_file.begin(), b.per_file.end());
  r.failures.insert(r.failures.end(), b.failures.begin(), b.failures.end());
  r.files += b.files;
  r.bytes += b.bytes;
  r.millis += b.millis;
  r.top_definitions += b.top_definitions;
  r.top_instances += b.top_instances;
  r.top_quote += b.top_quote;
  r.top_binary += b.top_binary;
  r.top_text += b.top_text;
  r.malformed_quote += b.malformed_quote;
  r.malformed_binary += b.malformed_binary;
  r.malformed_text += b.malformed_text;
  r.component_commands += b.component_commands;
  return r;
}

// The core testsuite of docs/conformance-map.md (288 files) is our core/ plus
// proposals/ (289 files): the map's totals lack core/memory_grow.wast (shadowed
// in its mirror: 80 assert_return, 7 assert_trap, 9 assert_invalid,
// 2 register), and its return_call.wast / return_call_indirect.wast are older
// than ours (each: +1 assert_return, +1 assert_invalid here).
TEST(TestsuiteParse, CoreAndProposalsMatchConformanceMap) {
  REQUIRE_TESTSUITE(dir);
  SuiteResult core = parse_suite(fs::path(dir) / "core");
  SuiteResult proposals = parse_suite(fs::path(dir) / "proposals");
  print_counts("core", core);
  print_counts("proposals", proposals);
  SuiteResult r = merge(core, proposals);
  for (const std::string& f : r.failures) ADD_FAILURE() << f;
  EXPECT_EQ(core.files, 258u);
  EXPECT_EQ(proposals.files, 31u);
  const CommandCounts& c = r.counts;
  EXPECT_EQ(c[CommandKind::AssertReturn], 53292u + 80 + 2);
  EXPECT_EQ(c[CommandKind::AssertTrap] + c[CommandKind::AssertUninstantiable], 5252u + 7);
  EXPECT_EQ(c[CommandKind::AssertUninstantiable], 57u);
  EXPECT_EQ(c[CommandKind::AssertExhaustion], 15u);
  EXPECT_EQ(c[CommandKind::AssertInvalid], 3004u + 9 + 2);
  EXPECT_EQ(c[CommandKind::AssertMalformed], 2208u);
  EXPECT_EQ(r.malformed_quote, 1278u);
  EXPECT_EQ(r.malformed_binary, 930u);
  EXPECT_EQ(r.malformed_text, 0u);
  EXPECT_EQ(c[CommandKind::AssertUnlinkable], 262u);
  EXPECT_EQ(c[CommandKind::AssertException], 41u);
  EXPECT_EQ(c[CommandKind::AssertMalformedCustom] + c[CommandKind::AssertInvalidCustom], 20u);
  EXPECT_EQ(c[CommandKind::Action], 422u);
  EXPECT_EQ(c[CommandKind::Register], 89u + 2);
  EXPECT_EQ(c[CommandKind::AssertSuspension], 0u);
  EXPECT_EQ(c[CommandKind::Thread], 0u);
  EXPECT_EQ(r.top_definitions, 17u);
  EXPECT_EQ(r.top_instances, 3u);
  EXPECT_EQ(r.component_commands, 0u);

  // Per-file spot checks (conformance-map.md section 2).
  auto check = [&](const char* file, uint32_t ret, uint32_t trap, uint32_t invalid,
                   uint32_t malformed) {
    auto it = r.per_file.find(file);
    ASSERT_NE(it, r.per_file.end()) << file;
    const CommandCounts& f = it->second;
    EXPECT_EQ(f[CommandKind::AssertReturn], ret) << file;
    EXPECT_EQ(f[CommandKind::AssertTrap] + f[CommandKind::AssertUninstantiable], trap) << file;
    EXPECT_EQ(f[CommandKind::AssertInvalid], invalid) << file;
    EXPECT_EQ(f[CommandKind::AssertMalformed], malformed) << file;
  };
  check("const.wast", 300, 0, 0, 76);
  check("f32.wast", 2500, 0, 11, 2);
  check("address.wast", 206, 49, 1, 0);
  check("comments.wast", 3, 0, 0, 0);
  check("conversions.wast", 526, 67, 25, 0);
  check("align.wast", 47, 1, 44, 48);
  check("call_indirect.wast", 114, 18, 24, 11);
  check("elem.wast", 27, 19, 26, 0);
  check("inline-module.wast", 0, 0, 0, 0);
  EXPECT_EQ(r.per_file.count("inline-module.wast"), 1u);
}

// component-model/ here lacks test/linking (held out): the map's totals minus
// linking's 205 assert_return and 2 assert_invalid.
TEST(TestsuiteParse, ComponentModelMatchesConformanceMap) {
  REQUIRE_TESTSUITE(dir);
  SuiteResult r = parse_suite(fs::path(dir) / "component-model");
  print_counts("component-model", r);
  for (const std::string& f : r.failures) ADD_FAILURE() << f;
  EXPECT_EQ(r.files, 59u);
  const CommandCounts& c = r.counts;
  EXPECT_EQ(c[CommandKind::AssertReturn], 389u - 205);
  EXPECT_EQ(c[CommandKind::AssertTrap] + c[CommandKind::AssertUninstantiable], 136u);
  EXPECT_EQ(c[CommandKind::AssertUninstantiable], 2u);
  EXPECT_EQ(c[CommandKind::AssertInvalid], 380u - 2);
  EXPECT_EQ(c[CommandKind::AssertMalformed], 75u);
  EXPECT_EQ(c[CommandKind::Register], 0u);
  EXPECT_EQ(r.top_instances, 159u);
  auto concat = r.per_file.find("values/concat.wast");
  ASSERT_NE(concat, r.per_file.end());
  EXPECT_EQ(concat->second[CommandKind::AssertReturn], 44u);
}

// Every quoted module of the suites, lexed on its own: where the expected
// message of an assert_malformed is a lexical error, lex() must report exactly
// that message; where it is any other message (parse or encode errors, other
// than bad UTF-8 which may also come from names), or the module is not
// expected to be malformed, lex() must succeed.
TEST(TestsuiteParse, QuotedModulesLexAsExpected) {
  REQUIRE_TESTSUITE(dir);
  const std::vector<std::string> lexical = {
      "unclosed string",  "illegal character", "empty annotation id", "unclosed annotation",
      "empty identifier", "unclosed comment",  "illegal escape"};
  size_t checked_errors = 0, checked_ok = 0;
  for (const char* sub : {"core", "proposals"}) {
    for (const fs::path& p : wast_files(fs::path(dir) / sub)) {
      std::string text = testing::read_file(p);
      auto script = parse_script(text, p.string());
      ASSERT_TRUE(script.ok()) << format_error(script.error(), p.string());
      for (const Command& cmd : script->commands) {
        if (cmd.module.form != ModuleForm::Quote || cmd.module.kind != ModuleKind::Core) continue;
        auto lexed = lex(cmd.module.text);
        std::string where = script->where(cmd.loc);
        bool expect_lex_error =
            cmd.kind == CommandKind::AssertMalformed &&
            std::find(lexical.begin(), lexical.end(), cmd.message) != lexical.end();
        if (expect_lex_error) {
          ++checked_errors;
          EXPECT_FALSE(lexed.ok()) << where << ": expected " << cmd.message;
          if (!lexed.ok()) {
            EXPECT_EQ(lexed.error().message, cmd.message) << where;
          }
        } else if (cmd.kind != CommandKind::AssertMalformed ||
                   cmd.message.rfind("malformed UTF-8", 0) != 0) {
          ++checked_ok;
          EXPECT_TRUE(lexed.ok()) << where << ": " << lexed.error().message;
        }
      }
    }
  }
  std::printf("quoted modules: %zu lexical errors checked, %zu clean lexes checked\n",
              checked_errors, checked_ok);
  EXPECT_GT(checked_errors, 40u);
  EXPECT_GT(checked_ok, 1000u);
}

} // namespace
} // namespace tandem::wast
