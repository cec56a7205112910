// `tandem run` for components: compiles a component (binary, or text through
// the component encoder), instantiates it with no imports, and calls the
// export named by --invoke. Arguments are WAVE text read by the parameter
// types (tandem/component_text.h), given either as separate ARGS
// (`--invoke add 1 2`) or as one call expression (`--invoke 'add(1, 2)'`, as
// wasmtime does); each result is printed in WAVE text on its own line.
//
// Exit status: 0 on success; 1 when the call traps; 2 for bad usage or
// input (invalid component, imports the run command cannot satisfy, a
// missing export, wrong arguments). A component has no `_start`: --invoke is
// required.
#include "run_component.h"

#include "tandem/component.h"
#include "tandem/component_text.h"
#include "wast/component_encoder.h"

#include <cstdio>

namespace tandem::harness {
int run_component(const CliOptions& options, Engine& engine, std::vector<uint8_t> bytes,
                  bool binary) {
  const std::string& file = options.positionals[0];
  if (!binary) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    auto encoded = wast::component_text_to_binary(text);
    if (!encoded) {
      const Error& e = encoded.error();
      return run_fail(kRunExitUsage, file + ":" + std::to_string(e.line) + ":" +
                                         std::to_string(e.column) + ": " + e.message);
    }
    bytes = std::move(*encoded);
  }
  auto component = Component::compile(engine, bytes);
  if (!component) {
    const Error& e = component.error();
    std::string where = binary ? " at byte offset " + std::to_string(e.offset) : "";
    return run_fail(kRunExitUsage,
                    file + where + ": " + error_kind_name(e.kind) + " component: " + e.message);
  }
  if (options.invoke.empty())
    return run_fail(kRunExitUsage,
                    "'" + file +
                        "' is a component: name the export to call with --invoke NAME "
                        "[ARGS...] or --invoke 'NAME(ARGS)'");

  std::string name = options.invoke;
  std::vector<std::string> args(options.positionals.begin() + 1, options.positionals.end());
  if (name.find('(') != std::string::npos) {
    if (!args.empty())
      return run_fail(kRunExitUsage, "give the arguments either inside --invoke '" + name +
                                         "' or after the file, not both");
    auto call = split_component_call(name);
    if (!call) return run_fail(kRunExitUsage, call.error().message);
    name = std::move(call->first);
    args = std::move(call->second);
  }

  Store store(engine);
  auto instance = ComponentInstance::instantiate(store, *component);
  if (!instance) {
    const Error& e = instance.error();
    int status = e.kind == ErrorKind::Trap ? kRunExitTrap : kRunExitUsage;
    return run_fail(status, "instantiating " + file + ": " + e.message);
  }
  if (!instance->has_func(name))
    return run_fail(kRunExitUsage, "'" + file + "' has no exported function '" + name + "'");
  auto values = parse_component_args(*instance, name, args);
  if (!values) {
    auto signature = describe_component_func(*instance, name);
    return run_fail(kRunExitUsage, "calling '" + name + "(" + (signature ? *signature : "") +
                                       ")': " + values.error().message);
  }
  auto results = instance->call(store, name, *values);
  std::fflush(stdout);
  if (!results) {
    const Error& e = results.error();
    // The same wording as a core module's trap (run_command.cc).
    if (e.kind == ErrorKind::Trap) {
      std::fprintf(stderr, "error: wasm trap: %s\n  (while calling '%s')\n", e.message.c_str(),
                   name.c_str());
      return kRunExitTrap;
    }
    if (e.kind == ErrorKind::Exhaustion || e.kind == ErrorKind::Exception) {
      std::fprintf(stderr, "error: %s\n  (while calling '%s')\n", e.message.c_str(), name.c_str());
      return kRunExitTrap;
    }
    return run_fail(kRunExitUsage, "calling '" + name + "': " + e.message);
  }
  for (const ComponentValue& v : *results) std::printf("%s\n", format_component_value(v).c_str());
  return 0;
}

} // namespace tandem::harness
