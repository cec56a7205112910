// Fallback linked while the engine library (tandem_engine) or the text encoder
// is not built: every script file reports that honestly as a failure.
#include "script_runner.h"

namespace tandem::harness {

FileOutcome run_script_file(const ScriptFile& file, const FileRunContext&, const ScriptRunConfig&) {
  FileOutcome out;
  out.path = file.path;
  out.aborted = true;
  out.directives.push_back(make_outcome(
      0, "file", Outcome::Failed,
      "this tandem was built without the engine or the text encoder: nothing can run"));
  return out;
}

} // namespace tandem::harness
