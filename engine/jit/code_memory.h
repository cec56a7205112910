// Executable memory for compiled code, W^X.
//
// A CodeMemory is one private anonymous mapping. It is created readable and
// writable (never executable); the compiler copies the relocated machine code
// into it and then calls make_executable(), which flips it to read + execute
// for good. At no time is a page both writable and executable.
#pragma once

#include "base/result.h"

#include <cstddef>
#include <cstdint>
#include <memory>

namespace tandem::jit {

class CodeMemory {
public:
  // A writable (not executable) mapping of at least `bytes` bytes.
  static Result<std::unique_ptr<CodeMemory>> allocate(size_t bytes);
  ~CodeMemory();
  CodeMemory(const CodeMemory&) = delete;
  CodeMemory& operator=(const CodeMemory&) = delete;

  uint8_t* data() const { return base_; }
  size_t size() const { return size_; }
  bool executable() const { return executable_; }

  // Read + execute from now on; the mapping is never writable again.
  Status make_executable();

private:
  CodeMemory(uint8_t* base, size_t size) : base_(base), size_(size) {}
  uint8_t* base_;
  size_t size_;
  bool executable_ = false;
};

} // namespace tandem::jit
