// Parsing of script values: core arguments (doc section 5), core result
// patterns (section 6, 7) and component values (section 9). Internal to the
// script parser, but usable on its own (e.g. by tests or a REPL).
#pragma once

#include "wast/script.h"
#include "wast/script_cursor.h"

namespace tandem::wast::detail {

// At a `(`: parses one argument of an `invoke`.
Result<Arg> parse_arg(ScriptCursor& c);
// At a `(`: parses one expected result of an `assert_return`.
Result<Expected> parse_expected(ScriptCursor& c);

} // namespace tandem::wast::detail
