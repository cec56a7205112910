// Component binary decoder (see decoder.h). One class, ComponentDecoder,
// reads one component (sections in any order); nested components and nested
// type declarators recurse with an explicit depth counter.
//
// The cursor (CReader) never reads outside [pos, end) of the current section;
// reading past it is "unexpected end-of-file" as in wasmparser. Core value
// types, limits and rec groups are read with the core decoder's functions
// (decoder/binary_types.h) on a core Reader positioned at the same bytes.
#include "component/decoder.h"

#include "base/byte_reader.h"
#include "decoder/binary_types.h"
#include "decoder/module_decoder.h"
#include "decoder/reader.h"

#include <cstdio>
#include <cstring>

namespace tandem::component {
namespace {

constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};

// A core extern kind (func, table, memory, global, tag) from its byte.
std::optional<Sort> core_extern_sort(uint8_t b) {
  std::optional<Sort> s = core_sort_of_byte(b);
  if (s && *s > Sort::CoreTag) return std::nullopt;
  return s;
}

std::string hex_byte(uint8_t b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%x", unsigned(b));
  return buf;
}

class CReader {
public:
  CReader(const uint8_t* base, const uint8_t* pos, const uint8_t* end)
      : base_(base), p_(pos), end_(end) {}

  uint32_t offset() const { return uint32_t(p_ - base_); }
  const uint8_t* pos() const { return p_; }
  const uint8_t* end() const { return end_; }
  const uint8_t* base() const { return base_; }
  size_t remaining() const { return size_t(end_ - p_); }
  bool at_end() const { return p_ == end_; }
  void seek(const uint8_t* p) { p_ = p; }

  Error error(std::string msg) const { return Error::malformed(offset(), std::move(msg)); }
  Error error_at(uint32_t off, std::string msg) const {
    return Error::malformed(off, std::move(msg));
  }
  Error eof() const { return error("unexpected end-of-file"); }
  Error invalid_byte(uint32_t off, uint8_t b, const char* what) const {
    return error_at(off, "invalid leading byte (" + hex_byte(b) + ") for " + what);
  }

  Result<uint8_t> u8() {
    if (p_ == end_) return eof();
    return *p_++;
  }
  Result<uint8_t> peek() const {
    if (p_ == end_) return eof();
    return *p_;
  }
  Result<uint32_t> u32() {
    uint64_t v = 0;
    TANDEM_TRY(leb(read_uleb(p_, end_, 32, v)));
    return uint32_t(v);
  }
  Result<int64_t> s33() {
    int64_t v = 0;
    TANDEM_TRY(leb(read_sleb(p_, end_, 33, v)));
    return v;
  }
  Result<const uint8_t*> bytes(size_t n) {
    if (remaining() < n) return eof();
    const uint8_t* r = p_;
    p_ += n;
    return r;
  }
  Result<std::string> name() {
    TANDEM_ASSIGN(uint32_t n, u32());
    uint32_t start = offset();
    TANDEM_ASSIGN(const uint8_t* p, bytes(n));
    if (!is_valid_utf8(p, n)) return error_at(start, "malformed UTF-8 encoding");
    return std::string(reinterpret_cast<const char*>(p), n);
  }
  Result<bool> boolean() {
    uint32_t off = offset();
    TANDEM_ASSIGN(uint8_t b, u8());
    if (b > 1) return error_at(off, "invalid boolean value");
    return b == 1;
  }
  // A core decoder cursor over the same bytes; call sync() afterwards.
  Reader core() const { return Reader(base_, p_, end_); }
  void sync(const Reader& r) { p_ = r.pos(); }

private:
  Status leb(LebStatus s) const {
    switch (s) {
    case LebStatus::Ok: return {};
    case LebStatus::End: return eof();
    case LebStatus::TooLong: return error("invalid var_u32: integer representation too long");
    case LebStatus::TooLarge: return error("invalid var_u32: integer too large");
    }
    return {};
  }

  const uint8_t* base_;
  const uint8_t* p_;
  const uint8_t* end_;
};

bool is_prim_code(uint8_t b) {
  return (b >= 0x73 && b <= 0x7f) || b == 0x64;
}

// Parses the 8-byte preamble at `r`; `want_component` selects the messages.
Status read_preamble(CReader& r, bool want_component) {
  uint32_t start = r.offset();
  if (r.remaining() < 4) return r.eof();
  TANDEM_ASSIGN(const uint8_t* magic, r.bytes(4));
  if (std::memcmp(magic, kMagic, 4) != 0)
    return r.error_at(start, "magic header not detected: bad magic number");
  if (r.remaining() < 4) return r.eof();
  TANDEM_ASSIGN(const uint8_t* v, r.bytes(4));
  uint16_t version = uint16_t(v[0] | (v[1] << 8));
  uint16_t layer = uint16_t(v[2] | (v[3] << 8));
  bool is_module = version == 1 && layer == 0;
  bool is_comp = version == 0x0d && layer == 1;
  if (want_component && is_module)
    return r.error_at(start + 4, "expected a version header for a component");
  if (!want_component && is_comp)
    return r.error_at(start + 4, "expected a version header for a module");
  if (!is_module && !is_comp) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "unknown binary version: 0x%x (layer 0x%x)", unsigned(version),
                  unsigned(layer));
    return r.error_at(start + 4, buf);
  }
  return {};
}

class ComponentDecoder {
public:
  ComponentDecoder(const FeatureSet& features, uint32_t depth)
      : features_(features), depth_(depth) {}

  Result<std::shared_ptr<const Component>> decode(CReader& r);

private:
  Status section(CReader& r, uint8_t id);
  // Reads the instance and core-instance names of a `component-name`
  // section. A custom section never makes a component malformed: on any
  // error the names read so far are dropped.
  void read_component_names(CReader& r) {
    std::map<uint32_t, std::string> inst, core;
    while (!r.at_end()) {
      auto id = r.u8();
      auto size = r.u32();
      if (!id || !size || *size > r.remaining()) return;
      CReader sub(r.base(), r.pos(), r.pos() + *size);
      r.seek(sub.end());
      if (*id != 0x01) continue;
      auto b0 = sub.u8();
      if (!b0) return;
      std::map<uint32_t, std::string>* out = nullptr;
      if (*b0 == 0x05) out = &inst;
      if (*b0 == 0x00) {
        auto b1 = sub.u8();
        if (!b1) return;
        if (*b1 == 0x12) out = &core;
      }
      if (!out) continue;
      auto n = sub.u32();
      if (!n) return;
      for (uint32_t i = 0; i < *n; ++i) {
        auto index = sub.u32();
        if (!index) return;
        auto name = sub.name();
        if (!name) return;
        (*out)[*index] = std::move(*name);
      }
    }
    c_->instance_names = std::move(inst);
    c_->core_instance_names = std::move(core);
  }
  Status core_module(CReader& r);
  Result<CoreInstanceDef> core_instance(CReader& r);
  Result<std::shared_ptr<CoreTypeDef>> core_type(CReader& r, uint32_t depth);
  Result<ModuleDecl> module_decl(CReader& r, uint32_t depth);
  Result<CoreExternType> core_extern_type(CReader& r);
  Result<InstanceDef> instance(CReader& r);
  Result<Alias> alias(CReader& r);
  Result<std::shared_ptr<TypeDef>> type_def(CReader& r, uint32_t depth);
  Result<DefValTypeDecl> defined_type(CReader& r, uint8_t code, uint32_t code_off);
  Result<Declarator> declarator(CReader& r, bool component_type, uint32_t depth);
  Result<ValTypeRef> val_type(CReader& r);
  Result<std::optional<ValTypeRef>> opt_val_type(CReader& r, const char* what);
  Result<std::optional<ValTypeRef>> result_list(CReader& r);
  Result<CanonDef> canon(CReader& r);
  Result<std::vector<CanonOption>> canon_options(CReader& r);
  Result<ExternName> extern_name(CReader& r);
  Result<ExternType> extern_type(CReader& r);
  Result<SortIndex> sort_index(CReader& r);
  Result<Sort> component_extern_kind(CReader& r);
  Result<ValType> core_val_type(CReader& r);

  void add(Sort s, Origin o, uint32_t def, uint32_t sub = 0) {
    c_->spaces.of(s).push_back(IndexEntry{o, def, sub});
  }

  const FeatureSet& features_;
  uint32_t depth_;
  std::shared_ptr<Component> c_;
};

Result<std::shared_ptr<const Component>> ComponentDecoder::decode(CReader& r) {
  c_ = std::make_shared<Component>();
  c_->offset = r.offset();
  TANDEM_TRY(read_preamble(r, true));
  while (!r.at_end()) {
    uint32_t id_off = r.offset();
    TANDEM_ASSIGN(uint8_t id, r.u8());
    if (id > 12) return r.error_at(id_off, "malformed section id: " + std::to_string(id));
    TANDEM_ASSIGN(uint32_t size, r.u32());
    if (size > r.remaining()) return r.eof();
    CReader sec(r.base(), r.pos(), r.pos() + size);
    TANDEM_TRY(section(sec, id));
    if (!sec.at_end())
      return sec.error("section size mismatch: unexpected data at the end of the section");
    r.seek(sec.end());
  }
  c_->size = r.offset() - c_->offset;
  return std::shared_ptr<const Component>(std::move(c_));
}

Status ComponentDecoder::section(CReader& r, uint8_t id) {
  auto def = [&](DefinitionKind k, size_t index) {
    c_->order.push_back(DefinitionRef{k, uint32_t(index)});
  };
  switch (id) {
  case 0: { // custom
    TANDEM_ASSIGN(std::string name, r.name());
    if (name == "component-name") read_component_names(r);
    r.seek(r.end());
    return {};
  }
  case 1: return core_module(r);
  case 4: { // nested component
    if (depth_ + 1 > kMaxComponentNesting) return r.error("component nesting too deep");
    ComponentDecoder inner(features_, depth_ + 1);
    uint32_t off = r.offset();
    TANDEM_ASSIGN(auto nested, inner.decode(r));
    c_->components.push_back(NestedComponentDef{std::move(nested), off});
    def(DefinitionKind::Component, c_->components.size() - 1);
    add(Sort::Component, Origin::NestedComponent, uint32_t(c_->components.size() - 1));
    return {};
  }
  case 9: { // start
    StartDef s;
    s.offset = r.offset();
    TANDEM_ASSIGN(s.func, r.u32());
    TANDEM_ASSIGN(uint32_t n, r.u32());
    for (uint32_t i = 0; i < n; ++i) {
      TANDEM_ASSIGN(uint32_t v, r.u32());
      s.args.push_back(v);
    }
    TANDEM_ASSIGN(s.results, r.u32());
    c_->starts.push_back(std::move(s));
    uint32_t k = uint32_t(c_->starts.size() - 1);
    def(DefinitionKind::Start, k);
    for (uint32_t i = 0; i < c_->starts.back().results && i < 1; ++i)
      add(Sort::Value, Origin::Start, k, i);
    return {};
  }
  default: break;
  }
  TANDEM_ASSIGN(uint32_t count, r.u32());
  for (uint32_t i = 0; i < count; ++i) {
    switch (id) {
    case 2: {
      TANDEM_ASSIGN(auto ci, core_instance(r));
      c_->core_instances.push_back(std::move(ci));
      uint32_t k = uint32_t(c_->core_instances.size() - 1);
      def(DefinitionKind::CoreInstance, k);
      add(Sort::CoreInstance, Origin::CoreInstance, k);
      break;
    }
    case 3: {
      TANDEM_ASSIGN(auto ct, core_type(r, 0));
      c_->core_types.push_back(ct);
      uint32_t k = uint32_t(c_->core_types.size() - 1);
      def(DefinitionKind::CoreType, k);
      if (ct->is_module) {
        add(Sort::CoreType, Origin::CoreType, k, 0);
      } else {
        for (uint32_t j = 0; j < ct->rec.size(); ++j) add(Sort::CoreType, Origin::CoreType, k, j);
      }
      break;
    }
    case 5: {
      TANDEM_ASSIGN(auto inst, instance(r));
      c_->instances.push_back(std::move(inst));
      uint32_t k = uint32_t(c_->instances.size() - 1);
      def(DefinitionKind::Instance, k);
      add(Sort::Instance, Origin::Instance, k);
      break;
    }
    case 6: {
      TANDEM_ASSIGN(Alias a, alias(r));
      c_->aliases.push_back(std::move(a));
      uint32_t k = uint32_t(c_->aliases.size() - 1);
      def(DefinitionKind::Alias, k);
      add(c_->aliases.back().sort, Origin::Alias, k);
      break;
    }
    case 7: {
      TANDEM_ASSIGN(auto t, type_def(r, 0));
      c_->types.push_back(std::move(t));
      uint32_t k = uint32_t(c_->types.size() - 1);
      def(DefinitionKind::Type, k);
      add(Sort::Type, Origin::Type, k);
      break;
    }
    case 8: {
      TANDEM_ASSIGN(CanonDef cd, canon(r));
      c_->canons.push_back(std::move(cd));
      uint32_t k = uint32_t(c_->canons.size() - 1);
      def(DefinitionKind::Canon, k);
      add(c_->canons.back().defines_component_func() ? Sort::Func : Sort::CoreFunc, Origin::Canon,
          k);
      break;
    }
    case 10: {
      ImportDef im;
      im.offset = r.offset();
      TANDEM_ASSIGN(im.name, extern_name(r));
      TANDEM_ASSIGN(im.type, extern_type(r));
      c_->imports.push_back(std::move(im));
      uint32_t k = uint32_t(c_->imports.size() - 1);
      def(DefinitionKind::Import, k);
      Sort s = Sort::Func;
      switch (c_->imports.back().type.kind) {
      case ExternType::Kind::Module: s = Sort::CoreModule; break;
      case ExternType::Kind::Func: s = Sort::Func; break;
      case ExternType::Kind::Value: s = Sort::Value; break;
      case ExternType::Kind::Type: s = Sort::Type; break;
      case ExternType::Kind::Component: s = Sort::Component; break;
      case ExternType::Kind::Instance: s = Sort::Instance; break;
      }
      add(s, Origin::Import, k);
      break;
    }
    case 11: {
      ExportDef ex;
      ex.offset = r.offset();
      TANDEM_ASSIGN(ex.name, extern_name(r));
      TANDEM_ASSIGN(ex.item, sort_index(r));
      uint32_t off = r.offset();
      TANDEM_ASSIGN(uint8_t has_type, r.u8());
      if (has_type == 1) {
        TANDEM_ASSIGN(ExternType et, extern_type(r));
        ex.type = et;
      } else if (has_type != 0) {
        return r.invalid_byte(off, has_type, "optional component export type");
      }
      c_->exports.push_back(std::move(ex));
      uint32_t k = uint32_t(c_->exports.size() - 1);
      def(DefinitionKind::Export, k);
      add(c_->exports.back().item.sort, Origin::Export, k);
      break;
    }
    case 12: {
      ValueDef v;
      TANDEM_ASSIGN(v.type, val_type(r));
      TANDEM_ASSIGN(uint32_t len, r.u32());
      v.offset = r.offset();
      v.size = len;
      TANDEM_TRY(r.bytes(len));
      c_->values.push_back(v);
      uint32_t k = uint32_t(c_->values.size() - 1);
      def(DefinitionKind::Value, k);
      add(Sort::Value, Origin::Value, k);
      break;
    }
    default: return r.error("malformed section id: " + std::to_string(id));
    }
  }
  return {};
}

Status ComponentDecoder::core_module(CReader& r) {
  uint32_t off = r.offset();
  size_t size = r.remaining();
  {
    CReader hdr(r.base(), r.pos(), r.end());
    TANDEM_TRY(read_preamble(hdr, false));
  }
  std::vector<uint8_t> bytes(r.pos(), r.end());
  auto m = decode_module(std::move(bytes), features_);
  if (!m.ok()) {
    Error e = std::move(m).error();
    if (e.kind == ErrorKind::Malformed || e.kind == ErrorKind::Invalid) e.offset += off;
    if (e.message == "unexpected content after last section")
      e.message = "section out of order: " + e.message;
    return e;
  }
  r.seek(r.end());
  c_->modules.push_back(CoreModuleDef{std::make_shared<const wasm::Module>(std::move(m).value()),
                                      off, uint32_t(size)});
  uint32_t k = uint32_t(c_->modules.size() - 1);
  c_->order.push_back(DefinitionRef{DefinitionKind::CoreModule, k});
  add(Sort::CoreModule, Origin::CoreModule, k);
  return {};
}

Result<CoreInstanceDef> ComponentDecoder::core_instance(CReader& r) {
  CoreInstanceDef d;
  d.offset = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.u8());
  if (b == 0x00) {
    d.instantiate = true;
    TANDEM_ASSIGN(d.module, r.u32());
    TANDEM_ASSIGN(uint32_t n, r.u32());
    for (uint32_t i = 0; i < n; ++i) {
      TANDEM_ASSIGN(std::string name, r.name());
      uint32_t koff = r.offset();
      TANDEM_ASSIGN(uint8_t kind, r.u8());
      if (kind != sort_info(Sort::CoreInstance).core)
        return r.invalid_byte(koff, kind, "instantiation arg kind");
      TANDEM_ASSIGN(uint32_t idx, r.u32());
      d.args.emplace_back(std::move(name), idx);
    }
  } else if (b == 0x01) {
    d.instantiate = false;
    TANDEM_ASSIGN(uint32_t n, r.u32());
    for (uint32_t i = 0; i < n; ++i) {
      CoreInlineExport e;
      TANDEM_ASSIGN(e.name, r.name());
      uint32_t koff = r.offset();
      TANDEM_ASSIGN(uint8_t kind, r.u8());
      std::optional<Sort> s = core_extern_sort(kind);
      if (!s) return r.invalid_byte(koff, kind, "external kind");
      e.sort = *s;
      TANDEM_ASSIGN(e.index, r.u32());
      d.exports.push_back(std::move(e));
    }
  } else {
    return r.invalid_byte(d.offset, b, "core instance");
  }
  return d;
}

Result<ValType> ComponentDecoder::core_val_type(CReader& r) {
  Reader cr = r.core();
  auto t = read_val_type(cr, features_);
  if (!t.ok()) return std::move(t).error();
  r.sync(cr);
  return *t;
}

Result<CoreExternType> ComponentDecoder::core_extern_type(CReader& r) {
  CoreExternType t;
  uint32_t off = r.offset();
  TANDEM_ASSIGN(uint8_t k, r.u8());
  FeatureSet used;
  switch (k) {
  case 0x00: {
    t.kind = ExternKind::Func;
    TANDEM_ASSIGN(t.type_index, r.u32());
    return t;
  }
  case 0x01: {
    t.kind = ExternKind::Table;
    Reader cr = r.core();
    auto rt = read_ref_type(cr, features_);
    if (!rt.ok()) return std::move(rt).error();
    t.table.elem = *rt;
    auto lim = read_limits(cr, false, features_, used);
    if (!lim.ok()) return std::move(lim).error();
    t.table.limits = *lim;
    r.sync(cr);
    return t;
  }
  case 0x02: {
    t.kind = ExternKind::Memory;
    Reader cr = r.core();
    auto lim = read_limits(cr, true, features_, used);
    if (!lim.ok()) return std::move(lim).error();
    t.memory.limits = *lim;
    r.sync(cr);
    return t;
  }
  case 0x03: {
    t.kind = ExternKind::Global;
    TANDEM_ASSIGN(t.global.type, core_val_type(r));
    uint32_t moff = r.offset();
    TANDEM_ASSIGN(uint8_t m, r.u8());
    if (m > 1) return r.error_at(moff, "malformed mutability");
    t.global.mut = m == 1;
    return t;
  }
  case 0x04: {
    t.kind = ExternKind::Tag;
    uint32_t aoff = r.offset();
    TANDEM_ASSIGN(uint8_t attr, r.u8());
    if (attr != 0) return r.invalid_byte(aoff, attr, "tag attribute");
    TANDEM_ASSIGN(t.type_index, r.u32());
    return t;
  }
  default: return r.invalid_byte(off, k, "external kind");
  }
}

Result<ModuleDecl> ComponentDecoder::module_decl(CReader& r, uint32_t depth) {
  ModuleDecl d;
  d.offset = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.u8());
  switch (b) {
  case 0x00: {
    d.kind = ModuleDecl::Kind::Import;
    TANDEM_ASSIGN(d.module, r.name());
    TANDEM_ASSIGN(d.name, r.name());
    TANDEM_ASSIGN(d.type, core_extern_type(r));
    return d;
  }
  case 0x01: {
    d.kind = ModuleDecl::Kind::Type;
    TANDEM_ASSIGN(d.core_type, core_type(r, depth + 1));
    return d;
  }
  case 0x02: {
    d.kind = ModuleDecl::Kind::Alias;
    uint32_t off = r.offset();
    TANDEM_ASSIGN(uint8_t sort, r.u8());
    if (sort != 0x10) return r.invalid_byte(off, sort, "outer alias kind");
    off = r.offset();
    TANDEM_ASSIGN(uint8_t target, r.u8());
    if (target != 0x01) return r.invalid_byte(off, target, "outer alias target");
    TANDEM_ASSIGN(d.count, r.u32());
    TANDEM_ASSIGN(d.index, r.u32());
    return d;
  }
  case 0x03: {
    d.kind = ModuleDecl::Kind::Export;
    TANDEM_ASSIGN(d.name, r.name());
    TANDEM_ASSIGN(d.type, core_extern_type(r));
    return d;
  }
  default: return r.invalid_byte(d.offset, b, "type definition");
  }
}

Result<std::shared_ptr<CoreTypeDef>> ComponentDecoder::core_type(CReader& r, uint32_t depth) {
  if (depth > kMaxComponentNesting) return r.error("type nesting is too deep");
  auto t = std::make_shared<CoreTypeDef>();
  t->offset = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.peek());
  if (b == 0x50) {
    r.u8().value();
    t->is_module = true;
    TANDEM_ASSIGN(uint32_t n, r.u32());
    for (uint32_t i = 0; i < n; ++i) {
      TANDEM_ASSIGN(ModuleDecl d, module_decl(r, depth));
      t->decls.push_back(std::move(d));
    }
    return t;
  }
  if (b == 0x00) {
    r.u8().value();
    uint32_t off = r.offset();
    TANDEM_ASSIGN(uint8_t sub, r.peek());
    if (sub != 0x50) return r.invalid_byte(off, sub, "non-final sub type");
  }
  Reader cr = r.core();
  FeatureSet used;
  Status s = read_rec_type(cr, features_, used, t->rec);
  if (!s.ok()) return std::move(s).error();
  r.sync(cr);
  return t;
}

Result<InstanceDef> ComponentDecoder::instance(CReader& r) {
  InstanceDef d;
  d.offset = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.u8());
  if (b == 0x00) {
    d.instantiate = true;
    TANDEM_ASSIGN(d.component, r.u32());
    TANDEM_ASSIGN(uint32_t n, r.u32());
    for (uint32_t i = 0; i < n; ++i) {
      InstantiateArg a;
      TANDEM_ASSIGN(a.name, r.name());
      TANDEM_ASSIGN(a.item, sort_index(r));
      d.args.push_back(std::move(a));
    }
  } else if (b == 0x01) {
    d.instantiate = false;
    TANDEM_ASSIGN(uint32_t n, r.u32());
    for (uint32_t i = 0; i < n; ++i) {
      InlineExport e;
      TANDEM_ASSIGN(e.name, extern_name(r));
      TANDEM_ASSIGN(e.item, sort_index(r));
      d.exports.push_back(std::move(e));
    }
  } else {
    return r.invalid_byte(d.offset, b, "instance");
  }
  return d;
}

Result<Sort> ComponentDecoder::component_extern_kind(CReader& r) {
  uint32_t off = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.u8());
  if (b == 0x00) {
    uint32_t off2 = r.offset();
    TANDEM_ASSIGN(uint8_t b2, r.u8());
    if (b2 != sort_info(Sort::CoreModule).core)
      return r.invalid_byte(off2, b2, "component external kind");
    return Sort::CoreModule;
  }
  std::optional<Sort> s = component_sort_of_byte(b);
  if (!s) return r.invalid_byte(off, b, "component external kind");
  return *s;
}

Result<SortIndex> ComponentDecoder::sort_index(CReader& r) {
  SortIndex s;
  TANDEM_ASSIGN(s.sort, component_extern_kind(r));
  TANDEM_ASSIGN(s.index, r.u32());
  return s;
}

Result<Alias> ComponentDecoder::alias(CReader& r) {
  Alias a;
  a.offset = r.offset();
  TANDEM_ASSIGN(uint8_t k1, r.u8());
  std::optional<uint8_t> k2;
  uint32_t k2_off = r.offset();
  if (k1 == 0x00) {
    TANDEM_ASSIGN(uint8_t b, r.u8());
    k2 = b;
  }
  uint32_t toff = r.offset();
  TANDEM_ASSIGN(uint8_t target, r.u8());
  switch (target) {
  case 0x00: { // instance export
    a.kind = Alias::Kind::InstanceExport;
    if (k1 == 0x00) {
      if (*k2 != sort_info(Sort::CoreModule).core)
        return r.invalid_byte(k2_off, *k2, "component external kind");
      a.sort = Sort::CoreModule;
    } else {
      std::optional<Sort> s = component_sort_of_byte(k1);
      if (!s) return r.invalid_byte(a.offset, k1, "component external kind");
      a.sort = *s;
    }
    TANDEM_ASSIGN(a.instance, r.u32());
    TANDEM_ASSIGN(a.name, r.name());
    return a;
  }
  case 0x01: { // core instance export
    a.kind = Alias::Kind::CoreInstanceExport;
    if (k1 != 0x00) return r.invalid_byte(a.offset, k1, "core instance export alias kind");
    std::optional<Sort> s = core_extern_sort(*k2);
    if (!s) return r.invalid_byte(k2_off, *k2, "external kind");
    a.sort = *s;
    TANDEM_ASSIGN(a.instance, r.u32());
    TANDEM_ASSIGN(a.name, r.name());
    return a;
  }
  case 0x02: { // outer
    a.kind = Alias::Kind::Outer;
    std::optional<Sort> s = k1 == 0x00 ? core_sort_of_byte(*k2) : component_sort_of_byte(k1);
    if (!s || (*s != Sort::CoreModule && *s != Sort::CoreType && *s != Sort::Type &&
               *s != Sort::Component))
      return k1 == 0x00 ? r.invalid_byte(k2_off, *k2, "component outer alias kind")
                        : r.invalid_byte(a.offset, k1, "component outer alias kind");
    a.sort = *s;
    TANDEM_ASSIGN(a.count, r.u32());
    TANDEM_ASSIGN(a.index, r.u32());
    return a;
  }
  default: return r.invalid_byte(toff, target, "alias");
  }
}

Result<ValTypeRef> ComponentDecoder::val_type(CReader& r) {
  uint32_t off = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.peek());
  if (is_prim_code(b)) {
    r.u8().value();
    return ValTypeRef::primitive(PrimVal(b));
  }
  TANDEM_ASSIGN(int64_t idx, r.s33());
  if (idx < 0) return r.invalid_byte(off, b, "component value type");
  if (idx > 0xffffffffll) return r.error_at(off, "invalid var_u32: integer too large");
  return ValTypeRef::type(uint32_t(idx));
}

Result<std::optional<ValTypeRef>> ComponentDecoder::opt_val_type(CReader& r, const char* what) {
  uint32_t off = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.u8());
  if (b == 0x00) return std::optional<ValTypeRef>();
  if (b != 0x01) return r.invalid_byte(off, b, what);
  TANDEM_ASSIGN(ValTypeRef t, val_type(r));
  return std::optional<ValTypeRef>(t);
}

Result<std::optional<ValTypeRef>> ComponentDecoder::result_list(CReader& r) {
  uint32_t off = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.u8());
  if (b == 0x00) {
    TANDEM_ASSIGN(ValTypeRef t, val_type(r));
    return std::optional<ValTypeRef>(t);
  }
  if (b == 0x01) {
    uint32_t off2 = r.offset();
    TANDEM_ASSIGN(uint8_t z, r.u8());
    if (z != 0x00) return r.invalid_byte(off2, z, "number of results");
    return std::optional<ValTypeRef>();
  }
  return r.invalid_byte(off, b, "component function results");
}

Result<DefValTypeDecl> ComponentDecoder::defined_type(CReader& r, uint8_t code, uint32_t code_off) {
  DefValTypeDecl d;
  if (is_prim_code(code)) {
    d.kind = DefKind::Primitive;
    d.prim = PrimVal(code);
    return d;
  }
  switch (code) {
  case 0x72: {
    d.kind = DefKind::Record;
    TANDEM_ASSIGN(uint32_t n, r.u32());
    for (uint32_t i = 0; i < n; ++i) {
      LabeledType f;
      TANDEM_ASSIGN(f.label, r.name());
      TANDEM_ASSIGN(f.type, val_type(r));
      d.fields.push_back(std::move(f));
    }
    return d;
  }
  case 0x71: {
    d.kind = DefKind::Variant;
    TANDEM_ASSIGN(uint32_t n, r.u32());
    for (uint32_t i = 0; i < n; ++i) {
      CaseDecl c;
      TANDEM_ASSIGN(c.label, r.name());
      TANDEM_ASSIGN(c.type, opt_val_type(r, "optional variant case type"));
      uint32_t zoff = r.offset();
      TANDEM_ASSIGN(uint8_t z, r.u8());
      if (z != 0x00) return r.invalid_byte(zoff, z, "zero byte required");
      d.cases.push_back(std::move(c));
    }
    return d;
  }
  case 0x70:
  case 0x6b: {
    d.kind = code == 0x70 ? DefKind::List : DefKind::Option;
    TANDEM_ASSIGN(ValTypeRef t, val_type(r));
    d.first = t;
    return d;
  }
  case 0x67: {
    d.kind = DefKind::FixedList;
    TANDEM_ASSIGN(ValTypeRef t, val_type(r));
    d.first = t;
    TANDEM_ASSIGN(d.length, r.u32());
    return d;
  }
  case 0x6f: {
    d.kind = DefKind::Tuple;
    TANDEM_ASSIGN(uint32_t n, r.u32());
    for (uint32_t i = 0; i < n; ++i) {
      TANDEM_ASSIGN(ValTypeRef t, val_type(r));
      d.types.push_back(t);
    }
    return d;
  }
  case 0x6e:
  case 0x6d: {
    d.kind = code == 0x6e ? DefKind::Flags : DefKind::Enum;
    TANDEM_ASSIGN(uint32_t n, r.u32());
    for (uint32_t i = 0; i < n; ++i) {
      TANDEM_ASSIGN(std::string l, r.name());
      d.labels.push_back(std::move(l));
    }
    return d;
  }
  case 0x6a: {
    d.kind = DefKind::Result;
    TANDEM_ASSIGN(d.first, opt_val_type(r, "optional result type"));
    TANDEM_ASSIGN(d.second, opt_val_type(r, "optional result type"));
    return d;
  }
  case 0x69:
  case 0x68: {
    d.kind = code == 0x69 ? DefKind::Own : DefKind::Borrow;
    TANDEM_ASSIGN(d.resource, r.u32());
    return d;
  }
  case 0x66:
  case 0x65: {
    d.kind = code == 0x66 ? DefKind::Stream : DefKind::Future;
    TANDEM_ASSIGN(d.first, opt_val_type(r, "optional payload type"));
    return d;
  }
  case 0x63: {
    d.kind = DefKind::Map;
    TANDEM_ASSIGN(ValTypeRef k, val_type(r));
    TANDEM_ASSIGN(ValTypeRef v, val_type(r));
    d.first = k;
    d.second = v;
    return d;
  }
  default: return r.invalid_byte(code_off, code, "component defined type");
  }
}

Result<Declarator> ComponentDecoder::declarator(CReader& r, bool component_type, uint32_t depth) {
  Declarator d;
  d.offset = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.u8());
  switch (b) {
  case 0x00: {
    d.kind = Declarator::Kind::CoreType;
    TANDEM_ASSIGN(d.core_type, core_type(r, depth + 1));
    return d;
  }
  case 0x01: {
    d.kind = Declarator::Kind::Type;
    TANDEM_ASSIGN(d.type, type_def(r, depth + 1));
    return d;
  }
  case 0x02: {
    d.kind = Declarator::Kind::Alias;
    TANDEM_ASSIGN(d.alias, alias(r));
    return d;
  }
  case 0x03: {
    if (!component_type) break;
    d.kind = Declarator::Kind::Import;
    TANDEM_ASSIGN(d.name, extern_name(r));
    TANDEM_ASSIGN(d.extern_type, extern_type(r));
    return d;
  }
  case 0x04: {
    d.kind = Declarator::Kind::Export;
    TANDEM_ASSIGN(d.name, extern_name(r));
    TANDEM_ASSIGN(d.extern_type, extern_type(r));
    return d;
  }
  default: break;
  }
  return r.invalid_byte(d.offset, b, "component or instance type declaration");
}

Result<std::shared_ptr<TypeDef>> ComponentDecoder::type_def(CReader& r, uint32_t depth) {
  if (depth > kMaxComponentNesting) return r.error("type nesting is too deep");
  auto t = std::make_shared<TypeDef>();
  t->offset = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.u8());
  switch (b) {
  case 0x40:
  case 0x43: {
    t->kind = TypeDef::Kind::Func;
    t->func.async = b == 0x43;
    TANDEM_ASSIGN(uint32_t n, r.u32());
    for (uint32_t i = 0; i < n; ++i) {
      LabeledType p;
      TANDEM_ASSIGN(p.label, r.name());
      TANDEM_ASSIGN(p.type, val_type(r));
      t->func.params.push_back(std::move(p));
    }
    TANDEM_ASSIGN(t->func.result, result_list(r));
    return t;
  }
  case 0x41:
  case 0x42: {
    t->kind = b == 0x41 ? TypeDef::Kind::Component : TypeDef::Kind::Instance;
    TANDEM_ASSIGN(uint32_t n, r.u32());
    for (uint32_t i = 0; i < n; ++i) {
      TANDEM_ASSIGN(Declarator d, declarator(r, b == 0x41, depth));
      t->decls.push_back(std::move(d));
    }
    return t;
  }
  case 0x3f: {
    t->kind = TypeDef::Kind::Resource;
    TANDEM_ASSIGN(t->resource.rep, core_val_type(r));
    uint32_t off = r.offset();
    TANDEM_ASSIGN(uint8_t has, r.u8());
    if (has == 1) {
      TANDEM_ASSIGN(uint32_t f, r.u32());
      t->resource.dtor = f;
    } else if (has != 0) {
      return r.invalid_byte(off, has, "optional resource destructor");
    }
    return t;
  }
  default: {
    t->kind = TypeDef::Kind::Defined;
    TANDEM_ASSIGN(t->defined, defined_type(r, b, t->offset));
    return t;
  }
  }
}

Result<std::vector<CanonOption>> ComponentDecoder::canon_options(CReader& r) {
  std::vector<CanonOption> opts;
  TANDEM_ASSIGN(uint32_t n, r.u32());
  for (uint32_t i = 0; i < n; ++i) {
    CanonOption o;
    uint32_t off = r.offset();
    TANDEM_ASSIGN(uint8_t b, r.u8());
    switch (b) {
    case 0x00: o.kind = CanonOption::Kind::Utf8; break;
    case 0x01: o.kind = CanonOption::Kind::Utf16; break;
    case 0x02: o.kind = CanonOption::Kind::Latin1Utf16; break;
    case 0x03: o.kind = CanonOption::Kind::Memory; break;
    case 0x04: o.kind = CanonOption::Kind::Realloc; break;
    case 0x05: o.kind = CanonOption::Kind::PostReturn; break;
    case 0x06: o.kind = CanonOption::Kind::Async; break;
    case 0x07: o.kind = CanonOption::Kind::Callback; break;
    case 0x08: o.kind = CanonOption::Kind::CoreType; break;
    case 0x09: o.kind = CanonOption::Kind::Gc; break;
    default: return r.invalid_byte(off, b, "canonical option");
    }
    if (b >= 0x03 && b <= 0x08 && b != 0x06) {
      TANDEM_ASSIGN(o.index, r.u32());
    }
    opts.push_back(o);
  }
  return opts;
}

Result<CanonDef> ComponentDecoder::canon(CReader& r) {
  using K = CanonDef::Kind;
  CanonDef c;
  c.offset = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.u8());
  auto type_idx = [&]() -> Status {
    TANDEM_ASSIGN(c.type, r.u32());
    return {};
  };
  auto flag = [&]() -> Status {
    TANDEM_ASSIGN(c.flag, r.boolean());
    return {};
  };
  auto opts = [&]() -> Status {
    TANDEM_ASSIGN(c.options, canon_options(r));
    return {};
  };
  switch (b) {
  case 0x00:
  case 0x01: {
    c.kind = b == 0x00 ? K::Lift : K::Lower;
    uint32_t off = r.offset();
    TANDEM_ASSIGN(uint8_t z, r.u8());
    if (z != 0x00)
      return r.invalid_byte(off, z,
                            b == 0x00 ? "canonical function lift" : "canonical function lower");
    TANDEM_ASSIGN(c.func, r.u32());
    TANDEM_TRY(opts());
    if (b == 0x00) TANDEM_TRY(type_idx());
    return c;
  }
  case 0x02:
  case 0x03:
  case 0x04:
  case 0x0e:
  case 0x13:
  case 0x14:
  case 0x15:
  case 0x1a:
  case 0x1b:
    c.kind = K(b);
    TANDEM_TRY(type_idx());
    return c;
  case 0x05:
  case 0x0d:
  case 0x1e:
  case 0x1f:
  case 0x22:
  case 0x23:
  case 0x24:
  case 0x25:
  case 0x26:
  case 0x28: c.kind = K(b); return c;
  case 0x06:
  case 0x0c:
  case 0x29:
  case 0x2a:
  case 0x2b:
  case 0x2c:
  case 0x2d:
  case 0x42:
    c.kind = K(b);
    TANDEM_TRY(flag());
    return c;
  case 0x09: {
    c.kind = K::TaskReturn;
    TANDEM_ASSIGN(c.result, result_list(r));
    TANDEM_TRY(opts());
    return c;
  }
  case 0x0a:
  case 0x0b: {
    c.kind = K(b);
    TANDEM_ASSIGN(c.core_type, core_val_type(r));
    TANDEM_ASSIGN(c.slot, r.u32());
    return c;
  }
  case 0x0f:
  case 0x10:
  case 0x16:
  case 0x17:
    c.kind = K(b);
    TANDEM_TRY(type_idx());
    TANDEM_TRY(opts());
    return c;
  case 0x11:
  case 0x12:
  case 0x18:
  case 0x19:
    c.kind = K(b);
    TANDEM_TRY(type_idx());
    TANDEM_TRY(flag());
    return c;
  case 0x1c:
  case 0x1d:
    c.kind = K(b);
    TANDEM_TRY(opts());
    return c;
  case 0x20:
  case 0x21: {
    c.kind = K(b);
    TANDEM_TRY(flag());
    TANDEM_ASSIGN(c.memory, r.u32());
    return c;
  }
  case 0x27: {
    c.kind = K::ThreadNewIndirect;
    TANDEM_TRY(type_idx());
    TANDEM_ASSIGN(c.table, r.u32());
    return c;
  }
  case 0x40:
    c.kind = K::ThreadSpawnRef;
    TANDEM_TRY(flag());
    TANDEM_TRY(type_idx());
    return c;
  case 0x41: {
    c.kind = K::ThreadSpawnIndirect;
    TANDEM_TRY(flag());
    TANDEM_TRY(type_idx());
    TANDEM_ASSIGN(c.table, r.u32());
    return c;
  }
  default: return r.invalid_byte(c.offset, b, "canonical function");
  }
}

Result<ExternName> ComponentDecoder::extern_name(CReader& r) {
  ExternName n;
  uint32_t off = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.u8());
  if (b > 2) return r.invalid_byte(off, b, "component name");
  TANDEM_ASSIGN(n.name, r.name());
  if (b == 2) {
    TANDEM_ASSIGN(uint32_t count, r.u32());
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t aoff = r.offset();
      TANDEM_ASSIGN(uint8_t k, r.u8());
      std::optional<std::string>* slot = nullptr;
      const char* what = "";
      switch (k) {
      case 0x00: slot = &n.implements, what = "implements"; break;
      case 0x01: slot = &n.version_suffix, what = "versionsuffix"; break;
      case 0x02: slot = &n.external_id, what = "external-id"; break;
      default: return r.invalid_byte(aoff, k, "name option");
      }
      TANDEM_ASSIGN(std::string v, r.name());
      if (slot->has_value()) {
        if (n.duplicate_attribute.empty()) n.duplicate_attribute = what;
        continue;
      }
      *slot = std::move(v);
    }
  }
  return n;
}

Result<ExternType> ComponentDecoder::extern_type(CReader& r) {
  ExternType t;
  uint32_t off = r.offset();
  TANDEM_ASSIGN(uint8_t b, r.u8());
  switch (b) {
  case 0x00: {
    uint32_t off2 = r.offset();
    TANDEM_ASSIGN(uint8_t b2, r.u8());
    if (b2 != 0x11) return r.invalid_byte(off2, b2, "component external kind");
    t.kind = ExternType::Kind::Module;
    TANDEM_ASSIGN(t.index, r.u32());
    return t;
  }
  case 0x01:
  case 0x04:
  case 0x05: {
    t.kind = b == 0x01 ? ExternType::Kind::Func
                       : (b == 0x04 ? ExternType::Kind::Component : ExternType::Kind::Instance);
    TANDEM_ASSIGN(t.index, r.u32());
    return t;
  }
  case 0x02: {
    t.kind = ExternType::Kind::Value;
    uint32_t boff = r.offset();
    TANDEM_ASSIGN(uint8_t vb, r.u8());
    if (vb == 0x00) {
      t.value_eq = true;
      TANDEM_ASSIGN(t.index, r.u32());
    } else if (vb == 0x01) {
      TANDEM_ASSIGN(t.value_type, val_type(r));
    } else {
      return r.invalid_byte(boff, vb, "value bound");
    }
    return t;
  }
  case 0x03: {
    t.kind = ExternType::Kind::Type;
    uint32_t boff = r.offset();
    TANDEM_ASSIGN(uint8_t tb, r.u8());
    if (tb == 0x00) {
      TANDEM_ASSIGN(t.index, r.u32());
    } else if (tb == 0x01) {
      t.sub_resource = true;
    } else {
      return r.invalid_byte(boff, tb, "type bound");
    }
    return t;
  }
  default: return r.invalid_byte(off, b, "component external kind");
  }
}

} // namespace

bool is_component_binary(std::span<const uint8_t> bytes) {
  return bytes.size() >= 8 && std::memcmp(bytes.data(), kMagic, 4) == 0 && bytes[4] == 0x0d &&
         bytes[5] == 0x00 && bytes[6] == 0x01 && bytes[7] == 0x00;
}

Result<std::shared_ptr<const Component>> decode_component(std::span<const uint8_t> bytes,
                                                          const FeatureSet& features) {
  CReader r(bytes.data(), bytes.data(), bytes.data() + bytes.size());
  ComponentDecoder d(features, 0);
  return d.decode(r);
}

} // namespace tandem::component
