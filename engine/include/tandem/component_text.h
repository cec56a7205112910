// Component values as command-line text, in the WAVE syntax that wasmtime's
// `run --invoke` uses for components: `true`, `-3`, `1.5`, `nan`, `'x'`,
// `"text"`, `[1, 2]`, `(1, "a")`, `{x: 1, y: 2}` (records; option fields may
// be left out), `{read, write}` (flags), `case` / `case(payload)` (variants
// and enums), `none` / `some(v)`, `ok` / `ok(v)` / `err(v)`. A label that
// collides with a keyword is written `%label`. Maps are lists of pairs
// `[(k, v), ...]`. Resource handles cannot be written.
//
// Parsing is type-directed: the text of each argument is read by the
// declared type of the parameter, so `5` is a u8 or an f64 as needed.
#pragma once

#include "base/result.h"
#include "tandem/component.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

// The exported function's parameter names and result, as WAVE-ish type text
// ("x: u32, s: string -> list<u8>"), for error messages and --help output.
Result<std::string> describe_component_func(const ComponentInstance& instance,
                                            std::string_view func);

// Parses `args` (one text per parameter) by the parameter types of the
// exported function `func`. A top-level string parameter also accepts text
// without quotes, taken verbatim.
Result<std::vector<ComponentValue>> parse_component_args(const ComponentInstance& instance,
                                                         std::string_view func,
                                                         std::span<const std::string> args);

// Splits a call expression `name(arg, arg, ...)` into the name and the
// argument texts (top-level commas only). Fails on unbalanced text.
Result<std::pair<std::string, std::vector<std::string>>>
split_component_call(std::string_view call);

// WAVE text of a value (results printed by `tandem run --invoke`).
std::string format_component_value(const ComponentValue& value);

} // namespace tandem
