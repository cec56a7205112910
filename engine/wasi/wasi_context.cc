// The WASI host's linking and its non-filesystem functions: args, environ,
// clocks, random, poll_oneoff (clock subscriptions), proc_exit, sched_yield.
// import_function builds a host Func from the signature in
// wasi_functions.def and dispatches to the WasiHost member, or to an ENOSYS
// stub for the functions marked N.
#include "wasi_host.h"

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <fcntl.h>
#include <sched.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

namespace tandem::wasi {
namespace {

struct FunctionSpec {
  std::string_view name;
  std::string_view signature;
  WasiHost::Handler handler; // nullptr: ENOSYS stub
};

#define WASI_FN(name, sig, impl) {#name, sig, WASI_HANDLER_##impl(name)},
#define WASI_HANDLER_Y(name) &WasiHost::name
#define WASI_HANDLER_N(name) nullptr
constexpr FunctionSpec kFunctions[] = {
#include "wasi_functions.def"
};
#undef WASI_HANDLER_N
#undef WASI_HANDLER_Y
#undef WASI_FN

FuncType parse_signature(std::string_view sig) {
  FuncType t;
  bool results = false;
  for (char c : sig) {
    if (c == ':') {
      results = true;
      continue;
    }
    (results ? t.results : t.params).push_back(c == 'I' ? kI64 : kI32);
  }
  return t;
}

bool clock_of(uint32_t id, clockid_t& out) {
  switch (id) {
  case abi::kClockRealtime: out = CLOCK_REALTIME; return true;
  case abi::kClockMonotonic: out = CLOCK_MONOTONIC; return true;
  case abi::kClockProcessCputime: out = CLOCK_PROCESS_CPUTIME_ID; return true;
  case abi::kClockThreadCputime: out = CLOCK_THREAD_CPUTIME_ID; return true;
  default: return false;
  }
}

uint64_t to_ns(const timespec& ts) {
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

// Writes a list of strings the way args_get/environ_get do: pointers at
// `ptrs`, NUL-terminated bytes at `buf`.
uint16_t write_string_list(GuestMemory mem, const std::vector<std::string>& list, uint32_t ptrs,
                           uint32_t buf) {
  uint64_t at = buf;
  for (size_t i = 0; i < list.size(); ++i) {
    if (at > UINT32_MAX) return abi::kFault;
    if (!mem.store<uint32_t>(ptrs + uint32_t(i) * 4, uint32_t(at))) return abi::kFault;
    if (!mem.write(uint32_t(at), list[i].c_str(), list[i].size() + 1)) return abi::kFault;
    at += list[i].size() + 1;
  }
  return abi::kSuccess;
}

uint16_t write_list_sizes(GuestMemory mem, const std::vector<std::string>& list, uint32_t count_ptr,
                          uint32_t size_ptr) {
  uint64_t total = 0;
  for (const auto& s : list) total += s.size() + 1;
  if (total > UINT32_MAX) return abi::k2Big;
  if (!mem.store<uint32_t>(count_ptr, uint32_t(list.size())) ||
      !mem.store<uint32_t>(size_ptr, uint32_t(total)))
    return abi::kFault;
  return abi::kSuccess;
}

} // namespace

// ---- Wasi (public face) ----

Wasi::Wasi(std::unique_ptr<WasiHost> host) : host_(std::move(host)) {}
Wasi::~Wasi() = default;

Result<std::unique_ptr<Wasi>> Wasi::create(WasiConfig config) {
  auto host = std::make_unique<WasiHost>(std::move(config));
  TANDEM_TRY(host->open_preopens());
  return std::unique_ptr<Wasi>(new Wasi(std::move(host)));
}

Result<Func> Wasi::import_function(Store& store, std::string_view name) {
  return host_->import_function(store, name);
}
void Wasi::set_memory(Memory memory) {
  host_->memory_ = memory;
}
std::optional<uint32_t> Wasi::exit_code() const {
  return host_->exit_code_;
}

// ---- WasiHost: setup and linking ----

WasiHost::~WasiHost() {
  for (auto& e : fds_)
    if (e && e->owned && e->host >= 0) close(e->host);
}

Status WasiHost::open_preopens() {
  for (int i = 0; i < 3; ++i) {
    FdEntry e;
    e.host = i;
    e.owned = false;
    struct stat st;
    e.type = fstat(i, &st) == 0 ? filetype_from_mode(st.st_mode) : abi::kUnknown;
    if (e.type == abi::kCharacterDevice) e.rights &= ~(abi::kRightFdSeek | abi::kRightFdTell);
    fds_.emplace_back(std::move(e));
  }
  for (const auto& p : config_.preopens) {
    int fd = open(p.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
      return Error::make(ErrorKind::Io, "cannot open directory '" + p.host_path +
                                            "' for --dir: " + std::strerror(errno));
    FdEntry e;
    e.host = fd;
    e.type = abi::kDirectory;
    e.preopen = true;
    e.guest_name = p.guest_path;
    fds_.emplace_back(std::move(e));
  }
  return {};
}

Result<Func> WasiHost::import_function(Store& store, std::string_view name) {
  store_ = &store;
  for (const auto& f : kFunctions) {
    if (f.name != name) continue;
    FuncType type = parse_signature(f.signature);
    Handler handler = f.handler;
    bool has_result = !type.results.empty();
    WasiHost* self = this;
    return Func::host(store, type,
                      [self, handler, has_result](std::span<const Value> args,
                                                  std::span<Value> results) -> Status {
                        uint16_t err = handler ? (self->*handler)(args.data()) : abi::kNosys;
                        if (self->exit_code_)
                          return Error::make(ErrorKind::Trap,
                                             std::string(kProcExitMessage) + "(" +
                                                 std::to_string(*self->exit_code_) + ")");
                        if (has_result) results[0] = Value::i32(err);
                        return {};
                      });
  }
  return Error::make(ErrorKind::Unlinkable, "unknown import: " + std::string(kModuleName) +
                                                "::" + std::string(name) +
                                                " is not a WASI preview1 function");
}

GuestMemory WasiHost::memory() {
  if (!memory_ || !store_) return GuestMemory({});
  return GuestMemory(memory_->data(*store_));
}

FdEntry* WasiHost::entry(uint32_t fd) {
  if (fd >= fds_.size() || !fds_[fd]) return nullptr;
  return &*fds_[fd];
}

uint32_t WasiHost::add_fd(FdEntry e) {
  for (size_t i = 3; i < fds_.size(); ++i) {
    if (!fds_[i]) {
      fds_[i] = std::move(e);
      return uint32_t(i);
    }
  }
  fds_.emplace_back(std::move(e));
  return uint32_t(fds_.size() - 1);
}

// ---- args, environ ----

uint16_t WasiHost::args_get(const Value* a) {
  return write_string_list(memory(), config_.args, a[0].i32(), a[1].i32());
}
uint16_t WasiHost::args_sizes_get(const Value* a) {
  return write_list_sizes(memory(), config_.args, a[0].i32(), a[1].i32());
}
uint16_t WasiHost::environ_get(const Value* a) {
  return write_string_list(memory(), config_.env, a[0].i32(), a[1].i32());
}
uint16_t WasiHost::environ_sizes_get(const Value* a) {
  return write_list_sizes(memory(), config_.env, a[0].i32(), a[1].i32());
}

// ---- clocks, random ----

uint16_t WasiHost::clock_res_get(const Value* a) {
  clockid_t id;
  if (!clock_of(a[0].i32(), id)) return abi::kInval;
  timespec ts{};
  if (clock_getres(id, &ts) != 0) return abi::kInval;
  GuestMemory mem = memory();
  return mem.store<uint64_t>(a[1].i32(), to_ns(ts)) ? abi::kSuccess : abi::kFault;
}

uint16_t WasiHost::clock_time_get(const Value* a) {
  clockid_t id;
  if (!clock_of(a[0].i32(), id)) return abi::kInval;
  timespec ts{};
  if (clock_gettime(id, &ts) != 0) return abi::kInval;
  GuestMemory mem = memory();
  return mem.store<uint64_t>(a[2].i32(), to_ns(ts)) ? abi::kSuccess : abi::kFault;
}

uint16_t WasiHost::random_get(const Value* a) {
  GuestMemory mem = memory();
  uint32_t ptr = a[0].i32(), len = a[1].i32();
  if (!mem.in_bounds(ptr, len)) return abi::kFault;
  uint8_t* p = mem.at(ptr);
  while (len > 0) {
    ssize_t n = getrandom(p, len, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return abi::kIo;
    }
    p += n;
    len -= uint32_t(n);
  }
  return abi::kSuccess;
}

// ---- poll_oneoff: clock subscriptions sleep; fd subscriptions report NOTSUP ----

uint16_t WasiHost::poll_oneoff(const Value* a) {
  GuestMemory mem = memory();
  uint32_t in = a[0].i32(), out = a[1].i32(), n = a[2].i32(), nevents_ptr = a[3].i32();
  if (n == 0) return abi::kInval;
  if (!mem.in_bounds(in, uint64_t(n) * abi::kSubscriptionSize) ||
      !mem.in_bounds(out, uint64_t(n) * abi::kEventSize) || !mem.in_bounds(nevents_ptr, 4))
    return abi::kFault;
  struct Sub {
    uint64_t userdata;
    uint8_t tag;
    uint64_t deadline; // monotonic ns, clock subs only
    uint16_t error;
  };
  std::vector<Sub> subs(n);
  timespec now_ts{};
  clock_gettime(CLOCK_MONOTONIC, &now_ts);
  uint64_t now = to_ns(now_ts);
  bool any_fd = false;
  uint64_t earliest = UINT64_MAX;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t s = in + i * abi::kSubscriptionSize;
    Sub& sub = subs[i];
    mem.load(s, sub.userdata);
    mem.load(s + 8, sub.tag);
    sub.error = abi::kSuccess;
    sub.deadline = UINT64_MAX;
    if (sub.tag == abi::kEventClock) {
      uint32_t id = 0;
      uint64_t timeout = 0;
      uint16_t flags = 0;
      mem.load(s + 16, id);
      mem.load(s + 24, timeout);
      mem.load(s + 40, flags);
      clockid_t cid;
      if (!clock_of(id, cid)) {
        sub.error = abi::kInval;
        any_fd = true; // report immediately
        continue;
      }
      if (flags & abi::kSubclockAbstime) {
        timespec c{};
        clock_gettime(cid, &c);
        uint64_t cnow = to_ns(c);
        sub.deadline = now + (timeout > cnow ? timeout - cnow : 0);
      } else {
        sub.deadline = timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
      }
      earliest = std::min(earliest, sub.deadline);
    } else {
      sub.error = abi::kNotsup;
      any_fd = true;
    }
  }
  if (!any_fd && earliest != UINT64_MAX && earliest > now) {
    uint64_t wait = earliest - now;
    timespec ts{time_t(wait / 1000000000ull), long(wait % 1000000000ull)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
    clock_gettime(CLOCK_MONOTONIC, &now_ts);
    now = std::max(to_ns(now_ts), earliest);
  }
  uint32_t events = 0;
  for (const Sub& sub : subs) {
    bool fired = sub.tag != abi::kEventClock || sub.error != abi::kSuccess || sub.deadline <= now;
    if (!fired) continue;
    uint32_t e = out + events * abi::kEventSize;
    uint8_t zero[abi::kEventSize] = {};
    mem.write(e, zero, sizeof zero);
    mem.store<uint64_t>(e, sub.userdata);
    mem.store<uint16_t>(e + 8, sub.error);
    mem.store<uint8_t>(e + 10, sub.tag);
    ++events;
  }
  mem.store<uint32_t>(nevents_ptr, events);
  return abi::kSuccess;
}

// ---- process ----

uint16_t WasiHost::proc_exit(const Value* a) {
  exit_code_ = a[0].i32();
  return abi::kSuccess;
}

uint16_t WasiHost::sched_yield(const Value*) {
  ::sched_yield();
  return abi::kSuccess;
}

} // namespace tandem::wasi
