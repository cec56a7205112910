// NaN classes, v128 lanes and value spelling (see value_format.h).
#include "value_format.h"

#include "wasm/numerics.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

using tandem::wast::lane_bytes;
using tandem::wast::lane_count;
using tandem::wast::lane_shape_name;

namespace tandem::harness {

bool f32_matches(uint32_t actual, uint32_t expected, NanPattern nan) {
  switch (nan) {
  case NanPattern::None: return actual == expected;
  case NanPattern::Canonical: return num::is_canonical_nan_bits<float>(actual);
  case NanPattern::Arithmetic: return num::is_arithmetic_nan_bits<float>(actual);
  }
  return false;
}

bool f64_matches(uint64_t actual, uint64_t expected, NanPattern nan) {
  switch (nan) {
  case NanPattern::None: return actual == expected;
  case NanPattern::Canonical: return num::is_canonical_nan_bits<double>(actual);
  case NanPattern::Arithmetic: return num::is_arithmetic_nan_bits<double>(actual);
  }
  return false;
}

bool lane_is_float(LaneShape s) {
  return s == LaneShape::F32x4 || s == LaneShape::F64x2;
}

uint64_t v128_lane(const V128& v, LaneShape shape, uint32_t i) {
  uint32_t n = lane_bytes(shape);
  uint64_t out = 0;
  for (uint32_t b = 0; b < n; ++b) out |= uint64_t(v.bytes[i * n + b]) << (8 * b);
  return out;
}

std::string format_f32(uint32_t bits) {
  char buf[64];
  const char* sign = (bits >> 31) ? "-" : "";
  if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x7fffffu)) {
    std::snprintf(buf, sizeof buf, "%snan:0x%" PRIx32, sign, bits & 0x7fffffu);
  } else {
    float f;
    std::memcpy(&f, &bits, 4);
    std::snprintf(buf, sizeof buf, "%.9g", double(f));
  }
  return buf;
}

std::string format_f64(uint64_t bits) {
  char buf[64];
  const char* sign = (bits >> 63) ? "-" : "";
  if ((bits & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (bits & 0xfffffffffffffull)) {
    std::snprintf(buf, sizeof buf, "%snan:0x%" PRIx64, sign, uint64_t(bits & 0xfffffffffffffull));
  } else {
    double d;
    std::memcpy(&d, &bits, 8);
    std::snprintf(buf, sizeof buf, "%.17g", d);
  }
  return buf;
}

std::string format_v128(const V128& v, LaneShape shape) {
  std::string out = std::string("(v128.const ") + lane_shape_name(shape);
  for (uint32_t i = 0; i < lane_count(shape); ++i) {
    uint64_t lane = v128_lane(v, shape, i);
    out += ' ';
    switch (shape) {
    case LaneShape::F32x4: out += format_f32(uint32_t(lane)); break;
    case LaneShape::F64x2: out += format_f64(lane); break;
    case LaneShape::I8x16: out += std::to_string(int8_t(lane)); break;
    case LaneShape::I16x8: out += std::to_string(int16_t(lane)); break;
    case LaneShape::I32x4: out += std::to_string(int32_t(lane)); break;
    case LaneShape::I64x2: out += std::to_string(int64_t(lane)); break;
    }
  }
  return out + ")";
}

namespace {
const char* heap_name(AbsHeap h) {
  switch (h) {
  case AbsHeap::Func: return "func";
  case AbsHeap::Extern: return "extern";
  case AbsHeap::Exn: return "exn";
  default: return "any";
  }
}
} // namespace

std::string format_ref(const RefDescription& r) {
  switch (r.kind) {
  case RefKind::Null: return std::string("(ref.null ") + heap_name(r.hierarchy) + ")";
  case RefKind::Func: return "(ref.func)";
  case RefKind::Extern:
    return r.host_id ? "(ref.extern " + std::to_string(*r.host_id) + ")" : "(ref.extern)";
  case RefKind::HostAny:
    return r.host_id ? "(ref.host " + std::to_string(*r.host_id) + ")" : "(ref.host)";
  case RefKind::I31: return "(ref.i31)";
  case RefKind::Struct: return "(ref.struct)";
  case RefKind::Array: return "(ref.array)";
  case RefKind::Exn: return "(ref.exn)";
  case RefKind::Other: return std::string("(ref ") + heap_name(r.hierarchy) + ")";
  }
  return "(ref)";
}

std::string format_scalar(const Value& v, LaneShape shape) {
  switch (v.type().kind()) {
  case ValKind::I32: return "(i32.const " + std::to_string(int32_t(v.i32())) + ")";
  case ValKind::I64: return "(i64.const " + std::to_string(int64_t(v.i64())) + ")";
  case ValKind::F32: return "(f32.const " + format_f32(v.f32_bits()) + ")";
  case ValKind::F64: return "(f64.const " + format_f64(v.f64_bits()) + ")";
  case ValKind::V128: return format_v128(v.v128(), shape);
  case ValKind::Ref: return "(ref)";
  case ValKind::Bot: return "(bot)";
  }
  return "?";
}

} // namespace tandem::harness
