// libFuzzer target (d): the .wast script parser.
#include "wast/script.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)tandem::wast::parse_script(text, "fuzz.wast");
  return 0;
}
