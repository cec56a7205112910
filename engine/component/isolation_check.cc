// The isolation checks (isolation_check.h). The static check is a BFS over
// reach edges (explicit queue, no recursion) that never enters VIRT's
// subtree; REAL membership is tested before VIRT blocking, so reaching a CI
// nested inside the virtualizer directly still counts as a leak.
#include "component/isolation_check.h"

#include "component/runtime.h"

#include <deque>
#include <map>

namespace tandem::component {

std::string ci_path(const ComponentRuntime& rt, int64_t id) {
  if (id < 0) return "host";
  if (uint64_t(id) >= rt.instances.size()) return "?";
  return rt.instances[size_t(id)]->path;
}

std::string format_chain(const ComponentRuntime& rt, const std::vector<uint32_t>& chain) {
  std::string out;
  for (uint32_t f : chain) {
    if (!out.empty()) out += ',';
    out += ci_path(rt, f & ~kPassThroughFrame);
    if (f & kPassThroughFrame) out += "(pass-through)";
  }
  return out;
}

namespace {

const CompInst* ci_of(const ComponentRuntime& rt, int64_t id) {
  if (id < 0 || uint64_t(id) >= rt.instances.size()) return nullptr;
  return rt.instances[size_t(id)].get();
}

} // namespace

std::optional<std::string> check_static(const ComponentRuntime& rt, const ReachGraph& g,
                                        const IsolationQuery& q) {
  std::multimap<uint32_t, const ReachEdge*> out;
  for (const ReachEdge& e : g.edges) out.emplace(e.from, &e);
  // BFS from every CI of the child's subtree; `first` remembers the edge
  // that left the child's subtree on the way to each node.
  std::map<uint32_t, const ReachEdge*> first;
  std::map<uint32_t, uint32_t> start;
  std::deque<uint32_t> queue;
  for (const auto& x : rt.instances)
    if (in_subtree(x.get(), q.child)) {
      first[x->id] = nullptr;
      start[x->id] = x->id;
      queue.push_back(x->id);
    }
  struct Hit {
    uint32_t from;
    const ReachEdge* edge; // the edge into the real subtree
    const ReachEdge* leave;
    std::vector<uint32_t> path;
  };
  std::vector<Hit> hits;
  std::map<uint32_t, uint32_t> prev;
  while (!queue.empty()) {
    uint32_t n = queue.front();
    queue.pop_front();
    auto [lo, hi] = out.equal_range(n);
    for (auto it = lo; it != hi; ++it) {
      const ReachEdge& e = *it->second;
      const CompInst* to = ci_of(rt, e.to);
      if (!to) continue;
      if (in_subtree(to, q.real)) {
        Hit h{start[n], &e, first[n] ? first[n] : &e, {}};
        for (uint32_t k = n; k != h.from; k = prev[k]) h.path.insert(h.path.begin(), k);
        h.path.insert(h.path.begin(), h.from);
        h.path.push_back(e.to);
        hits.push_back(std::move(h));
        continue;
      }
      if (in_subtree(to, q.via) || first.count(e.to)) continue;
      first[e.to] = first[n] ? first[n] : &e;
      start[e.to] = start[n];
      prev[e.to] = n;
      queue.push_back(e.to);
    }
  }
  if (hits.empty()) return std::nullopt;
  const Hit& h = hits.front();
  std::string path;
  for (uint32_t k : h.path) {
    if (!path.empty()) path += " -> ";
    path += ci_path(rt, k);
  }
  std::string how = h.leave->how;
  if (!h.leave->function.empty()) how += " \"" + h.leave->function + "\"";
  std::string msg = "static edge: " + path + " (" + how + ") does not pass through " + q.via->path;
  if (hits.size() > 1) msg += " (and " + std::to_string(hits.size() - 1) + " more)";
  return msg;
}

std::optional<std::string> check_ledger(const ComponentRuntime& rt,
                                        std::span<const LedgerEntry* const> entries,
                                        const IsolationQuery& q) {
  for (const LedgerEntry* e : entries) {
    if (e->kind == CrossingKind::HandleOwn || e->kind == CrossingKind::HandleBorrow) continue;
    if (!in_subtree(ci_of(rt, e->callee), q.real)) continue;
    size_t last_child = e->chain.size();
    for (size_t i = 0; i < e->chain.size(); ++i)
      if (in_subtree(ci_of(rt, e->chain[i] & ~kPassThroughFrame), q.child)) last_child = i;
    if (last_child == e->chain.size()) continue; // no child frame: not the child's crossing
    bool mediated = false;
    for (size_t i = last_child + 1; i < e->chain.size() && !mediated; ++i)
      mediated = !(e->chain[i] & kPassThroughFrame) && in_subtree(ci_of(rt, e->chain[i]), q.via);
    if (mediated) continue;
    return std::string("ledger: ") + crossing_kind_name(e->kind) + " of " + ci_path(rt, e->callee) +
           " \"" + e->function + "\" at line " + std::to_string(e->line) + " with chain " +
           format_chain(rt, e->chain) + " has no " + q.via->path + " frame after the last " +
           q.child->path + " frame";
  }
  return std::nullopt;
}

std::optional<std::string> check_handles(const ComponentRuntime& rt,
                                         std::span<const LedgerEntry* const> entries,
                                         const IsolationQuery& q) {
  for (const auto& x : rt.instances) {
    if (!in_subtree(x.get(), q.child)) continue;
    for (size_t h = 1; h < x->handles.size(); ++h) {
      const Handle& hd = x->handles[h];
      if (!hd.res || !in_subtree(hd.res->owner, q.real)) continue;
      return "handle: " + x->path + " holds " + (hd.own ? "own" : "borrow") + " handle " +
             std::to_string(h) + " of resource type " + hd.res->owner->path + "." +
             (hd.res->name.empty() ? "resource" : hd.res->name);
    }
  }
  for (const LedgerEntry* e : entries) {
    if (e->kind != CrossingKind::HandleOwn && e->kind != CrossingKind::HandleBorrow) continue;
    if (!in_subtree(ci_of(rt, e->callee), q.child)) continue;
    if (!in_subtree(ci_of(rt, e->resource_owner), q.real)) continue;
    return "handle: " + ci_path(rt, e->callee) + " received " +
           (e->kind == CrossingKind::HandleOwn ? "an own" : "a borrow") +
           " handle of resource type " + ci_path(rt, e->resource_owner) + "." + e->function +
           " at line " + std::to_string(e->line);
  }
  return std::nullopt;
}

} // namespace tandem::component
