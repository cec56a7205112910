// Out-of-line handlers of the threads proposal's atomic instructions and of
// wide arithmetic. Atomic accesses use real atomic operations (a shared memory
// may be used by other threads of the host), after the spec's checks: bounds
// first, then natural alignment ("unaligned atomic"). With no other threads
// able to notify, memory.atomic.wait returns "not-equal" (1) or "timed-out"
// (2) after at most its timeout.
#include "interp/exec_helpers.h"

#include <chrono>
#include <string_view>
#include <thread>

namespace tandem::interp {
namespace {

using rt::RawValue;

template <typename T> T atomic_rmw(std::string_view kind, T* p, T v) {
  if (kind == "add") return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
  if (kind == "sub") return __atomic_fetch_sub(p, v, __ATOMIC_SEQ_CST);
  if (kind == "and") return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
  if (kind == "or") return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
  if (kind == "xor") return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
  return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); // xchg
}

// The operation name after "rmwN." ("add_u" -> "add").
constexpr std::string_view rmw_kind(std::string_view name) {
  size_t dot = name.rfind('.');
  std::string_view k = name.substr(dot + 1);
  if (k.ends_with("_u")) k.remove_suffix(2);
  return k;
}

template <typename T>
TrapKind sized_atomic(Shape shape, std::string_view name, uint8_t* at, char* fp,
                      const uint32_t* pc) {
  T* p = reinterpret_cast<T*>(at);
  switch (shape) {
  case Shape::AtomicLoad:
    wr<uint64_t>(fp, pc[2], uint64_t(__atomic_load_n(p, __ATOMIC_SEQ_CST)));
    break;
  case Shape::AtomicStore: __atomic_store_n(p, T(rd<uint64_t>(fp, pc[4])), __ATOMIC_SEQ_CST); break;
  case Shape::AtomicRmw:
    wr<uint64_t>(fp, pc[2], uint64_t(atomic_rmw<T>(rmw_kind(name), p, T(rd<uint64_t>(fp, pc[4])))));
    break;
  case Shape::AtomicCmpxchg: {
    T expected = T(rd<uint64_t>(fp, pc[4]));
    __atomic_compare_exchange_n(p, &expected, T(rd<uint64_t>(fp, pc[5])), false, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    wr<uint64_t>(fp, pc[2], uint64_t(expected)); // the old value either way
    break;
  }
  default: return TrapKind::Unreachable;
  }
  return TrapKind::kCount;
}

} // namespace

TrapKind exec_atomic(char* fp, const uint32_t* pc, rt::ModuleInst* inst) {
  Op op = Op(pc[1]);
  const OpInfo& info = op_info(op);
  if (info.shape == Shape::AtomicFence) {
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return TrapKind::kCount;
  }
  rt::MemoryInst* m = inst->ctx.memories[pc[6]];
  uint64_t addr = m->is64 ? rd<uint64_t>(fp, pc[3]) : rd<uint32_t>(fp, pc[3]);
  uint64_t offset = u64_at(pc + 7);
  uint32_t bytes = memory_access_bytes(op);
  if (offset > ~uint64_t(0) - addr) return TrapKind::MemoryOutOfBounds;
  uint64_t ea = addr + offset;
  if (!rt::memory_in_bounds(*m, ea, bytes)) return TrapKind::MemoryOutOfBounds;
  if (ea % bytes != 0) return TrapKind::UnalignedAtomic;
  uint8_t* at = m->base + ea;
  if (info.shape == Shape::AtomicNotify) {
    wr<uint32_t>(fp, pc[2], 0); // nobody waits
    return TrapKind::kCount;
  }
  if (info.shape == Shape::AtomicWait) {
    if (!m->shared) return TrapKind::ExpectedSharedMemory;
    uint64_t current = 0, expected = rd<uint64_t>(fp, pc[4]);
    if (bytes == 4) {
      current = __atomic_load_n(reinterpret_cast<uint32_t*>(at), __ATOMIC_SEQ_CST);
      expected = uint32_t(expected);
    } else {
      current = __atomic_load_n(reinterpret_cast<uint64_t*>(at), __ATOMIC_SEQ_CST);
    }
    if (current != expected) {
      wr<uint32_t>(fp, pc[2], 1);
      return TrapKind::kCount;
    }
    int64_t timeout = rd<int64_t>(fp, pc[5]);
    constexpr int64_t kMaxSleepNs = 100'000'000; // never block longer than 0.1 s
    if (timeout > 0)
      std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(timeout, kMaxSleepNs)));
    wr<uint32_t>(fp, pc[2], 2);
    return TrapKind::kCount;
  }
  switch (bytes) {
  case 1: return sized_atomic<uint8_t>(info.shape, info.name, at, fp, pc);
  case 2: return sized_atomic<uint16_t>(info.shape, info.name, at, fp, pc);
  case 4: return sized_atomic<uint32_t>(info.shape, info.name, at, fp, pc);
  default: return sized_atomic<uint64_t>(info.shape, info.name, at, fp, pc);
  }
}

TrapKind exec_wide(char* fp, const uint32_t* pc) {
  auto arg = [&](int i) { return rd<uint64_t>(fp, pc[3 + i]); };
  num::U128 r;
  switch (Op(pc[1])) {
  case Op::i64_add128:
    r = rt::OpSemantics<Op::i64_add128>::apply(arg(0), arg(1), arg(2), arg(3));
    break;
  case Op::i64_sub128:
    r = rt::OpSemantics<Op::i64_sub128>::apply(arg(0), arg(1), arg(2), arg(3));
    break;
  case Op::i64_mul_wide_s: r = rt::OpSemantics<Op::i64_mul_wide_s>::apply(arg(0), arg(1)); break;
  case Op::i64_mul_wide_u: r = rt::OpSemantics<Op::i64_mul_wide_u>::apply(arg(0), arg(1)); break;
  default: return TrapKind::Unreachable;
  }
  wr<uint64_t>(fp, pc[2], r.lo);
  wr<uint64_t>(fp, pc[2] + uint32_t(sizeof(RawValue)), r.hi);
  return TrapKind::kCount;
}

} // namespace tandem::interp
