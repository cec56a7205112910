// The public isolation audit (tandem/isolation.h): per-root snapshots (CI
// paths and static reach, taken at attach time so reports survive the
// runtime), name resolution for directives, the three checks
// (isolation_check.h), the auto-mode self-check and the JSON/DOT reports.
#include "tandem/isolation.h"

#include "component/isolation_check.h"
#include "component/isolation_ledger.h"
#include "component/isolation_reach.h"
#include "component/runtime.h"

#include <set>
#include <tuple>

namespace tandem {

using component::CompInst;
using component::ComponentRuntime;
using component::CrossingKind;
using component::LedgerEntry;

struct IsolationAudit::Root {
  std::weak_ptr<ComponentRuntime> rt;
  const ComponentRuntime* raw = nullptr;
  uint32_t serial = 0;
  struct Ci {
    uint32_t id = 0;
    int64_t parent = -1;
    std::string path;
    bool host = false;
    uint32_t def_offset = 0;
  };
  std::vector<Ci> cis;
  component::ReachGraph reach;
  std::set<std::pair<uint32_t, uint32_t>> hop_set;

  std::string path(int64_t id) const {
    if (id < 0) return "host";
    if (uint64_t(id) >= cis.size()) return "?";
    return cis[size_t(id)].path;
  }
};

IsolationAudit::IsolationAudit() : ledger_(std::make_unique<component::IsolationLedger>()) {}

IsolationAudit::~IsolationAudit() {
  for (auto& r : roots_)
    if (auto rt = r->rt.lock()) rt->ledger = nullptr;
}

void IsolationAudit::set_recording(bool on) {
  recording_ = on;
  for (auto& r : roots_)
    if (auto rt = r->rt.lock()) rt->ledger = on ? ledger_.get() : nullptr;
}

void IsolationAudit::set_line(uint32_t line) {
  line_ = line;
  ledger_->set_line(line);
}

void IsolationAudit::attach(const ComponentInstance& root) {
  if (!root.rt_) return;
  auto r = std::make_unique<Root>();
  r->rt = root.rt_;
  r->raw = root.rt_.get();
  r->serial = uint32_t(roots_.size()) + 1;
  ComponentRuntime& rt = *root.rt_;
  for (const auto& x : rt.instances) {
    Root::Ci c;
    c.id = x->id;
    c.parent = x->parent ? int64_t(x->parent->id) : -1;
    c.path = x->path;
    c.host = x->kind == CompInst::Kind::Host;
    c.def_offset = x->def ? x->def->offset : 0;
    r->cis.push_back(std::move(c));
  }
  r->reach = component::compute_reach(rt);
  for (const auto& e : r->reach.hops) r->hop_set.emplace(e.from, e.to);
  rt.audit_root = r->serial;
  rt.ledger = recording_ ? ledger_.get() : nullptr;
  roots_.push_back(std::move(r));
}

const IsolationAudit::Root* IsolationAudit::find_root(const ComponentInstance& ci) const {
  for (auto it = roots_.rbegin(); it != roots_.rend(); ++it)
    if ((*it)->raw == ci.rt_.get() && !(*it)->rt.expired()) return it->get();
  return nullptr;
}

std::string IsolationAudit::describe(const Name& n) {
  if (n.host_import) return "\"" + (n.ids.empty() ? std::string() : n.ids[0]) + "\"";
  std::string s;
  for (const auto& id : n.ids) s += (s.empty() ? "$" : "/$") + id;
  return s;
}

namespace {

const CompInst* resolve(const ComponentRuntime& rt, const IsolationAudit::Name& n) {
  std::string path;
  if (n.host_import) {
    if (n.ids.size() != 1) return nullptr;
    path = "host:" + n.ids[0];
  } else {
    for (const auto& id : n.ids) path += "/" + id;
    if (path.empty()) path = "/";
  }
  for (const auto& x : rt.instances)
    if (x->path == path) return x.get();
  return nullptr;
}

} // namespace

std::optional<std::string> IsolationAudit::check(const ComponentInstance& root, const Name& child,
                                                 const Name& real, const Name& via,
                                                 bool use_ledger) const {
  const Root* r = find_root(root);
  if (!r || !root.rt_) return std::string("no audited component instance");
  const ComponentRuntime& rt = *root.rt_;
  component::IsolationQuery q;
  const Name* names[3] = {&child, &real, &via};
  const CompInst** slots[3] = {&q.child, &q.real, &q.via};
  for (int i = 0; i < 3; ++i) {
    *slots[i] = resolve(rt, *names[i]);
    if (!*slots[i]) return "unknown instance " + describe(*names[i]) + " in " + root.ci_->path;
  }
  if (auto m = component::check_static(rt, r->reach, q)) return m;
  std::vector<const LedgerEntry*> mine;
  if (use_ledger)
    for (const LedgerEntry& e : ledger_->entries())
      if (e.root == r->serial) mine.push_back(&e);
  if (use_ledger)
    if (auto m = component::check_ledger(rt, mine, q)) return m;
  if (auto m = component::check_handles(rt, mine, q)) return m;
  return std::nullopt;
}

std::optional<std::string> IsolationAudit::self_check() {
  const auto& entries = ledger_->entries();
  std::optional<std::string> first;
  for (; checked_ < entries.size(); ++checked_) {
    const LedgerEntry& e = entries[checked_];
    if (e.caller == component::kHostCaller || first) continue;
    if (e.root == 0 || e.root > roots_.size()) continue;
    const Root& r = *roots_[e.root - 1];
    uint32_t from = uint32_t(e.caller), to = e.callee;
    bool ok = r.hop_set.count({from, to}) != 0;
    // realloc, post-return and handles travel with a call in either direction.
    if (!ok && e.kind != CrossingKind::Call && e.kind != CrossingKind::HostCall &&
        e.kind != CrossingKind::Destructor)
      ok = r.hop_set.count({to, from}) != 0;
    if (ok) continue;
    first = std::string("isolation self-check: ledger entry ") +
            component::crossing_kind_name(e.kind) + " " + r.path(e.caller) + " -> " +
            r.path(e.callee) + " \"" + e.function + "\" at line " + std::to_string(e.line) +
            " has no static edge";
  }
  return first;
}

void IsolationAudit::debug_forget_static_hops() {
  for (auto& r : roots_) r->hop_set.clear();
}

namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\t': out += "\\t"; break;
    case '\r': out += "\\r"; break;
    default:
      if (c < 0x20) {
        static const char* hex = "0123456789abcdef";
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 15];
      } else {
        out += char(c);
      }
    }
  }
  return out + "\"";
}

std::string dot_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

} // namespace

void IsolationAudit::report_json(std::string_view file, std::vector<std::string>& cis,
                                 std::vector<std::string>& edges,
                                 std::vector<std::string>& ledger) const {
  std::string f = json_string(file);
  for (const auto& r : roots_) {
    std::string head = "{\"file\":" + f + ",\"root\":" + std::to_string(r->serial);
    for (const auto& c : r->cis)
      cis.push_back(
          head + ",\"id\":" + std::to_string(c.id) + ",\"path\":" + json_string(c.path) +
          ",\"parent\":" + (c.parent < 0 ? std::string("null") : std::to_string(c.parent)) +
          ",\"kind\":" + (c.host ? "\"host\"" : "\"component\"") +
          ",\"definition_offset\":" + std::to_string(c.def_offset) + "}");
    for (const auto& e : r->reach.edges)
      edges.push_back(head + ",\"from\":" + json_string(r->path(e.from)) +
                      ",\"to\":" + json_string(r->path(e.to)) + ",\"how\":" + json_string(e.how) +
                      ",\"function\":" + json_string(e.function) + "}");
  }
  for (const LedgerEntry& e : ledger_->entries()) {
    if (e.root == 0 || e.root > roots_.size()) continue;
    const Root& r = *roots_[e.root - 1];
    std::string chain;
    for (uint32_t fr : e.chain) {
      if (!chain.empty()) chain += ',';
      std::string p = r.path(fr & ~component::kPassThroughFrame);
      if (fr & component::kPassThroughFrame) p += "(pass-through)";
      chain += json_string(p);
    }
    ledger.push_back("{\"file\":" + f + ",\"root\":" + std::to_string(e.root) +
                     ",\"line\":" + std::to_string(e.line) +
                     ",\"kind\":" + json_string(component::crossing_kind_name(e.kind)) +
                     ",\"caller\":" + json_string(r.path(e.caller)) + ",\"callee\":" +
                     json_string(r.path(e.callee)) + ",\"function\":" + json_string(e.function) +
                     ",\"chain\":[" + chain + "],\"count\":" + std::to_string(e.count) + "}");
  }
}

std::string IsolationAudit::report_dot(std::string_view file) const {
  std::string out;
  for (const auto& r : roots_) {
    std::string pre = std::string(file) + "#" + std::to_string(r->serial) + ":";
    auto node = [&](int64_t id) { return dot_string(pre + std::to_string(id)); };
    out += "  subgraph " + dot_string("cluster_" + pre) +
           " {\n    label=" + dot_string(std::string(file) + " root " + std::to_string(r->serial)) +
           ";\n";
    for (const auto& c : r->cis)
      out += "    " + node(c.id) + " [label=" + dot_string(c.path) + (c.host ? ", shape=box" : "") +
             "];\n";
    for (const auto& c : r->cis)
      if (c.parent >= 0)
        out += "    " + node(c.parent) + " -> " + node(c.id) + " [style=dotted, arrowhead=none];\n";
    for (const auto& e : r->reach.edges)
      out += "    " + node(e.from) + " -> " + node(e.to) +
             " [label=" + dot_string(e.how + (e.function.empty() ? "" : " " + e.function)) + "];\n";
    std::set<std::tuple<int64_t, uint32_t, std::string>> seen;
    for (const LedgerEntry& e : ledger_->entries()) {
      if (e.root != r->serial || e.caller < 0) continue;
      std::string label = std::string(component::crossing_kind_name(e.kind)) + " " + e.function;
      if (!seen.emplace(e.caller, e.callee, label).second) continue;
      out += "    " + node(e.caller) + " -> " + node(e.callee) +
             " [style=dashed, color=blue, label=" + dot_string(label) + "];\n";
    }
    out += "  }\n";
  }
  return out;
}

} // namespace tandem
