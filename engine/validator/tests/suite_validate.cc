// Suite validation check: for every core module in the given .wast files
// (module commands, assert_invalid, assert_malformed with binary modules),
// encode text with Tandem's WAT encoder, then decode + validate and compare
// with the expected outcome. Modules the encoder cannot encode are counted
// separately (they are the text encoder's business).
// Usage: tandem_suite_validate [-v] FILE.wast...
#include "decoder/module_decoder.h"
#include "validator/validator.h"
#include "wast/script.h"
#include "wast/wat_module.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

using namespace tandem;

namespace {

FeatureSet features_for(const std::string& path) {
  FeatureSet f = FeatureSet::defaults();
  auto has = [&](const char* s) { return path.find(s) != std::string::npos; };
  if (has("proposals/threads")) f.set(Feature::threads);
  if (has("proposals/custom-page-sizes")) f.set(Feature::custom_page_sizes);
  if (has("proposals/wide-arithmetic")) f.set(Feature::wide_arithmetic);
  if (has("proposals/custom-descriptors")) f.set(Feature::custom_descriptors);
  if (has("proposals/legacy")) f.set(Feature::legacy_exceptions);
  return f;
}

struct Counts {
  int pass = 0, fail = 0, skipped = 0;
};

} // namespace

int main(int argc, char** argv) {
  bool verbose = false;
  std::map<std::string, Counts> totals;
  for (int i = 1; i < argc; ++i) {
    std::string path = argv[i];
    if (path == "-v") {
      verbose = true;
      continue;
    }
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    auto script = wast::parse_script(ss.str(), path);
    if (!script.ok()) {
      std::printf("PARSE-FAIL %s: %s\n", path.c_str(), script.error().message.c_str());
      continue;
    }
    FeatureSet features = features_for(path);
    for (const wast::Command& cmd : script->commands) {
      const char* kind = nullptr;
      if (cmd.kind == wast::CommandKind::Module)
        kind = "valid";
      else if (cmd.kind == wast::CommandKind::AssertInvalid)
        kind = "invalid";
      else if (cmd.kind == wast::CommandKind::AssertMalformed)
        kind = "malformed";
      else
        continue;
      const wast::ModuleSource& ms = cmd.module;
      if (ms.kind != wast::ModuleKind::Core || ms.form == wast::ModuleForm::Instance) continue;
      std::string form = ms.form == wast::ModuleForm::Binary ? "binary" : "text";
      Counts& c = totals[std::string(kind) + "/" + form];
      std::vector<uint8_t> bytes;
      if (ms.form == wast::ModuleForm::Binary) {
        bytes.assign(ms.bytes.begin(), ms.bytes.end());
      } else {
        if (std::string(kind) == "malformed") continue; // text-level errors: the encoder's job
        auto enc = ms.form == wast::ModuleForm::Quote
                       ? wast::wat_to_binary(ms.text)
                       : wast::encode_wat_module(script->form_tokens(ms));
        if (!enc.ok()) {
          ++c.skipped;
          if (verbose)
            std::printf("ENCODE %s:%u %s\n", path.c_str(), cmd.loc.line,
                        enc.error().message.c_str());
          continue;
        }
        bytes = std::move(*enc);
      }
      Status st;
      auto m = decode_module(std::move(bytes), features);
      if (!m.ok())
        st = std::move(m).error();
      else
        st = validate_module(*m, features);
      bool pass;
      if (std::string(kind) == "valid") {
        pass = st.ok();
      } else {
        ErrorKind want =
            std::string(kind) == "malformed" ? ErrorKind::Malformed : ErrorKind::Invalid;
        pass = !st.ok() && st.error().kind == want && st.error().message.rfind(cmd.message, 0) == 0;
      }
      (pass ? c.pass : c.fail)++;
      if (!pass && verbose) {
        std::string got =
            st.ok() ? "ok"
                    : std::string(error_kind_name(st.error().kind)) + ": " + st.error().message;
        std::printf("FAIL %s:%u want %s '%s' got %s\n", path.c_str(), cmd.loc.line, kind,
                    cmd.message.c_str(), got.c_str());
      }
    }
  }
  for (auto& [k, c] : totals)
    std::printf("%-18s pass %5d fail %5d not-encoded %5d\n", k.c_str(), c.pass, c.fail, c.skipped);
  return 0;
}
