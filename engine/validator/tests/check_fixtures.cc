// Fixture checker: runs decode (+ validation once available) on the modules
// listed in a manifest made by extract_fixtures.py and compares the outcome
// with the expectation of the .wast assertion (valid / malformed / invalid,
// message as a prefix). Prints failures and a summary.
// Usage: check_fixtures MANIFEST [-v]
#include "decoder/function_decoder.h"
#include "decoder/module_decoder.h"
#include "validator/validator.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace tandem;

// Default features, plus the proposal a suite file belongs to.
static FeatureSet features_for(const std::string& source) {
  FeatureSet f = FeatureSet::defaults();
  auto has = [&](const char* s) { return source.find(s) != std::string::npos; };
  if (has("proposals/threads")) f.set(Feature::threads);
  if (has("proposals/custom-page-sizes")) f.set(Feature::custom_page_sizes);
  if (has("proposals/wide-arithmetic")) f.set(Feature::wide_arithmetic);
  if (has("proposals/custom-descriptors")) f.set(Feature::custom_descriptors);
  if (has("proposals/legacy")) f.set(Feature::legacy_exceptions);
  return f;
}

static Status check(std::vector<uint8_t> bytes, const FeatureSet& features) {
  TANDEM_ASSIGN(wasm::Module m, decode_module(std::move(bytes), features));
  return validate_module(m, features);
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  bool verbose = argc > 2;
  std::ifstream man(argv[1]);
  std::string line;
  std::map<std::string, std::pair<int, int>> by_kind;
  int fails = 0;
  while (std::getline(man, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) f.push_back(col);
    if (f.size() < 5) continue;
    std::ifstream in(f[0], std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    Status st = check(std::move(bytes), features_for(f[3]));
    const std::string& kind = f[1];
    const std::string& msg = f[2];
    bool pass;
    std::string got =
        st.ok() ? "ok" : std::string(error_kind_name(st.error().kind)) + ": " + st.error().message;
    if (kind == "valid")
      pass = st.ok();
    else {
      ErrorKind want = kind == "malformed" ? ErrorKind::Malformed : ErrorKind::Invalid;
      pass = !st.ok() && st.error().kind == want && st.error().message.rfind(msg, 0) == 0;
    }
    auto& c = by_kind[kind + "/" + f[4]];
    (pass ? c.first : c.second)++;
    if (!pass) {
      ++fails;
      if (verbose)
        std::printf("FAIL %s [%s] want %s '%s' got %s\n", f[3].c_str(), f[0].c_str(), kind.c_str(),
                    msg.c_str(), got.c_str());
    }
  }
  for (auto& [k, c] : by_kind)
    std::printf("%-20s pass %5d fail %5d\n", k.c_str(), c.first, c.second);
  return fails ? 1 : 0;
}
