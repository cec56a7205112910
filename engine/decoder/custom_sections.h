// Decoding and validation of the custom sections the engine understands:
// the name section ("name") and branch hints ("metadata.code.branch_hint").
//
// Custom sections never make a module malformed or invalid: a module with a
// bad custom section still compiles and runs. This check is separate, for
// tools and for the script assertions assert_malformed_custom and
// assert_invalid_custom. Errors are ErrorKind::Malformed (the section does
// not decode) or ErrorKind::Invalid (it decodes but does not fit the module),
// with messages prefixed by the annotation that produces the section in the
// text format ("@name annotation: ...", "@metadata.code.branch_hint
// annotation: ...").
#pragma once

#include "base/result.h"
#include "wasm/module.h"

namespace tandem {

// Checks every name and branch-hint section of a decoded module. Other
// custom sections are accepted as they are.
Status check_custom_sections(const wasm::Module& m);

} // namespace tandem
