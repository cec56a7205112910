// The isolation ledger (isolation_ledger.h): aggregation of crossings keyed
// by their full tuple, and the CI stack that gives each entry its chain.
#include "component/isolation_ledger.h"

#include "component/runtime.h"

#include <cstring>

namespace tandem::component {

const char* crossing_kind_name(CrossingKind k) {
  switch (k) {
  case CrossingKind::Call: return "call";
  case CrossingKind::HostCall: return "host-call";
  case CrossingKind::Destructor: return "destructor";
  case CrossingKind::Realloc: return "realloc";
  case CrossingKind::PostReturn: return "post-return";
  case CrossingKind::HandleOwn: return "own-handle";
  case CrossingKind::HandleBorrow: return "borrow-handle";
  }
  return "?";
}

namespace {

template <typename T> void put(std::string& key, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  key.append(b, sizeof(T));
}

std::string_view resource_name(const ResourceRt& r) {
  return r.name.empty() ? std::string_view("resource") : std::string_view(r.name);
}

} // namespace

void IsolationLedger::add(uint32_t root, CrossingKind kind, int32_t caller, uint32_t callee,
                          int32_t res_owner, std::string_view what,
                          const std::vector<uint32_t>& chain) {
  key_.clear();
  put(key_, root);
  put(key_, uint8_t(kind));
  put(key_, caller);
  put(key_, callee);
  put(key_, res_owner);
  put(key_, uint32_t(chain.size()));
  for (uint32_t f : chain) put(key_, f);
  key_.append(what);
  auto [it, fresh] = index_.try_emplace(key_, entries_.size());
  if (!fresh) {
    ++entries_[it->second].count;
    return;
  }
  LedgerEntry e;
  e.root = root;
  e.kind = kind;
  e.caller = caller;
  e.callee = callee;
  e.resource_owner = res_owner;
  e.function = std::string(what);
  e.chain = chain;
  e.line = line_;
  e.count = 1;
  entries_.push_back(std::move(e));
}

void IsolationLedger::enter_call(const ComponentRuntime& rt, const CompInst* caller,
                                 const FuncRt& callee) {
  const CompInst* to = callee.owner;
  uint32_t frame = to->id | (callee.forwards ? kPassThroughFrame : 0);
  stack_.push_back(frame);
  CrossingKind kind =
      to->kind == CompInst::Kind::Host ? CrossingKind::HostCall : CrossingKind::Call;
  add(rt.audit_root, kind, caller ? int32_t(caller->id) : kHostCaller, to->id, -1, callee.name,
      stack_);
}

void IsolationLedger::enter_destructor(const ComponentRuntime& rt, const CompInst* dropper,
                                       const ResourceRt& res) {
  stack_.push_back(res.owner->id);
  add(rt.audit_root, CrossingKind::Destructor, dropper ? int32_t(dropper->id) : kHostCaller,
      res.owner->id, int32_t(res.owner->id), resource_name(res), stack_);
}

void IsolationLedger::record(const ComponentRuntime& rt, CrossingKind kind, const CompInst* from,
                             const CompInst* to, std::string_view what,
                             const ResourceRt* resource) {
  if (!to) return;
  int32_t owner = resource && resource->owner ? int32_t(resource->owner->id) : -1;
  if (resource) what = resource_name(*resource);
  add(rt.audit_root, kind, from ? int32_t(from->id) : kHostCaller, to->id, owner, what, stack_);
}

} // namespace tandem::component
