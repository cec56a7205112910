// The prefix rule and the alias table for failure messages (see message_match.h).
#include "message_match.h"

namespace tandem::harness {
namespace {

// One row per principled difference between the reference interpreter's
// wording and ours. Keep rows narrow: a prefix of the expected text and a
// prefix of our message, with the reason.
constexpr MessageAlias kAliases[] = {
    {MessageContext::Trap, "uninitialized element", "uninitialized element",
     "the reference interpreter appends the element index (\"uninitialized element 2\"); our "
     "trap names the kind only"},
};

} // namespace

std::span<const MessageAlias> message_aliases() {
  return kAliases;
}

bool message_matches(MessageContext context, std::string_view expected, std::string_view actual) {
  if (expected.empty() || actual.starts_with(expected)) return true;
  for (const auto& a : kAliases)
    if (a.context == context && expected.starts_with(a.expected_prefix) &&
        actual.starts_with(a.actual_prefix))
      return true;
  return false;
}

} // namespace tandem::harness
