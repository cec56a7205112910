// Fallbacks used while the text-format library (wast/) or the engine library
// is not built yet: `wast` files and `wat2wasm` report that honestly.
#include "commands.h"
#include "script_runner.h"

#include <cstdio>

namespace tandem::harness {

FileOutcome run_script_file(const ScriptFile& file, const FileRunContext&,
                            const ScriptRunConfig&) {
  FileOutcome out;
  out.path = file.path;
  out.aborted = true;
  out.directives.push_back({0, "file", Outcome::Failed,
                            "this tandem was built without the script parser or the engine"});
  return out;
}

int run_wat2wasm_command(const CliOptions&) {
  std::fputs("tandem wat2wasm: this tandem was built without the text-format encoder\n", stderr);
  return 2;
}

} // namespace tandem::harness
