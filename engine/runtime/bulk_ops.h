// The semantics of the bulk memory and table instructions, shared by the
// tiers (added by the JIT helper H8; the interpreter may call these too so
// that there is one copy): memory.fill/copy/init and table.fill/copy/init.
//
// Each function checks bounds first and returns TrapKind::kCount on success
// or the trap kind, with no effect, on failure (the spec's order: the whole
// range is checked before anything is written).
#pragma once

#include "runtime/memory.h"

#include <cstring>

namespace tandem::rt {

inline TrapKind memory_fill_op(MemoryInst& m, uint64_t d, uint8_t value, uint64_t n) {
  if (!memory_in_bounds(m, d, n)) return TrapKind::MemoryOutOfBounds;
  if (n) std::memset(m.base + d, value, n);
  return TrapKind::kCount;
}

inline TrapKind memory_copy_op(MemoryInst& dst, MemoryInst& src, uint64_t d, uint64_t s,
                               uint64_t n) {
  if (!memory_in_bounds(dst, d, n) || !memory_in_bounds(src, s, n))
    return TrapKind::MemoryOutOfBounds;
  if (n) std::memmove(dst.base + d, src.base + s, n);
  return TrapKind::kCount;
}

inline TrapKind memory_init_op(MemoryInst& m, const DataSegInst& seg, uint64_t d, uint64_t s,
                               uint64_t n) {
  if (!memory_in_bounds(m, d, n) || s > seg.size || n > seg.size - s)
    return TrapKind::MemoryOutOfBounds;
  if (n) std::memcpy(m.base + d, seg.bytes + s, n);
  return TrapKind::kCount;
}

inline TrapKind table_fill_op(TableInst& t, uint64_t i, uintptr_t value, uint64_t n) {
  if (!table_in_bounds(t, i, n)) return TrapKind::TableOutOfBounds;
  for (uint64_t k = 0; k < n; ++k) t.elems[i + k] = value;
  return TrapKind::kCount;
}

inline TrapKind table_copy_op(TableInst& dst, TableInst& src, uint64_t d, uint64_t s, uint64_t n) {
  if (!table_in_bounds(dst, d, n) || !table_in_bounds(src, s, n)) return TrapKind::TableOutOfBounds;
  if (n) std::memmove(dst.elems + d, src.elems + s, n * sizeof(uintptr_t));
  return TrapKind::kCount;
}

inline TrapKind table_init_op(TableInst& t, const ElemSegInst& seg, uint64_t d, uint64_t s,
                              uint64_t n) {
  if (!table_in_bounds(t, d, n) || s > seg.size || n > seg.size - s)
    return TrapKind::TableOutOfBounds;
  for (uint64_t k = 0; k < n; ++k) t.elems[d + k] = seg.elems[s + k];
  return TrapKind::kCount;
}

} // namespace tandem::rt
