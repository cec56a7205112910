// The host "real filesystem" instance (see host_fs.h for the interface):
// each function checks its arguments' kinds and the bounds, then reads or
// writes the shared byte store. Errors are traps, never crashes.
#include "host_fs.h"

#include <algorithm>
#include <string>
#include <utility>

namespace tandem::harness {
namespace {

using Kind = ComponentValue::Kind;
using Values = std::vector<ComponentValue>;

Error fs_trap(std::string msg) {
  return Error::make(ErrorKind::Trap, "host fs: " + msg);
}

// Checks that `args` has exactly the kinds `want`.
Status expect_args(std::string_view fn, std::span<const ComponentValue> args,
                   std::initializer_list<Kind> want, std::string_view signature) {
  bool ok = args.size() == want.size();
  size_t i = 0;
  for (Kind k : want) {
    if (!ok) break;
    ok = args[i++].kind == k;
  }
  if (ok) return {};
  return fs_trap("`" + std::string(fn) + "` expects " + std::string(signature));
}

// True when [offset, offset + len) lies inside a store of `size` bytes.
bool in_bounds(uint64_t offset, uint64_t len, size_t size) {
  return offset <= size && len <= size - offset;
}

ComponentValue scalar(Kind kind, uint64_t bits) {
  ComponentValue v;
  v.kind = kind;
  v.bits = bits;
  return v;
}

} // namespace

HostFs::HostFs(uint32_t size) : state_(std::make_shared<State>()) {
  state_->bytes.resize(size);
}

void HostFs::reset() {
  std::fill(state_->bytes.begin(), state_->bytes.end(), uint8_t{0});
  state_->reads = 0;
  state_->writes = 0;
}

HostInstance HostFs::instance() const {
  std::shared_ptr<State> st = state_;
  HostInstance inst;
  inst.func("read", [st](HostCallContext&, std::span<const ComponentValue> args) -> Result<Values> {
    TANDEM_TRY(expect_args("read", args, {Kind::U32}, "(offset: u32) -> u8"));
    uint64_t off = args[0].bits;
    if (!in_bounds(off, 1, st->bytes.size()))
      return fs_trap("read at offset " + std::to_string(off) + " out of bounds");
    ++st->reads;
    return Values{scalar(Kind::U8, st->bytes[off])};
  });
  inst.func(
      "write", [st](HostCallContext&, std::span<const ComponentValue> args) -> Result<Values> {
        TANDEM_TRY(expect_args("write", args, {Kind::U32, Kind::U8}, "(offset: u32, byte: u8)"));
        uint64_t off = args[0].bits;
        if (!in_bounds(off, 1, st->bytes.size()))
          return fs_trap("write at offset " + std::to_string(off) + " out of bounds");
        ++st->writes;
        st->bytes[off] = static_cast<uint8_t>(args[1].bits);
        return Values{};
      });
  inst.func("size", [st](HostCallContext&, std::span<const ComponentValue> args) -> Result<Values> {
    TANDEM_TRY(expect_args("size", args, {}, "() -> u32"));
    return Values{scalar(Kind::U32, st->bytes.size())};
  });
  inst.func("read-range",
            [st](HostCallContext&, std::span<const ComponentValue> args) -> Result<Values> {
              TANDEM_TRY(expect_args("read-range", args, {Kind::U32, Kind::U32},
                                     "(offset: u32, len: u32) -> list<u8>"));
              uint64_t off = args[0].bits;
              uint64_t len = args[1].bits;
              if (!in_bounds(off, len, st->bytes.size()))
                return fs_trap("read-range of " + std::to_string(len) + " bytes at offset " +
                               std::to_string(off) + " out of bounds");
              ++st->reads;
              ComponentValue list;
              list.kind = Kind::List;
              list.items.reserve(len);
              for (uint64_t i = 0; i < len; ++i)
                list.items.push_back(scalar(Kind::U8, st->bytes[off + i]));
              return Values{std::move(list)};
            });
  inst.func("write-range",
            [st](HostCallContext&, std::span<const ComponentValue> args) -> Result<Values> {
              TANDEM_TRY(expect_args("write-range", args, {Kind::U32, Kind::List},
                                     "(offset: u32, bytes: list<u8>)"));
              uint64_t off = args[0].bits;
              const std::vector<ComponentValue>& items = args[1].items;
              for (const ComponentValue& b : items)
                if (b.kind != Kind::U8)
                  return fs_trap("`write-range` expects (offset: u32, bytes: list<u8>)");
              if (!in_bounds(off, items.size(), st->bytes.size()))
                return fs_trap("write-range of " + std::to_string(items.size()) +
                               " bytes at offset " + std::to_string(off) + " out of bounds");
              ++st->writes;
              for (size_t i = 0; i < items.size(); ++i)
                st->bytes[off + i] = static_cast<uint8_t>(items[i].bits);
              return Values{};
            });
  return inst;
}

void HostFs::add_to(HostInstance& root) const {
  root.instance(std::string(kHostFsImportName), instance());
}

} // namespace tandem::harness
