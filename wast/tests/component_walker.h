// Test oracle for the component text encoder: an independent reader of the
// component binary format, transcribed from Binary.md. It parses every
// section entry by the grammar (exact sizes, vector counts, leading bytes,
// UTF-8 names) and, when asked, checks that every index is in bounds of its
// index space at the point of use (index spaces grow with definitions,
// imports, exports and aliases, per scope: components, component types,
// instance types, core module types). Core modules are checked for their
// preamble only. Returns "" or a description of the first problem.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace tandem::wast::testing {

class ComponentWalker {
public:
  explicit ComponentWalker(const std::vector<uint8_t>& bytes, bool check_indices)
      : b_(bytes), check_(check_indices) {}

  std::string run() {
    end_ = b_.size();
    component(0, b_.size());
    return err_;
  }

private:
  // Index spaces: 0-7 core func/table/memory/global/tag/type/module/instance,
  // 8 func, 9 value, 10 type, 11 component, 12 instance.
  enum Space {
    CFunc,
    CTable,
    CMem,
    CGlobal,
    CTag,
    CType,
    CModule,
    CInst,
    Func,
    Value,
    Type,
    Comp,
    Inst,
    N
  };
  struct Scope {
    std::array<uint32_t, N> count{};
  };

  const std::vector<uint8_t>& b_;
  bool check_;
  size_t pos_ = 0, end_ = 0;
  std::string err_;
  std::vector<Scope> scopes_;

  bool ok() const { return err_.empty(); }
  void fail(const std::string& m) {
    if (err_.empty()) err_ = m + " at byte " + std::to_string(pos_);
  }
  uint8_t byte() {
    if (pos_ >= end_) {
      fail("unexpected end");
      return 0;
    }
    return b_[pos_++];
  }
  uint32_t u32() {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
      uint8_t x = byte();
      if (!ok()) return 0;
      v |= uint64_t(x & 0x7f) << shift;
      if (!(x & 0x80)) {
        if (v > 0xffffffffu) fail("u32 too large");
        return uint32_t(v);
      }
    }
    fail("u32 too long");
    return 0;
  }
  int64_t s33() {
    int64_t v = 0;
    unsigned shift = 0;
    uint8_t x = 0;
    do {
      x = byte();
      if (!ok()) return 0;
      v |= int64_t(x & 0x7f) << shift;
      shift += 7;
    } while ((x & 0x80) && shift < 35);
    if (x & 0x80) fail("s33 too long");
    if (shift < 64 && (x & 0x40)) v |= -(int64_t(1) << shift);
    return v;
  }
  void name() {
    uint32_t n = u32();
    if (!ok()) return;
    if (n > end_ - pos_) return fail("name past end");
    // UTF-8 well-formedness (scalar values, shortest form).
    size_t i = pos_, e = pos_ + n;
    while (i < e) {
      uint8_t c = b_[i];
      size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
      if (len == 0 || i + len > e) return fail("bad UTF-8");
      uint32_t cp = len == 1 ? c : c & (0x7f >> len);
      for (size_t k = 1; k < len; ++k) {
        if ((b_[i + k] & 0xc0) != 0x80) return fail("bad UTF-8");
        cp = (cp << 6) | (b_[i + k] & 0x3f);
      }
      if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
          cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
        return fail("bad UTF-8");
      i += len;
    }
    pos_ = e;
  }
  Scope& sc() { return scopes_.back(); }
  void add(Space s) { ++sc().count[s]; }
  void use(Space s, uint32_t idx) {
    if (check_ && ok() && idx >= sc().count[s])
      fail("index " + std::to_string(idx) + " out of bounds of space " + std::to_string(int(s)) +
           " (size " + std::to_string(sc().count[s]) + ")");
  }
  void idx(Space s) { use(s, u32()); }

  static bool core_sort(uint8_t c, Space& s) {
    switch (c) {
    case 0x00: s = CFunc; return true;
    case 0x01: s = CTable; return true;
    case 0x02: s = CMem; return true;
    case 0x03: s = CGlobal; return true;
    case 0x04: s = CTag; return true;
    case 0x10: s = CType; return true;
    case 0x11: s = CModule; return true;
    case 0x12: s = CInst; return true;
    default: return false;
    }
  }
  Space sort() {
    uint8_t c = byte();
    Space s = Func;
    if (c == 0x00) {
      if (!core_sort(byte(), s)) fail("bad core sort");
      return s;
    }
    switch (c) {
    case 0x01: return Func;
    case 0x02: return Value;
    case 0x03: return Type;
    case 0x04: return Comp;
    case 0x05: return Inst;
    default: fail("bad sort"); return Func;
    }
  }
  Space sortidx() {
    Space s = sort();
    idx(s);
    return s;
  }

  // ---- component
  void component(size_t begin, size_t end) {
    static const uint8_t kPre[8] = {0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00};
    pos_ = begin;
    end_ = end;
    for (uint8_t c : kPre)
      if (byte() != c) return fail("bad component preamble");
    scopes_.emplace_back();
    while (ok() && pos_ < end_) {
      uint8_t id = byte();
      uint32_t size = u32();
      if (!ok()) break;
      if (size > end_ - pos_) return fail("section past end");
      size_t sec_end = pos_ + size, outer_end = end_;
      end_ = sec_end;
      section(id, sec_end);
      if (ok() && pos_ != sec_end) fail("section " + std::to_string(id) + " size mismatch");
      end_ = outer_end;
      pos_ = sec_end;
    }
    scopes_.pop_back();
  }

  template <typename F> void vec(F f) {
    uint32_t n = u32();
    for (uint32_t i = 0; i < n && ok(); ++i) f();
  }

  void section(uint8_t id, size_t sec_end) {
    switch (id) {
    case 0:
      name();
      pos_ = sec_end;
      return;
    case 1: {
      static const uint8_t kCore[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
      for (uint8_t c : kCore)
        if (byte() != c) return fail("bad core module preamble");
      pos_ = sec_end;
      add(CModule);
      return;
    }
    case 2: return vec([&] { core_instance(); });
    case 3: return vec([&] { core_type_entry(); });
    case 4: {
      size_t saved_end = end_;
      component(pos_, sec_end);
      end_ = saved_end;
      pos_ = sec_end;
      add(Comp);
      return;
    }
    case 5: return vec([&] { instance(); });
    case 6: return vec([&] { alias(); });
    case 7:
      return vec([&] {
        deftype();
        add(Type);
      });
    case 8: return vec([&] { canon(); });
    case 9: {
      idx(Func);
      vec([&] { idx(Value); });
      uint32_t results = u32();
      for (uint32_t i = 0; i < results; ++i) add(Value);
      return;
    }
    case 10:
      return vec([&] {
        nameattributes();
        add(externtype());
      });
    case 11:
      return vec([&] {
        nameattributes();
        Space s = sortidx();
        uint8_t has = byte();
        if (has == 0x01)
          externtype();
        else if (has != 0x00)
          fail("bad export ascription flag");
        add(s);
      });
    default: fail("bad section id " + std::to_string(id));
    }
  }

  void core_instance() {
    uint8_t k = byte();
    if (k == 0x00) {
      idx(CModule);
      vec([&] {
        name();
        if (byte() != 0x12) fail("core instantiate arg not an instance");
        idx(CInst);
      });
    } else if (k == 0x01) {
      vec([&] {
        name();
        Space s = Func;
        if (!core_sort(byte(), s)) fail("bad core sort");
        idx(s);
      });
    } else {
      fail("bad core instance");
    }
    add(CInst);
  }

  void instance() {
    uint8_t k = byte();
    if (k == 0x00) {
      idx(Comp);
      vec([&] {
        name();
        sortidx();
      });
    } else if (k == 0x01) {
      vec([&] {
        nameattributes();
        sortidx();
      });
    } else {
      fail("bad instance");
    }
    add(Inst);
  }

  void alias() {
    Space s = sort();
    uint8_t k = byte();
    if (k == 0x00) {
      idx(Inst);
      name();
    } else if (k == 0x01) {
      idx(CInst);
      name();
    } else if (k == 0x02) {
      uint32_t ct = u32();
      uint32_t i = u32();
      if (check_ && ok()) {
        if (ct >= scopes_.size()) return fail("outer alias count too large");
        if (i >= scopes_[scopes_.size() - 1 - ct].count[s]) fail("outer alias index out of bounds");
      }
      if (s != CModule && s != CType && s != Type && s != Comp) fail("bad outer alias sort");
    } else {
      fail("bad alias target");
    }
    add(s);
  }

  void nameattributes() {
    uint8_t k = byte();
    if (k == 0x00 || k == 0x01) return name();
    if (k != 0x02) return fail("bad name prefix");
    name();
    vec([&] {
      uint8_t a = byte();
      if (a > 2) fail("bad attribute");
      name();
    });
  }

  void valtype() {
    uint8_t c = b_[pos_ < end_ ? pos_ : 0];
    if (pos_ < end_ && ((c >= 0x73 && c <= 0x7f) || c == 0x64)) {
      ++pos_;
      return;
    }
    int64_t i = s33();
    if (i < 0) return fail("bad valtype");
    use(Type, uint32_t(i));
  }
  template <typename F> void option(F f) {
    uint8_t k = byte();
    if (k == 0x01)
      f();
    else if (k != 0x00)
      fail("bad option flag");
  }

  Space externtype() {
    uint8_t k = byte();
    switch (k) {
    case 0x00:
      if (byte() != 0x11) fail("bad core externtype");
      idx(CType);
      return CModule;
    case 0x01: idx(Type); return Func;
    case 0x02:
      if (byte() == 0x00)
        idx(Value);
      else
        valtype();
      return Value;
    case 0x03: {
      uint8_t b = byte();
      if (b == 0x00)
        idx(Type);
      else if (b != 0x01)
        fail("bad type bound");
      return Type;
    }
    case 0x04: idx(Type); return Comp;
    case 0x05: idx(Type); return Inst;
    default: fail("bad externtype"); return Func;
    }
  }

  void deftype() {
    uint8_t k = byte();
    if ((k >= 0x73 && k <= 0x7f) || k == 0x64) return;
    switch (k) {
    case 0x72:
      return vec([&] {
        name();
        valtype();
      });
    case 0x71:
      return vec([&] {
        name();
        option([&] { valtype(); });
        if (byte() != 0x00) fail("bad case trailer");
      });
    case 0x70: return valtype();
    case 0x67:
      valtype();
      u32();
      return;
    case 0x6f: return vec([&] { valtype(); });
    case 0x6e:
    case 0x6d: return vec([&] { name(); });
    case 0x6b: return valtype();
    case 0x6a:
      option([&] { valtype(); });
      option([&] { valtype(); });
      return;
    case 0x69:
    case 0x68: return idx(Type);
    case 0x66:
    case 0x65: return option([&] { valtype(); });
    case 0x63:
      valtype();
      valtype();
      return;
    case 0x40:
    case 0x43:
      vec([&] {
        name();
        valtype();
      });
      {
        uint8_t r = byte();
        if (r == 0x00)
          valtype();
        else if (r != 0x01 || byte() != 0x00)
          fail("bad resultlist");
      }
      return;
    case 0x3f: {
      uint8_t rep = byte();
      if (rep != 0x7f && rep != 0x7e) fail("bad resource rep");
      option([&] { idx(CFunc); });
      return;
    }
    case 0x41:
    case 0x42: {
      bool component_type = k == 0x41;
      scopes_.emplace_back();
      vec([&] {
        uint8_t d = byte();
        if (d == 0x03 && component_type) {
          nameattributes();
          add(externtype());
        } else if (d == 0x00) {
          core_type_entry();
        } else if (d == 0x01) {
          deftype();
          add(Type);
        } else if (d == 0x02) {
          alias();
        } else if (d == 0x04) {
          nameattributes();
          add(externtype());
        } else {
          fail("bad declarator");
        }
      });
      scopes_.pop_back();
      return;
    }
    default: fail("bad deftype " + std::to_string(k));
    }
  }

  // ---- core types
  void core_valtype() {
    uint8_t c = byte();
    if (c >= 0x7b && c <= 0x7f) return;
    if (c == 0x63 || c == 0x64) return heaptype();
    if (c >= 0x69 && c <= 0x74) return; // abstract ref shorthands
    fail("bad core valtype");
  }
  void heaptype() {
    uint8_t c = b_[pos_ < end_ ? pos_ : 0];
    if (pos_ < end_ && c == 0x65) {
      ++pos_;
      c = byte();
      return;
    }
    int64_t v = s33();
    if (v >= 0)
      use(CType, uint32_t(v));
    else if (v < -0x40)
      fail("bad heap type");
  }
  void fieldtype() {
    uint8_t c = b_[pos_ < end_ ? pos_ : 0];
    if (pos_ < end_ && (c == 0x78 || c == 0x77))
      ++pos_;
    else
      core_valtype();
    if (byte() > 1) fail("bad mut");
  }
  void comptype() {
    uint8_t c = byte();
    if (c == 0x65) c = byte(); // shared
    switch (c) {
    case 0x60:
      vec([&] { core_valtype(); });
      vec([&] { core_valtype(); });
      return;
    case 0x5f: return vec([&] { fieldtype(); });
    case 0x5e: return fieldtype();
    case 0x5d: return idx(CType);
    default: fail("bad core comptype");
    }
  }
  void subtype() {
    uint8_t c = b_[pos_ < end_ ? pos_ : 0];
    if (pos_ < end_ && (c == 0x50 || c == 0x4f)) {
      ++pos_;
      vec([&] { u32(); });
    }
    comptype();
  }
  void core_type_entry() {
    uint8_t c = b_[pos_ < end_ ? pos_ : 0];
    if (pos_ >= end_) return fail("unexpected end");
    if (c == 0x50) { // module type
      ++pos_;
      scopes_.emplace_back();
      vec([&] { moduledecl(); });
      scopes_.pop_back();
      add(CType);
      return;
    }
    if (c == 0x4e) {
      ++pos_;
      uint32_t n = u32();
      uint32_t base = sc().count[CType];
      sc().count[CType] += n; // members may refer to each other
      for (uint32_t i = 0; i < n && ok(); ++i) subtype();
      (void)base;
      return;
    }
    if (c == 0x00) {
      ++pos_;
      if (byte() != 0x50) return fail("bad prefixed subtype");
      vec([&] { u32(); });
      add(CType);
      comptype();
      return;
    }
    add(CType);
    subtype();
  }
  void core_externtype() {
    uint8_t k = byte();
    switch (k) {
    case 0x00: return idx(CType);
    case 0x01: core_valtype(); return limits();
    case 0x02: return limits();
    case 0x03:
      core_valtype();
      byte();
      return;
    case 0x04:
      if (byte() != 0x00) fail("bad tag");
      return idx(CType);
    default: fail("bad core externtype");
    }
  }
  void limits() {
    uint8_t f = byte();
    bool is64 = f & 0x04;
    (void)is64;
    u32();
    if (f & 0x01) u32();
    if (f & 0x08) u32();
  }
  void moduledecl() {
    uint8_t d = byte();
    switch (d) {
    case 0x00:
      name();
      name();
      return core_externtype();
    case 0x01: return core_type_entry();
    case 0x02: {
      if (byte() != 0x10 || byte() != 0x01) return fail("bad core alias");
      uint32_t ct = u32();
      uint32_t i = u32();
      if (check_ && ok() && ct < scopes_.size() &&
          i >= scopes_[scopes_.size() - 1 - ct].count[CType])
        fail("core outer alias index out of bounds");
      add(CType);
      return;
    }
    case 0x03: name(); return core_externtype();
    default: fail("bad module declarator");
    }
  }

  // ---- canonical definitions (Binary.md's table)
  void opts() {
    vec([&] {
      uint8_t o = byte();
      switch (o) {
      case 0x00:
      case 0x01:
      case 0x02:
      case 0x06:
      case 0x09: return;
      case 0x03: return idx(CMem);
      case 0x04:
      case 0x05:
      case 0x07: return idx(CFunc);
      case 0x08: return idx(CType);
      default: fail("bad canonopt");
      }
    });
  }
  void flag() {
    if (byte() > 1) fail("bad flag");
  }
  void canon() {
    uint8_t k = byte();
    switch (k) {
    case 0x00:
      if (byte() != 0x00) fail("bad lift");
      idx(CFunc);
      opts();
      idx(Type);
      add(Func);
      return;
    case 0x01:
      if (byte() != 0x00) fail("bad lower");
      idx(Func);
      opts();
      break;
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x0e:
    case 0x13:
    case 0x14:
    case 0x15:
    case 0x1a:
    case 0x1b: idx(Type); break;
    case 0x0f:
    case 0x10:
    case 0x16:
    case 0x17:
      idx(Type);
      opts();
      break;
    case 0x11:
    case 0x12:
    case 0x18:
    case 0x19:
      idx(Type);
      flag();
      break;
    case 0x05:
    case 0x0d:
    case 0x1e:
    case 0x1f:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0x28: break;
    case 0x06:
    case 0x0c:
    case 0x29:
    case 0x2a:
    case 0x2b:
    case 0x2c:
    case 0x2d:
    case 0x42: flag(); break;
    case 0x09: {
      uint8_t r = byte();
      if (r == 0x00)
        valtype();
      else if (r != 0x01 || byte() != 0x00)
        fail("bad resultlist");
      opts();
      break;
    }
    case 0x0a:
    case 0x0b:
      if (byte() != 0x7f) fail("bad context type");
      u32();
      break;
    case 0x1c:
    case 0x1d: opts(); break;
    case 0x20:
    case 0x21:
      flag();
      idx(CMem);
      break;
    case 0x27:
      idx(CType);
      idx(CTable);
      break;
    case 0x40:
      flag();
      idx(CType);
      break;
    case 0x41:
      flag();
      idx(CType);
      idx(CTable);
      break;
    default: fail("bad canon " + std::to_string(k)); return;
    }
    add(CFunc);
  }
};

} // namespace tandem::wast::testing
