// Placement rules of the custom annotations that produce custom sections:
// @custom (a custom section), @name (the name section) and
// @metadata.code.branch_hint (branch hints).
//
// The WAT encoder ignores annotations it finds in places where they mean
// nothing; the reference interpreter instead rejects them. This check is the
// reference behaviour, used by assert_malformed_custom:
//  - @custom only as a module field: "misplaced @custom annotation";
//  - @name only right after the keyword (and $id) of a module or a
//    definition: "misplaced @name annotation", "@name annotation: multiple
//    module" for a second module name;
//  - @metadata.code.branch_hint only inside a function, once per
//    instruction: "... annotation: not in a function", "... annotation:
//    duplicate annotation".
// The syntax inside @custom is checked by the encoder itself.
#pragma once

#include "base/result.h"
#include "wast/token.h"

#include <span>
#include <string_view>

namespace tandem::wast {

// `tokens`: a `(module ...)` form or a bare list of module fields, as given
// to encode_wat_module(). Errors are ErrorKind::Malformed.
Status check_custom_annotations(std::span<const Token> tokens);

// Lexes `text` (a quote module's joined strings) and checks it.
Status check_custom_annotations_text(std::string_view text);

} // namespace tandem::wast
