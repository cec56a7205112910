// The binary cursor used by the module and function-body decoders.
//
// It reads the spec's primitive encodings and fails with the reference
// interpreter's malformed messages at the right offset. Two rules mirror the
// reference decoder, so the suite's expected messages come out unchanged:
// - A read past the end is always "unexpected end of section or function"
//   (the suite's "unexpected end" is a prefix of it).
// - Sections and function bodies are read against the end of the whole
//   module, not their declared size; the caller compares the final position
//   with the declared end ("section size mismatch"). A length or count larger
//   than the bytes left in the module is "length out of bounds".
// The cursor never reads outside [begin, end).
#pragma once

#include "base/leb128.h"
#include "base/result.h"

#include <cstdint>
#include <cstring>
#include <string>

namespace tandem {

class Reader {
public:
  // `base` is the start of the module: offsets are reported relative to it.
  Reader(const uint8_t* base, const uint8_t* pos, const uint8_t* end)
      : base_(base), p_(pos), end_(end) {}

  uint32_t offset() const { return uint32_t(p_ - base_); }
  const uint8_t* pos() const { return p_; }
  const uint8_t* end() const { return end_; }
  const uint8_t* base() const { return base_; }
  size_t remaining() const { return size_t(end_ - p_); }
  bool at_end() const { return p_ == end_; }
  void seek(const uint8_t* p) { p_ = p; }

  Error error(std::string msg) const { return Error::malformed(offset(), std::move(msg)); }
  Error error_at(uint32_t off, std::string msg) const {
    return Error::malformed(off, std::move(msg));
  }
  Error eof() const { return error("unexpected end of section or function"); }

  // Peek without consuming; nullopt-like -1 at the end.
  int peek() const { return p_ == end_ ? -1 : *p_; }

  Result<uint8_t> u8() {
    if (p_ == end_) return eof();
    return *p_++;
  }
  Result<uint32_t> u32() {
    if (p_ != end_ && *p_ < 0x80) return *p_++; // one-byte LEB: the common case
    uint64_t v = 0;
    TANDEM_TRY(leb(read_uleb(p_, end_, 32, v)));
    return uint32_t(v);
  }
  Result<uint64_t> u64() {
    if (p_ != end_ && *p_ < 0x80) return *p_++;
    uint64_t v = 0;
    TANDEM_TRY(leb(read_uleb(p_, end_, 64, v)));
    return v;
  }
  Result<int32_t> s32() {
    if (p_ != end_ && *p_ < 0x80) return int32_t(*p_++ ^ 0x40) - 0x40; // sign of bit 6
    int64_t v = 0;
    TANDEM_TRY(leb(read_sleb(p_, end_, 32, v)));
    return int32_t(v);
  }
  Result<int64_t> s33() {
    int64_t v = 0;
    TANDEM_TRY(leb(read_sleb(p_, end_, 33, v)));
    return v;
  }
  Result<int64_t> s64() {
    if (p_ != end_ && *p_ < 0x80) return int64_t(*p_++ ^ 0x40) - 0x40;
    int64_t v = 0;
    TANDEM_TRY(leb(read_sleb(p_, end_, 64, v)));
    return v;
  }
  Result<uint32_t> fixed32() {
    if (remaining() < 4) return skip_to_end_eof();
    uint32_t v;
    std::memcpy(&v, p_, 4);
    p_ += 4;
    return v;
  }
  Result<uint64_t> fixed64() {
    if (remaining() < 8) return skip_to_end_eof();
    uint64_t v;
    std::memcpy(&v, p_, 8);
    p_ += 8;
    return v;
  }
  Result<const uint8_t*> bytes(size_t n) {
    if (remaining() < n) return skip_to_end_eof();
    const uint8_t* r = p_;
    p_ += n;
    return r;
  }
  // A u32 length or count that must not exceed the bytes left in the module
  // (counted from the start of the LEB, as the reference decoder does).
  Result<uint32_t> len32() {
    const uint8_t* start = p_;
    TANDEM_ASSIGN(uint32_t n, u32());
    if (n > size_t(end_ - start)) return error_at(uint32_t(start - base_), "length out of bounds");
    return n;
  }
  // A name: len32 bytes of well-formed UTF-8.
  Result<std::string> name();

private:
  Error skip_to_end_eof() {
    p_ = end_;
    return eof();
  }
  Status leb(LebStatus s) {
    switch (s) {
    case LebStatus::Ok: return {};
    case LebStatus::End: return eof();
    case LebStatus::TooLong: return error("integer representation too long");
    case LebStatus::TooLarge: return error("integer too large");
    }
    return {};
  }

  const uint8_t* base_;
  const uint8_t* p_;
  const uint8_t* end_;
};

} // namespace tandem
