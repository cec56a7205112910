// Comparison of a tandem trace (difffuzz_trace.h) with a reference engine's
// output in binaryen's `--fuzz-exec` format:
//   [fuzz-exec] calling NAME
//   [LoggingExternalInterface logging ARG...]   (an i64 is "low high", as i32s)
//   [fuzz-exec] note result: NAME => VALUE      (a tuple is "(A, B, ...)")
//   [trap MESSAGE]
// The node runner (fuzz/difffuzz_node.mjs) prints the same format, plus
//   [skip]          the export has v128 in its signature: JS cannot call it
//   [host limit X]  the engine gave up (stack overflow, v128 import, ...)
// Integers compare exactly; floats by value (a reference prints decimals:
// NaN only as "nan", and node loses the sign of zero); traps by kind only
// (wording differs between engines). A host limit, a tandem call that ends the
// case (exhaustion, out of memory), or an export JS cannot call ends the
// comparison without a divergence.
#pragma once

#include "fuzz/difffuzz_trace.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tandem::difffuzz {

struct RefCall {
  RefCall() = default;
  explicit RefCall(std::string n) : name(std::move(n)) {}
  std::string name;
  std::vector<std::string> logs; // the ARG text of each logging line
  std::optional<std::string> result;
  bool trap = false;
  bool host_limit = false;
  bool skipped = false;
};

struct RefOutput {
  std::vector<std::string> start_logs; // logging before the first call
  std::vector<RefCall> calls;          // without hangLimitInitializer
};

RefOutput parse_reference_output(const std::string& text);

// The first difference, or "" when they agree; counts compared calls.
std::string compare_with_reference(const Trace& t, const RefOutput& ref,
                                   const std::string& ref_name, size_t* calls_compared);

} // namespace tandem::difffuzz
