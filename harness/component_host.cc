// wasmtime's component host items for wast scripts (component_host.h). The
// functions receive values typed by the importer's declaration, so each one
// checks the shape it relies on and fails with a Trap otherwise.
#include "component_host.h"

#include <string>

namespace tandem::harness {
namespace {

using VK = ComponentValue::Kind;

ComponentValue u32(uint32_t v) {
  ComponentValue c;
  c.kind = VK::U32;
  c.bits = v;
  return c;
}

Error host_trap(std::string m) {
  return Error::make(ErrorKind::Trap, std::move(m));
}

Result<uint32_t> arg_u32(std::span<const ComponentValue> args, size_t i, std::string_view fn) {
  if (i >= args.size() || args[i].kind != VK::U32)
    return host_trap(std::string(fn) + ": expected a u32 argument " + std::to_string(i));
  return uint32_t(args[i].bits);
}

Result<uint32_t> arg_handle(std::span<const ComponentValue> args, size_t i, VK kind,
                            std::string_view fn) {
  if (i >= args.size() || args[i].kind != kind)
    return host_trap(std::string(fn) + ": expected " + (kind == VK::Own ? "an own" : "a borrow") +
                     " handle as argument " + std::to_string(i));
  return uint32_t(args[i].bits);
}

HostFunction constant(uint32_t v) {
  return [v](HostCallContext&,
             std::span<const ComponentValue>) -> Result<std::vector<ComponentValue>> {
    return std::vector{u32(v)};
  };
}

HostFunction echo(const char* name) {
  return [name](HostCallContext&,
                std::span<const ComponentValue> args) -> Result<std::vector<ComponentValue>> {
    TANDEM_ASSIGN(uint32_t v, arg_u32(args, 0, name));
    return std::vector{u32(v)};
  };
}

HostFunction never_returns() {
  return
      [](HostCallContext&, std::span<const ComponentValue>) -> Result<std::vector<ComponentValue>> {
        return Error::make(ErrorKind::Unsupported, "component async not implemented");
      };
}

// The core module `simple-module`:
//   (module (global (export "g") i32 (i32.const 100))
//           (func (export "f") (result i32) (i32.const 101)))
constexpr uint8_t kSimpleModule[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                   // header
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,                         // type: [] -> [i32]
    0x03, 0x02, 0x01, 0x00,                                           // func: type 0
    0x06, 0x07, 0x01, 0x7f, 0x00, 0x41, 0xe4, 0x00, 0x0b,             // global i32 = 100
    0x07, 0x09, 0x02, 0x01, 'g',  0x03, 0x00, 0x01, 'f',  0x00, 0x00, // exports g, f
    0x0a, 0x07, 0x01, 0x05, 0x00, 0x41, 0xe5, 0x00, 0x0b,             // code: i32.const 101
};

} // namespace

HostInstance wasmtime_component_host(const Engine& engine,
                                     std::shared_ptr<WasmtimeHostState> state) {
  HostInstance host;
  host.func("return-three", constant(3));
  host.instance("nested", HostInstance().func("return-four", constant(4)));
  if (auto m = Module::compile(engine, kSimpleModule)) host.module("simple-module", *m);

  host.resource("resource1", [state](uint32_t rep) -> Status {
    state->drops++;
    state->last_drop = rep;
    return {};
  });
  host.resource("resource2");
  host.resource_alias("resource1-again", "resource1");

  host.func("[constructor]resource1",
            [](HostCallContext&,
               std::span<const ComponentValue> args) -> Result<std::vector<ComponentValue>> {
              TANDEM_ASSIGN(uint32_t rep, arg_u32(args, 0, "[constructor]resource1"));
              ComponentValue own;
              own.kind = VK::Own;
              own.bits = rep; // resource 0: filled from the declared result type
              return std::vector{own};
            });
  host.func("[static]resource1.assert",
            [](HostCallContext&,
               std::span<const ComponentValue> args) -> Result<std::vector<ComponentValue>> {
              if (args.size() != 2 || (args[0].kind != VK::Own && args[0].kind != VK::Borrow))
                return host_trap("[static]resource1.assert: expected a handle and a u32");
              TANDEM_ASSIGN(uint32_t want, arg_u32(args, 1, "[static]resource1.assert"));
              if (uint32_t(args[0].bits) != want)
                return host_trap("assertion failed: resource1 rep " +
                                 std::to_string(uint32_t(args[0].bits)) +
                                 " != " + std::to_string(want));
              return std::vector<ComponentValue>{};
            });
  host.func("[static]resource1.last-drop",
            [state](HostCallContext&,
                    std::span<const ComponentValue>) -> Result<std::vector<ComponentValue>> {
              return std::vector{u32(state->last_drop)};
            });
  host.func("[static]resource1.drops",
            [state](HostCallContext&, std::span<const ComponentValue>)
                -> Result<std::vector<ComponentValue>> { return std::vector{u32(state->drops)}; });
  host.func("[method]resource1.simple",
            [](HostCallContext&,
               std::span<const ComponentValue> args) -> Result<std::vector<ComponentValue>> {
              TANDEM_ASSIGN(uint32_t rep,
                            arg_handle(args, 0, VK::Borrow, "[method]resource1.simple"));
              TANDEM_ASSIGN(uint32_t want, arg_u32(args, 1, "[method]resource1.simple"));
              if (rep != want)
                return host_trap("assertion failed: resource1 rep " + std::to_string(rep) +
                                 " != " + std::to_string(want));
              return std::vector<ComponentValue>{};
            });
  host.func("[method]resource1.take-borrow",
            [](HostCallContext&,
               std::span<const ComponentValue> args) -> Result<std::vector<ComponentValue>> {
              TANDEM_TRY(arg_handle(args, 0, VK::Borrow, "[method]resource1.take-borrow"));
              TANDEM_TRY(arg_handle(args, 1, VK::Borrow, "[method]resource1.take-borrow"));
              return std::vector<ComponentValue>{};
            });
  host.func("[method]resource1.take-own",
            [](HostCallContext&,
               std::span<const ComponentValue> args) -> Result<std::vector<ComponentValue>> {
              TANDEM_TRY(arg_handle(args, 0, VK::Borrow, "[method]resource1.take-own"));
              TANDEM_TRY(arg_handle(args, 1, VK::Own, "[method]resource1.take-own"));
              return std::vector<ComponentValue>{};
            });
  host.func("never-return", never_returns());
  host.func("return-two-slowly", constant(2));
  host.func("echo-slowly", echo("echo-slowly"));
  host.func("[method]resource1.never-return", never_returns());
  host.func(
      "return-hi",
      [](HostCallContext&, std::span<const ComponentValue>) -> Result<std::vector<ComponentValue>> {
        ComponentValue s;
        s.kind = VK::String;
        s.text = "hi";
        return std::vector{s};
      });

  HostInstance root;
  root.func("host-echo-u32", echo("host-echo-u32"));
  root.func("host-return-two", constant(2));
  root.instance("host", std::move(host));
  return root;
}

} // namespace tandem::harness
