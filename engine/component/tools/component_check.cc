// Developer tool: decodes and validates the component commands of a .wast
// file (text via the wast/ encoder) and prints each outcome with the error's
// byte offset. Usage: tandem_component_check file.wast [line]
#include "component/decoder.h"
#include "component/validator.h"
#include "wast/component_encoder.h"
#include "wast/script.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace tandem;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s file.wast [line]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string src = ss.str();
  uint32_t only = argc > 2 ? uint32_t(std::atoi(argv[2])) : 0;
  auto script = wast::parse_script(src, argv[1]);
  if (!script.ok()) {
    std::printf("parse error: %s\n", script.error().message.c_str());
    return 1;
  }
  for (const auto& cmd : script->commands) {
    const auto& m = cmd.module;
    if (m.kind != wast::ModuleKind::Component || m.form == wast::ModuleForm::Instance) continue;
    if (cmd.kind != wast::CommandKind::Module && cmd.kind != wast::CommandKind::AssertInvalid &&
        cmd.kind != wast::CommandKind::AssertMalformed)
      continue;
    if (only && cmd.loc.line != only) continue;
    Result<std::vector<uint8_t>> bytes = std::vector<uint8_t>();
    if (m.form == wast::ModuleForm::Binary)
      bytes = std::vector<uint8_t>(m.bytes.begin(), m.bytes.end());
    else if (m.form == wast::ModuleForm::Quote)
      bytes = wast::component_text_to_binary(m.text);
    else
      bytes = wast::encode_wat_component(script->form_tokens(m));
    if (!bytes.ok()) {
      std::printf("%u: encode error: %s\n", cmd.loc.line, bytes.error().message.c_str());
      continue;
    }
    FeatureSet f = FeatureSet::all();
    auto c = component::decode_component(*bytes, f);
    Status s = c.ok() ? component::validate_component(**c, f) : Status(c.error());
    if (s.ok())
      std::printf("%u: ok\n", cmd.loc.line);
    else
      std::printf("%u: %s @%llu: %s\n", cmd.loc.line, error_kind_name(s.error().kind),
                  (unsigned long long)s.error().offset, s.error().message.c_str());
    if (only) {
      uint64_t off = s.ok() ? 0 : s.error().offset;
      for (uint64_t i = off > 16 ? off - 16 : 0; i < off + 16 && i < bytes->size(); ++i)
        std::printf("%s%02x", i == off ? " [" : " ", (*bytes)[i]);
      std::printf("\n");
    }
  }
  return 0;
}
