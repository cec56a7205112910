// A tiny binary-module builder for runtime and interpreter unit tests: enough
// sections to write small modules by hand (types, imports, functions, tables,
// memories, globals, exports, start, elements, code, data). Instruction bytes
// are written by the tests; see the opcode constants below.
#pragma once

#include "base/leb128.h"
#include "wasm/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::testing {

using Bytes = std::vector<uint8_t>;

inline void put_u32(Bytes& b, uint32_t v) {
  write_uleb(b, v);
}
inline void put_s32(Bytes& b, int32_t v) {
  write_sleb(b, v);
}
inline void put_s64(Bytes& b, int64_t v) {
  write_sleb(b, v);
}
inline void put_name(Bytes& b, const std::string& s) {
  put_u32(b, uint32_t(s.size()));
  b.insert(b.end(), s.begin(), s.end());
}

// Value type bytes.
inline constexpr uint8_t I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, FUNCREF = 0x70,
                         EXTERNREF = 0x6f;

class ModuleBuilder {
public:
  uint32_t type(Bytes params, Bytes results) {
    Bytes t{0x60};
    put_u32(t, uint32_t(params.size()));
    t.insert(t.end(), params.begin(), params.end());
    put_u32(t, uint32_t(results.size()));
    t.insert(t.end(), results.begin(), results.end());
    types_.push_back(t);
    return uint32_t(types_.size() - 1);
  }
  uint32_t import_func(const std::string& mod, const std::string& name, uint32_t type_index) {
    Bytes e;
    put_name(e, mod);
    put_name(e, name);
    e.push_back(0x00);
    put_u32(e, type_index);
    imports_.push_back(e);
    return num_funcs_++;
  }
  void import_memory(const std::string& mod, const std::string& name, uint32_t min) {
    Bytes e;
    put_name(e, mod);
    put_name(e, name);
    e.push_back(0x02);
    e.push_back(0x00);
    put_u32(e, min);
    imports_.push_back(e);
  }
  void import_table(const std::string& mod, const std::string& name, uint32_t min) {
    Bytes e;
    put_name(e, mod);
    put_name(e, name);
    e.push_back(0x01);
    e.push_back(FUNCREF);
    e.push_back(0x00);
    put_u32(e, min);
    imports_.push_back(e);
  }
  // `locals`: one byte per declared local (its type).
  uint32_t func(uint32_t type_index, Bytes locals, Bytes code) {
    funcs_.push_back(type_index);
    Bytes body;
    put_u32(body, uint32_t(locals.size()));
    for (uint8_t t : locals) {
      put_u32(body, 1);
      body.push_back(t);
    }
    body.insert(body.end(), code.begin(), code.end());
    bodies_.push_back(body);
    return num_funcs_++;
  }
  void memory(uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    Bytes m;
    m.push_back(max ? 0x01 : 0x00);
    put_u32(m, min);
    if (max) put_u32(m, *max);
    memories_.push_back(m);
  }
  void table(uint32_t min, uint8_t elem = FUNCREF) {
    Bytes t{elem, 0x00};
    put_u32(t, min);
    tables_.push_back(t);
  }
  // A global with an init expression (without the final end).
  uint32_t global(uint8_t type, bool mut, Bytes init) {
    Bytes g{type, uint8_t(mut ? 1 : 0)};
    g.insert(g.end(), init.begin(), init.end());
    g.push_back(0x0b);
    globals_.push_back(g);
    return uint32_t(globals_.size() - 1);
  }
  void export_(const std::string& name, uint8_t kind, uint32_t index) {
    Bytes e;
    put_name(e, name);
    e.push_back(kind);
    put_u32(e, index);
    exports_.push_back(e);
  }
  void export_func(const std::string& name, uint32_t index) { export_(name, 0x00, index); }
  void start(uint32_t f) { start_ = f; }
  // Active element segment for table 0 at an i32 offset.
  void elem(int32_t offset, std::vector<uint32_t> funcs) {
    Bytes e{0x00, 0x41};
    put_s32(e, offset);
    e.push_back(0x0b);
    put_u32(e, uint32_t(funcs.size()));
    for (uint32_t f : funcs) put_u32(e, f);
    elems_.push_back(e);
  }
  // Active data segment for memory 0 at an i32 offset.
  void data(int32_t offset, Bytes bytes) {
    Bytes d{0x00, 0x41};
    put_s32(d, offset);
    d.push_back(0x0b);
    put_u32(d, uint32_t(bytes.size()));
    d.insert(d.end(), bytes.begin(), bytes.end());
    datas_.push_back(d);
  }

  Bytes build() const {
    Bytes out{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    section(out, 1, types_);
    section(out, 2, imports_);
    {
      std::vector<Bytes> fs;
      for (uint32_t t : funcs_) {
        Bytes b;
        put_u32(b, t);
        fs.push_back(b);
      }
      section(out, 3, fs);
    }
    section(out, 4, tables_);
    section(out, 5, memories_);
    section(out, 6, globals_);
    section(out, 7, exports_);
    if (start_) {
      Bytes s;
      put_u32(s, *start_);
      raw_section(out, 8, s);
    }
    section(out, 9, elems_);
    {
      std::vector<Bytes> cs;
      for (const Bytes& body : bodies_) {
        Bytes c;
        put_u32(c, uint32_t(body.size()));
        c.insert(c.end(), body.begin(), body.end());
        cs.push_back(c);
      }
      section(out, 10, cs);
    }
    section(out, 11, datas_);
    return out;
  }

private:
  static void raw_section(Bytes& out, uint8_t id, const Bytes& content) {
    out.push_back(id);
    put_u32(out, uint32_t(content.size()));
    out.insert(out.end(), content.begin(), content.end());
  }
  static void section(Bytes& out, uint8_t id, const std::vector<Bytes>& entries) {
    if (entries.empty()) return;
    Bytes content;
    put_u32(content, uint32_t(entries.size()));
    for (const Bytes& e : entries) content.insert(content.end(), e.begin(), e.end());
    raw_section(out, id, content);
  }

  std::vector<Bytes> types_, imports_, tables_, memories_, globals_, exports_, elems_, datas_,
      bodies_;
  std::vector<uint32_t> funcs_;
  std::optional<uint32_t> start_;
  uint32_t num_funcs_ = 0;
};

} // namespace tandem::testing
