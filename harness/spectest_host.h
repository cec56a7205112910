// The `spectest` host module every core script may import from (section 10.1
// of docs/wast-script-language.md), and the ImportSource shape the script
// runner's registry uses for every importable name.
//
// Limits and values are tested exactly by imports.wast: table and table64 are
// 10..20 funcref, memory is 1..2 pages, shared_memory is shared 1..2 pages,
// the globals are immutable 666 / 666.6.
#pragma once

#include "tandem/tandem.h"

#include <functional>
#include <map>
#include <string>

namespace tandem::harness {

// The items importable under one module name.
struct ImportSource {
  std::map<std::string, Extern, std::less<>> items;
  // Items that exist in principle but could not be provided (e.g. the engine
  // has no shared memories): importing one skips the importing module.
  std::map<std::string, std::string, std::less<>> unavailable;
  // Non-empty when the whole registration stands for a skipped module.
  std::string skipped;
};

// Creates the spectest items in `store`.
ImportSource make_spectest_module(Store& store);

} // namespace tandem::harness
