// One run of a binaryen fuzz module (`wasm-opt -ttf`) on one tandem
// configuration, recorded as a trace: the instantiation, then for every
// exported function (in export order, after calling `hangLimitInitializer`
// when the module has one, as binaryen's own harness does) the calls to the
// `fuzzing-support` logging imports, the results or the trap, and a hash of
// every exported memory and global afterwards.
//
// Stack exhaustion, out-of-memory and Unsupported end a trace: everything
// after them is not compared (`Call::ends_case`).
#pragma once

#include "tandem/tandem.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tandem::difffuzz {

// Which engine configuration runs the module.
struct RunConfig {
  RunConfig() = default;
  explicit RunConfig(Tier t, uint32_t threshold = 1000, std::string mode = {})
      : tier(t), tierup_threshold(threshold), tierup_mode(std::move(mode)) {}
  Tier tier = Tier::Interp;
  uint32_t tierup_threshold = 1000; // Tier::Tiered
  // Tier::Tiered: "random:SEED" (per-function random tiers), "sync", or "".
  std::string tierup_mode;
  std::string label() const;
};

struct LogCall {
  std::string import; // e.g. "log-i32"
  std::vector<Value> args;
};

struct Call {
  std::string name;
  bool has_v128_signature = false; // JS cannot call it (node comparison)
  std::vector<LogCall> logs;
  bool ok = false;
  std::vector<Value> results;
  ErrorKind error_kind = ErrorKind::Trap;
  std::string message;
  bool ends_case = false;
  std::string state; // exported memories and globals after the call
};

struct Trace {
  std::string setup; // "instantiated ..." or why not (compile/link/start errors)
  bool setup_ends_case = false;
  bool instantiated = false;
  std::vector<LogCall> start_logs;
  std::vector<Call> calls;
};

Trace run_module(const std::vector<uint8_t>& bytes, const RunConfig& config);

// Tandem-to-tandem comparison text of a call (NaNs by NaN pattern).
std::string call_text(const Call& c);
std::string value_text(const Value& v);

// The first difference of two traces, or "" when they agree up to the first
// call that ends the case on either side.
std::string compare_traces(const Trace& a, const std::string& name_a, const Trace& b,
                           const std::string& name_b, size_t* calls_compared);

} // namespace tandem::difffuzz
