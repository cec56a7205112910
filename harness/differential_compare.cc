// The differential agreement rule (see differential_compare.h).
#include "differential_compare.h"

#include "value_format.h"
#include "wasm/numerics.h"

#include <algorithm>

namespace tandem::harness {
namespace {

using wast::LaneShape;
using wast::NanPattern;

enum class NanClass : uint8_t { NotNan, Canonical, Arithmetic, Signalling };

template <typename F> NanClass nan_class(num::FloatBits<F> b) {
  if (!num::is_nan_bits<F>(b)) return NanClass::NotNan;
  if (num::is_canonical_nan_bits<F>(b)) return NanClass::Canonical;
  return num::is_arithmetic_nan_bits<F>(b) ? NanClass::Arithmetic : NanClass::Signalling;
}

template <typename F> bool float_agree(num::FloatBits<F> a, num::FloatBits<F> b) {
  if (a == b) return true;
  NanClass ca = nan_class<F>(a);
  NanClass cb = nan_class<F>(b);
  if (ca != cb) return false;
  return ca == NanClass::Canonical || ca == NanClass::Arithmetic;
}

uint64_t lane(const V128& v, unsigned bytes, unsigned i) {
  uint64_t out = 0;
  for (unsigned k = 0; k < bytes; ++k) out |= uint64_t(v.bytes[i * bytes + k]) << (8 * k);
  return out;
}

bool v128_agree_as(const V128& a, const V128& b, LaneShape shape) {
  if (shape == LaneShape::F32x4) {
    for (unsigned i = 0; i < 4; ++i)
      if (!f32_agree(uint32_t(lane(a, 4, i)), uint32_t(lane(b, 4, i)))) return false;
    return true;
  }
  if (shape == LaneShape::F64x2) {
    for (unsigned i = 0; i < 2; ++i)
      if (!f64_agree(lane(a, 8, i), lane(b, 8, i))) return false;
    return true;
  }
  return a == b;
}

// One lane under an expected NaN pattern: both match it, or (neither does,
// e.g. a wrong result on both tiers) the plain float rule.
bool lane_agree_with(uint64_t x, uint64_t y, bool f64, NanPattern nan) {
  bool mx = f64 ? f64_matches(x, 0, nan) : f32_matches(uint32_t(x), 0, nan);
  bool my = f64 ? f64_matches(y, 0, nan) : f32_matches(uint32_t(y), 0, nan);
  if (mx != my) return false;
  if (mx) return true;
  return f64 ? f64_agree(x, y) : f32_agree(uint32_t(x), uint32_t(y));
}

bool value_agree(const Value& a, const std::string& text_a, const Value& b,
                 const std::string& text_b, const wast::ResultPattern* pattern) {
  using K = wast::ResultPattern::Kind;
  if (a.type() != b.type()) return false;
  NanPattern nan = pattern ? pattern->nan : NanPattern::None;
  switch (a.type().kind()) {
  case ValKind::F32:
    if (pattern && pattern->kind == K::F32 && nan != NanPattern::None)
      return lane_agree_with(a.f32_bits(), b.f32_bits(), false, nan);
    return f32_agree(a.f32_bits(), b.f32_bits());
  case ValKind::F64:
    if (pattern && pattern->kind == K::F64 && nan != NanPattern::None)
      return lane_agree_with(a.f64_bits(), b.f64_bits(), true, nan);
    return f64_agree(a.f64_bits(), b.f64_bits());
  case ValKind::V128:
    if (pattern && pattern->kind == K::V128) return v128_agree_with(a.v128(), b.v128(), *pattern);
    return v128_agree(a.v128(), b.v128(), std::nullopt);
  default: return text_a == text_b;
  }
}

} // namespace

bool f32_agree(uint32_t a, uint32_t b) {
  return float_agree<float>(a, b);
}

bool f64_agree(uint64_t a, uint64_t b) {
  return float_agree<double>(a, b);
}

bool v128_agree(const V128& a, const V128& b, std::optional<LaneShape> shape) {
  if (a == b) return true;
  if (shape) return v128_agree_as(a, b, *shape);
  return v128_agree_as(a, b, LaneShape::F32x4) || v128_agree_as(a, b, LaneShape::F64x2);
}

bool v128_agree_with(const V128& a, const V128& b, const wast::ResultPattern& pattern) {
  if (a == b) return true;
  LaneShape shape = pattern.shape;
  if (shape != LaneShape::F32x4 && shape != LaneShape::F64x2) return false;
  bool f64 = shape == LaneShape::F64x2;
  unsigned bytes = f64 ? 8 : 4, count = f64 ? 2 : 4;
  for (unsigned i = 0; i < count; ++i) {
    uint64_t x = lane(a, bytes, i), y = lane(b, bytes, i);
    if (pattern.lane_nan[i] != NanPattern::None) {
      if (!lane_agree_with(x, y, f64, pattern.lane_nan[i])) return false;
    } else if (!(f64 ? f64_agree(x, y) : f32_agree(uint32_t(x), uint32_t(y)))) {
      return false;
    }
  }
  return true;
}

bool observations_agree(const Observation& a, const Observation& b,
                        std::span<const wast::ResultPattern> patterns) {
  if (a.text == b.text) return true;
  if (!a.has_values || !b.has_values || a.values.size() != b.values.size()) return false;
  for (size_t i = 0; i < a.values.size(); ++i) {
    const wast::ResultPattern* p = i < patterns.size() ? &patterns[i] : nullptr;
    if (!value_agree(a.values[i], a.value_texts[i], b.values[i], b.value_texts[i], p)) return false;
  }
  return true;
}

std::optional<std::string> first_disagreement(const std::vector<Observation>& a,
                                              const std::vector<Observation>& b,
                                              std::span<const wast::ResultPattern> patterns,
                                              std::string_view name_a, std::string_view name_b) {
  size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    static const Observation kNothing{"(nothing)"};
    const Observation& x = i < a.size() ? a[i] : kNothing;
    const Observation& y = i < b.size() ? b[i] : kNothing;
    if (i < a.size() && i < b.size() && observations_agree(x, y, patterns)) continue;
    return std::string(name_a) + ": " + x.text + " | " + std::string(name_b) + ": " + y.text;
  }
  return std::nullopt;
}

} // namespace tandem::harness
