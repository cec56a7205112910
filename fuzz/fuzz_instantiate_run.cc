// libFuzzer target (b): compile, instantiate with default imports, then call
// every exported function with zero arguments on the interpreter. The engine
// has no fuel, so modules with loops or tail calls are only instantiated
// (and not even that when they have a start function); the call depth limit
// is small so that recursion stays cheap.
#include "fuzz/fuzz_support.h"
#include "runtime/module_impl.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tandem;
  EngineConfig config;
  config.tier = Tier::Interp;
  config.max_call_depth = 24;
  static Engine engine(config);
  Result<Module> module = Module::compile(engine, std::span<const uint8_t>(data, size));
  if (!module.ok()) return 0;
  const wasm::Module& ir = module.value().impl()->module;
  bool unbounded = fuzz::has_unbounded_control(ir);
  if (unbounded && ir.start) return 0;
  Store store(engine);
  Result<std::vector<Extern>> imports = fuzz::default_imports(store, ir);
  if (!imports.ok()) return 0;
  Result<Instance> inst = Instance::instantiate(store, module.value(), imports.value());
  if (!inst.ok() || unbounded) return 0;
  for (auto& [name, ext] : inst.value().exports(store)) {
    if (ext.kind != ExternKind::Func) continue;
    std::optional<std::vector<Value>> args = fuzz::zero_args(ext.func.type(store));
    if (!args) continue;
    (void)ext.func.call(store, *args);
  }
  return 0;
}
