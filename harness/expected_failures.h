// Expected-failure lists: known failures are data, each with a reason.
//
// Format, one entry per line (blank lines and lines starting with '#' ignored):
//   PATH[:LINE] [TIER[,TIER...]] -- reason
// PATH names a .wast file, relative to a suite root or as any trailing part of
// the path at a '/' boundary ("i32.wast", "core/i32.wast"). Without LINE the
// entry covers every directive of the file. TIERs (interp, jit, tiered) limit
// the entry to those tiers; without them the entry applies to every tier. A
// --differential run looks entries up as its primary tier, the interpreter.
// The reason is mandatory. One list per suite serves every tier.
#pragma once

#include "base/result.h"
#include "cli_options.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::harness {

struct ExpectedFailure {
  std::string path;
  std::optional<uint32_t> line; // nullopt: the whole file
  uint8_t tiers = 0;            // bit (1 << TierChoice) per listed tier; 0: every tier
  bool applies_to(TierChoice t) const { return tiers == 0 || (tiers >> unsigned(t)) & 1; }
  std::string reason;
  uint32_t list_line = 0; // where the entry is written, for messages
};

// True when `entry` names `path`: equal after normalisation, or a suffix of it
// that starts at a '/' boundary.
bool path_matches(std::string_view entry, std::string_view path);

class ExpectedFailureList {
public:
  // `list_name` is used in error messages ("LIST:LINE: ...").
  static Result<ExpectedFailureList> parse(std::string_view text, std::string_view list_name);
  static Result<ExpectedFailureList> load(const std::string& file);

  // The entries for one script file on one tier, in list order.
  std::vector<ExpectedFailure> for_file(std::string_view path, TierChoice tier) const;
  const std::vector<ExpectedFailure>& entries() const { return entries_; }

private:
  std::vector<ExpectedFailure> entries_;
};

} // namespace tandem::harness
