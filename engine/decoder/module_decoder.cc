// Module decoding, section by section (see module_decoder.h). Sections are
// read against the end of the module and then checked against their declared
// size, as the reference decoder does, so truncated or oversized sections
// give the same messages as in the spec suite.
#include "decoder/module_decoder.h"

#include "decoder/binary_types.h"
#include "decoder/function_decoder.h"
#include "decoder/reader.h"

#include <algorithm>

namespace tandem {
namespace {

using wasm::ConstExpr;
using wasm::CustomSection;
using wasm::DataSegment;
using wasm::ElemSegment;
using wasm::Export;
using wasm::FunctionBody;
using wasm::Global;
using wasm::Import;
using wasm::LocalGroup;
using wasm::Module;
using wasm::SegmentMode;
using wasm::Table;
using wasm::Tag;

constexpr uint32_t kMagic = 0x6d736100;
constexpr uint32_t kVersion = 1;

enum SectionId : uint8_t {
  kCustom = 0,
  kType = 1,
  kImport = 2,
  kFunction = 3,
  kTable = 4,
  kMemory = 5,
  kGlobal = 6,
  kExport = 7,
  kStart = 8,
  kElem = 9,
  kCode = 10,
  kData = 11,
  kDataCount = 12,
  kTag = 13,
};

// Position of each section id in the required order (tag after memory,
// data count before code).
constexpr uint8_t kSectionRank[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};

class ModuleDecoder {
public:
  ModuleDecoder(Module& m, const FeatureSet& features)
      : m_(m), features_(features),
        r_(m.bytes.data(), m.bytes.data(), m.bytes.data() + m.bytes.size()) {}

  Status decode() {
    TANDEM_TRY(header());
    uint8_t last_rank = 0, last_id = 0;
    uint32_t declared_funcs = 0;
    std::optional<uint32_t> code_count;
    while (!r_.at_end()) {
      uint32_t id_off = r_.offset();
      TANDEM_ASSIGN(uint8_t id, r_.u8());
      if (id > kTag) return r_.error_at(id_off, "malformed section id");
      TANDEM_ASSIGN(uint32_t size, r_.len32());
      const uint8_t* start = r_.pos();
      const uint8_t* end = start + size;
      if (id == kCustom) {
        TANDEM_TRY(custom(end, last_id));
        continue;
      }
      uint8_t rank = kSectionRank[id];
      if (rank <= last_rank) return r_.error_at(id_off, "unexpected content after last section");
      last_rank = rank;
      last_id = id;
      switch (id) {
      case kType: TANDEM_TRY(type_section()); break;
      case kImport: TANDEM_TRY(import_section()); break;
      case kFunction: TANDEM_TRY(function_section(declared_funcs)); break;
      case kTable: TANDEM_TRY(table_section()); break;
      case kMemory: TANDEM_TRY(memory_section()); break;
      case kTag: TANDEM_TRY(tag_section()); break;
      case kGlobal: TANDEM_TRY(global_section()); break;
      case kExport: TANDEM_TRY(export_section()); break;
      case kStart: {
        TANDEM_ASSIGN(uint32_t x, r_.u32());
        m_.start = x;
        break;
      }
      case kElem: TANDEM_TRY(elem_section()); break;
      case kDataCount: {
        TANDEM_ASSIGN(uint32_t n, r_.u32());
        m_.data_count = n;
        m_.features_used.set(Feature::bulk_memory);
        break;
      }
      case kCode: {
        TANDEM_ASSIGN(uint32_t n, code_section());
        code_count = n;
        break;
      }
      case kData: TANDEM_TRY(data_section()); break;
      }
      if (r_.pos() != end) return r_.error_at(uint32_t(start - r_.base()), "section size mismatch");
    }
    uint32_t at_end = r_.offset();
    if (declared_funcs != code_count.value_or(0))
      return r_.error_at(at_end, "function and code section have inconsistent lengths");
    if (m_.data_count && *m_.data_count != m_.datas.size())
      return r_.error_at(at_end, "data count and data section have inconsistent lengths");
    return {};
  }

private:
  Status header() {
    TANDEM_ASSIGN(uint32_t magic, r_.fixed32());
    if (magic != kMagic) return r_.error_at(0, "magic header not detected");
    TANDEM_ASSIGN(uint32_t version, r_.fixed32());
    if (version != kVersion) return r_.error_at(4, "unknown binary version");
    return {};
  }

  Status custom(const uint8_t* end, uint8_t after) {
    CustomSection c;
    TANDEM_ASSIGN(c.name, r_.name());
    // A declared size may reach past the module (len32 counts its own LEB).
    if (r_.pos() > end || end > r_.end()) return r_.eof();
    c.content = {r_.offset(), uint32_t(end - r_.pos())};
    c.after_section = after;
    r_.seek(end);
    m_.customs.push_back(std::move(c));
    return {};
  }

  // A vector count; reserve no more than the bytes left could hold.
  Result<uint32_t> count(size_t& reserve_hint) {
    TANDEM_ASSIGN(uint32_t n, r_.len32());
    reserve_hint = std::min<size_t>(n, r_.remaining());
    return n;
  }

  Result<ValType> val_type() {
    TANDEM_ASSIGN(ValType t, read_val_type(r_, features_));
    m_.features_used.set(valtype_feature(t));
    return t;
  }

  Result<ValType> ref_type() {
    TANDEM_ASSIGN(ValType t, read_ref_type(r_, features_));
    m_.features_used.set(valtype_feature(t));
    return t;
  }

  Result<bool> mutability() {
    uint32_t off = r_.offset();
    TANDEM_ASSIGN(uint8_t b, r_.u8());
    if (b > 1) return r_.error_at(off, "malformed mutability");
    return b == 1;
  }

  Result<TableType> table_type() {
    TableType t;
    TANDEM_ASSIGN(t.elem, ref_type());
    TANDEM_ASSIGN(t.limits, read_limits(r_, false, features_, m_.features_used));
    return t;
  }

  Result<MemoryType> memory_type() {
    MemoryType t;
    TANDEM_ASSIGN(t.limits, read_limits(r_, true, features_, m_.features_used));
    return t;
  }

  Result<GlobalType> global_type() {
    GlobalType g;
    TANDEM_ASSIGN(g.type, val_type());
    TANDEM_ASSIGN(g.mut, mutability());
    return g;
  }

  Result<uint32_t> tag_type() {
    uint32_t off = r_.offset();
    TANDEM_ASSIGN(uint8_t attr, r_.u8());
    if (attr != 0) return r_.error_at(off, "zero byte expected");
    m_.features_used.set(Feature::exceptions);
    return r_.u32();
  }

  Result<ConstExpr> const_expr() {
    uint32_t start = r_.offset();
    SkipVisitor skip;
    TANDEM_TRY(decode_instructions<DecodeChecks::None>(r_, skip, syntax_env_));
    return ConstExpr{{start, r_.offset() - start}};
  }

  Status type_section() {
    size_t hint;
    TANDEM_ASSIGN(uint32_t n, count(hint));
    m_.types.reserve(hint);
    for (uint32_t i = 0; i < n; ++i)
      TANDEM_TRY(read_rec_type(r_, features_, m_.features_used, m_.types));
    return {};
  }

  Status import_section() {
    size_t hint;
    TANDEM_ASSIGN(uint32_t n, count(hint));
    m_.imports.reserve(hint);
    for (uint32_t i = 0; i < n; ++i) {
      Import im;
      im.offset = r_.offset();
      TANDEM_ASSIGN(im.module, r_.name());
      TANDEM_ASSIGN(im.name, r_.name());
      uint32_t kind_off = r_.offset();
      TANDEM_ASSIGN(uint8_t kind, r_.u8());
      if (kind == 0x20 && features_.has(Feature::custom_descriptors)) {
        kind = 0; // custom-descriptors: an exact function import
        im.exact = true;
        m_.features_used.set(Feature::custom_descriptors);
      }
      switch (kind) {
      case 0: {
        im.kind = ExternKind::Func;
        TANDEM_ASSIGN(im.type_index, r_.u32());
        m_.funcs.push_back(im.type_index);
        ++m_.num_imported_funcs;
        break;
      }

      case 1: {
        im.kind = ExternKind::Table;
        TANDEM_ASSIGN(im.table, table_type());
        m_.tables.push_back(Table{im.table, std::nullopt});
        ++m_.num_imported_tables;
        break;
      }

      case 2: {
        im.kind = ExternKind::Memory;
        TANDEM_ASSIGN(im.memory, memory_type());
        m_.memories.push_back(im.memory);
        ++m_.num_imported_memories;
        break;
      }

      case 3: {
        im.kind = ExternKind::Global;
        TANDEM_ASSIGN(im.global, global_type());
        m_.globals.push_back(Global{im.global, {}});
        ++m_.num_imported_globals;
        break;
      }

      case 4: {
        im.kind = ExternKind::Tag;
        TANDEM_ASSIGN(im.type_index, tag_type());
        m_.tags.push_back(Tag{im.type_index});
        ++m_.num_imported_tags;
        break;
      }
      default: return r_.error_at(kind_off, "malformed import kind");
      }
      m_.imports.push_back(std::move(im));
    }
    return {};
  }

  Status function_section(uint32_t& declared) {
    size_t hint;
    TANDEM_ASSIGN(uint32_t n, count(hint));
    m_.funcs.reserve(m_.funcs.size() + hint);
    for (uint32_t i = 0; i < n; ++i) {
      TANDEM_ASSIGN(uint32_t t, r_.u32());
      m_.funcs.push_back(t);
    }
    declared = n;
    return {};
  }

  Status table_section() {
    size_t hint;
    TANDEM_ASSIGN(uint32_t n, count(hint));
    for (uint32_t i = 0; i < n; ++i) {
      Table t;
      if (r_.peek() == 0x40) {
        // 0x40 0x00 tabletype expr; on any failure the reference decoder falls
        // back to a plain table type, which cannot start with 0x40.
        uint32_t off = r_.offset();
        r_.seek(r_.pos() + 1);
        auto zero = r_.u8();
        if (!zero.ok() || *zero != 0) return r_.error_at(off, "malformed reference type");
        auto tt = table_type();
        if (!tt.ok()) return r_.error_at(off, "malformed reference type");
        t.type = *tt;
        TANDEM_ASSIGN(t.init, const_expr());
        m_.features_used.set(Feature::function_references);
      } else {
        TANDEM_ASSIGN(t.type, table_type());
      }
      m_.tables.push_back(std::move(t));
    }
    return {};
  }

  Status memory_section() {
    size_t hint;
    TANDEM_ASSIGN(uint32_t n, count(hint));
    for (uint32_t i = 0; i < n; ++i) {
      TANDEM_ASSIGN(MemoryType t, memory_type());
      m_.memories.push_back(t);
    }
    return {};
  }

  Status tag_section() {
    size_t hint;
    TANDEM_ASSIGN(uint32_t n, count(hint));
    for (uint32_t i = 0; i < n; ++i) {
      TANDEM_ASSIGN(uint32_t t, tag_type());
      m_.tags.push_back(Tag{t});
    }
    return {};
  }

  Status global_section() {
    size_t hint;
    TANDEM_ASSIGN(uint32_t n, count(hint));
    m_.globals.reserve(m_.globals.size() + hint);
    for (uint32_t i = 0; i < n; ++i) {
      Global g;
      TANDEM_ASSIGN(g.type, global_type());
      TANDEM_ASSIGN(g.init, const_expr());
      m_.globals.push_back(g);
    }
    return {};
  }

  Status export_section() {
    size_t hint;
    TANDEM_ASSIGN(uint32_t n, count(hint));
    m_.exports.reserve(hint);
    for (uint32_t i = 0; i < n; ++i) {
      Export e;
      e.offset = r_.offset();
      TANDEM_ASSIGN(e.name, r_.name());
      uint32_t kind_off = r_.offset();
      TANDEM_ASSIGN(uint8_t kind, r_.u8());
      if (kind > 4) return r_.error_at(kind_off, "malformed export kind");
      e.kind = ExternKind(kind);
      TANDEM_ASSIGN(e.index, r_.u32());
      m_.exports.push_back(std::move(e));
    }
    return {};
  }

  Status elem_kind() {
    uint32_t off = r_.offset();
    TANDEM_ASSIGN(uint8_t b, r_.u8());
    if (b != 0) return r_.error_at(off, "malformed element kind");
    return {};
  }

  Status elem_section() {
    size_t hint;
    TANDEM_ASSIGN(uint32_t n, count(hint));
    m_.elems.reserve(hint);
    for (uint32_t i = 0; i < n; ++i) {
      ElemSegment seg;
      seg.offset_in_module = r_.offset();
      TANDEM_ASSIGN(uint32_t flags, r_.u32());
      if (flags > 7) return r_.error_at(seg.offset_in_module, "malformed elements segment kind");
      bool passive_or_declarative = flags & 1;
      bool explicit_table = flags & 2;
      seg.uses_exprs = flags & 4;
      if (flags != 0) m_.features_used.set(Feature::bulk_memory);
      if (passive_or_declarative) {
        seg.mode = explicit_table ? SegmentMode::Declarative : SegmentMode::Passive;
      } else {
        seg.mode = SegmentMode::Active;
        if (explicit_table) {
          TANDEM_ASSIGN(seg.table, r_.u32());
        }
        TANDEM_ASSIGN(seg.offset, const_expr());
      }
      bool has_type = passive_or_declarative || explicit_table;
      if (seg.uses_exprs) {
        seg.type = kFuncRef;
        if (has_type) {
          TANDEM_ASSIGN(seg.type, ref_type());
        }
        size_t h;
        TANDEM_ASSIGN(uint32_t items, count(h));
        seg.exprs.reserve(h);
        for (uint32_t k = 0; k < items; ++k) {
          TANDEM_ASSIGN(ConstExpr e, const_expr());
          seg.exprs.push_back(e);
        }
      } else {
        seg.type = ValType::ref(HeapType::abstract(AbsHeap::Func), false);
        if (has_type) TANDEM_TRY(elem_kind());
        size_t h;
        TANDEM_ASSIGN(uint32_t items, count(h));
        seg.funcs.reserve(h);
        for (uint32_t k = 0; k < items; ++k) {
          TANDEM_ASSIGN(uint32_t f, r_.u32());
          seg.funcs.push_back(f);
        }
      }
      m_.elems.push_back(std::move(seg));
    }
    return {};
  }

  Result<uint32_t> code_section() {
    size_t hint;
    TANDEM_ASSIGN(uint32_t n, count(hint));
    m_.bodies.reserve(hint);
    for (uint32_t i = 0; i < n; ++i) {
      TANDEM_ASSIGN(uint32_t size, r_.len32());
      FunctionBody body;
      body.body = {r_.offset(), size};
      const uint8_t* end = r_.pos() + size;
      uint32_t locals_off = r_.offset();
      TANDEM_ASSIGN(uint32_t groups, r_.len32());
      uint64_t total = 0;
      for (uint32_t g = 0; g < groups; ++g) {
        LocalGroup lg;
        TANDEM_ASSIGN(lg.count, r_.u32());
        TANDEM_ASSIGN(lg.type, val_type());
        total += lg.count;
        body.locals.push_back(lg);
      }
      if (total >= (uint64_t(1) << 32)) return r_.error_at(locals_off, "too many locals");
      body.num_locals = total;
      if (r_.pos() > end) return r_.error_at(body.body.offset, "section size mismatch");
      body.code = {r_.offset(), uint32_t(end - r_.pos())};
      // The instructions are decoded here for syntax only (as the reference
      // decoder does, they may run past the declared size, which is then a
      // size mismatch); the validator decodes them again with its visitor.
      SkipVisitor skip;
      TANDEM_TRY(decode_instructions<DecodeChecks::None>(r_, skip, syntax_env_));
      if (r_.pos() != end) return r_.error_at(body.body.offset, "section size mismatch");
      m_.bodies.push_back(std::move(body));
    }
    return n;
  }

  Status data_section() {
    size_t hint;
    TANDEM_ASSIGN(uint32_t n, count(hint));
    m_.datas.reserve(hint);
    for (uint32_t i = 0; i < n; ++i) {
      DataSegment seg;
      seg.offset_in_module = r_.offset();
      TANDEM_ASSIGN(uint32_t kind, r_.u32());
      if (kind > 2) return r_.error_at(seg.offset_in_module, "malformed data segment kind");
      if (kind == 1) {
        seg.mode = SegmentMode::Passive;
        m_.features_used.set(Feature::bulk_memory);
      } else {
        seg.mode = SegmentMode::Active;
        if (kind == 2) {
          TANDEM_ASSIGN(seg.memory, r_.u32());
        }
        TANDEM_ASSIGN(seg.offset, const_expr());
      }
      TANDEM_ASSIGN(uint32_t len, r_.len32());
      seg.init = {r_.offset(), len};
      TANDEM_TRY(r_.bytes(len));
      m_.datas.push_back(seg);
    }
    return {};
  }

  Module& m_;
  const FeatureSet& features_;
  Reader r_;
  DecodeEnv syntax_env_; // syntax-only decoding: no feature or data-count checks
};

} // namespace

Result<wasm::Module> decode_module(std::vector<uint8_t> bytes, const FeatureSet& features) {
  Module m;
  m.bytes = std::move(bytes);
  ModuleDecoder decoder(m, features);
  TANDEM_TRY(decoder.decode());
  return m;
}

} // namespace tandem
