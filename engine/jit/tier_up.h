// Tier-up: functions start in the interpreter and move to compiled code when
// they get hot.
//
// The interpreter counts calls and loop back-edges per function
// (FuncInst::call_count) and calls the store's rt::TierUpHook when the count
// reaches the threshold (runtime/objects.h). The TierUpPolicy behind the
// hook decides:
//   Counting  the function is queued for compilation on the background
//             compiler thread; a later count check of the same function
//             (its next call or back-edge) installs the finished code by an
//             atomic store of FuncInst::entry. A call still running in the
//             interpreter moves to the compiled code at its next back-edge to
//             a loop head with an empty operand stack (on-stack replacement:
//             TierUpHook::osr_entry; the compiled function has one OSR entry
//             per such loop, and the frame layouts of the tiers agree on the
//             locals), else it finishes in the interpreter.
//   Random    (testing) a seeded hash of the function index decides whether
//             it runs compiled (compiled synchronously) or interpreted for
//             good, and whether it compiles at its first call or at its k-th
//             call or back-edge (k random, small: exercises OSR); mixes the
//             tiers within one program.
// Threshold 0 with Counting means "JIT only"; that is Tier::Jit, which uses
// jit::lazy_compile_entry instead. "Never" is Tier::Interp (no hook).
//
// Only the store's own thread installs code or touches the instance; the
// compiler thread reads immutable instance data and produces a CodeBatch.
// Pending jobs belong to their module instance: destroying the instance
// cancels them and waits for a job in progress.
#pragma once

#include "runtime/objects.h"

#include <cstdint>

namespace tandem::jit {

enum class TierUpMode : uint8_t { Counting, Random };

struct TierUpConfig {
  TierUpMode mode = TierUpMode::Counting;
  uint32_t threshold = 1000; // calls + loop back-edges before compiling (Counting)
  uint64_t seed = 0;         // Random
  bool background = true;    // Counting: compile on the compiler thread
  bool osr = true;           // running interpreted calls move to compiled code at loop heads
  bool operator==(const TierUpConfig&) const = default;
};

// The hook implementing `config` (shared, lives for the whole process).
rt::TierUpHook* tier_up_hook(const TierUpConfig& config);

// The configuration for Tier::Tiered with `threshold`; the environment
// variable TANDEM_TIERUP=random:SEED selects Random mode (for test runs of
// whole suites), TANDEM_TIERUP=sync compiles on the calling thread,
// TANDEM_TIERUP=noosr disables on-stack replacement (for measurements).
TierUpConfig tier_up_config_from_env(uint32_t threshold);

// Waits until the compiler thread has no queued or running job (tests).
void wait_for_background_compiles();

} // namespace tandem::jit
