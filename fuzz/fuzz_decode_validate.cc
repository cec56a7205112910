// libFuzzer target (a): binary module decoder + validator with every feature on.
#include "decoder/module_decoder.h"
#include "validator/validator.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tandem;
  std::vector<uint8_t> bytes(data, data + size);
  Result<wasm::Module> m = decode_module(std::move(bytes), FeatureSet::all());
  if (!m.ok()) return 0;
  (void)validate_module(m.value(), FeatureSet::all());
  return 0;
}
