// Result-pattern matching and spelling (see value_match.h).
#include "value_match.h"

#include "value_format.h"

namespace tandem::harness {
namespace {

using PK = wast::ResultPattern::Kind;

V128 to_v128(const std::array<uint8_t, 16>& bytes) {
  V128 v;
  for (int i = 0; i < 16; ++i) v.bytes[i] = bytes[i];
  return v;
}

bool matches_v128(const wast::ResultPattern& p, const V128& actual) {
  V128 expected = to_v128(p.v128);
  for (uint32_t i = 0; i < wast::lane_count(p.shape); ++i) {
    uint64_t a = v128_lane(actual, p.shape, i);
    uint64_t e = v128_lane(expected, p.shape, i);
    NanPattern nan = p.lane_nan[i];
    switch (p.shape) {
    case LaneShape::F32x4:
      if (!f32_matches(uint32_t(a), uint32_t(e), nan)) return false;
      break;
    case LaneShape::F64x2:
      if (!f64_matches(a, e, nan)) return false;
      break;
    default:
      if (a != e) return false;
    }
  }
  return true;
}

bool in_any_hierarchy(const RefDescription& d) {
  switch (d.kind) {
  case RefKind::HostAny:
  case RefKind::I31:
  case RefKind::Struct:
  case RefKind::Array: return true;
  case RefKind::Other: return d.hierarchy == AbsHeap::Any;
  default: return false;
  }
}

bool matches_ref(const wast::ResultPattern& p, const RefDescription& d) {
  switch (p.kind) {
  case PK::RefNull: return d.kind == RefKind::Null; // heap type ignored (reference interpreter)
  case PK::RefExtern:
    if (!p.has_host_id) return true; // bare ref.extern: any reference, null included
    return d.kind == RefKind::Extern && d.host_id && *d.host_id == p.host_id;
  case PK::RefHost: return d.kind == RefKind::HostAny && d.host_id && *d.host_id == p.host_id;
  case PK::RefFunc: return d.kind == RefKind::Func;
  case PK::RefStruct: return d.kind == RefKind::Struct;
  case PK::RefArray: return d.kind == RefKind::Array;
  case PK::RefI31:
  case PK::RefI31Shared: return d.kind == RefKind::I31;
  case PK::RefEq:
    return d.kind == RefKind::I31 || d.kind == RefKind::Struct || d.kind == RefKind::Array;
  case PK::RefAny: return in_any_hierarchy(d);
  case PK::RefExn: return d.kind == RefKind::Exn;
  case PK::Ref: return d.kind != RefKind::Func;
  default: return false;
  }
}

std::string nan_or(NanPattern nan, const std::string& literal) {
  switch (nan) {
  case NanPattern::Canonical: return "nan:canonical";
  case NanPattern::Arithmetic: return "nan:arithmetic";
  case NanPattern::None: break;
  }
  return literal;
}

// The v128 shape to show a value in: the pattern's, or the first v128
// alternative of an `either`.
LaneShape shape_for(const wast::ResultPattern* p) {
  if (!p) return LaneShape::I32x4;
  if (p->kind == PK::V128) return p->shape;
  if (p->kind == PK::Either)
    for (const auto& alt : p->alternatives)
      if (alt.kind == PK::V128) return alt.shape;
  return LaneShape::I32x4;
}

} // namespace

bool matches_pattern(const wast::ResultPattern& p, const Value& v, const RefDescriber& describe) {
  ValKind k = v.type().kind();
  switch (p.kind) {
  case PK::I32: return k == ValKind::I32 && v.i32() == uint32_t(p.bits);
  case PK::I64: return k == ValKind::I64 && v.i64() == p.bits;
  case PK::F32: return k == ValKind::F32 && f32_matches(v.f32_bits(), uint32_t(p.bits), p.nan);
  case PK::F64: return k == ValKind::F64 && f64_matches(v.f64_bits(), p.bits, p.nan);
  case PK::V128: return k == ValKind::V128 && matches_v128(p, v.v128());
  case PK::Either:
    for (const auto& alt : p.alternatives)
      if (matches_pattern(alt, v, describe)) return true;
    return false;
  default:
    if (k != ValKind::Ref) return false;
    return matches_ref(p, describe(v));
  }
}

bool matches_results(std::span<const wast::ResultPattern> patterns, std::span<const Value> values,
                     const RefDescriber& describe) {
  if (patterns.size() != values.size()) return false;
  for (size_t i = 0; i < patterns.size(); ++i)
    if (!matches_pattern(patterns[i], values[i], describe)) return false;
  return true;
}

std::string format_pattern(const wast::ResultPattern& p) {
  switch (p.kind) {
  case PK::I32: return "(i32.const " + std::to_string(int32_t(uint32_t(p.bits))) + ")";
  case PK::I64: return "(i64.const " + std::to_string(int64_t(p.bits)) + ")";
  case PK::F32: return "(f32.const " + nan_or(p.nan, format_f32(uint32_t(p.bits))) + ")";
  case PK::F64: return "(f64.const " + nan_or(p.nan, format_f64(p.bits)) + ")";
  case PK::V128: {
    V128 v = to_v128(p.v128);
    std::string out = std::string("(v128.const ") + wast::lane_shape_name(p.shape);
    for (uint32_t i = 0; i < wast::lane_count(p.shape); ++i) {
      uint64_t lane = v128_lane(v, p.shape, i);
      out += ' ';
      switch (p.shape) {
      case LaneShape::F32x4: out += nan_or(p.lane_nan[i], format_f32(uint32_t(lane))); break;
      case LaneShape::F64x2: out += nan_or(p.lane_nan[i], format_f64(lane)); break;
      case LaneShape::I8x16: out += std::to_string(int8_t(lane)); break;
      case LaneShape::I16x8: out += std::to_string(int16_t(lane)); break;
      case LaneShape::I32x4: out += std::to_string(int32_t(lane)); break;
      case LaneShape::I64x2: out += std::to_string(int64_t(lane)); break;
      }
    }
    return out + ")";
  }
  case PK::RefNull:
    if (!p.has_heap) return "(ref.null)";
    if (p.heap.is_abstract()) return std::string("(ref.null ") + abs_heap_name(p.heap.abs()) + ")";
    return "(ref.null " + std::to_string(p.heap.type_index()) + ")";
  case PK::RefExtern:
    return p.has_host_id ? "(ref.extern " + std::to_string(p.host_id) + ")" : "(ref.extern)";
  case PK::RefHost: return "(ref.host " + std::to_string(p.host_id) + ")";
  case PK::RefFunc: return p.func_index ? "(ref.func " + *p.func_index + ")" : "(ref.func)";
  case PK::RefStruct: return "(ref.struct)";
  case PK::RefArray: return "(ref.array)";
  case PK::RefEq: return "(ref.eq)";
  case PK::RefI31: return "(ref.i31)";
  case PK::RefI31Shared: return "(ref.i31_shared)";
  case PK::RefAny: return "(ref.any)";
  case PK::RefExn: return "(ref.exn)";
  case PK::Ref: return "(ref)";
  case PK::Either: {
    std::string out = "(either";
    for (const auto& alt : p.alternatives) out += " " + format_pattern(alt);
    return out + ")";
  }
  }
  return "?";
}

std::string format_patterns(std::span<const wast::ResultPattern> patterns) {
  if (patterns.empty()) return "no results";
  std::string out;
  for (const auto& p : patterns) out += (out.empty() ? "" : " ") + format_pattern(p);
  return out;
}

std::string format_values(std::span<const Value> values,
                          std::span<const wast::ResultPattern> patterns,
                          const RefDescriber& describe) {
  if (values.empty()) return "no results";
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    const Value& v = values[i];
    if (!out.empty()) out += ' ';
    if (v.type().is_ref())
      out += format_ref(describe(v));
    else
      out += format_scalar(v, shape_for(i < patterns.size() ? &patterns[i] : nullptr));
  }
  return out;
}

} // namespace tandem::harness
