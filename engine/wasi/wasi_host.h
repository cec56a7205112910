// Internal state of the WASI host: the fd table, the guest's args/env, and one
// member function per implemented preview1 function (IMPL Y in
// wasi_functions.def). Each takes the wasm arguments and returns a WASI errno;
// guest memory is reached only through GuestMemory, which bounds-checks.
#pragma once

#include "wasi.h"
#include "wasi_abi.h"

#include <cstring>
#include <sys/uio.h>

namespace tandem::wasi {

// A bounds-checked view of the guest's linear memory for one host call.
class GuestMemory {
public:
  explicit GuestMemory(std::span<uint8_t> bytes) : bytes_(bytes) {}
  bool in_bounds(uint64_t ptr, uint64_t len) const {
    return ptr <= bytes_.size() && len <= bytes_.size() - ptr;
  }
  uint8_t* at(uint32_t ptr) { return bytes_.data() + ptr; } // only after in_bounds
  template <typename T> bool load(uint32_t ptr, T& out) const {
    if (!in_bounds(ptr, sizeof(T))) return false;
    std::memcpy(&out, bytes_.data() + ptr, sizeof(T));
    return true;
  }
  template <typename T> bool store(uint32_t ptr, T v) {
    if (!in_bounds(ptr, sizeof(T))) return false;
    std::memcpy(bytes_.data() + ptr, &v, sizeof(T));
    return true;
  }
  bool write(uint32_t ptr, const void* src, size_t len) {
    if (!in_bounds(ptr, len)) return false;
    if (len) std::memcpy(bytes_.data() + ptr, src, len);
    return true;
  }
  bool string(uint32_t ptr, uint32_t len, std::string& out) const {
    if (!in_bounds(ptr, len)) return false;
    out.assign(reinterpret_cast<const char*>(bytes_.data()) + ptr, len);
    return true;
  }

private:
  std::span<uint8_t> bytes_;
};

struct DirEntryInfo {
  uint64_t ino = 0;
  uint8_t type = abi::kUnknown;
  std::string name;
};

struct FdEntry {
  int host = -1;
  bool owned = true; // false for the host's stdin/stdout/stderr
  uint8_t type = abi::kUnknown;
  bool preopen = false;
  std::string guest_name; // preopens only
  uint64_t rights = abi::kAllRights;
  std::vector<DirEntryInfo> dir_cache; // fd_readdir snapshot, refreshed at cookie 0
};

class WasiHost {
public:
  using Handler = uint16_t (WasiHost::*)(const Value* args);

  explicit WasiHost(WasiConfig config) : config_(std::move(config)) {}
  ~WasiHost();
  Status open_preopens();
  Result<Func> import_function(Store& store, std::string_view name);

  WasiConfig config_;
  std::vector<std::optional<FdEntry>> fds_;
  Store* store_ = nullptr;
  std::optional<Memory> memory_;
  std::optional<uint32_t> exit_code_;

  GuestMemory memory();
  FdEntry* entry(uint32_t fd);
  uint32_t add_fd(FdEntry e);
  uint16_t iovecs(GuestMemory& mem, uint32_t iovs, uint32_t count, std::vector<::iovec>& out);
  enum class Transfer : uint8_t { Read, Write, PRead, PWrite };
  uint16_t transfer(const Value* a, Transfer kind);
  uint16_t open_path_parent(const Value* a, unsigned at, std::string& path, int& parent_fd,
                            std::string& last);

#define WASI_FN(name, sig, impl) WASI_DECLARE_##impl(name)
#define WASI_DECLARE_Y(name) uint16_t name(const Value* args);
#define WASI_DECLARE_N(name)
#include "wasi_functions.def"
#undef WASI_DECLARE_N
#undef WASI_DECLARE_Y
#undef WASI_FN
};

// Fills a filestat from a host struct stat (defined in wasi_fs.cc).
uint8_t filetype_from_mode(unsigned mode);

} // namespace tandem::wasi
