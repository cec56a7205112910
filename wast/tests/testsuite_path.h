// Locates the official suites for data-driven tests: $TANDEM_TESTSUITE, else
// the TANDEM_TESTSUITE_DIR compile definition (from the CMake cache variable).
// Returns "" when neither names an existing directory (tests then GTEST_SKIP).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tandem::wast::testing {

inline std::string testsuite_dir() {
  std::string dir;
  if (const char* env = std::getenv("TANDEM_TESTSUITE"); env && *env) dir = env;
#ifdef TANDEM_TESTSUITE_DIR
  if (dir.empty()) dir = TANDEM_TESTSUITE_DIR;
#endif
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return "";
  return dir;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace tandem::wast::testing
