// Bit-level helpers for result matching and for messages: NaN classes (section
// 7 of docs/wast-script-language.md), v128 lanes read in any shape, and the
// script-syntax spelling of values ("(i32.const 3)", "(v128.const i16x8 ...)").
// Floats are handled as bits only; nothing here uses floating-point compare.
#pragma once

#include "tandem/tandem.h"
#include "wast/script.h"

#include <cstdint>
#include <string>

namespace tandem::harness {

// Lane shapes and NaN patterns are the script AST's (wast/script.h).
using wast::LaneShape;
using wast::NanPattern;

// True when `actual` matches the expected bits (NanPattern::None: bit-exact)
// or the NaN class.
bool f32_matches(uint32_t actual, uint32_t expected, NanPattern nan);
bool f64_matches(uint64_t actual, uint64_t expected, NanPattern nan);

bool lane_is_float(LaneShape shape);
// Lane i (little-endian), zero-extended to 64 bits.
uint64_t v128_lane(const V128& v, LaneShape shape, uint32_t i);

std::string format_f32(uint32_t bits);
std::string format_f64(uint64_t bits);
std::string format_v128(const V128& v, LaneShape shape);
// A reference as the pattern that would match it exactly.
std::string format_ref(const RefDescription& ref);
// Any non-reference value (references need a store: use format_ref).
std::string format_scalar(const Value& v, LaneShape v128_shape = LaneShape::I32x4);

} // namespace tandem::harness
