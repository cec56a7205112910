// Static reach of an instantiated component graph (isolation audit): the
// edges X -> Y meaning "core code of CI X can run code of CI Y with no
// mediator in between", computed from the runtime provenance that
// instantiate.cc records, after each root instantiation.
//
// Where edges come from:
//   - every `canon lower` in X of a component function F: the adapter hop
//     X -> F.owner; when F is a pass-through lift (FuncRt::forwards) the
//     hops continue owner -> forwards->owner, and the resolved edge goes to
//     the CI whose core code finally runs (aliases and `with` arguments are
//     already followed, since items are shared, not copied, across CIs);
//   - every `resource.drop` in X of a resource type defined by another CI Y
//     (imported resource types resolve to their defining CI): X -> Y, since
//     dropping an own handle runs Y's destructor.
// Each edge says how the function reached X ("how"): `with` (an
// instantiation argument), `import` (a root import, e.g. a host instance),
// `alias` (re-exported by a CI that does not own it), `export` (the export of
// a child instance X created), `pass-through lift`, or `resource type`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::component {

struct ComponentRuntime;
struct CompInst;

struct ReachEdge {
  uint32_t from = 0; // CI ids
  uint32_t to = 0;
  std::string how;
  std::string function; // function or resource name ("" when unnamed)
};

struct ReachGraph {
  // Code-to-code reach, pass-through lifts resolved: what the directive checks.
  std::vector<ReachEdge> edges;
  // Every adapter hop (X -> F.owner, and pass-through owner -> target owner),
  // plus the resource edges: what a recorded crossing must match (auto mode).
  std::vector<ReachEdge> hops;
};

ReachGraph compute_reach(const ComponentRuntime& rt);

// Is `x` the CI `top` or one of its descendants?
bool in_subtree(const CompInst* x, const CompInst* top);

} // namespace tandem::component
