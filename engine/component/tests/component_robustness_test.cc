// Hostile-input tests: every component of the validation and binary suites
// is encoded, then truncated at every length and mutated at random (fixed
// seed); decode + validate must return (success or an error), never crash or
// hang. Run under the sanitizer build for full value.
#include "component/decoder.h"
#include "component/validator.h"
#include "wast/component_encoder.h"
#include "wast/script.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace tandem::component {
namespace {

namespace fs = std::filesystem;

std::vector<std::vector<uint8_t>> suite_binaries() {
  std::vector<std::vector<uint8_t>> out;
  std::string dir;
  if (const char* env = std::getenv("TANDEM_TESTSUITE"); env && *env) dir = env;
#ifdef TANDEM_TESTSUITE_DIR
  if (dir.empty()) dir = TANDEM_TESTSUITE_DIR;
#endif
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir + "/component-model", ec)) return out;
  for (const char* sub : {"validation", "binary"}) {
    for (const auto& e : fs::directory_iterator(dir + "/component-model/" + sub)) {
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      std::string src = ss.str();
      auto script = wast::parse_script(src, e.path().string());
      if (!script.ok()) continue;
      for (const auto& cmd : script->commands) {
        const auto& m = cmd.module;
        if (m.kind != wast::ModuleKind::Component) continue;
        if (m.form == wast::ModuleForm::Binary) {
          out.emplace_back(m.bytes.begin(), m.bytes.end());
        } else if (m.form == wast::ModuleForm::Text) {
          auto b = wast::encode_wat_component(script->form_tokens(m));
          if (b.ok()) out.push_back(std::move(*b));
        }
      }
    }
  }
  return out;
}

void run(const std::vector<uint8_t>& b) {
  FeatureSet f = FeatureSet::all();
  auto c = decode_component(b, f);
  if (c.ok()) (void)validate_component(**c, f);
}

TEST(ComponentRobustness, TruncationsAndMutations) {
  auto bins = suite_binaries();
  if (bins.empty()) GTEST_SKIP() << "component-model suite not found";
  std::mt19937 rng(12345);
  size_t runs = 0;
  for (const auto& b : bins) {
    for (size_t n = 0; n < b.size(); n += 1 + b.size() / 64, ++runs)
      run(std::vector<uint8_t>(b.begin(), b.begin() + long(n)));
    if (b.size() <= 8) continue;
    for (int i = 0; i < 200; ++i, ++runs) {
      std::vector<uint8_t> m = b;
      int edits = 1 + int(rng() % 4);
      for (int k = 0; k < edits; ++k) {
        size_t pos = 8 + rng() % (m.size() - 8);
        switch (rng() % 3) {
        case 0: m[pos] = uint8_t(rng()); break;
        case 1: m[pos] ^= uint8_t(1u << (rng() % 8)); break;
        case 2: m.insert(m.begin() + long(pos), uint8_t(rng())); break;
        }
      }
      run(m);
    }
  }
  EXPECT_GT(runs, 1000u);
}

} // namespace
} // namespace tandem::component
