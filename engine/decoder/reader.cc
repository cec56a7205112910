// Reader::name: a length-prefixed UTF-8 string (the spec's `name`).
#include "decoder/reader.h"

#include "base/byte_reader.h"

namespace tandem {

Result<std::string> Reader::name() {
  uint32_t start = offset();
  TANDEM_ASSIGN(uint32_t n, len32());
  TANDEM_ASSIGN(const uint8_t* p, bytes(n));
  if (!is_valid_utf8(p, n)) return error_at(start, "malformed UTF-8 encoding");
  return std::string(reinterpret_cast<const char*>(p), n);
}

} // namespace tandem
