// Expected-failure lists: known failures are data, each with a reason.
//
// Format, one entry per line (blank lines and lines starting with '#' ignored):
//   PATH[:LINE] [TIER] -- reason
// PATH names a .wast file, relative to a suite root or as any trailing part of
// the path at a '/' boundary ("i32.wast", "core/i32.wast"). Without LINE the
// entry covers every directive of the file. TIER (interp, jit, tiered) limits
// the entry to that tier; without it the entry applies to every tier. The
// reason is mandatory.
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
  std::optional<TierChoice> tier;
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
