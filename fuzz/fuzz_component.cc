// libFuzzer target (e): component binary decoder + validator, every feature on.
#include "component/decoder.h"
#include "component/validator.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tandem;
  auto c = component::decode_component(std::span<const uint8_t>(data, size), FeatureSet::all());
  if (!c.ok()) return 0;
  (void)component::validate_component(*c.value(), FeatureSet::all());
  return 0;
}
