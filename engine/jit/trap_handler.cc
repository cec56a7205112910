// The trap-site registry and the SIGSEGV/SIGBUS handler (see trap_handler.h).
#include "jit/trap_handler.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <iterator>
#include <mutex>
#include <thread>
#include <ucontext.h>
#include <unordered_set>

namespace tandem::jit {
namespace {

// An immutable, sorted (by start) list of live regions.
struct Snapshot {
  std::vector<const CodeRegion*> regions;
};

std::atomic<const Snapshot*> g_snapshot{nullptr};
std::atomic<int> g_readers{0};
std::mutex g_write_mutex;

struct sigaction g_prev_segv;
struct sigaction g_prev_bus;
std::once_flag g_install_once;

// Publishes `next` and frees the replaced list once no handler reads it.
void publish(const Snapshot* next) {
  const Snapshot* old = g_snapshot.exchange(next);
  while (g_readers.load() != 0) std::this_thread::yield();
  delete old;
}

std::optional<uintptr_t> lookup(const Snapshot* s, uintptr_t pc, uintptr_t address) {
  if (!s) return std::nullopt;
  auto it = std::upper_bound(s->regions.begin(), s->regions.end(), pc,
                             [](uintptr_t v, const CodeRegion* r) { return v < r->start; });
  if (it == s->regions.begin()) return std::nullopt;
  const CodeRegion* r = *(it - 1);
  if (pc >= r->end) return std::nullopt;
  uint32_t off = uint32_t(pc - r->start);
  auto site = std::lower_bound(r->sites.begin(), r->sites.end(), off,
                               [](const TrapSite& t, uint32_t v) { return t.offset < v; });
  if (site == r->sites.end() || site->offset != off || !site->memory) return std::nullopt;
  uintptr_t base = reinterpret_cast<uintptr_t>(site->memory->base);
  if (address < base || address - base >= site->memory->reserved) return std::nullopt;
  return r->oob_stub;
}

void forward(int sig, siginfo_t* info, void* uctx) {
  const struct sigaction& prev = sig == SIGBUS ? g_prev_bus : g_prev_segv;
  if ((prev.sa_flags & SA_SIGINFO) && prev.sa_sigaction) {
    prev.sa_sigaction(sig, info, uctx);
    return;
  }
  if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN && prev.sa_handler) {
    prev.sa_handler(sig);
    return;
  }
  // Not a wasm trap and nobody else wants it: an engine bug. Die with the
  // original signal (it is delivered again when the handler returns).
  signal(sig, SIG_DFL);
  raise(sig);
}

void handle_fault(int sig, siginfo_t* info, void* uctx) {
  auto* uc = static_cast<ucontext_t*>(uctx);
  uintptr_t pc = uintptr_t(uc->uc_mcontext.gregs[REG_RIP]);
  uintptr_t address = reinterpret_cast<uintptr_t>(info->si_addr);
  g_readers.fetch_add(1);
  std::optional<uintptr_t> resume = lookup(g_snapshot.load(), pc, address);
  g_readers.fetch_sub(1);
  if (resume) {
    uc->uc_mcontext.gregs[REG_RIP] = greg_t(*resume);
    return;
  }
  forward(sig, info, uctx);
}

} // namespace

void install_trap_handler() {
  std::call_once(g_install_once, [] {
    struct sigaction sa {};
    sa.sa_sigaction = handle_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &g_prev_segv);
    sigaction(SIGBUS, &sa, &g_prev_bus);
  });
}

void register_code_regions(std::span<const CodeRegion* const> regions) {
  if (regions.empty()) return;
  std::vector<const CodeRegion*> added(regions.begin(), regions.end());
  auto by_start = [](const CodeRegion* a, const CodeRegion* b) { return a->start < b->start; };
  std::sort(added.begin(), added.end(), by_start);
  std::lock_guard<std::mutex> lock(g_write_mutex);
  const Snapshot* cur = g_snapshot.load();
  auto* next = new Snapshot;
  next->regions.reserve((cur ? cur->regions.size() : 0) + added.size());
  std::merge(cur ? cur->regions.begin() : added.end(), cur ? cur->regions.end() : added.end(),
             added.begin(), added.end(), std::back_inserter(next->regions), by_start);
  publish(next);
}

void unregister_code_regions(std::span<const CodeRegion* const> regions) {
  if (regions.empty()) return;
  std::unordered_set<const CodeRegion*> gone(regions.begin(), regions.end());
  std::lock_guard<std::mutex> lock(g_write_mutex);
  const Snapshot* cur = g_snapshot.load();
  if (!cur) return;
  auto* next = new Snapshot;
  next->regions.reserve(cur->regions.size());
  for (const CodeRegion* r : cur->regions)
    if (!gone.count(r)) next->regions.push_back(r);
  publish(next);
}

std::optional<uintptr_t> trap_resume_address(uintptr_t pc, uintptr_t address) {
  g_readers.fetch_add(1);
  std::optional<uintptr_t> r = lookup(g_snapshot.load(), pc, address);
  g_readers.fetch_sub(1);
  return r;
}

} // namespace tandem::jit
