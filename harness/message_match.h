// Matching of expected failure texts (assert_trap, assert_invalid, ...) against
// the engine's messages, following the reference interpreter: the expected
// text must be a PREFIX of ours (docs/wast-script-language.md section 8). The
// empty expected text matches anything.
//
// Where our wording differs from the reference interpreter's in a principled
// way, the one alias table in message_match.cc says which of our messages
// stands for which expected text, and why. Nothing else in the harness
// loosens message checks.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace tandem::harness {

// Which assertion the message comes from; aliases are per context.
enum class MessageContext : uint8_t {
  Trap,       // assert_trap on an action, and on a module (instantiation trap)
  Exhaustion, // assert_exhaustion
  Invalid,    // assert_invalid
  Malformed,  // assert_malformed
  Unlinkable, // assert_unlinkable
};

struct MessageAlias {
  MessageContext context;
  std::string_view expected_prefix; // the suite's text starts with this
  std::string_view actual_prefix;   // ours starts with this
  std::string_view rationale;
};

bool message_matches(MessageContext context, std::string_view expected, std::string_view actual);

// The table, for documentation and tests.
std::span<const MessageAlias> message_aliases();

} // namespace tandem::harness
