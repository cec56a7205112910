// Core WebAssembly text format (WAT) to binary: Tandem's own encoder for the
// whole wasm 3.0 text format plus the proposals the suites exercise (threads,
// wide arithmetic, custom page sizes, legacy exceptions, custom descriptors,
// @custom and branch-hint annotations).
//
// The encoder only parses and resolves names: a module that parses is encoded
// even if it is invalid (out-of-range numeric indices, type errors), so that
// assert_invalid modules reach the validator. Errors are ErrorKind::Malformed
// with the line/column of the offending token and the reference interpreter's
// wording ("unknown operator", "unexpected token", "duplicate func", ...).
#pragma once

#include "base/result.h"
#include "wast/token.h"

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace tandem::wast {

// Encodes one core module given its tokens: either a complete
// `(module $id? ...)` form (from "(" to its matching ")"), or a bare list of
// module fields (a quote body or an inline-module file). The forms
// `(module $id? binary "..."*)` (the concatenated bytes) and
// `(module $id? quote "..."*)` (the strings joined without separator, as the
// reference interpreter does, then lexed and encoded) are also
// accepted. `(module definition ...)` is accepted like `(module ...)`.
// Token texts must stay valid during the call only.
Result<std::vector<uint8_t>> encode_wat_module(std::span<const Token> tokens);

// True when the first two tokens outside annotations are `(` `module` (a
// module form, not a bare list of fields).
bool is_module_form(std::span<const Token> tokens);

// Lexes `text` and encodes it: a module form or a list of module fields.
Result<std::vector<uint8_t>> wat_to_binary(std::string_view text);

} // namespace tandem::wast
