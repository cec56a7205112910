// Script values: core arguments, core result patterns and component values.
// Everything is stored as bits (see script.h). Nested forms (`either`,
// component lists/records/...) recurse with a depth limit.
#include "wast/values.h"

#include "wast/numbers.h"
#include "wast/strings.h"

#include <cstring>

namespace tandem::wast::detail {
namespace {

Location loc_of(const Token& t) {
  return Location{t.pos.line, t.pos.column};
}

std::optional<LaneShape> lane_shape_from(std::string_view s) {
  if (s == "i8x16") return LaneShape::I8x16;
  if (s == "i16x8") return LaneShape::I16x8;
  if (s == "i32x4") return LaneShape::I32x4;
  if (s == "i64x2") return LaneShape::I64x2;
  if (s == "f32x4") return LaneShape::F32x4;
  if (s == "f64x2") return LaneShape::F64x2;
  return std::nullopt;
}

std::optional<AbsHeap> abs_heap_from(std::string_view s) {
  static constexpr std::pair<std::string_view, AbsHeap> kNames[] = {
      {"func", AbsHeap::Func},     {"extern", AbsHeap::Extern}, {"any", AbsHeap::Any},
      {"none", AbsHeap::None},     {"nofunc", AbsHeap::NoFunc}, {"noextern", AbsHeap::NoExtern},
      {"exn", AbsHeap::Exn},       {"noexn", AbsHeap::NoExn},   {"eq", AbsHeap::Eq},
      {"struct", AbsHeap::Struct}, {"array", AbsHeap::Array},   {"i31", AbsHeap::I31},
  };
  for (auto& [name, heap] : kNames)
    if (s == name) return heap;
  return std::nullopt;
}

// `heaptype` after ref.null: an abstract heap type keyword or a type index.
Result<HeapType> parse_heap_type(ScriptCursor& c) {
  const Token& t = c.next();
  if (t.kind == TokKind::Keyword) {
    if (auto h = abs_heap_from(t.text)) return HeapType::abstract(*h);
    return error_at(t, "unknown heap type '" + std::string(t.text) + "'");
  }
  if (t.kind == TokKind::Nat) {
    TANDEM_ASSIGN(uint64_t idx, parse_uint(t, 32));
    if (idx > HeapType::kIndexMask) return error_at(t, "type index out of range");
    return HeapType::index(static_cast<uint32_t>(idx));
  }
  return ScriptCursor::unexpected(t);
}

void store_le(std::array<uint8_t, 16>& bytes, unsigned offset, unsigned size, uint64_t v) {
  for (unsigned i = 0; i < size; ++i) bytes[offset + i] = static_cast<uint8_t>(v >> (8 * i));
}

// After `v128.const`: shape and lanes. With `lane_nan` non-null, float lanes may
// be nan:canonical / nan:arithmetic.
Status parse_v128(ScriptCursor& c, LaneShape& shape, std::array<uint8_t, 16>& bytes,
                  std::array<NanPattern, 16>* lane_nan) {
  const Token& st = c.next();
  auto s = st.kind == TokKind::Keyword ? lane_shape_from(st.text) : std::nullopt;
  if (!s) return error_at(st, "invalid lane shape");
  shape = *s;
  unsigned n = lane_count(shape), size = lane_bytes(shape);
  bool is_float = shape == LaneShape::F32x4 || shape == LaneShape::F64x2;
  for (unsigned lane = 0; lane < n; ++lane) {
    const Token& t = c.peek();
    if (t.kind == TokKind::RParen || t.kind == TokKind::Eof)
      return error_at(t, "wrong number of lane literals");
    c.next();
    if (is_float && lane_nan && t.kind == TokKind::Keyword &&
        (t.text == "nan:canonical" || t.text == "nan:arithmetic")) {
      (*lane_nan)[lane] =
          t.text == "nan:canonical" ? NanPattern::Canonical : NanPattern::Arithmetic;
      continue;
    }
    uint64_t v = 0;
    if (shape == LaneShape::F32x4) {
      TANDEM_ASSIGN(v, parse_f32_bits(t));
    } else if (shape == LaneShape::F64x2) {
      TANDEM_ASSIGN(v, parse_f64_bits(t));
    } else {
      TANDEM_ASSIGN(v, parse_int(t, size * 8));
    }
    store_le(bytes, lane * size, size, v);
  }
  if (!c.at(TokKind::RParen)) return error_at(c.peek(), "wrong number of lane literals");
  return {};
}

bool is_core_arg_keyword(std::string_view kw) {
  return kw == "i32.const" || kw == "i64.const" || kw == "f32.const" || kw == "f64.const" ||
         kw == "v128.const" || kw == "ref.null" || kw == "ref.extern" || kw == "ref.host";
}

bool is_core_result_keyword(std::string_view kw) {
  return is_core_arg_keyword(kw) || kw == "ref.func" || kw == "ref.struct" || kw == "ref.array" ||
         kw == "ref.eq" || kw == "ref.i31" || kw == "ref.i31_shared" || kw == "ref.any" ||
         kw == "ref.exn" || kw == "ref" || kw == "either";
}

// At `(kw`: consumes `(` and the keyword, returns the keyword token.
Result<const Token*> open_form(ScriptCursor& c) {
  TANDEM_TRY(c.expect(TokKind::LParen));
  const Token& kw = c.next();
  if (kw.kind != TokKind::Keyword) return ScriptCursor::unexpected(kw);
  return &kw;
}

Result<CoreValue> parse_core_arg(ScriptCursor& c) {
  const Token& open = c.peek();
  TANDEM_ASSIGN(const Token* kwp, open_form(c));
  std::string_view kw = kwp->text;
  CoreValue v;
  v.loc = loc_of(open);
  if (kw == "i32.const" || kw == "i64.const") {
    v.kind = kw == "i32.const" ? CoreValue::Kind::I32 : CoreValue::Kind::I64;
    TANDEM_ASSIGN(v.bits, parse_int(c.next(), kw == "i32.const" ? 32 : 64));
  } else if (kw == "f32.const") {
    v.kind = CoreValue::Kind::F32;
    TANDEM_ASSIGN(v.bits, parse_f32_bits(c.next()));
  } else if (kw == "f64.const") {
    v.kind = CoreValue::Kind::F64;
    TANDEM_ASSIGN(v.bits, parse_f64_bits(c.next()));
  } else if (kw == "v128.const") {
    v.kind = CoreValue::Kind::V128;
    TANDEM_TRY(parse_v128(c, v.shape, v.v128, nullptr));
  } else if (kw == "ref.null") {
    v.kind = CoreValue::Kind::RefNull;
    TANDEM_ASSIGN(v.heap, parse_heap_type(c));
  } else if (kw == "ref.extern" || kw == "ref.host") {
    v.kind = kw == "ref.extern" ? CoreValue::Kind::RefExtern : CoreValue::Kind::RefHost;
    TANDEM_ASSIGN(v.bits, parse_uint(c.next(), 32));
  } else {
    return error_at(*kwp, "unknown argument form '" + std::string(kw) + "'");
  }
  TANDEM_TRY(c.expect(TokKind::RParen));
  return v;
}

Result<ResultPattern> parse_core_result(ScriptCursor& c, unsigned depth) {
  const Token& open = c.peek();
  if (depth > kMaxValueDepth) return error_at(open, "nesting too deep");
  TANDEM_ASSIGN(const Token* kwp, open_form(c));
  std::string_view kw = kwp->text;
  using K = ResultPattern::Kind;
  ResultPattern r;
  r.loc = loc_of(open);
  auto float_pattern = [&](bool is32) -> Status {
    const Token& t = c.next();
    if (t.is_keyword("nan:canonical")) {
      r.nan = NanPattern::Canonical;
    } else if (t.is_keyword("nan:arithmetic")) {
      r.nan = NanPattern::Arithmetic;
    } else if (is32) {
      TANDEM_ASSIGN(r.bits, parse_f32_bits(t));
    } else {
      TANDEM_ASSIGN(r.bits, parse_f64_bits(t));
    }
    return {};
  };
  if (kw == "i32.const" || kw == "i64.const") {
    r.kind = kw == "i32.const" ? K::I32 : K::I64;
    TANDEM_ASSIGN(r.bits, parse_int(c.next(), kw == "i32.const" ? 32 : 64));
  } else if (kw == "f32.const") {
    r.kind = K::F32;
    TANDEM_TRY(float_pattern(true));
  } else if (kw == "f64.const") {
    r.kind = K::F64;
    TANDEM_TRY(float_pattern(false));
  } else if (kw == "v128.const") {
    r.kind = K::V128;
    TANDEM_TRY(parse_v128(c, r.shape, r.v128, &r.lane_nan));
  } else if (kw == "ref.null") {
    r.kind = K::RefNull;
    if (!c.at(TokKind::RParen)) {
      r.has_heap = true;
      TANDEM_ASSIGN(r.heap, parse_heap_type(c));
    }
  } else if (kw == "ref.extern" || kw == "ref.host") {
    r.kind = kw == "ref.extern" ? K::RefExtern : K::RefHost;
    if (kw == "ref.host" || !c.at(TokKind::RParen)) {
      TANDEM_ASSIGN(uint64_t id, parse_uint(c.next(), 32));
      r.has_host_id = true;
      r.host_id = static_cast<uint32_t>(id);
    }
  } else if (kw == "ref.func") {
    r.kind = K::RefFunc;
    if (c.at(TokKind::Id) || c.at(TokKind::Nat)) r.func_index = std::string(c.next().text);
  } else if (kw == "either") {
    r.kind = K::Either;
    while (!c.at(TokKind::RParen)) {
      if (!c.at(TokKind::LParen)) return ScriptCursor::unexpected(c.peek());
      TANDEM_ASSIGN(ResultPattern alt, parse_core_result(c, depth + 1));
      r.alternatives.push_back(std::move(alt));
    }
    if (r.alternatives.empty()) return error_at(c.peek(), "either needs at least one result");
  } else if (kw == "ref.struct") {
    r.kind = K::RefStruct;
  } else if (kw == "ref.array") {
    r.kind = K::RefArray;
  } else if (kw == "ref.eq") {
    r.kind = K::RefEq;
  } else if (kw == "ref.i31") {
    r.kind = K::RefI31;
  } else if (kw == "ref.i31_shared") {
    r.kind = K::RefI31Shared;
  } else if (kw == "ref.any") {
    r.kind = K::RefAny;
  } else if (kw == "ref.exn") {
    r.kind = K::RefExn;
  } else if (kw == "ref") {
    r.kind = K::Ref;
  } else {
    return error_at(*kwp, "unknown result form '" + std::string(kw) + "'");
  }
  TANDEM_TRY(c.expect(TokKind::RParen));
  return r;
}

struct IntForm {
  std::string_view keyword;
  CompValue::Kind kind;
  unsigned bits;
  bool is_signed;
};
constexpr IntForm kIntForms[] = {
    {"u8.const", CompValue::Kind::U8, 8, false},    {"s8.const", CompValue::Kind::S8, 8, true},
    {"u16.const", CompValue::Kind::U16, 16, false}, {"s16.const", CompValue::Kind::S16, 16, true},
    {"u32.const", CompValue::Kind::U32, 32, false}, {"s32.const", CompValue::Kind::S32, 32, true},
    {"u64.const", CompValue::Kind::U64, 64, false}, {"s64.const", CompValue::Kind::S64, 64, true},
};

Result<std::string> expect_name(ScriptCursor& c) {
  const Token& t = c.next();
  if (t.kind != TokKind::String) return ScriptCursor::unexpected(t);
  return decode_name(t);
}

Result<CompValue> parse_comp_payload(ScriptCursor& c, unsigned depth);
Result<CompValue> parse_comp_value(ScriptCursor& c, unsigned depth);

// The part of a component value after its keyword `kw` (up to, not
// including, the closing paren of its form).
Result<CompValue> parse_comp_body(ScriptCursor& c, unsigned depth, const Token& kwt, Location loc) {
  if (depth > kMaxValueDepth) return error_at(kwt, "nesting too deep");
  std::string_view kw = kwt.text;
  using K = CompValue::Kind;
  CompValue v;
  v.loc = loc;
  auto optional_payload = [&]() -> Status {
    if (c.at(TokKind::RParen)) return {};
    TANDEM_ASSIGN(CompValue p, parse_comp_payload(c, depth + 1));
    v.items.push_back(std::move(p));
    return {};
  };
  bool handled = false;
  for (const IntForm& f : kIntForms) {
    if (kw != f.keyword) continue;
    handled = true;
    v.kind = f.kind;
    const Token& t = c.next();
    if (f.is_signed) {
      TANDEM_ASSIGN(int64_t s, parse_sint(t, f.bits));
      v.bits = static_cast<uint64_t>(s);
    } else if (t.kind == TokKind::Int && t.text[0] == '+') {
      auto u = parse_uint(t.text.substr(1), f.bits);
      if (!u.ok()) return error_at(t, u.error().message);
      v.bits = *u;
    } else {
      TANDEM_ASSIGN(v.bits, parse_uint(t, f.bits));
    }
  }
  if (handled) {
    // done
  } else if (kw == "bool.const") {
    v.kind = K::Bool;
    const Token& t = c.next();
    if (t.is_keyword("true"))
      v.bits = 1;
    else if (t.is_keyword("false"))
      v.bits = 0;
    else
      return ScriptCursor::unexpected(t);
  } else if (kw == "f32.const") {
    v.kind = K::F32;
    TANDEM_ASSIGN(v.bits, parse_f32_bits(c.next()));
  } else if (kw == "f64.const") {
    v.kind = K::F64;
    TANDEM_ASSIGN(v.bits, parse_f64_bits(c.next()));
  } else if (kw == "char.const") {
    v.kind = K::Char;
    const Token& t = c.peek();
    TANDEM_ASSIGN(std::string s, expect_name(c));
    if (s.empty() || utf8_sequence_length(s, 0) != s.size())
      return error_at(t, "char.const needs exactly one Unicode scalar value");
    uint32_t cp = static_cast<uint8_t>(s[0]);
    if (s.size() > 1) {
      cp &= 0x7fu >> s.size();
      for (size_t i = 1; i < s.size(); ++i) cp = (cp << 6) | (static_cast<uint8_t>(s[i]) & 0x3f);
    }
    v.bits = cp;
  } else if (kw == "str.const") {
    v.kind = K::String;
    TANDEM_ASSIGN(v.text, expect_name(c));
  } else if (kw == "list.const" || kw == "tuple.const") {
    v.kind = kw == "list.const" ? K::List : K::Tuple;
    while (!c.at(TokKind::RParen)) {
      TANDEM_ASSIGN(CompValue item, parse_comp_value(c, depth + 1));
      v.items.push_back(std::move(item));
    }
  } else if (kw == "record.const") {
    v.kind = K::Record;
    while (!c.at(TokKind::RParen)) {
      TANDEM_TRY(c.expect(TokKind::LParen));
      TANDEM_TRY(c.expect_keyword("field"));
      TANDEM_ASSIGN(std::string name, expect_name(c));
      TANDEM_ASSIGN(CompValue item, parse_comp_payload(c, depth + 1));
      TANDEM_TRY(c.expect(TokKind::RParen));
      v.names.push_back(std::move(name));
      v.items.push_back(std::move(item));
    }
  } else if (kw == "variant.const") {
    v.kind = K::Variant;
    TANDEM_ASSIGN(v.text, expect_name(c));
    TANDEM_TRY(optional_payload());
  } else if (kw == "enum.const") {
    v.kind = K::Enum;
    TANDEM_ASSIGN(v.text, expect_name(c));
  } else if (kw == "option.none") {
    v.kind = K::OptionNone;
  } else if (kw == "option.some") {
    v.kind = K::OptionSome;
    TANDEM_ASSIGN(CompValue p, parse_comp_payload(c, depth + 1));
    v.items.push_back(std::move(p));
  } else if (kw == "result.ok" || kw == "result.err") {
    v.kind = kw == "result.ok" ? K::ResultOk : K::ResultErr;
    TANDEM_TRY(optional_payload());
  } else if (kw == "flags.const") {
    v.kind = K::Flags;
    while (!c.at(TokKind::RParen)) {
      TANDEM_ASSIGN(std::string name, expect_name(c));
      v.names.push_back(std::move(name));
    }
  } else {
    return error_at(kwt, "unknown value form '" + std::string(kw) + "'");
  }
  return v;
}

// A nested value: `(kw ...)`, or the wast crate's unparenthesized `kw ...`
// (used for record fields: `(field "a" u32.const 1)`).
Result<CompValue> parse_comp_payload(ScriptCursor& c, unsigned depth) {
  if (c.at(TokKind::LParen)) return parse_comp_value(c, depth);
  const Token& kw = c.next();
  if (kw.kind != TokKind::Keyword) return ScriptCursor::unexpected(kw);
  return parse_comp_body(c, depth, kw, loc_of(kw));
}

// At `(`: a parenthesized component value.
Result<CompValue> parse_comp_value(ScriptCursor& c, unsigned depth) {
  const Token& open = c.peek();
  if (depth > kMaxValueDepth) return error_at(open, "nesting too deep");
  TANDEM_ASSIGN(const Token* kwp, open_form(c));
  TANDEM_ASSIGN(CompValue v, parse_comp_body(c, depth, *kwp, loc_of(open)));
  TANDEM_TRY(c.expect(TokKind::RParen));
  return v;
}

} // namespace

Result<Arg> parse_arg(ScriptCursor& c) {
  if (!c.at(TokKind::LParen)) return ScriptCursor::unexpected(c.peek());
  const Token& kw = c.peek2();
  if (kw.kind == TokKind::Keyword && is_core_arg_keyword(kw.text)) {
    TANDEM_ASSIGN(CoreValue v, parse_core_arg(c));
    return Arg(std::move(v));
  }
  TANDEM_ASSIGN(CompValue v, parse_comp_value(c, 0));
  return Arg(std::move(v));
}

Result<Expected> parse_expected(ScriptCursor& c) {
  if (!c.at(TokKind::LParen)) return ScriptCursor::unexpected(c.peek());
  const Token& kw = c.peek2();
  if (kw.kind == TokKind::Keyword && is_core_result_keyword(kw.text)) {
    TANDEM_ASSIGN(ResultPattern r, parse_core_result(c, 0));
    return Expected(std::move(r));
  }
  TANDEM_ASSIGN(CompValue v, parse_comp_value(c, 0));
  return Expected(std::move(v));
}

} // namespace tandem::wast::detail

namespace tandem::wast {

unsigned lane_count(LaneShape s) {
  switch (s) {
  case LaneShape::I8x16: return 16;
  case LaneShape::I16x8: return 8;
  case LaneShape::I32x4:
  case LaneShape::F32x4: return 4;
  case LaneShape::I64x2:
  case LaneShape::F64x2: return 2;
  }
  return 0;
}

unsigned lane_bytes(LaneShape s) {
  return 16 / lane_count(s);
}

const char* lane_shape_name(LaneShape s) {
  switch (s) {
  case LaneShape::I8x16: return "i8x16";
  case LaneShape::I16x8: return "i16x8";
  case LaneShape::I32x4: return "i32x4";
  case LaneShape::I64x2: return "i64x2";
  case LaneShape::F32x4: return "f32x4";
  case LaneShape::F64x2: return "f64x2";
  }
  return "?";
}

} // namespace tandem::wast
