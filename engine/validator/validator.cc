// Module validation (stub).
#include "validator/validator.h"
#include "decoder/function_decoder.h"
namespace tandem {
Status validate_module(const wasm::Module& m, const FeatureSet& features) {
  DecodeEnv env;
  env.features = features;
  env.has_data_count = m.data_count.has_value();
  for (const auto& b : m.bodies) {
    Reader r(m.bytes.data(), m.bytes.data() + b.code.offset, m.bytes.data() + m.bytes.size());
    SkipVisitor v;
    TANDEM_TRY(decode_instructions(r, v, env));
    if (r.offset() != b.code.end()) return r.error_at(b.body.offset, "section size mismatch");
  }
  return {};
}
}
