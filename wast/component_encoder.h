// Component Model text format to binary: Tandem's encoder for `(component
// ...)` forms (component-model Explainer.md text syntax, Binary.md encoding).
//
// The encoder parses and resolves names only: a component that parses is
// encoded even if it is invalid, so assert_invalid components reach the
// validator. It follows the wast crate's desugaring so numeric indices in
// tests mean the same thing: inline type uses become type definitions placed
// just before the item that uses them; inline export references such as
// `(func $i "f")` become export aliases placed before the item; a `$name`
// found only in an enclosing scope becomes an implicit `alias outer` (for
// the core module, core type, type and component sorts); inline
// `(export "n")` clauses become exports appended at the end of the component.
// Consecutive items of one section kind share one section.
//
// Embedded `(core module ...)` forms are encoded by the core WAT encoder
// (wat_module.h); core type definitions and core value/limit syntax reuse it
// too. Both strict (`(memory (core memory $m))`, `(realloc (core func $f))`)
// and legacy (`(memory $i "mem")`, `(realloc (func $f))`) index syntax are
// accepted. The $ids of component instances and core instances are written
// to a `component-name` custom section at the end of each component (the
// runtime names instance paths after them). Annotations `(@...)` are ignored. Nesting is limited to
// kMaxComponentNesting levels ("nesting too deep"); nothing recurses deeper.
//
// Errors are ErrorKind::Malformed with the line/column of the offending
// token, worded like the wast crate where tests look at them ("unexpected
// token", "duplicate func identifier", "unknown type: failed to find name
// `$t`", "outer item `x` is not a module, type, or component").
#pragma once

#include "base/result.h"
#include "wast/token.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace tandem::wast {

inline constexpr unsigned kMaxComponentNesting = 200;

// Encodes a component given the tokens of a whole form: `(component $id?
// field*)`, `(component definition $id? field*)`, `(component $id? binary
// "..."*)` (the bytes) or `(component quote "..."*)` (the wast crate's joined
// text, encoded). If the tokens are not exactly one such form they are taken
// as a list of component fields. Prefer passing the whole form: the
// component's `$id` can be named by `alias outer`. A trailing Eof token is
// allowed. Token texts must stay valid during the call only.
Result<std::vector<uint8_t>> encode_wat_component(std::span<const Token> tokens);

// Encodes a list of component fields (the body of a component whose name,
// if any, is `id` without the `$`).
Result<std::vector<uint8_t>> encode_wat_component_fields(std::span<const Token> fields,
                                                         std::optional<std::string_view> id);

// Lexes `text` and encodes it like encode_wat_component.
Result<std::vector<uint8_t>> component_text_to_binary(std::string_view text);

} // namespace tandem::wast
