// Tiny helpers for building wasm binaries by hand in decoder and validator
// unit tests: sections with LEB sizes, vectors, and common entries.
#pragma once

#include "base/leb128.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace tandem::test {

using Bytes = std::vector<uint8_t>;

// Byte-wise appends: GCC 12 at -O3 reports false array-bounds errors for
// range inserts of small constant vectors.
inline void append(Bytes& out, const Bytes& more) {
  for (uint8_t b : more) out.push_back(b);
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) append(out, p);
  return out;
}

inline Bytes uleb(uint64_t v) {
  Bytes out;
  write_uleb(out, v);
  return out;
}

inline Bytes name(const std::string& s) {
  Bytes out = uleb(s.size());
  for (char c : s) out.push_back(uint8_t(c));
  return out;
}

// vec(items): a count followed by the concatenated items.
inline Bytes vec(std::initializer_list<Bytes> items) {
  Bytes out = uleb(items.size());
  for (const Bytes& b : items) append(out, b);
  return out;
}

inline Bytes section(uint8_t id, const Bytes& content) {
  return cat({{id}, uleb(content.size()), content});
}

inline Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  for (const Bytes& s : sections) append(out, s);
  return out;
}

// A function type entry: 0x60 params results (value type bytes).
inline Bytes func_type(const Bytes& params, const Bytes& results) {
  return cat({{0x60}, uleb(params.size()), params, uleb(results.size()), results});
}

// A code entry: size, local groups, instruction bytes (must include the final end).
inline Bytes body(const Bytes& locals_vec, const Bytes& code) {
  Bytes inner = cat({locals_vec, code});
  return cat({uleb(inner.size()), inner});
}

// A module with one type, one function of that type and the given body.
inline Bytes one_func(const Bytes& type, const Bytes& code, const Bytes& locals = {0x00},
                      std::initializer_list<Bytes> extra_before_code = {}) {
  Bytes out = module({section(1, vec({type})), section(3, vec({{0x00}}))});
  for (const Bytes& s : extra_before_code) append(out, s);
  append(out, section(10, vec({body(locals, code)})));
  return out;
}

} // namespace tandem::test
