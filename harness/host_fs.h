// The harness's host "real filesystem" (issue 7, Build item 6): a small
// `wasi:filesystem/types`-style host instance over an in-memory byte store,
// so that a root component in a .wast script can import a real interface
// exactly as in the link-time virtualization example
// (docs/isolation.md describes the interface for script authors).
//
// Interface (component function types as the importer declares them):
//   read:        func(offset: u32) -> u8
//   write:       func(offset: u32, byte: u8)
//   size:        func() -> u32
//   read-range:  func(offset: u32, len: u32) -> list<u8>
//   write-range: func(offset: u32, bytes: list<u8>)
// An importer may declare any subset of these names. Offsets outside the store
// (or ranges reaching past it) trap with "host fs: ... out of bounds"; an
// argument or result of another type traps with a message naming the function.
//
// Invariants: the store never changes size; every HostInstance made by one
// HostFs shares that HostFs's store (the functions hold a shared_ptr to it, so
// the store outlives every component instance that imported it).
#pragma once

#include "tandem/component.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace tandem::harness {

// The root import name the wast runner binds a HostFs instance to.
inline constexpr std::string_view kHostFsImportName = "wasi:filesystem/types";
inline constexpr uint32_t kHostFsDefaultSize = 64 * 1024;

class HostFs {
public:
  explicit HostFs(uint32_t size = kHostFsDefaultSize);

  // The host instance: the five functions above over this store.
  HostInstance instance() const;
  // Adds `instance()` to `root` under kHostFsImportName.
  void add_to(HostInstance& root) const;

  std::span<const uint8_t> bytes() const { return state_->bytes; }
  // Calls served since construction (read + read-range / write + write-range).
  uint64_t reads() const { return state_->reads; }
  uint64_t writes() const { return state_->writes; }
  // Zeroes the store and the counters.
  void reset();

private:
  struct State {
    std::vector<uint8_t> bytes;
    uint64_t reads = 0;
    uint64_t writes = 0;
  };
  std::shared_ptr<State> state_;
};

} // namespace tandem::harness
