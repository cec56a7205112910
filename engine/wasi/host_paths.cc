// Confined path resolution (see host_paths.h). The manual walker keeps a
// stack of directory fds, one per component below the start, so `..` can pop
// but never rise above the start; symlinks are read with readlinkat and their
// targets spliced into the remaining components (absolute targets escape and
// fail; at most kMaxSymlinks expansions, then ELOOP).
#include "host_paths.h"

#include "wasi_abi.h"

#include <cerrno>
#include <deque>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace tandem::wasi {
namespace {

constexpr int kMaxSymlinks = 40;
bool g_force_manual = false;

uint16_t check_path(std::string_view path) {
  if (path.empty()) return abi::kNoent;
  if (path.find('\0') != std::string_view::npos) return abi::kInval;
  if (path.front() == '/') return abi::kNotcapable;
  return abi::kSuccess;
}

void split_into(std::string_view path, std::deque<std::string>& out, bool front) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view c = path.substr(i, j - i);
    if (!c.empty() && c != ".") parts.emplace_back(c);
    i = j + 1;
  }
  if (front)
    out.insert(out.begin(), parts.begin(), parts.end());
  else
    out.insert(out.end(), parts.begin(), parts.end());
}

// Returns true and the link target when `name` in `dir` is a symlink.
bool read_link(int dir, const std::string& name, std::string& target) {
  char buf[4096];
  ssize_t n = readlinkat(dir, name.c_str(), buf, sizeof buf);
  if (n < 0 || size_t(n) >= sizeof buf) return false;
  target.assign(buf, size_t(n));
  return true;
}

uint16_t manual_open(int dirfd, std::string_view path, int flags, unsigned mode, bool follow_last,
                     int& out_fd) {
  std::deque<std::string> rest;
  split_into(path, rest, false);
  bool trailing_slash = path.back() == '/';
  std::vector<int> chain; // owned fds below dirfd
  auto cur = [&] { return chain.empty() ? dirfd : chain.back(); };
  auto cleanup = [&] {
    for (int fd : chain) close(fd);
  };
  int links = 0;
  while (true) {
    if (rest.empty()) {
      // The path named the current directory itself.
      int fd = openat(cur(), ".", flags | O_CLOEXEC, mode);
      int e = errno;
      cleanup();
      if (fd < 0) return wasi_errno_from_host(e);
      out_fd = fd;
      return abi::kSuccess;
    }
    std::string comp = std::move(rest.front());
    rest.pop_front();
    if (comp == "..") {
      if (chain.empty()) {
        cleanup();
        return abi::kNotcapable;
      }
      close(chain.back());
      chain.pop_back();
      continue;
    }
    bool last = rest.empty();
    std::string target;
    if ((!last || follow_last || trailing_slash) && read_link(cur(), comp, target)) {
      if (++links > kMaxSymlinks || target.empty() || target.front() == '/') {
        cleanup();
        return links > kMaxSymlinks ? abi::kLoop : abi::kNotcapable;
      }
      split_into(target, rest, true);
      if (last && target.back() == '/') trailing_slash = true;
      continue;
    }
    if (last) {
      int f = flags | O_NOFOLLOW | O_CLOEXEC | (trailing_slash ? O_DIRECTORY : 0);
      int fd = openat(cur(), comp.c_str(), f, mode);
      int e = errno;
      cleanup();
      if (fd < 0) return wasi_errno_from_host(e);
      out_fd = fd;
      return abi::kSuccess;
    }
    int fd = openat(cur(), comp.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      int e = errno;
      cleanup();
      return wasi_errno_from_host(e);
    }
    chain.push_back(fd);
  }
}

} // namespace

void force_manual_path_walk(bool on) {
  g_force_manual = on;
}

uint16_t wasi_errno_from_host(int e) {
  switch (e) {
  case 0: return abi::kSuccess;
  case E2BIG: return abi::k2Big;
  case EACCES: return abi::kAcces;
  case EAGAIN: return abi::kAgain;
  case EBADF: return abi::kBadf;
  case EBUSY: return abi::kBusy;
  case EEXIST: return abi::kExist;
  case EFAULT: return abi::kFault;
  case EFBIG: return abi::kFbig;
  case EINTR: return abi::kIntr;
  case EINVAL: return abi::kInval;
  case EIO: return abi::kIo;
  case EISDIR: return abi::kIsdir;
  case ELOOP: return abi::kLoop;
  case EMFILE: return abi::kMfile;
  case EMLINK: return abi::kMlink;
  case ENAMETOOLONG: return abi::kNametoolong;
  case ENFILE: return abi::kNfile;
  case ENODEV: return abi::kNodev;
  case ENOENT: return abi::kNoent;
  case ENOMEM: return abi::kNomem;
  case ENOSPC: return abi::kNospc;
  case ENOSYS: return abi::kNosys;
  case ENOTDIR: return abi::kNotdir;
  case ENOTEMPTY: return abi::kNotempty;
  case ENOTSUP: return abi::kNotsup;
  case ENOTTY: return abi::kNotty;
  case ENXIO: return abi::kNxio;
  case EOVERFLOW: return abi::kOverflow;
  case EPERM: return abi::kPerm;
  case EPIPE: return abi::kPipe;
  case EROFS: return abi::kRofs;
  case ESPIPE: return abi::kSpipe;
  case ETXTBSY: return abi::kTxtbsy;
  case EXDEV: return abi::kNotcapable; // RESOLVE_BENEATH reports escapes as EXDEV
  default: return abi::kIo;
  }
}

uint16_t open_beneath(int dirfd, std::string_view path, int flags, unsigned mode, bool follow_last,
                      int& out_fd) {
  if (uint16_t e = check_path(path)) return e;
  if (!g_force_manual) {
    std::string p(path);
    open_how how{};
    how.flags = uint64_t(flags | O_CLOEXEC | (follow_last ? 0 : O_NOFOLLOW));
    how.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    long fd = syscall(SYS_openat2, dirfd, p.c_str(), &how, sizeof how);
    if (fd >= 0) {
      out_fd = int(fd);
      return abi::kSuccess;
    }
    if (errno != ENOSYS) return wasi_errno_from_host(errno);
  }
  return manual_open(dirfd, path, flags, mode, follow_last, out_fd);
}

uint16_t open_parent_beneath(int dirfd, std::string_view path, int& parent_fd, std::string& last) {
  if (uint16_t e = check_path(path)) return e;
  std::string_view p = path;
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  size_t slash = p.rfind('/');
  std::string_view parent = slash == std::string_view::npos ? "." : p.substr(0, slash);
  if (parent.empty()) parent = "/";
  last = std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
  if (last.empty() || last == "." || last == "..") return abi::kInval;
  return open_beneath(dirfd, parent, O_PATH | O_DIRECTORY, 0, true, parent_fd);
}

} // namespace tandem::wasi
