// Matching of core results against assert_return patterns (section 6 and 7 of
// docs/wast-script-language.md, reference interpreter column), and the
// spelling of patterns and values in failure messages.
//
// References are matched through a RefDescriber (Store::describe in the
// runner; a fake in unit tests), so this file needs no engine library.
#pragma once

#include "tandem/tandem.h"
#include "wast/script.h"

#include <functional>
#include <span>
#include <string>
#include <vector>

namespace tandem::harness {

using RefDescriber = std::function<RefDescription(const Value&)>;

bool matches_pattern(const wast::ResultPattern& pattern, const Value& value,
                     const RefDescriber& describe);

// All results against all patterns (same count, each matching).
bool matches_results(std::span<const wast::ResultPattern> patterns, std::span<const Value> values,
                     const RefDescriber& describe);

// "(i32.const 3)", "(v128.const f32x4 nan:canonical 1 2 3)", "(either ...)".
std::string format_pattern(const wast::ResultPattern& pattern);
std::string format_patterns(std::span<const wast::ResultPattern> patterns);

// Values spelled as script syntax; a v128 value is shown in the shape of the
// pattern at the same position when there is one (else i32x4).
std::string format_values(std::span<const Value> values,
                          std::span<const wast::ResultPattern> patterns,
                          const RefDescriber& describe);

} // namespace tandem::harness
