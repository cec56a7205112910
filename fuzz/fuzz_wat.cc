// libFuzzer target (c): core text lexer + WAT encoder; encoded modules are
// also decoded and validated.
#include "decoder/module_decoder.h"
#include "validator/validator.h"
#include "wast/wat_module.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tandem;
  std::string text(reinterpret_cast<const char*>(data), size);
  Result<std::vector<uint8_t>> bytes = wast::wat_to_binary(text);
  if (!bytes.ok()) return 0;
  Result<wasm::Module> m = decode_module(std::move(bytes).value(), FeatureSet::all());
  if (m.ok()) (void)validate_module(m.value(), FeatureSet::all());
  return 0;
}
