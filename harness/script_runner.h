// Runs one .wast script file against the engine: the semantics of
// docs/wast-script-language.md sections 3-12 (modules, register, actions and
// every assert_* form), with the spectest host module, feature gating (skips)
// and the reference interpreter's message rules.
//
// Each call creates its own Engine and Store, so calls for different files may
// run concurrently.
#pragma once

#include "cli_options.h"
#include "outcome.h"
#include "suite_runner.h"

namespace tandem::harness {

// EngineConfig::debug_jit_miscompile is honoured (builds with TANDEM_ASSERTIONS).
#if TANDEM_ASSERTIONS
inline constexpr bool kJitFaultInjectionAvailable = true;
#else
inline constexpr bool kJitFaultInjectionAvailable = false;
#endif

struct ScriptRunConfig {
  FeatureSet features = FeatureSet::defaults();
  TierChoice tier = TierChoice::Interp; // the tier that actually executes
  // Run every directive on a second store on the JIT tier and compare.
  bool differential = false;
  // The isolation audit (--isolation, --isolation-report). Without an
  // explicit mode: full for scripts with isolation directives, else off.
  IsolationMode isolation = IsolationMode::Off;
  bool isolation_explicit = false;
  bool isolation_report = false; // fill FileOutcome::isolation_*
  // Test-only (environment TANDEM_INJECT_DIFFERENTIAL_FAULT=OPERATOR, e.g.
  // i32.add): the JIT-side engine miscompiles that operator
  // (EngineConfig::debug_jit_miscompile). Empty: off.
  std::string inject_jit_miscompile;
  // The tiered variant of --differential (environment
  // TANDEM_DIFFERENTIAL_TIERED=THRESHOLD): the second store runs Tier::Tiered
  // with that tier-up threshold instead of the JIT; with
  // TANDEM_TIERUP=random:SEED each function's tier is random. 0: the JIT.
  uint32_t differential_tiered_threshold = 0;
};

FileOutcome run_script_file(const ScriptFile& file, const FileRunContext& ctx,
                            const ScriptRunConfig& config);

} // namespace tandem::harness
