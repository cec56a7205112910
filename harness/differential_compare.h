// Differential execution (--differential): what one store observed while
// running a directive, and the rule that decides whether two stores (the
// interpreter and the JIT) agree.
//
// The rule follows the spec's determinism (core spec 4.3.3, NaN propagation):
//  - integers, references, messages, memory hashes: identical;
//  - a float that is not a NaN: bit for bit;
//  - a NaN: its payload and sign are nondeterministic for arithmetic results,
//    so two NaNs agree when they have the same NaN pattern: both canonical
//    (any sign), or both arithmetic but not canonical (any payload, any
//    sign). A signalling NaN is never produced by arithmetic, so it must
//    match bit for bit.
//  - where the directive's expected result is itself a NaN pattern
//    (nan:canonical / nan:arithmetic, scalar or per v128 lane), the spec
//    allows any NaN of that pattern: two results agree when both match it
//    (e.g. a canonical and a non-canonical arithmetic NaN for
//    nan:arithmetic).
//  - a v128: lane-wise with the float rule, in the lane shape of the expected
//    pattern (assert_return) when it has a float shape; with an integer
//    shape, bit for bit; with no pattern, the vectors agree when every lane
//    agrees in one float shape (f32x4 or f64x2).
// No floating-point compare is used anywhere: bits only.
#pragma once

#include "tandem/tandem.h"
#include "wast/script.h"

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace tandem::harness {

// One engine-visible outcome (compile, instantiate, call, get, or an
// exported item of the state digest). `text` spells it completely; when the
// outcome is a list of values, `values` holds them too and `value_texts`
// their exact spellings (references described by the store).
struct Observation {
  Observation() = default;
  explicit Observation(std::string t) : text(std::move(t)) {}
  std::string text;
  bool has_values = false;
  std::vector<Value> values;
  std::vector<std::string> value_texts;
};

// NaN pattern agreement of one float (see the file comment).
bool f32_agree(uint32_t a, uint32_t b);
bool f64_agree(uint64_t a, uint64_t b);
// v128 agreement; `shape` is the lane shape of the expected pattern, if any.
bool v128_agree(const V128& a, const V128& b, std::optional<wast::LaneShape> shape);
// The same in the shape of an expected v128 pattern, using its lane NaN patterns.
bool v128_agree_with(const V128& a, const V128& b, const wast::ResultPattern& pattern);

// Two observations agree: same text, or the same values under the rule.
// `patterns` are the expected results of the directive (may be empty).
bool observations_agree(const Observation& a, const Observation& b,
                        std::span<const wast::ResultPattern> patterns);

// The first disagreement of two observation logs, spelled "interp: ... |
// jit: ...", or nullopt when they agree entry by entry.
std::optional<std::string> first_disagreement(const std::vector<Observation>& a,
                                              const std::vector<Observation>& b,
                                              std::span<const wast::ResultPattern> patterns,
                                              std::string_view name_a, std::string_view name_b);

} // namespace tandem::harness
