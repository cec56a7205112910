// LEB128 decoding with the spec's length and unused-bit checks.
#include "base/leb128.h"

namespace tandem {

LebStatus read_uleb(const uint8_t*& p, const uint8_t* end, unsigned bits, uint64_t& out) {
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  const uint8_t* q = p;
  for (unsigned i = 0;; ++i) {
    if (q == end) return LebStatus::End;
    if (i == max_bytes) return LebStatus::TooLong;
    uint8_t b = *q++;
    unsigned shift = 7 * i;
    if (i == max_bytes - 1) {
      // Last permitted byte: bits beyond `bits` must be zero.
      unsigned used = bits - shift;
      if (b & 0x80) return LebStatus::TooLong;
      if (used < 7 && (b >> used) != 0) return LebStatus::TooLarge;
    }
    result |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  out = result;
  p = q;
  return LebStatus::Ok;
}

LebStatus read_sleb(const uint8_t*& p, const uint8_t* end, unsigned bits, int64_t& out) {
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  unsigned shift = 0;
  const uint8_t* q = p;
  uint8_t b = 0;
  for (unsigned i = 0;; ++i) {
    if (q == end) return LebStatus::End;
    if (i == max_bytes) return LebStatus::TooLong;
    b = *q++;
    shift = 7 * i;
    if (i == max_bytes - 1) {
      if (b & 0x80) return LebStatus::TooLong;
      unsigned used = bits - shift; // value bits in this byte, including sign
      if (used < 7) {
        // The remaining high bits must all equal the sign bit.
        int sign = (b >> (used - 1)) & 1;
        uint8_t high = b >> used & (0x7f >> used);
        uint8_t want = sign ? (0x7f >> used) : 0;
        if (high != want) return LebStatus::TooLarge;
      }
    }
    result |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  shift += 7;
  if (shift < 64 && (b & 0x40)) result |= ~uint64_t(0) << shift;
  out = int64_t(result);
  p = q;
  return LebStatus::Ok;
}

} // namespace tandem
