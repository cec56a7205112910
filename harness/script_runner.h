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

// The engine has no JIT yet: --tier=jit|tiered fall back to the interpreter
// (with a notice) and --differential is refused. Flip when the JIT lands.
inline constexpr bool kJitAvailable = false;

// Which optional parts this binary was built with (set by harness/CMakeLists.txt).
#ifdef TANDEM_HAVE_SCRIPT_RUNNER
inline constexpr bool kHaveScriptRunner = true;
#else
inline constexpr bool kHaveScriptRunner = false;
#endif
#ifdef TANDEM_HAVE_WAT_ENCODER
inline constexpr bool kHaveWatEncoder = true;
#else
inline constexpr bool kHaveWatEncoder = false;
#endif

struct ScriptRunConfig {
  FeatureSet features = FeatureSet::defaults();
  TierChoice tier = TierChoice::Interp; // the tier that actually executes
};

FileOutcome run_script_file(const ScriptFile& file, const FileRunContext& ctx,
                            const ScriptRunConfig& config);

} // namespace tandem::harness
