// WAT encoder, binary output: value types, limits, type definitions and the
// final assembly of the sections in their canonical order, with @custom
// sections placed around them. All LEBs are minimal. The data count section
// is written when an instruction refers to a data segment (memory.init,
// data.drop, array.new_data, array.init_data), as the reference encoder does.
#include "base/leb128.h"
#include "wast/wat_parser.h"

namespace tandem::wast::wat {

void ModuleEncoder::write_heaptype(std::vector<uint8_t>& out, const TVal& v) const {
  if (v.abstract) {
    if (v.shared) out.push_back(0x65);
    out.push_back(uint8_t(v.abs));
    return;
  }
  if (v.exact) {
    out.push_back(0x62);
    write_uleb(out, v.index);
    return;
  }
  write_sleb(out, int64_t(v.index));
}

void ModuleEncoder::write_valtype(std::vector<uint8_t>& out, const TVal& v) const {
  switch (v.kind) {
  case ValKind::I32: out.push_back(0x7F); return;
  case ValKind::I64: out.push_back(0x7E); return;
  case ValKind::F32: out.push_back(0x7D); return;
  case ValKind::F64: out.push_back(0x7C); return;
  case ValKind::V128: out.push_back(0x7B); return;
  default: break;
  }
  if (v.nullable && v.abstract && !v.shared) {
    out.push_back(uint8_t(v.abs)); // funcref, externref, ... shorthands
    return;
  }
  out.push_back(v.nullable ? 0x63 : 0x64);
  write_heaptype(out, v);
}

void ModuleEncoder::write_limits(std::vector<uint8_t>& out, const Limits& lim) const {
  uint8_t flags = 0;
  if (lim.max) flags |= 0x01;
  if (lim.shared) flags |= 0x02;
  if (lim.is64) flags |= 0x04;
  if (lim.page_size_log2) flags |= 0x08;
  out.push_back(flags);
  write_uleb(out, lim.min);
  if (lim.max) write_uleb(out, *lim.max);
  if (lim.page_size_log2) write_uleb(out, *lim.page_size_log2);
}

static void write_field(const ModuleEncoder& m, std::vector<uint8_t>& out, const TField& f) {
  if (f.packed == Packed::I8)
    out.push_back(0x78);
  else if (f.packed == Packed::I16)
    out.push_back(0x77);
  else
    m.write_valtype(out, f.type);
  out.push_back(f.mut ? 1 : 0);
}

void ModuleEncoder::write_typedef(std::vector<uint8_t>& out, const TTypeDef& t) const {
  if (t.has_sub && !(t.final && t.supers.empty())) {
    out.push_back(t.final ? 0x4F : 0x50);
    write_uleb(out, t.supers.size());
    for (uint32_t s : t.supers) write_uleb(out, s);
  } else if (t.has_sub && t.final && t.supers.empty()) {
    // (sub final comptype) is the plain comptype.
  }
  if (t.describes) {
    out.push_back(0x4C);
    write_uleb(out, *t.describes);
  }
  if (t.descriptor) {
    out.push_back(0x4D);
    write_uleb(out, *t.descriptor);
  }
  if (t.shared) out.push_back(0x65);
  switch (t.kind) {
  case CompositeKind::Func:
    out.push_back(0x60);
    write_uleb(out, t.func.params.size());
    for (const TVal& v : t.func.params) write_valtype(out, v);
    write_uleb(out, t.func.results.size());
    for (const TVal& v : t.func.results) write_valtype(out, v);
    break;
  case CompositeKind::Struct:
    out.push_back(0x5F);
    write_uleb(out, t.fields.size());
    for (const TField& f : t.fields) write_field(*this, out, f);
    break;
  case CompositeKind::Array:
    out.push_back(0x5E);
    if (!t.fields.empty()) write_field(*this, out, t.fields[0]);
    break;
  case CompositeKind::Cont:
    out.push_back(0x5D);
    write_uleb(out, t.cont_type);
    break;
  }
}

namespace {

void append_section(std::vector<uint8_t>& out, uint8_t id, const std::vector<uint8_t>& body) {
  out.push_back(id);
  write_uleb(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}

// A vector section: count + entries.
std::vector<uint8_t> vec_section(uint32_t count, const std::vector<uint8_t>& entries) {
  std::vector<uint8_t> body;
  write_uleb(body, count);
  body.insert(body.end(), entries.begin(), entries.end());
  return body;
}

void append_custom(std::vector<uint8_t>& out, const std::string& name, const std::string& bytes) {
  std::vector<uint8_t> body;
  write_name(body, name);
  body.insert(body.end(), bytes.begin(), bytes.end());
  append_section(out, 0, body);
}

} // namespace

std::vector<uint8_t> ModuleEncoder::assemble() const {
  std::vector<uint8_t> out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};

  auto customs_at = [&](bool edge, int anchor, bool after) {
    for (const CustomSection& cs : customs_)
      if (cs.edge == edge && cs.after == after && (edge || cs.anchor == anchor))
        append_custom(out, cs.name, cs.bytes);
  };
  customs_at(true, 0, false); // (before first)

  // Type section: one entry per rec group (explicit groups of size != 1 as `rec`).
  std::vector<uint8_t> types;
  uint32_t groups = 0;
  {
    size_t i = 0;
    size_t g = 0;
    while (g < type_group_sizes_.size()) {
      uint32_t size = type_group_sizes_[g++];
      ++groups;
      if (size != 1) {
        types.push_back(0x4E);
        write_uleb(types, size);
      }
      for (uint32_t k = 0; k < size && i < types_.size(); ++k) write_typedef(types, types_[i++]);
    }
  }

  std::vector<uint8_t> funcs;
  write_uleb(funcs, func_type_indices_.size());
  for (uint32_t t : func_type_indices_) write_uleb(funcs, t);

  std::vector<uint8_t> start;
  if (start_) write_uleb(start, *start_);
  std::vector<uint8_t> data_count;
  // Written whenever code refers to a data segment, even with no segments
  // (then the validator reports "unknown data segment", not a missing section).
  bool has_data_count = needs_data_count_;
  if (has_data_count) write_uleb(data_count, num_datas_);

  struct Sec {
    uint8_t id;
    bool present;
    std::vector<uint8_t> body;
  };
  Sec secs[] = {
      {1, groups > 0, vec_section(groups, types)},
      {2, num_imports_ > 0, vec_section(num_imports_, imports_)},
      {3, !func_type_indices_.empty(), funcs},
      {4, num_tables_ > 0, vec_section(num_tables_, tables_)},
      {5, num_memories_ > 0, vec_section(num_memories_, memories_)},
      {13, num_tags_ > 0, vec_section(num_tags_, tags_)},
      {6, num_globals_ > 0, vec_section(num_globals_, globals_)},
      {7, num_exports_ > 0, vec_section(num_exports_, exports_)},
      {8, start_.has_value(), start},
      {9, num_elems_ > 0, vec_section(num_elems_, elems_)},
      {12, has_data_count, data_count},
      {10, num_bodies_ > 0, vec_section(num_bodies_, code_)},
      {11, num_datas_ > 0, vec_section(num_datas_, datas_)},
  };
  for (const Sec& s : secs) {
    customs_at(false, s.id, false);
    if (s.id == 10 && num_hinted_funcs_ > 0) {
      std::vector<uint8_t> body;
      write_name(body, "metadata.code.branch_hint");
      write_uleb(body, num_hinted_funcs_);
      body.insert(body.end(), branch_hints_.begin(), branch_hints_.end());
      append_section(out, 0, body);
    }
    if (s.present) append_section(out, s.id, s.body);
    customs_at(false, s.id, true);
  }
  customs_at(true, 0, true); // (after last), the default
  return out;
}

} // namespace tandem::wast::wat
