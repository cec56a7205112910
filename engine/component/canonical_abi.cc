// The Canonical ABI (CanonicalABI.md, canonical-abi/definitions.py): lifting
// core values and linear memory into component values and lowering them
// back: flattening, load/store with alignment checks, strings in utf8,
// utf16 and latin1+utf16 with transcoding through realloc, lists, records,
// variants, flags, and own/borrow handles.
//
// Recursion follows the value type, whose depth validation bounds
// (kMaxTypeDepth), so it cannot overflow the native stack.
//
// In-flight strings: `text` is UTF-8; `resource` holds the source encoding
// (StringEncoding) and `bits` the source's tagged code units, so that
// transcoding follows the reference's realloc sequence.
#include "component/runtime.h"

#include "component/isolation_ledger.h"

#include <cstring>

namespace tandem::component {

Error trap(std::string message) {
  return Error::make(ErrorKind::Trap, std::move(message));
}

uint32_t CompInst::add_handle(const Handle& h) {
  if (free_handles.empty()) {
    handles.push_back(h);
    return uint32_t(handles.size() - 1);
  }
  uint32_t i = free_handles.back();
  free_handles.pop_back();
  handles[i] = h;
  return i;
}

Result<Handle*> CompInst::live_handle(uint32_t i, const ResourceRt* expected) {
  if (i >= handles.size() || !handles[i].res)
    return trap("unknown handle index " + std::to_string(i));
  if (expected && handles[i].res != expected)
    return trap("handle index " + std::to_string(i) +
                " used with the wrong type, expected guest-defined resource but found a "
                "different guest-defined resource");
  return &handles[i];
}

Handle CompInst::remove_handle(uint32_t i) {
  Handle old = handles[i];
  handles[i] = Handle{};
  free_handles.push_back(i);
  return old;
}

namespace {

using K = ComponentValue::Kind;
constexpr uint64_t kMaxStringByteLength = (uint64_t(1) << 28) - 1;
constexpr uint32_t kUtf16Tag = uint32_t(1) << 31;

uint64_t align_to(uint64_t p, uint64_t a) {
  return (p + a - 1) / a * a;
}

struct Abi {
  uint64_t size = 0, align = 1;
};

PrimVal prim_of(const TypeArena& a, const ValTy& t, const DefinedType** d) {
  *d = nullptr;
  if (t.is_prim) return t.prim;
  const DefinedType& dt = a.defined[t.def];
  if (dt.kind == DefKind::Primitive) return dt.prim;
  *d = &dt;
  return PrimVal::Bool;
}

uint32_t disc_size(size_t n) {
  return n <= 256 ? 1 : n <= 65536 ? 2 : 4;
}
uint32_t flags_size(size_t n) {
  return n <= 8 ? 1 : n <= 16 ? 2 : 4;
}

Abi abi_of(const TypeArena& a, const ValTy& t) {
  const DefinedType* d;
  PrimVal p = prim_of(a, t, &d);
  AbiInfo info = d ? d->abi : prim_abi(p);
  return Abi{info.size32, info.align32};
}

// Variant-like views: cases of option/result/enum/variant.
struct CaseView {
  std::vector<std::optional<ValTy>> types;
  std::vector<std::string> labels;
};
CaseView cases_of(const DefinedType& d) {
  CaseView v;
  switch (d.kind) {
  case DefKind::Variant:
    for (const auto& c : d.cases) {
      v.labels.push_back(c.first);
      v.types.push_back(c.second);
    }
    break;
  case DefKind::Enum:
    for (const auto& n : d.names) {
      v.labels.push_back(n);
      v.types.push_back(std::nullopt);
    }
    break;
  case DefKind::Option:
    v.labels = {"none", "some"};
    v.types = {std::nullopt, d.first};
    break;
  case DefKind::Result:
    v.labels = {"ok", "err"};
    v.types = {d.first, d.second};
    break;
  default: break;
  }
  return v;
}
bool is_variantish(DefKind k) {
  return k == DefKind::Variant || k == DefKind::Enum || k == DefKind::Option ||
         k == DefKind::Result;
}
uint64_t max_case_align(const TypeArena& a, const CaseView& cv) {
  uint64_t al = 1;
  for (const auto& t : cv.types)
    if (t) al = std::max(al, abi_of(a, *t).align);
  return al;
}

ValType join(ValType a, ValType b) {
  if (a == b) return a;
  if ((a == kI32 && b == kF32) || (a == kF32 && b == kI32)) return kI32;
  return kI64;
}

void flatten(const TypeArena& a, const ValTy& t, std::vector<ValType>& out) {
  const DefinedType* d;
  PrimVal p = prim_of(a, t, &d);
  if (!d) {
    if (p == PrimVal::String) {
      out.push_back(kI32);
      out.push_back(kI32);
    } else
      out.push_back(prim_abi(p).flat.at(0));
    return;
  }
  switch (d->kind) {
  case DefKind::List:
  case DefKind::Map:
    out.push_back(kI32);
    out.push_back(kI32);
    return;
  case DefKind::FixedList:
    for (uint32_t i = 0; i < d->length; ++i) flatten(a, *d->first, out);
    return;
  case DefKind::Record:
    for (const auto& f : d->fields) flatten(a, f.second, out);
    return;
  case DefKind::Tuple:
    for (const auto& f : d->types) flatten(a, f, out);
    return;
  case DefKind::Flags: out.push_back(kI32); return;
  case DefKind::Own:
  case DefKind::Borrow: out.push_back(kI32); return;
  default: break;
  }
  if (is_variantish(d->kind)) {
    CaseView cv = cases_of(*d);
    std::vector<ValType> flat;
    for (const auto& ct : cv.types) {
      if (!ct) continue;
      std::vector<ValType> f;
      flatten(a, *ct, f);
      for (size_t i = 0; i < f.size(); ++i) {
        if (i < flat.size())
          flat[i] = join(flat[i], f[i]);
        else
          flat.push_back(f[i]);
      }
    }
    out.push_back(kI32);
    out.insert(out.end(), flat.begin(), flat.end());
    return;
  }
  out.push_back(kI32);
}

// ---- memory ---------------------------------------------------------------

struct Mem {
  AbiCx& cx;
  Result<std::span<uint8_t>> bytes() {
    if (!cx.opts->has_memory) return trap("canonical option `memory` is required");
    return cx.opts->memory.data(*cx.rt->store);
  }
};

Result<uint64_t> load_int(AbiCx& cx, uint64_t ptr, uint32_t n) {
  TANDEM_ASSIGN(std::span<uint8_t> m, Mem{cx}.bytes());
  if (ptr + n > m.size()) return trap("pointer out of bounds of memory");
  uint64_t v = 0;
  for (uint32_t i = 0; i < n; ++i) v |= uint64_t(m[ptr + i]) << (8 * i);
  return v;
}

Status store_int(AbiCx& cx, uint64_t v, uint64_t ptr, uint32_t n) {
  TANDEM_ASSIGN(std::span<uint8_t> m, Mem{cx}.bytes());
  if (ptr + n > m.size()) return trap("pointer out of bounds of memory");
  for (uint32_t i = 0; i < n; ++i) m[ptr + i] = uint8_t(v >> (8 * i));
  return {};
}

enum class Content : uint8_t { List, String };

Result<uint32_t> realloc_call(AbiCx& cx, uint32_t old_ptr, uint32_t old_size, uint32_t align,
                              uint32_t new_size, Content what = Content::List) {
  if (!cx.opts->realloc) return trap("canonical option `realloc` is required");
  if (cx.rt->ledger) [[unlikely]]
    cx.rt->ledger->record(*cx.rt, CrossingKind::Realloc, cx.peer, cx.inst, "realloc");
  Value args[4] = {Value::i32(old_ptr), Value::i32(old_size), Value::i32(align),
                   Value::i32(new_size)};
  TANDEM_ASSIGN(std::vector<Value> r, cx.opts->realloc.call(*cx.rt->store, args));
  if (r.size() != 1) return trap("realloc returned no value");
  uint32_t p = r[0].i32();
  if (p % align != 0)
    return trap(cx.host ? "realloc return: result not aligned" : "unaligned pointer");
  TANDEM_ASSIGN(std::span<uint8_t> m, Mem{cx}.bytes());
  if (uint64_t(p) + new_size > m.size())
    return trap(cx.host                   ? "realloc return: beyond end of memory"
                : what == Content::String ? "string content out-of-bounds"
                                          : "list content out-of-bounds");
  return p;
}

// ---- UTF helpers -------------------------------------------------------------

std::vector<uint32_t> utf8_decode(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    uint8_t c = uint8_t(s[i]);
    uint32_t cp;
    size_t n;
    if (c < 0x80) {
      cp = c;
      n = 1;
    } else if (c < 0xE0) {
      cp = c & 0x1F;
      n = 2;
    } else if (c < 0xF0) {
      cp = c & 0x0F;
      n = 3;
    } else {
      cp = c & 0x07;
      n = 4;
    }
    for (size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (uint8_t(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

void utf8_append(std::string& s, uint32_t cp) {
  if (cp < 0x80)
    s += char(cp);
  else if (cp < 0x800) {
    s += char(0xC0 | (cp >> 6));
    s += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += char(0xE0 | (cp >> 12));
    s += char(0x80 | ((cp >> 6) & 0x3F));
    s += char(0x80 | (cp & 0x3F));
  } else {
    s += char(0xF0 | (cp >> 18));
    s += char(0x80 | ((cp >> 12) & 0x3F));
    s += char(0x80 | ((cp >> 6) & 0x3F));
    s += char(0x80 | (cp & 0x3F));
  }
}

std::vector<uint16_t> utf16_encode(const std::vector<uint32_t>& cps) {
  std::vector<uint16_t> out;
  for (uint32_t cp : cps) {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(uint16_t(0xD800 + (cp >> 10)));
      out.push_back(uint16_t(0xDC00 + (cp & 0x3FF)));
    } else
      out.push_back(uint16_t(cp));
  }
  return out;
}

bool valid_utf8(const uint8_t* p, size_t n, bool* incomplete) {
  *incomplete = false;
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
      min = 0x10000;
    } else
      return false;
    for (size_t k = 1; k < len; ++k) {
      if (i + k >= n) {
        *incomplete = true;
        return false;
      }
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// ---- lifting from memory -------------------------------------------------------

Result<ComponentValue> load(AbiCx& cx, uint64_t ptr, const ValTy& t);

Result<ComponentValue> load_string_range(AbiCx& cx, uint64_t ptr, uint64_t tagged) {
  uint64_t align = 1, byte_len = tagged;
  StringEncoding enc = cx.opts->encoding;
  bool utf16 = false;
  if (enc == StringEncoding::Utf16) {
    align = 2;
    byte_len = 2 * tagged;
    utf16 = true;
  } else if (enc == StringEncoding::Latin1Utf16) {
    align = 2;
    if (tagged & kUtf16Tag) {
      byte_len = 2 * (tagged ^ kUtf16Tag);
      utf16 = true;
    }
  }
  if (byte_len > kMaxStringByteLength) return trap("string content out-of-bounds");
  if (ptr % align != 0) return trap("unaligned pointer");
  TANDEM_ASSIGN(std::span<uint8_t> m, Mem{cx}.bytes());
  if (ptr + byte_len > m.size())
    return trap(cx.host ? "string pointer/length out of bounds of memory"
                        : "string content out-of-bounds");
  ComponentValue v;
  v.kind = K::String;
  v.bits = tagged;
  v.resource = uint32_t(enc);
  const uint8_t* p = m.data() + ptr;
  if (enc == StringEncoding::Utf8) {
    bool incomplete;
    if (!valid_utf8(p, byte_len, &incomplete))
      return trap(incomplete ? "incomplete utf-8 byte sequence" : "invalid utf-8");
    v.text.assign(reinterpret_cast<const char*>(p), byte_len);
  } else if (utf16) {
    for (uint64_t i = 0; i < byte_len; i += 2) {
      uint32_t u = p[i] | (uint32_t(p[i + 1]) << 8);
      if (u >= 0xD800 && u <= 0xDBFF) {
        if (i + 2 >= byte_len) return trap("invalid utf-16");
        uint32_t l = p[i + 2] | (uint32_t(p[i + 3]) << 8);
        if (l < 0xDC00 || l > 0xDFFF) return trap("invalid utf-16");
        u = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
        i += 2;
      } else if (u >= 0xDC00 && u <= 0xDFFF)
        return trap("invalid utf-16");
      utf8_append(v.text, u);
    }
  } else {
    for (uint64_t i = 0; i < byte_len; ++i) utf8_append(v.text, p[i]);
  }
  return v;
}

Result<ComponentValue> load_list_range(AbiCx& cx, uint64_t ptr, uint64_t len, const ValTy& e) {
  Abi ea = abi_of(*cx.arena, e);
  if (len * ea.size > kMaxStringByteLength) return trap("list content out-of-bounds");
  if (ptr % ea.align != 0) return trap("unaligned pointer");
  TANDEM_ASSIGN(std::span<uint8_t> m, Mem{cx}.bytes());
  if (ptr + len * ea.size > m.size()) return trap("list content out-of-bounds");
  ComponentValue v;
  v.kind = K::List;
  for (uint64_t i = 0; i < len; ++i) {
    TANDEM_ASSIGN(ComponentValue x, load(cx, ptr + i * ea.size, e));
    v.items.push_back(std::move(x));
  }
  return v;
}

// A map is a list of (key, value) entries laid out as records.
struct MapLayout {
  Abi key, value;
  uint64_t value_offset = 0, size = 0, align = 1;
};
MapLayout map_layout(const TypeArena& a, const DefinedType& d) {
  MapLayout l;
  l.key = abi_of(a, *d.first);
  l.value = abi_of(a, *d.second);
  l.align = std::max(l.key.align, l.value.align);
  l.value_offset = align_to(l.key.size, l.value.align);
  l.size = align_to(l.value_offset + l.value.size, l.align);
  return l;
}

Result<ComponentValue> load_map_range(AbiCx& cx, uint64_t ptr, uint64_t len, const DefinedType& d) {
  MapLayout l = map_layout(*cx.arena, d);
  if (len * l.size > kMaxStringByteLength) return trap("list content out-of-bounds");
  if (ptr % l.align != 0) return trap("unaligned pointer");
  TANDEM_ASSIGN(std::span<uint8_t> m, Mem{cx}.bytes());
  if (ptr + len * l.size > m.size()) return trap("list content out-of-bounds");
  ComponentValue v;
  v.kind = K::List;
  for (uint64_t i = 0; i < len; ++i) {
    ComponentValue e;
    e.kind = K::Tuple;
    TANDEM_ASSIGN(ComponentValue k, load(cx, ptr + i * l.size, *d.first));
    TANDEM_ASSIGN(ComponentValue x, load(cx, ptr + i * l.size + l.value_offset, *d.second));
    e.items.push_back(std::move(k));
    e.items.push_back(std::move(x));
    v.items.push_back(std::move(e));
  }
  return v;
}

Result<ComponentValue> lift_handle(AbiCx& cx, uint32_t i, const DefinedType& d) {
  CompInst* ci = cx.inst;
  auto it = ci->resources.find(d.resource.id);
  TANDEM_ASSIGN(Handle * live,
                ci->live_handle(i, it != ci->resources.end() ? it->second : nullptr));
  Handle& h = *live;
  ComponentValue v;
  v.resource = h.res->id;
  v.bits = h.rep;
  if (d.kind == DefKind::Own) {
    v.kind = K::Own;
    if (!h.own) return trap("cannot lift own resource from a borrow");
    if (h.lend_count != 0) return trap("cannot remove owned resource while borrowed");
    ci->remove_handle(i);
  } else {
    v.kind = K::Borrow;
    h.lend_count++;
    if (cx.lent) cx.lent->push_back(i);
  }
  return v;
}

ComponentValue make_case(const CaseView& cv, DefKind k, uint32_t index) {
  ComponentValue v;
  v.kind = k == DefKind::Variant  ? K::Variant
           : k == DefKind::Enum   ? K::Enum
           : k == DefKind::Option ? K::Option
                                  : K::Result;
  v.bits = index;
  v.text = cv.labels[index];
  return v;
}

Result<ComponentValue> lift_scalar(PrimVal p, uint64_t raw) {
  ComponentValue v;
  switch (p) {
  case PrimVal::Bool:
    v.kind = K::Bool;
    v.bits = raw != 0;
    break;
  case PrimVal::S8:
    v.kind = K::S8;
    v.bits = uint64_t(int64_t(int8_t(raw)));
    break;
  case PrimVal::U8:
    v.kind = K::U8;
    v.bits = uint8_t(raw);
    break;
  case PrimVal::S16:
    v.kind = K::S16;
    v.bits = uint64_t(int64_t(int16_t(raw)));
    break;
  case PrimVal::U16:
    v.kind = K::U16;
    v.bits = uint16_t(raw);
    break;
  case PrimVal::S32:
    v.kind = K::S32;
    v.bits = uint64_t(int64_t(int32_t(raw)));
    break;
  case PrimVal::U32:
    v.kind = K::U32;
    v.bits = uint32_t(raw);
    break;
  case PrimVal::S64:
    v.kind = K::S64;
    v.bits = raw;
    break;
  case PrimVal::U64:
    v.kind = K::U64;
    v.bits = raw;
    break;
  case PrimVal::F32: {
    v.kind = K::F32;
    uint32_t b = uint32_t(raw);
    if ((b & 0x7f800000) == 0x7f800000 && (b & 0x7fffff)) b = 0x7fc00000;
    v.bits = b;
    break;
  }
  case PrimVal::F64: {
    v.kind = K::F64;
    if ((raw & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (raw & 0xfffffffffffffull))
      raw = 0x7ff8000000000000ull;
    v.bits = raw;
    break;
  }
  case PrimVal::Char: {
    uint32_t c = uint32_t(raw);
    if (c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF)) return trap("invalid `char` bit pattern");
    v.kind = K::Char;
    v.bits = c;
    break;
  }
  default: return trap("unsupported primitive");
  }
  return v;
}

Result<ComponentValue> load(AbiCx& cx, uint64_t ptr, const ValTy& t) {
  const TypeArena& a = *cx.arena;
  Abi ab = abi_of(a, t);
  if (ptr % ab.align != 0) return trap("unaligned pointer");
  const DefinedType* d;
  PrimVal p = prim_of(a, t, &d);
  if (!d) {
    if (p == PrimVal::String) {
      TANDEM_ASSIGN(uint64_t b, load_int(cx, ptr, 4));
      TANDEM_ASSIGN(uint64_t n, load_int(cx, ptr + 4, 4));
      return load_string_range(cx, b, n);
    }
    TANDEM_ASSIGN(uint64_t raw, load_int(cx, ptr, uint32_t(ab.size)));
    return lift_scalar(p, raw);
  }
  ComponentValue v;
  switch (d->kind) {
  case DefKind::List:
  case DefKind::Map: {
    TANDEM_ASSIGN(uint64_t b, load_int(cx, ptr, 4));
    TANDEM_ASSIGN(uint64_t n, load_int(cx, ptr + 4, 4));
    if (d->kind == DefKind::List) return load_list_range(cx, b, n, *d->first);
    return load_map_range(cx, b, n, *d);
  }
  case DefKind::FixedList: {
    Abi ea = abi_of(a, *d->first);
    v.kind = K::List;
    for (uint32_t i = 0; i < d->length; ++i) {
      TANDEM_ASSIGN(ComponentValue x, load(cx, ptr + i * ea.size, *d->first));
      v.items.push_back(std::move(x));
    }
    return v;
  }
  case DefKind::Record:
  case DefKind::Tuple: {
    v.kind = d->kind == DefKind::Record ? K::Record : K::Tuple;
    size_t n = d->kind == DefKind::Record ? d->fields.size() : d->types.size();
    for (size_t i = 0; i < n; ++i) {
      const ValTy& ft = d->kind == DefKind::Record ? d->fields[i].second : d->types[i];
      Abi fa = abi_of(a, ft);
      ptr = align_to(ptr, fa.align);
      TANDEM_ASSIGN(ComponentValue x, load(cx, ptr, ft));
      v.items.push_back(std::move(x));
      if (d->kind == DefKind::Record) v.names.push_back(d->fields[i].first);
      ptr += fa.size;
    }
    return v;
  }
  case DefKind::Flags: {
    TANDEM_ASSIGN(uint64_t raw, load_int(cx, ptr, flags_size(d->names.size())));
    v.kind = K::Flags;
    for (size_t i = 0; i < d->names.size(); ++i)
      if (raw & (uint64_t(1) << i)) v.names.push_back(d->names[i]);
    v.bits = raw & ((uint64_t(1) << d->names.size()) - 1);
    return v;
  }
  case DefKind::Own:
  case DefKind::Borrow: {
    TANDEM_ASSIGN(uint64_t raw, load_int(cx, ptr, 4));
    return lift_handle(cx, uint32_t(raw), *d);
  }
  default: break;
  }
  if (!is_variantish(d->kind)) return trap("unsupported value type (async)");
  CaseView cv = cases_of(*d);
  uint32_t ds = disc_size(cv.labels.size());
  TANDEM_ASSIGN(uint64_t idx, load_int(cx, ptr, ds));
  if (idx >= cv.labels.size()) return trap("invalid variant discriminant");
  v = make_case(cv, d->kind, uint32_t(idx));
  ptr = align_to(ptr + ds, max_case_align(a, cv));
  if (cv.types[idx]) {
    TANDEM_ASSIGN(ComponentValue x, load(cx, ptr, *cv.types[idx]));
    v.items.push_back(std::move(x));
  }
  return v;
}

// ---- lifting from flat values ---------------------------------------------------

struct FlatReader {
  std::span<const Value> vals;
  size_t i = 0;
  Value next() { return i < vals.size() ? vals[i++] : Value::i32(0); }
};

uint64_t raw_bits(const Value& v) {
  switch (v.type().kind()) {
  case ValKind::I32: return v.i32();
  case ValKind::F32: return v.f32_bits();
  case ValKind::F64: return v.f64_bits();
  default: return v.i64();
  }
}

// Reads a flat value of core type `want` from a joined slot.
uint64_t coerce(const Value& v, ValType want) {
  uint64_t b = raw_bits(v);
  ValType have = v.type();
  if (have == want) return b;
  if (have == kI64 && (want == kI32 || want == kF32)) return uint32_t(b);
  return b; // i32 <-> f32 share bits; i64 <-> f64 share bits
}

Result<ComponentValue> lift_flat(AbiCx& cx, FlatReader& r, const ValTy& t) {
  const TypeArena& a = *cx.arena;
  const DefinedType* d;
  PrimVal p = prim_of(a, t, &d);
  if (!d) {
    if (p == PrimVal::String) {
      uint64_t b = uint32_t(raw_bits(r.next()));
      uint64_t n = uint32_t(raw_bits(r.next()));
      return load_string_range(cx, b, n);
    }
    ValType ct = prim_abi(p).flat.at(0);
    return lift_scalar(p, coerce(r.next(), ct));
  }
  ComponentValue v;
  switch (d->kind) {
  case DefKind::List:
  case DefKind::Map: {
    uint64_t b = uint32_t(raw_bits(r.next()));
    uint64_t n = uint32_t(raw_bits(r.next()));
    if (d->kind == DefKind::List) return load_list_range(cx, b, n, *d->first);
    return load_map_range(cx, b, n, *d);
  }
  case DefKind::FixedList:
    v.kind = K::List;
    for (uint32_t i = 0; i < d->length; ++i) {
      TANDEM_ASSIGN(ComponentValue x, lift_flat(cx, r, *d->first));
      v.items.push_back(std::move(x));
    }
    return v;
  case DefKind::Record:
    v.kind = K::Record;
    for (const auto& f : d->fields) {
      TANDEM_ASSIGN(ComponentValue x, lift_flat(cx, r, f.second));
      v.items.push_back(std::move(x));
      v.names.push_back(f.first);
    }
    return v;
  case DefKind::Tuple:
    v.kind = K::Tuple;
    for (const auto& f : d->types) {
      TANDEM_ASSIGN(ComponentValue x, lift_flat(cx, r, f));
      v.items.push_back(std::move(x));
    }
    return v;
  case DefKind::Flags: {
    uint64_t raw = uint32_t(raw_bits(r.next()));
    v.kind = K::Flags;
    for (size_t i = 0; i < d->names.size(); ++i)
      if (raw & (uint64_t(1) << i)) v.names.push_back(d->names[i]);
    v.bits = raw & ((uint64_t(1) << d->names.size()) - 1);
    return v;
  }
  case DefKind::Own:
  case DefKind::Borrow: return lift_handle(cx, uint32_t(raw_bits(r.next())), *d);
  default: break;
  }
  if (!is_variantish(d->kind)) return trap("unsupported value type (async)");
  CaseView cv = cases_of(*d);
  std::vector<ValType> joined;
  flatten(a, t, joined);
  uint64_t idx = uint32_t(raw_bits(r.next()));
  size_t payload_begin = r.i;
  if (idx >= cv.labels.size()) return trap("invalid variant discriminant");
  v = make_case(cv, d->kind, uint32_t(idx));
  if (cv.types[idx]) {
    std::vector<ValType> ft;
    flatten(a, *cv.types[idx], ft);
    std::vector<Value> coerced;
    for (size_t k = 0; k < ft.size(); ++k) {
      Value slot = r.next();
      uint64_t b = coerce(slot, ft[k]);
      coerced.push_back(ft[k] == kI32   ? Value::i32(uint32_t(b))
                        : ft[k] == kF32 ? Value::f32_bits(uint32_t(b))
                        : ft[k] == kF64 ? Value::f64_bits(b)
                                        : Value::i64(b));
    }
    FlatReader sub{coerced, 0};
    TANDEM_ASSIGN(ComponentValue x, lift_flat(cx, sub, *cv.types[idx]));
    v.items.push_back(std::move(x));
  }
  r.i = payload_begin + (joined.size() - 1);
  return v;
}

// ---- lowering -----------------------------------------------------------------

Result<std::pair<uint32_t, uint32_t>> store_string_range(AbiCx& cx, const ComponentValue& v) {
  StringEncoding src_enc = StringEncoding(v.resource);
  uint64_t tagged = v.bits;
  if (src_enc == StringEncoding::Utf8 && tagged != v.text.size()) tagged = v.text.size();
  std::vector<uint32_t> cps = utf8_decode(v.text);
  enum { U8, U16, L1 } simple = U8;
  uint64_t units = tagged;
  if (src_enc == StringEncoding::Utf16)
    simple = U16;
  else if (src_enc == StringEncoding::Latin1Utf16) {
    if (tagged & kUtf16Tag) {
      simple = U16;
      units = tagged ^ kUtf16Tag;
    } else
      simple = L1;
  }
  TANDEM_ASSIGN(std::span<uint8_t> m0, Mem{cx}.bytes());
  (void)m0;
  auto mem = [&]() { return cx.opts->memory.data(*cx.rt->store); };
  auto check = [&](uint64_t ptr, uint64_t len, uint32_t align) -> Status {
    if (ptr % align) return trap("unaligned pointer");
    if (ptr + len > mem().size()) return trap("string content out-of-bounds");
    return {};
  };
  std::string utf8 = v.text;
  std::vector<uint16_t> u16 = utf16_encode(cps);
  switch (cx.opts->encoding) {
  case StringEncoding::Utf8: {
    if (simple == U8) {
      TANDEM_ASSIGN(uint32_t p, realloc_call(cx, 0, 0, 1, uint32_t(units), Content::String));
      TANDEM_TRY(check(p, units, 1));
      std::memcpy(mem().data() + p, utf8.data(), utf8.size());
      return std::pair{p, uint32_t(units)};
    }
    uint64_t worst = simple == U16 ? units * 3 : units * 2;
    TANDEM_ASSIGN(uint32_t p, realloc_call(cx, 0, 0, 1, uint32_t(units), Content::String));
    TANDEM_TRY(check(p, units, 1));
    for (size_t i = 0; i < cps.size(); ++i) {
      if (cps[i] < 0x80) {
        mem()[p + i] = uint8_t(cps[i]);
        continue;
      }
      TANDEM_ASSIGN(p, realloc_call(cx, p, uint32_t(units), 1, uint32_t(worst), Content::String));
      TANDEM_TRY(check(p, worst, 1));
      std::memcpy(mem().data() + p, utf8.data(), utf8.size());
      if (worst > utf8.size()) {
        TANDEM_ASSIGN(
            p, realloc_call(cx, p, uint32_t(worst), 1, uint32_t(utf8.size()), Content::String));
        TANDEM_TRY(check(p, utf8.size(), 1));
      }
      return std::pair{p, uint32_t(utf8.size())};
    }
    return std::pair{p, uint32_t(units)};
  }
  case StringEncoding::Utf16: {
    if (simple != U8) {
      TANDEM_ASSIGN(uint32_t p, realloc_call(cx, 0, 0, 2, uint32_t(2 * units), Content::String));
      TANDEM_TRY(check(p, 2 * units, 2));
      for (size_t i = 0; i < u16.size(); ++i) {
        mem()[p + 2 * i] = uint8_t(u16[i]);
        mem()[p + 2 * i + 1] = uint8_t(u16[i] >> 8);
      }
      return std::pair{p, uint32_t(u16.size())};
    }
    uint64_t worst = 2 * units;
    TANDEM_ASSIGN(uint32_t p, realloc_call(cx, 0, 0, 2, uint32_t(worst), Content::String));
    TANDEM_TRY(check(p, worst, 2));
    for (size_t i = 0; i < u16.size(); ++i) {
      mem()[p + 2 * i] = uint8_t(u16[i]);
      mem()[p + 2 * i + 1] = uint8_t(u16[i] >> 8);
    }
    if (2 * u16.size() < worst) {
      TANDEM_ASSIGN(
          p, realloc_call(cx, p, uint32_t(worst), 2, uint32_t(2 * u16.size()), Content::String));
      TANDEM_TRY(check(p, 2 * u16.size(), 2));
    }
    return std::pair{p, uint32_t(u16.size())};
  }
  case StringEncoding::Latin1Utf16: break;
  }
  // latin1+utf16 destination.
  bool all_latin1 = true;
  for (uint32_t c : cps) all_latin1 = all_latin1 && c < 256;
  if (simple == L1) {
    TANDEM_ASSIGN(uint32_t p, realloc_call(cx, 0, 0, 2, uint32_t(units), Content::String));
    TANDEM_TRY(check(p, units, 2));
    for (size_t i = 0; i < cps.size(); ++i) mem()[p + i] = uint8_t(cps[i]);
    return std::pair{p, uint32_t(units)};
  }
  if (src_enc == StringEncoding::Latin1Utf16) { // probably utf16
    uint64_t bl = 2 * units;
    TANDEM_ASSIGN(uint32_t p, realloc_call(cx, 0, 0, 2, uint32_t(bl), Content::String));
    TANDEM_TRY(check(p, bl, 2));
    if (!all_latin1) {
      for (size_t i = 0; i < u16.size(); ++i) {
        mem()[p + 2 * i] = uint8_t(u16[i]);
        mem()[p + 2 * i + 1] = uint8_t(u16[i] >> 8);
      }
      return std::pair{p, uint32_t(u16.size()) | kUtf16Tag};
    }
    for (size_t i = 0; i < cps.size(); ++i) mem()[p + i] = uint8_t(cps[i]);
    TANDEM_ASSIGN(p, realloc_call(cx, p, uint32_t(bl), 1, uint32_t(cps.size()), Content::String));
    TANDEM_TRY(check(p, cps.size(), 1));
    return std::pair{p, uint32_t(cps.size())};
  }
  TANDEM_ASSIGN(uint32_t p, realloc_call(cx, 0, 0, 2, uint32_t(units), Content::String));
  TANDEM_TRY(check(p, units, 2));
  size_t n = 0;
  for (uint32_t c : cps) {
    if (c < 256) {
      mem()[p + n++] = uint8_t(c);
      continue;
    }
    uint64_t worst = 2 * units;
    TANDEM_ASSIGN(p, realloc_call(cx, p, uint32_t(units), 2, uint32_t(worst), Content::String));
    TANDEM_TRY(check(p, worst, 2));
    for (size_t i = 0; i < u16.size(); ++i) {
      mem()[p + 2 * i] = uint8_t(u16[i]);
      mem()[p + 2 * i + 1] = uint8_t(u16[i] >> 8);
    }
    if (worst > 2 * u16.size()) {
      TANDEM_ASSIGN(
          p, realloc_call(cx, p, uint32_t(worst), 2, uint32_t(2 * u16.size()), Content::String));
      TANDEM_TRY(check(p, 2 * u16.size(), 2));
    }
    return std::pair{p, uint32_t(u16.size()) | kUtf16Tag};
  }
  if (n < units) {
    TANDEM_ASSIGN(p, realloc_call(cx, p, uint32_t(units), 2, uint32_t(n), Content::String));
    TANDEM_TRY(check(p, n, 2));
  }
  return std::pair{p, uint32_t(n)};
}

Status store(AbiCx& cx, const ComponentValue& v, const ValTy& t, uint64_t ptr);

Result<std::pair<uint32_t, uint32_t>> store_list_range(AbiCx& cx, const ComponentValue& v,
                                                       const ValTy& e) {
  Abi ea = abi_of(*cx.arena, e);
  uint64_t bytes = v.items.size() * ea.size;
  TANDEM_ASSIGN(uint32_t p, realloc_call(cx, 0, 0, uint32_t(ea.align), uint32_t(bytes)));
  for (size_t i = 0; i < v.items.size(); ++i) TANDEM_TRY(store(cx, v.items[i], e, p + i * ea.size));
  return std::pair{p, uint32_t(v.items.size())};
}

Result<std::pair<uint32_t, uint32_t>> store_map_range(AbiCx& cx, const ComponentValue& v,
                                                      const DefinedType& d) {
  MapLayout l = map_layout(*cx.arena, d);
  TANDEM_ASSIGN(uint32_t p,
                realloc_call(cx, 0, 0, uint32_t(l.align), uint32_t(v.items.size() * l.size)));
  for (size_t i = 0; i < v.items.size(); ++i) {
    const ComponentValue& e = v.items[i];
    if (e.items.size() != 2) return Error::make(ErrorKind::Usage, "a map entry is not a pair");
    TANDEM_TRY(store(cx, e.items[0], *d.first, p + i * l.size));
    TANDEM_TRY(store(cx, e.items[1], *d.second, p + i * l.size + l.value_offset));
  }
  return std::pair{p, uint32_t(v.items.size())};
}

Result<uint32_t> case_index(const CaseView& cv, const ComponentValue& v) {
  if (!v.text.empty() || v.kind == K::Variant || v.kind == K::Enum) {
    for (size_t i = 0; i < cv.labels.size(); ++i)
      if (cv.labels[i] == v.text) return uint32_t(i);
    if (v.text.empty() && v.bits < cv.labels.size()) return uint32_t(v.bits);
    return Error::make(ErrorKind::Usage, "unknown case `" + v.text + "`");
  }
  if (v.bits >= cv.labels.size()) return Error::make(ErrorKind::Usage, "bad case index");
  return uint32_t(v.bits);
}

Result<uint64_t> flags_bits(const DefinedType& d, const ComponentValue& v) {
  if (v.names.empty()) return v.bits;
  uint64_t bits = 0;
  for (const auto& n : v.names) {
    bool found = false;
    for (size_t i = 0; i < d.names.size(); ++i)
      if (d.names[i] == n) {
        bits |= uint64_t(1) << i;
        found = true;
      }
    if (!found) return Error::make(ErrorKind::Usage, "unknown flag `" + n + "`");
  }
  return bits;
}

Result<uint32_t> lower_handle(AbiCx& cx, const ComponentValue& v, const DefinedType& d) {
  CompInst* ci = cx.inst;
  ResourceRt* res = nullptr;
  for (auto& r : cx.rt->resources)
    if (r->id == v.resource) res = r.get();
  if (!res) return Error::make(ErrorKind::Usage, "a resource value of an unknown type");
  if (d.kind == DefKind::Borrow && res->owner == ci) return uint32_t(v.bits);
  Handle h;
  h.res = res;
  h.rep = uint32_t(v.bits);
  h.own = d.kind == DefKind::Own;
  h.call_id = cx.call_id;
  uint32_t idx = ci->add_handle(h);
  if (!h.own && cx.borrowed) cx.borrowed->push_back(idx);
  if (cx.rt->ledger) [[unlikely]]
    cx.rt->ledger->record(*cx.rt, h.own ? CrossingKind::HandleOwn : CrossingKind::HandleBorrow,
                          cx.peer, ci, "", res);
  return idx;
}

Status store(AbiCx& cx, const ComponentValue& v, const ValTy& t, uint64_t ptr) {
  const TypeArena& a = *cx.arena;
  Abi ab = abi_of(a, t);
  if (ptr % ab.align != 0) return trap("unaligned pointer");
  const DefinedType* d;
  PrimVal p = prim_of(a, t, &d);
  if (!d) {
    if (p == PrimVal::String) {
      TANDEM_ASSIGN(auto r, store_string_range(cx, v));
      TANDEM_TRY(store_int(cx, r.first, ptr, 4));
      return store_int(cx, r.second, ptr + 4, 4);
    }
    uint64_t bits = v.bits;
    return store_int(cx, bits, ptr, uint32_t(ab.size));
  }
  switch (d->kind) {
  case DefKind::List:
  case DefKind::Map: {
    TANDEM_ASSIGN(auto r, d->kind == DefKind::List ? store_list_range(cx, v, *d->first)
                                                   : store_map_range(cx, v, *d));
    TANDEM_TRY(store_int(cx, r.first, ptr, 4));
    return store_int(cx, r.second, ptr + 4, 4);
  }
  case DefKind::FixedList: {
    Abi ea = abi_of(a, *d->first);
    for (size_t i = 0; i < v.items.size(); ++i)
      TANDEM_TRY(store(cx, v.items[i], *d->first, ptr + i * ea.size));
    return {};
  }
  case DefKind::Record:
  case DefKind::Tuple: {
    size_t n = d->kind == DefKind::Record ? d->fields.size() : d->types.size();
    if (v.items.size() != n) return Error::make(ErrorKind::Usage, "wrong number of fields");
    for (size_t i = 0; i < n; ++i) {
      const ValTy& ft = d->kind == DefKind::Record ? d->fields[i].second : d->types[i];
      Abi fa = abi_of(a, ft);
      ptr = align_to(ptr, fa.align);
      TANDEM_TRY(store(cx, v.items[i], ft, ptr));
      ptr += fa.size;
    }
    return {};
  }
  case DefKind::Flags: {
    TANDEM_ASSIGN(uint64_t bits, flags_bits(*d, v));
    return store_int(cx, bits, ptr, flags_size(d->names.size()));
  }
  case DefKind::Own:
  case DefKind::Borrow: {
    TANDEM_ASSIGN(uint32_t h, lower_handle(cx, v, *d));
    return store_int(cx, h, ptr, 4);
  }
  default: break;
  }
  if (!is_variantish(d->kind)) return trap("unsupported value type (async or map)");
  CaseView cv = cases_of(*d);
  TANDEM_ASSIGN(uint32_t idx, case_index(cv, v));
  uint32_t ds = disc_size(cv.labels.size());
  TANDEM_TRY(store_int(cx, idx, ptr, ds));
  ptr = align_to(ptr + ds, max_case_align(a, cv));
  if (cv.types[idx]) {
    if (v.items.empty()) return Error::make(ErrorKind::Usage, "missing case payload");
    TANDEM_TRY(store(cx, v.items[0], *cv.types[idx], ptr));
  }
  return {};
}

Value make_core(ValType t, uint64_t b) {
  if (t == kI32) return Value::i32(uint32_t(b));
  if (t == kF32) return Value::f32_bits(uint32_t(b));
  if (t == kF64) return Value::f64_bits(b);
  return Value::i64(b);
}

// Converts a flat value of type `have` into the joined slot type `want`.
Value widen(const Value& v, ValType want) {
  uint64_t b = raw_bits(v);
  if (v.type() == want) return v;
  if (want == kI64 && (v.type() == kI32 || v.type() == kF32)) return Value::i64(uint32_t(b));
  return make_core(want, b);
}

Status lower_flat(AbiCx& cx, const ComponentValue& v, const ValTy& t, std::vector<Value>& out) {
  const TypeArena& a = *cx.arena;
  const DefinedType* d;
  PrimVal p = prim_of(a, t, &d);
  if (!d) {
    if (p == PrimVal::String) {
      TANDEM_ASSIGN(auto r, store_string_range(cx, v));
      out.push_back(Value::i32(r.first));
      out.push_back(Value::i32(r.second));
      return {};
    }
    ValType ct = prim_abi(p).flat.at(0);
    uint64_t b = v.bits;
    if (p == PrimVal::Bool) b = b != 0;
    out.push_back(make_core(ct, b));
    return {};
  }
  switch (d->kind) {
  case DefKind::List:
  case DefKind::Map: {
    TANDEM_ASSIGN(auto r, d->kind == DefKind::List ? store_list_range(cx, v, *d->first)
                                                   : store_map_range(cx, v, *d));
    out.push_back(Value::i32(r.first));
    out.push_back(Value::i32(r.second));
    return {};
  }
  case DefKind::FixedList:
    for (const auto& x : v.items) TANDEM_TRY(lower_flat(cx, x, *d->first, out));
    return {};
  case DefKind::Record:
  case DefKind::Tuple: {
    size_t n = d->kind == DefKind::Record ? d->fields.size() : d->types.size();
    if (v.items.size() != n) return Error::make(ErrorKind::Usage, "wrong number of fields");
    for (size_t i = 0; i < n; ++i)
      TANDEM_TRY(lower_flat(cx, v.items[i],
                            d->kind == DefKind::Record ? d->fields[i].second : d->types[i], out));
    return {};
  }
  case DefKind::Flags: {
    TANDEM_ASSIGN(uint64_t bits, flags_bits(*d, v));
    out.push_back(Value::i32(uint32_t(bits)));
    return {};
  }
  case DefKind::Own:
  case DefKind::Borrow: {
    TANDEM_ASSIGN(uint32_t h, lower_handle(cx, v, *d));
    out.push_back(Value::i32(h));
    return {};
  }
  default: break;
  }
  if (!is_variantish(d->kind)) return trap("unsupported value type (async or map)");
  CaseView cv = cases_of(*d);
  std::vector<ValType> joined;
  flatten(a, t, joined);
  TANDEM_ASSIGN(uint32_t idx, case_index(cv, v));
  out.push_back(Value::i32(idx));
  std::vector<Value> payload;
  if (cv.types[idx]) {
    if (v.items.empty()) return Error::make(ErrorKind::Usage, "missing case payload");
    TANDEM_TRY(lower_flat(cx, v.items[0], *cv.types[idx], payload));
  }
  for (size_t k = 1; k < joined.size(); ++k)
    out.push_back(k - 1 < payload.size() ? widen(payload[k - 1], joined[k])
                                         : make_core(joined[k], 0));
  return {};
}

} // namespace

std::vector<ValType> flatten_types(const TypeArena& arena, const std::vector<ValTy>& types) {
  std::vector<ValType> out;
  for (const auto& t : types) flatten(arena, t, out);
  return out;
}

Result<std::vector<ComponentValue>> lift_flat_values(AbiCx& cx, const std::vector<ValTy>& types,
                                                     std::span<const Value> flat, size_t max_flat) {
  std::vector<ComponentValue> out;
  std::vector<ValType> ft = flatten_types(*cx.arena, types);
  if (ft.size() > max_flat) {
    if (flat.empty()) return trap("missing spilled pointer");
    uint64_t ptr = uint32_t(raw_bits(flat[0]));
    uint64_t align = 1;
    for (const auto& t : types) align = std::max(align, abi_of(*cx.arena, t).align);
    if (ptr % align != 0) return trap("unaligned pointer");
    for (const auto& t : types) {
      Abi ab = abi_of(*cx.arena, t);
      ptr = align_to(ptr, ab.align);
      TANDEM_ASSIGN(ComponentValue v, load(cx, ptr, t));
      out.push_back(std::move(v));
      ptr += ab.size;
    }
    return out;
  }
  FlatReader r{flat, 0};
  for (const auto& t : types) {
    TANDEM_ASSIGN(ComponentValue v, lift_flat(cx, r, t));
    out.push_back(std::move(v));
  }
  return out;
}

Status store_values_at(AbiCx& cx, const std::vector<ValTy>& types,
                       const std::vector<ComponentValue>& values, uint32_t at) {
  uint64_t ptr = at;
  for (size_t i = 0; i < types.size(); ++i) {
    Abi ab = abi_of(*cx.arena, types[i]);
    ptr = align_to(ptr, ab.align);
    TANDEM_TRY(store(cx, values[i], types[i], ptr));
    ptr += ab.size;
  }
  return {};
}

Result<std::vector<Value>> lower_flat_values(AbiCx& cx, const std::vector<ValTy>& types,
                                             const std::vector<ComponentValue>& values,
                                             size_t max_flat, std::optional<uint32_t> retptr) {
  if (values.size() != types.size())
    return Error::make(ErrorKind::Usage, "expected " + std::to_string(types.size()) +
                                             " values, got " + std::to_string(values.size()));
  std::vector<ValType> ft = flatten_types(*cx.arena, types);
  std::vector<Value> out;
  if (ft.size() > max_flat) {
    uint64_t size = 0, align = 1;
    for (const auto& t : types) {
      Abi ab = abi_of(*cx.arena, t);
      size = align_to(size, ab.align) + ab.size;
      align = std::max(align, ab.align);
    }
    uint32_t ptr;
    if (retptr) {
      ptr = *retptr;
      if (ptr % align != 0) return trap("unaligned pointer");
      TANDEM_ASSIGN(std::span<uint8_t> m, Mem{cx}.bytes());
      if (ptr + align_to(size, align) > m.size()) return trap("pointer out of bounds of memory");
    } else {
      TANDEM_ASSIGN(ptr, realloc_call(cx, 0, 0, uint32_t(align), uint32_t(align_to(size, align))));
    }
    TANDEM_TRY(store_values_at(cx, types, values, ptr));
    if (!retptr) out.push_back(Value::i32(ptr));
    return out;
  }
  for (size_t i = 0; i < types.size(); ++i) TANDEM_TRY(lower_flat(cx, values[i], types[i], out));
  return out;
}

namespace {

// Walks a host-made value along its type (recursion bounded by the type's
// validated depth): strings become in-flight UTF-8, handles without a runtime
// resource get the one `env` maps the declared resource to.
Status normalize_host_value(const TypeArena& a, const CompInst* env, const ValTy& t,
                            ComponentValue& v) {
  const DefinedType* d;
  PrimVal p = prim_of(a, t, &d);
  if (!d) {
    if (p == PrimVal::String) {
      if (v.kind != K::String) return Error::make(ErrorKind::Usage, "expected a string");
      v.bits = v.text.size();
      v.resource = uint32_t(StringEncoding::Utf8);
    }
    return {};
  }
  switch (d->kind) {
  case DefKind::List:
  case DefKind::FixedList:
    for (auto& i : v.items) TANDEM_TRY(normalize_host_value(a, env, *d->first, i));
    return {};
  case DefKind::Map:
    for (auto& i : v.items) {
      if (i.items.size() != 2) return Error::make(ErrorKind::Usage, "expected a map entry");
      TANDEM_TRY(normalize_host_value(a, env, *d->first, i.items[0]));
      TANDEM_TRY(normalize_host_value(a, env, *d->second, i.items[1]));
    }
    return {};
  case DefKind::Record:
  case DefKind::Tuple: {
    size_t n = d->kind == DefKind::Record ? d->fields.size() : d->types.size();
    if (v.items.size() != n) return Error::make(ErrorKind::Usage, "wrong number of fields");
    for (size_t i = 0; i < n; ++i)
      TANDEM_TRY(normalize_host_value(
          a, env, d->kind == DefKind::Record ? d->fields[i].second : d->types[i], v.items[i]));
    return {};
  }
  case DefKind::Own:
  case DefKind::Borrow: {
    if (v.kind != K::Own && v.kind != K::Borrow)
      return Error::make(ErrorKind::Usage, "expected a resource handle");
    v.kind = d->kind == DefKind::Own ? K::Own : K::Borrow;
    if (v.resource == 0 && env) {
      auto it = env->resources.find(d->resource.id);
      if (it == env->resources.end() || !it->second)
        return Error::make(ErrorKind::Usage, "a handle of a resource the importer does not know");
      v.resource = it->second->id;
    }
    return {};
  }
  default: break;
  }
  if (!is_variantish(d->kind)) return {};
  CaseView cv = cases_of(*d);
  TANDEM_ASSIGN(uint32_t idx, case_index(cv, v));
  v.bits = idx;
  if (v.text.empty()) v.text = cv.labels[idx];
  if (cv.types[idx]) {
    if (v.items.empty()) return Error::make(ErrorKind::Usage, "missing case payload");
    TANDEM_TRY(normalize_host_value(a, env, *cv.types[idx], v.items[0]));
  }
  return {};
}

} // namespace

Status normalize_host_values(const TypeArena& arena, const CompInst* env,
                             const std::vector<ValTy>& types, std::vector<ComponentValue>& values) {
  if (values.size() != types.size())
    return Error::make(ErrorKind::Usage, "expected " + std::to_string(types.size()) +
                                             " values, got " + std::to_string(values.size()));
  for (size_t i = 0; i < types.size(); ++i)
    TANDEM_TRY(normalize_host_value(arena, env, types[i], values[i]));
  return {};
}

} // namespace tandem::component
