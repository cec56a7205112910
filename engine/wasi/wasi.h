// A WASI preview1 host (module "wasi_snapshot_preview1") for the embedding
// API. Create one Wasi per guest program, give the linker its host functions
// (import_function), hand it the instance's exported memory (set_memory), then
// call the program's `_start`.
//
// Invariants: every guest pointer is bounds-checked against the current
// memory size (a bad one yields EFAULT, never a host access outside it); every
// path is resolved beneath its preopened directory (`..`, absolute paths and
// symlinks that leave it fail with ENOTCAPABLE). proc_exit unwinds out of wasm
// as a Trap-kind Error whose message starts with kProcExitMessage; exit_code()
// then holds the code.
#pragma once

#include "tandem/tandem.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::wasi {

inline constexpr std::string_view kModuleName = "wasi_snapshot_preview1";
inline constexpr std::string_view kProcExitMessage = "wasi proc_exit";

struct Preopen {
  std::string host_path;  // a directory on the host
  std::string guest_path; // the name the guest sees (fd_prestat_dir_name)
};

struct WasiConfig {
  std::vector<std::string> args; // argv, argv[0] included
  std::vector<std::string> env;  // "KEY=VALUE" strings
  std::vector<Preopen> preopens; // become fds 3, 4, ... in this order
};

class WasiHost;

class Wasi {
public:
  // Opens the preopened directories; an unopenable one is an Io error.
  static Result<std::unique_ptr<Wasi>> create(WasiConfig config);
  ~Wasi();
  Wasi(const Wasi&) = delete;
  Wasi& operator=(const Wasi&) = delete;

  // The host function for `wasi_snapshot_preview1.NAME`; an unknown NAME is an
  // Unlinkable error. The function refers to `store` and to this Wasi: both
  // must outlive every call to it.
  Result<Func> import_function(Store& store, std::string_view name);
  // The guest memory that pointers refer to (the instance's "memory" export).
  void set_memory(Memory memory);
  // The code passed to proc_exit, once the program called it.
  std::optional<uint32_t> exit_code() const;

private:
  explicit Wasi(std::unique_ptr<WasiHost> host);
  std::unique_ptr<WasiHost> host_;
};

} // namespace tandem::wasi
