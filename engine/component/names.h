// Import/export names of the Component Model (Explainer.md "Import and Export
// Definitions"): kebab-case labels, `[constructor]`/`[method]`/`[static]`
// annotated plain names, and `ns:pkg/iface@version` interface names with
// semver versions. Messages follow wasmparser (and the `semver` crate for
// version errors), which the component suite expects.
//
// Strong uniqueness (Explainer.md "Name Uniqueness") is implemented by
// `unique_key`: two names conflict iff their keys are equal.
#pragma once

#include "base/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace tandem::component {

// `label`: fragments separated by '-', the first starting with a letter, each
// all-lowercase or all-uppercase (digits allowed anywhere but the first char).
bool is_kebab(std::string_view s);
// `words`: a lowercase label (namespaces and package names).
bool is_lower_kebab(std::string_view s);
// ASCII lowercase copy.
std::string ascii_lower(std::string_view s);

struct ParsedName {
  enum class Kind : uint8_t { Plain, Interface };
  enum class Annotation : uint8_t { None, Constructor, Method, Static };
  Kind kind = Kind::Plain;
  Annotation annotation = Annotation::None;
  std::string raw;
  std::string resource; // Constructor/Method/Static: the resource label
  std::string label;    // Plain: the label; Method/Static: the label after '.'
  std::string ns, package, interface;
  std::optional<std::string> version; // Interface: text after '@'
  bool is_bare_label() const { return kind == Kind::Plain && annotation == Annotation::None; }
};

// Parses an extern name; errors are Invalid at `offset`.
Result<ParsedName> parse_extern_name(std::string_view name, uint64_t offset);

// The strong-uniqueness key of a parsed name.
std::string unique_key(const ParsedName& n);

// Parses a semantic version; the error message is the `semver` crate's.
Status parse_semver(std::string_view v, uint64_t offset);

} // namespace tandem::component
