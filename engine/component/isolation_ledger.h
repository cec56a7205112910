// The isolation audit's ledger: a record of every crossing between component
// instances (CIs). The runtime calls it from its choke points only when
// ComponentRuntime::ledger is set (one predicted branch when auditing is off):
//   - call_adapter: every call of a component function (guest or host
//     callee, host or guest caller): one Call/HostCall entry, and the callee's
//     frame is pushed on the ledger's CI stack for the duration of the call;
//   - resource.drop running a destructor of another CI (Destructor, with a
//     frame of the defining CI while it runs);
//   - realloc and post-return calls made during a crossing;
//   - own/borrow handles lowered into a CI's handle table (HandleOwn/Borrow).
// Because every tier reaches these through the same runtime code, the ledger
// is tier-independent.
//
// Entries are aggregated: equal (root, kind, caller, callee, function,
// resource owner, chain) tuples share one entry with a count and the script
// line of the first occurrence. Entries keep CI ids, never pointers, so they
// outlive the runtimes they describe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tandem::component {

struct CompInst;
struct ComponentRuntime;
struct FuncRt;
struct ResourceRt;

enum class CrossingKind : uint8_t {
  Call,       // a guest component function
  HostCall,   // a function of a host CI
  Destructor, // a resource destructor run by resource.drop in another CI
  Realloc,    // the callee's or caller's realloc, during a crossing
  PostReturn, // the callee's post-return
  HandleOwn,  // an own handle lowered into `callee`'s handle table
  HandleBorrow,
};
const char* crossing_kind_name(CrossingKind k); // "call", "host-call", "destructor", ...

inline constexpr int32_t kHostCaller = -1;
inline constexpr uint32_t kPassThroughFrame = 0x80000000u; // chain bit: a pass-through lift

struct LedgerEntry {
  uint32_t root = 0; // ComponentRuntime::audit_root
  CrossingKind kind = CrossingKind::Call;
  int32_t caller = kHostCaller; // CI id, or kHostCaller
  uint32_t callee = 0;          // CI id
  int32_t resource_owner = -1;  // handles and destructors: the CI defining the resource type
  std::string function;         // function, resource or option name
  std::vector<uint32_t> chain;  // CI ids on the stack, outermost first (| kPassThroughFrame)
  uint32_t line = 0;            // script line of the first occurrence
  uint64_t count = 0;
};

class IsolationLedger {
public:
  // The script line charged to the entries that follow.
  void set_line(uint32_t line) { line_ = line; }

  // call_adapter, audited path: records the call and pushes the callee frame
  // (pair with leave()).
  void enter_call(const ComponentRuntime& rt, const CompInst* caller, const FuncRt& callee);
  // resource.drop in `dropper` runs `res`'s destructor (pair with leave()).
  void enter_destructor(const ComponentRuntime& rt, const CompInst* dropper, const ResourceRt& res);
  void leave() {
    if (!stack_.empty()) stack_.pop_back();
  }
  // A realloc/post-return call or a handle transfer from `from` (nullptr:
  // the host) to `to`.
  void record(const ComponentRuntime& rt, CrossingKind kind, const CompInst* from,
              const CompInst* to, std::string_view what, const ResourceRt* resource = nullptr);

  const std::vector<LedgerEntry>& entries() const { return entries_; }
  // The current CI stack (frame values as in LedgerEntry::chain).
  const std::vector<uint32_t>& stack() const { return stack_; }

private:
  void add(uint32_t root, CrossingKind kind, int32_t caller, uint32_t callee, int32_t res_owner,
           std::string_view what, const std::vector<uint32_t>& chain);

  uint32_t line_ = 0;
  std::vector<uint32_t> stack_;
  std::vector<LedgerEntry> entries_;
  std::unordered_map<std::string, size_t> index_;
  std::string key_; // scratch
};

} // namespace tandem::component
