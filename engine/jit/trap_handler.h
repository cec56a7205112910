// Guard-page traps: the registry of trap sites in compiled code and the
// SIGSEGV/SIGBUS handler that turns a fault at one of them into a wasm trap.
//
// A 32-bit memory reserves 8 GiB plus a guard region (runtime/memory.h), so a
// compiled load or store with a 32-bit index and offset needs no explicit
// bounds check: an out-of-bounds access touches an inaccessible page. Each
// such access is a trap site: its code offset and the memory it addresses.
//
// The handler accepts a fault only when BOTH hold:
//   1. the faulting PC is a registered trap site of a live compiled function;
//   2. the faulting address lies inside that site's memory reservation
//      [base, base + reserved) (the memory of an instance of the running
//      store: code is compiled per instance).
// It then resumes execution at the function's out-of-bounds stub, which
// records "out of bounds memory access" and returns false through the
// function's epilogue (compiled code keeps no state the stub needs beyond
// its pinned registers). Any other fault is an engine bug: the handler
// chains to the previously installed handler if there was one, otherwise
// restores the default action and re-raises, so the process dies with the
// original signal.
//
// Concurrency: registration copies the region list (copy-on-write) under a
// mutex and publishes it atomically; the handler only reads the published
// list, announced by a reader counter that unregistration waits for before
// freeing a replaced list. No lock or allocation happens in the handler.
#pragma once

#include "runtime/objects.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace tandem::jit {

struct TrapSite {
  uint32_t offset = 0;                    // of the access instruction, from the code start
  const rt::MemoryInst* memory = nullptr; // the memory it addresses
};

// One compiled function's code as the handler sees it.
struct CodeRegion {
  uintptr_t start = 0;
  uintptr_t end = 0;
  uintptr_t oob_stub = 0;      // where a faulting trap site resumes
  std::vector<TrapSite> sites; // sorted by offset
};

// Installs the handler for SIGSEGV and SIGBUS once per process.
void install_trap_handler();

// Adds or removes regions (one registry update for all); a region must stay
// alive until removed.
void register_code_regions(std::span<const CodeRegion* const> regions);
void unregister_code_regions(std::span<const CodeRegion* const> regions);
inline void register_code_region(const CodeRegion* r) {
  register_code_regions({&r, 1});
}
inline void unregister_code_region(const CodeRegion* r) {
  unregister_code_regions({&r, 1});
}

// Where execution resumes for a fault at `pc` touching `address`, if the
// fault is a wasm trap by the rules above (what the handler decides).
std::optional<uintptr_t> trap_resume_address(uintptr_t pc, uintptr_t address);

} // namespace tandem::jit
