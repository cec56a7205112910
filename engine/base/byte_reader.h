// A bounds-checked cursor over a byte range, for the binary decoders.
// Every read either succeeds or returns an Error::malformed at the current offset;
// it never reads past the end.
#pragma once

#include "base/leb128.h"
#include "base/result.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tandem {

class ByteReader {
public:
  ByteReader(const uint8_t* begin, const uint8_t* end, uint64_t base_offset = 0)
      : begin_(begin), p_(begin), end_(end), base_(base_offset) {}

  uint64_t offset() const { return base_ + uint64_t(p_ - begin_); }
  size_t remaining() const { return size_t(end_ - p_); }
  bool at_end() const { return p_ == end_; }
  const uint8_t* pos() const { return p_; }
  const uint8_t* end() const { return end_; }

  Error error(std::string msg) const { return Error::malformed(offset(), std::move(msg)); }
  Error error_at(uint64_t off, std::string msg) const { return Error::malformed(off, std::move(msg)); }

  Result<uint8_t> u8() {
    if (p_ == end_) return error("unexpected end");
    return *p_++;
  }
  Result<uint32_t> u32_fixed() {
    if (remaining() < 4) return error("unexpected end");
    uint32_t v;
    std::memcpy(&v, p_, 4);
    p_ += 4;
    return v;
  }
  Result<uint64_t> u64_fixed() {
    if (remaining() < 8) return error("unexpected end");
    uint64_t v;
    std::memcpy(&v, p_, 8);
    p_ += 8;
    return v;
  }
  Result<uint32_t> uleb32() { return uleb(32); }
  Result<uint64_t> uleb64() {
    uint64_t v;
    TANDEM_TRY(leb(read_uleb(p_, end_, 64, v)));
    return v;
  }
  Result<int32_t> sleb32() {
    int64_t v;
    TANDEM_TRY(leb(read_sleb(p_, end_, 32, v)));
    return int32_t(v);
  }
  Result<int64_t> sleb64() {
    int64_t v;
    TANDEM_TRY(leb(read_sleb(p_, end_, 64, v)));
    return v;
  }
  // Signed 33-bit LEB (block types).
  Result<int64_t> sleb33() {
    int64_t v;
    TANDEM_TRY(leb(read_sleb(p_, end_, 33, v)));
    return v;
  }
  Result<const uint8_t*> bytes(size_t n) {
    if (remaining() < n) return error("unexpected end");
    const uint8_t* r = p_;
    p_ += n;
    return r;
  }
  void skip_to(const uint8_t* p) { p_ = p; }

private:
  Result<uint32_t> uleb(unsigned bits) {
    uint64_t v;
    TANDEM_TRY(leb(read_uleb(p_, end_, bits, v)));
    return uint32_t(v);
  }
  Status leb(LebStatus s) const {
    switch (s) {
    case LebStatus::Ok: return {};
    case LebStatus::End: return error("unexpected end");
    case LebStatus::TooLong: return error("integer representation too long");
    case LebStatus::TooLarge: return error("integer too large");
    }
    return {};
  }

  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  uint64_t base_;
};

// True when [p, p+n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool is_valid_utf8(const uint8_t* p, size_t n);
inline bool is_valid_utf8(std::string_view s) {
  return is_valid_utf8(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

} // namespace tandem
