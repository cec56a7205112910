// Linear memories and tables: allocation, growth and bounds helpers.
//
// A memory is one reservation of address space (mmap PROT_NONE) that is made
// accessible page by page as it grows, so `base` never moves. 32-bit memories
// reserve 8 GiB plus a guard region: any address computed from a 32-bit index
// and a 32-bit offset falls inside the reservation, which lets compiled code
// rely on the guard instead of explicit checks. 64-bit memories reserve up to
// an implementation limit and always use explicit bounds checks. If the large
// reservation is refused (address-space limits), the memory reserves only its
// maximum and `guarded` is false. The interpreter always checks explicitly.
#pragma once

#include "base/result.h"
#include "runtime/objects.h"

#include <cstdint>

namespace tandem::rt {

// Implementation limits (a grow beyond them fails with -1, as the spec allows).
inline constexpr uint64_t kMaxMemory64Bytes = uint64_t(16) << 30;
inline constexpr uint64_t kMaxTableElems = 10'000'000;

// Reserves and commits `type.limits.min` pages. Fails with Unlinkable-style
// resource errors only when the minimum itself cannot be allocated.
Status memory_create(MemoryInst& m, const MemoryType& type);
void memory_destroy(MemoryInst& m);
// memory.grow: the old size in pages, or -1 when the new size is not allowed
// or cannot be committed.
int64_t memory_grow(MemoryInst& m, uint64_t delta_pages);
// Whether compiled code may rely on guard pages for this memory.
bool memory_guarded(const MemoryInst& m);
MemoryType memory_type(const MemoryInst& m);

// True when [addr, addr + len) lies inside the memory (no overflow).
inline bool memory_in_bounds(const MemoryInst& m, uint64_t addr, uint64_t len) {
  return addr <= m.size && len <= m.size - addr;
}
// The same for an address below 2^33 (a 32-bit address plus a 32-bit
// offset) and a small len, where addr + len cannot overflow: one compare.
inline bool memory_in_bounds_33(const MemoryInst& m, uint64_t addr, uint64_t len) {
  return addr + len <= m.size;
}

Status table_create(TableInst& t, const TableType& canon_type, uintptr_t init);
void table_destroy(TableInst& t);
// table.grow: the old size, or -1.
int64_t table_grow(TableInst& t, uint64_t delta, uintptr_t init);
TableType table_type(const TableInst& t);
inline bool table_in_bounds(const TableInst& t, uint64_t index, uint64_t len) {
  return index <= t.size && len <= t.size - index;
}

} // namespace tandem::rt
