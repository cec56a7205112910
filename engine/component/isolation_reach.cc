// Static reach (isolation_reach.h): walks each component CI's `canon lower`
// and `resource.drop` definitions against its runtime index spaces. The
// component IR (`spaces` origins) tells how an item entered the CI; the
// runtime items tell who owns it. Alias chains in the IR are followed with a
// depth limit, pass-through chains with a length limit (both are finite in a
// valid component; the limits only guard against surprises).
#include "component/isolation_reach.h"

#include "component/runtime.h"

#include <set>
#include <tuple>

namespace tandem::component {

bool in_subtree(const CompInst* x, const CompInst* top) {
  for (; x; x = x->parent)
    if (x == top) return true;
  return false;
}

namespace {

constexpr unsigned kMaxRouteDepth = 64;
constexpr unsigned kMaxForwards = 1024;

enum class Route : uint8_t { Import, Export, Alias, Own };

// How item `index` of `sort` entered component `c`.
Route route(const Component& c, Sort sort, uint32_t index, unsigned depth) {
  if (depth > kMaxRouteDepth) return Route::Alias;
  const auto& space = c.spaces.of(sort);
  if (index >= space.size()) return Route::Alias;
  const IndexEntry& e = space[index];
  switch (e.origin) {
  case Origin::Import: return Route::Import;
  case Origin::Export:
    if (e.def < c.exports.size())
      return route(c, c.exports[e.def].item.sort, c.exports[e.def].item.index, depth + 1);
    return Route::Alias;
  case Origin::Alias: {
    if (e.def >= c.aliases.size()) return Route::Alias;
    const Alias& a = c.aliases[e.def];
    if (a.kind != Alias::Kind::InstanceExport) return Route::Alias;
    const auto& insts = c.spaces.of(Sort::Instance);
    if (a.instance >= insts.size()) return Route::Alias;
    const IndexEntry& ie = insts[a.instance];
    if (ie.origin == Origin::Instance && ie.def < c.instances.size()) {
      const InstanceDef& d = c.instances[ie.def];
      if (d.instantiate) return Route::Export;
      for (const InlineExport& x : d.exports)
        if (x.name.name == a.name) return route(c, x.item.sort, x.item.index, depth + 1);
      return Route::Alias;
    }
    return route(c, Sort::Instance, a.instance, depth + 1);
  }
  case Origin::Canon: return Route::Own;
  default: return Route::Alias;
  }
}

class ReachBuilder {
public:
  void add(std::vector<ReachEdge>& out, std::set<std::tuple<uint32_t, uint32_t, std::string>>& seen,
           const CompInst* from, const CompInst* to, std::string how, const std::string& fn) {
    if (!from || !to || from == to) return;
    if (!seen.emplace(from->id, to->id, how + '\n' + fn).second) return;
    out.push_back(ReachEdge{from->id, to->id, std::move(how), fn});
  }

  void lowering(const CompInst& x, const Item& item, Route r) {
    const FuncRt* f = item.func.get();
    if (!f || !f->owner) return;
    std::string how;
    if (item.via && item.via != f->owner)
      how = "alias";
    else if (r == Route::Import)
      how = x.parent ? "with" : "import";
    else if (r == Route::Export)
      how = "export";
    else
      how = "alias";
    add(g.hops, hop_seen, &x, f->owner, how, f->name);
    const FuncRt* end = f;
    for (unsigned n = 0; end->forwards && n < kMaxForwards; ++n) {
      add(g.hops, hop_seen, end->owner, end->forwards->owner, "pass-through lift",
          end->forwards->name);
      end = end->forwards;
    }
    if (end != f) how = "pass-through lift";
    add(g.edges, edge_seen, &x, end->owner, how, end->name);
  }

  void drop(const CompInst& x, const ResourceRt* res) {
    if (!res || !res->owner) return;
    add(g.edges, edge_seen, &x, res->owner, "resource type", res->name);
    add(g.hops, hop_seen, &x, res->owner, "resource type", res->name);
  }

  ReachGraph g;
  std::set<std::tuple<uint32_t, uint32_t, std::string>> edge_seen, hop_seen;
};

} // namespace

ReachGraph compute_reach(const ComponentRuntime& rt) {
  ReachBuilder b;
  for (const auto& owned : rt.instances) {
    const CompInst& x = *owned;
    if (x.kind != CompInst::Kind::Component || !x.def) continue;
    const Component& c = *x.def;
    for (const CanonDef& canon : c.canons) {
      if (canon.kind == CanonDef::Kind::Lower) {
        if (canon.func < x.items.funcs.size())
          b.lowering(x, x.items.funcs[canon.func], route(c, Sort::Func, canon.func, 0));
      } else if (canon.kind == CanonDef::Kind::ResourceDrop) {
        if (canon.type < x.items.types.size()) b.drop(x, x.items.types[canon.type].resource);
      }
    }
  }
  return std::move(b.g);
}

} // namespace tandem::component
