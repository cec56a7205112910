// Trap kinds and their spec wording, generated from traps.def.
#pragma once

#include <cstdint>
#include <string_view>

namespace tandem {

enum class TrapKind : uint8_t {
#define TRAP(id, msg) id,
#include "wasm/traps.def"
#undef TRAP
  kCount
};

inline constexpr std::string_view kTrapMessages[] = {
#define TRAP(id, msg) msg,
#include "wasm/traps.def"
#undef TRAP
};

inline constexpr std::string_view trap_message(TrapKind k) { return kTrapMessages[size_t(k)]; }

} // namespace tandem
