// The name and branch-hint custom sections (see custom_sections.h).
//
// Name section: subsections (id, size, payload) in increasing id order;
// module name (0), name maps (1 functions, 4 types, 5 tables, 6 memories,
// 7 globals, 8 elems, 9 datas, 11 tags) and indirect name maps (2 locals,
// 3 labels, 10 fields), each map sorted by strictly increasing index.
// Branch hints: for strictly increasing defined function indices, a list of
// (byte offset from the start of the function body, 1, hint 0 or 1) with
// strictly increasing offsets, each at an `if` or `br_if` instruction.
#include "decoder/custom_sections.h"

#include "decoder/function_decoder.h"
#include "decoder/reader.h"

#include <optional>
#include <set>
#include <string>

namespace tandem {
namespace {

constexpr const char* kNamePrefix = "@name annotation: ";
constexpr const char* kHintPrefix = "@metadata.code.branch_hint annotation: ";

Reader content_reader(const wasm::Module& m, const wasm::CustomSection& c) {
  const uint8_t* base = m.bytes.data();
  return Reader(base, base + c.content.offset, base + c.content.end());
}

// Rewrites a decode error of a custom section with the annotation prefix.
Error prefixed(const Error& e, const char* prefix) {
  Error out = e;
  out.message = std::string(prefix) + e.message;
  return out;
}

// ---- name section -----------------------------------------------------------

class NameSectionChecker {
public:
  NameSectionChecker(const wasm::Module& m, Reader r) : m_(m), r_(r) {}

  Status run() {
    int last_id = -1;
    while (!r_.at_end()) {
      uint32_t id_off = r_.offset();
      TANDEM_ASSIGN(uint8_t id, r_.u8());
      if (int(id) <= last_id) return Error::malformed(id_off, "out-of-order name subsection");
      last_id = id;
      TANDEM_ASSIGN(uint32_t size, r_.len32());
      TANDEM_ASSIGN(const uint8_t* start, r_.bytes(size));
      Reader sub(r_.base(), start, start + size);
      TANDEM_TRY(subsection(id, sub));
      if (!sub.at_end()) return Error::malformed(sub.offset(), "name subsection size mismatch");
    }
    return {};
  }

private:
  // The number of entries of the index space a subsection names, or nullopt
  // for subsections this checker does not know (skipped).
  std::optional<uint64_t> space_size(uint8_t id) const {
    switch (id) {
    case 1:
    case 2:
    case 3: return m_.funcs.size();
    case 4:
    case 10: return m_.types.size();
    case 5: return m_.tables.size();
    case 6: return m_.memories.size();
    case 7: return m_.globals.size();
    case 8: return m_.elems.size();
    case 9: return m_.datas.size();
    case 11: return m_.tags.size();
    default: return std::nullopt;
    }
  }

  Status subsection(uint8_t id, Reader& sub) {
    if (id == 0) {
      if (!sub.name()) return sub.error("malformed module name");
      return {};
    }
    std::optional<uint64_t> size = space_size(id);
    if (!size) {
      sub.seek(sub.end());
      return {};
    }
    bool indirect = id == 2 || id == 3 || id == 10;
    return name_map(sub, *size, indirect);
  }

  Status name_map(Reader& r, uint64_t space, bool indirect) {
    TANDEM_ASSIGN(uint32_t n, r.len32());
    int64_t last = -1;
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t off = r.offset();
      TANDEM_ASSIGN(uint32_t idx, r.u32());
      if (int64_t(idx) <= last) return Error::malformed(off, "out-of-order name map entry");
      if (idx >= space) return Error::invalid(off, "name for an unknown index");
      last = idx;
      if (indirect) {
        // The inner maps name locals, labels or fields: no range known here.
        TANDEM_TRY(name_map(r, uint64_t(1) << 32, false));
      } else {
        TANDEM_TRY(r.name());
      }
    }
    return {};
  }

  const wasm::Module& m_;
  Reader r_;
};

// ---- branch hints -----------------------------------------------------------

// Collects the offsets of the if and br_if instructions of one body.
struct BranchCollector {
  std::set<uint32_t>* offsets;
  template <Op op> Status visit(const ImmFor<op>&, uint32_t off) {
    if constexpr (op == Op::if_ || op == Op::br_if) offsets->insert(off);
    return {};
  }
};

Status check_branch_hints(const wasm::Module& m, Reader r) {
  TANDEM_ASSIGN(uint32_t nfuncs, r.len32());
  int64_t last_func = -1;
  for (uint32_t i = 0; i < nfuncs; ++i) {
    uint32_t func_off = r.offset();
    TANDEM_ASSIGN(uint32_t f, r.u32());
    if (int64_t(f) <= last_func) return Error::malformed(func_off, "out-of-order functions");
    last_func = f;
    if (f < m.num_imported_funcs || f >= m.funcs.size())
      return Error::invalid(func_off, "invalid function index");
    const wasm::FunctionBody& body = m.body_of(f);
    std::set<uint32_t> branches;
    BranchCollector collector{&branches};
    Reader code(m.bytes.data(), m.bytes.data() + body.code.offset,
                m.bytes.data() + body.code.end());
    DecodeEnv env;
    TANDEM_TRY(decode_instructions<DecodeChecks::None>(code, collector, env));
    TANDEM_ASSIGN(uint32_t nhints, r.len32());
    int64_t last_offset = -1;
    for (uint32_t k = 0; k < nhints; ++k) {
      uint32_t hint_off = r.offset();
      TANDEM_ASSIGN(uint32_t offset, r.u32());
      TANDEM_ASSIGN(uint32_t size, r.u32());
      TANDEM_ASSIGN(uint8_t value, r.u8());
      if (size != 1 || value > 1) return Error::malformed(hint_off, "malformed hint");
      if (int64_t(offset) <= last_offset) return Error::malformed(hint_off, "out-of-order hints");
      last_offset = offset;
      if (!branches.count(body.body.offset + offset))
        return Error::invalid(hint_off, "invalid target");
    }
  }
  if (!r.at_end()) return Error::malformed(r.offset(), "section size mismatch");
  return {};
}

} // namespace

Status check_custom_sections(const wasm::Module& m) {
  for (const wasm::CustomSection& c : m.customs) {
    if (c.name == "name") {
      NameSectionChecker checker(m, content_reader(m, c));
      if (Status s = checker.run(); !s) return prefixed(s.error(), kNamePrefix);
    } else if (c.name == "metadata.code.branch_hint") {
      if (Status s = check_branch_hints(m, content_reader(m, c)); !s)
        return prefixed(s.error(), kHintPrefix);
    }
  }
  return {};
}

} // namespace tandem
