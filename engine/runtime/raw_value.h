// RawValue: the untagged 16-byte slot used by interpreter frames, the calling
// convention shared by both tiers, globals and host calls.
//
// A slot holds one wasm value of any type; its type is known statically from
// validation, so nothing is stored beside it. A value narrower than 16 bytes
// occupies the low bytes; the rest is unspecified (readers read only the width
// of the type they expect). All access goes through memcpy, so any bit pattern
// (including signalling NaNs) is kept exactly.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace tandem::rt {

struct RawValue {
  uint64_t lo = 0;
  uint64_t hi = 0;

  template <typename T> T get() const {
    static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= 16);
    T v;
    std::memcpy(static_cast<void*>(&v), this, sizeof(T));
    return v;
  }
  template <typename T> void set(T v) {
    static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= 16);
    std::memcpy(static_cast<void*>(this), static_cast<const void*>(&v), sizeof(T));
  }
  template <typename T> static RawValue of(T v) {
    RawValue r;
    r.set(v);
    return r;
  }
};
static_assert(sizeof(RawValue) == 16 && std::is_standard_layout_v<RawValue>);

} // namespace tandem::rt
