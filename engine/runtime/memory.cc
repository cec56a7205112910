// Memory reservation/commit with mmap, and table storage. See memory.h.
#include "runtime/memory.h"

#include <cstdlib>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

namespace tandem::rt {
namespace {

constexpr uint64_t kGuardedReservation = (uint64_t(8) << 30) + (uint64_t(64) << 10);

uint64_t system_page() {
  static const uint64_t page = uint64_t(sysconf(_SC_PAGESIZE));
  return page;
}

uint64_t round_up(uint64_t v, uint64_t to) {
  return (v + to - 1) / to * to;
}

// The spec's maximum number of pages for the address type and page size.
uint64_t spec_max_pages(bool is64, uint8_t page_log2) {
  if (is64) return (uint64_t(1) << (64 - page_log2)) - 1; // never reached: capped below
  return uint64_t(1) << (32 - page_log2);
}

bool commit(MemoryInst& m, uint64_t new_size) {
  uint64_t from = round_up(m.size, system_page());
  uint64_t to = round_up(new_size, system_page());
  if (to > m.reserved) return false;
  if (to > from && mprotect(m.base + from, to - from, PROT_READ | PROT_WRITE) != 0) return false;
  return true;
}

} // namespace

Status memory_create(MemoryInst& m, const MemoryType& type) {
  const Limits& lim = type.limits;
  m.page_log2 = uint8_t(lim.page_size_log2.value_or(16));
  m.is64 = lim.is64;
  m.shared = lim.shared;
  m.has_max = lim.max.has_value();
  m.decl_max = lim.max.value_or(0);
  uint64_t limit = spec_max_pages(m.is64, m.page_log2);
  if (m.is64) limit = std::min<uint64_t>(limit, kMaxMemory64Bytes >> m.page_log2);
  m.max_pages = m.has_max ? std::min(m.decl_max, limit) : limit;
  if (lim.min > m.max_pages)
    return Error::make(ErrorKind::Trap, "memory size exceeds the implementation limit");

  uint64_t max_bytes = m.max_pages << m.page_log2;
  uint64_t want = m.is64 ? round_up(max_bytes, system_page()) + system_page() : kGuardedReservation;
  void* p = mmap(nullptr, want, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED && !m.is64) {
    // Fall back to an unguarded reservation of exactly the maximum.
    want = round_up(max_bytes, system_page()) + system_page();
    p = mmap(nullptr, want, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  }
  if (p == MAP_FAILED) return Error::make(ErrorKind::Trap, "cannot reserve memory");
  m.base = static_cast<uint8_t*>(p);
  m.reserved = want;
  m.size = 0;
  uint64_t bytes = lim.min << m.page_log2;
  if (!commit(m, bytes)) {
    memory_destroy(m);
    return Error::make(ErrorKind::Trap, "cannot allocate memory");
  }
  m.size = bytes;
  return {};
}

void memory_destroy(MemoryInst& m) {
  if (m.base) munmap(m.base, m.reserved);
  m.base = nullptr;
  m.size = m.reserved = 0;
}

bool memory_guarded(const MemoryInst& m) {
  return !m.is64 && m.reserved >= kGuardedReservation && m.page_log2 >= 12;
}

int64_t memory_grow(MemoryInst& m, uint64_t delta_pages) {
  uint64_t old_pages = m.pages();
  if (delta_pages > m.max_pages - old_pages) return -1;
  uint64_t new_size = (old_pages + delta_pages) << m.page_log2;
  if (!commit(m, new_size)) return -1;
  m.size = new_size;
  return int64_t(old_pages);
}

MemoryType memory_type(const MemoryInst& m) {
  MemoryType t;
  t.limits.min = m.pages();
  if (m.has_max) t.limits.max = m.decl_max;
  t.limits.is64 = m.is64;
  t.limits.shared = m.shared;
  if (m.page_log2 != 16) t.limits.page_size_log2 = m.page_log2;
  return t;
}

Status table_create(TableInst& t, const TableType& type, uintptr_t init) {
  t.elem_type = type.elem;
  t.is64 = type.limits.is64;
  t.has_max = type.limits.max.has_value();
  t.decl_max = type.limits.max.value_or(0);
  uint64_t spec_limit = t.is64 ? ~uint64_t(0) : uint64_t(0xffffffffu);
  t.max = std::min(t.has_max ? t.decl_max : spec_limit, kMaxTableElems);
  if (type.limits.min > t.max)
    return Error::make(ErrorKind::Trap, "table size exceeds the implementation limit");
  t.size = 0;
  t.capacity = 0;
  t.elems = nullptr;
  if (table_grow(t, type.limits.min, init) < 0)
    return Error::make(ErrorKind::Trap, "cannot allocate table");
  return {};
}

void table_destroy(TableInst& t) {
  std::free(t.elems);
  t.elems = nullptr;
  t.size = t.capacity = 0;
}

int64_t table_grow(TableInst& t, uint64_t delta, uintptr_t init) {
  uint64_t old = t.size;
  if (delta > t.max - old) return -1;
  uint64_t new_size = old + delta;
  if (new_size > t.capacity) {
    uint64_t cap = std::max<uint64_t>(new_size, std::min<uint64_t>(t.capacity * 2, t.max));
    cap = std::max<uint64_t>(cap, 4);
    void* p = std::realloc(t.elems, cap * sizeof(uintptr_t));
    if (!p) return -1;
    t.elems = static_cast<uintptr_t*>(p);
    t.capacity = cap;
  }
  for (uint64_t i = old; i < new_size; ++i) t.elems[i] = init;
  t.size = new_size;
  return int64_t(old);
}

TableType table_type(const TableInst& t) {
  TableType ty;
  ty.elem = t.elem_type;
  ty.limits.min = t.size;
  if (t.has_max) ty.limits.max = t.decl_max;
  ty.limits.is64 = t.is64;
  return ty;
}

} // namespace tandem::rt
