// LEB128 encoding and decoding, shared by the text encoder and the binary decoder.
// Decoding follows the spec's rules: at most ceil(N/7) bytes, and unused bits of
// the last byte must be a sign (or zero) extension, else "integer too large";
// running past the maximum length is "integer representation too long".
#pragma once

#include <cstdint>
#include <vector>

namespace tandem {

inline void write_uleb(std::vector<uint8_t>& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out.push_back(b);
  } while (v != 0);
}

inline void write_sleb(std::vector<uint8_t>& out, int64_t v) {
  bool more = true;
  while (more) {
    uint8_t b = v & 0x7f;
    v >>= 7; // arithmetic shift
    if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) more = false;
    else b |= 0x80;
    out.push_back(b);
  }
}

// Fixed-width 5-byte unsigned LEB (used to patch section sizes in place).
inline void write_uleb_padded5(uint8_t* out, uint32_t v) {
  for (int i = 0; i < 5; ++i) {
    out[i] = (v & 0x7f) | (i < 4 ? 0x80 : 0);
    v >>= 7;
  }
}

enum class LebStatus : uint8_t { Ok, End, TooLong, TooLarge };

// Decodes an unsigned LEB of at most `bits` bits from [p, end). On success
// advances p. Never reads past end.
LebStatus read_uleb(const uint8_t*& p, const uint8_t* end, unsigned bits, uint64_t& out);
// Same for signed; the result is sign-extended to 64 bits.
LebStatus read_sleb(const uint8_t*& p, const uint8_t* end, unsigned bits, int64_t& out);

} // namespace tandem
