// Unreachable code in the single-pass consumers of the function decoder (the
// interpreter's lowering and the JIT). After an unconditional branch, nothing
// is emitted up to the else, catch, catch_all, delegate or end that closes
// the current block; only the nesting of blocks opened inside the dead code
// is counted, so that their own closing instructions are skipped too.
#pragma once

#include "wasm/opcodes.h"

#include <cstdint>

namespace tandem {

// Called for each instruction while the current block is unreachable, with
// the consumer's count of blocks opened in the dead code. True: skip `op`.
// False: `op` closes the current block (or reaches its else or catch
// clause), and the consumer handles it as usual.
template <Op op> bool skip_unreachable(uint32_t& dead_depth) {
  if constexpr (op == Op::block || op == Op::loop || op == Op::if_ || op == Op::try_table ||
                op == Op::try_) {
    ++dead_depth;
    return true;
  } else if constexpr (op == Op::end || op == Op::delegate) {
    if (dead_depth == 0) return false;
    --dead_depth;
    return true;
  } else if constexpr (op == Op::else_ || op == Op::catch_ || op == Op::catch_all) {
    return dead_depth > 0;
  } else {
    return true;
  }
}

} // namespace tandem
