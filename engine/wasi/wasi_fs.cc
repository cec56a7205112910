// The WASI host's file-descriptor and path functions. Paths go through
// host_paths.h (always beneath the fd's directory); fds index WasiHost::fds_
// (0-2 are the host's stdio and are never closed on the host).
#include "host_paths.h"
#include "wasi_host.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

namespace tandem::wasi {

uint8_t filetype_from_mode(unsigned mode) {
  switch (mode & S_IFMT) {
  case S_IFREG: return abi::kRegularFile;
  case S_IFDIR: return abi::kDirectory;
  case S_IFCHR: return abi::kCharacterDevice;
  case S_IFBLK: return abi::kBlockDevice;
  case S_IFLNK: return abi::kSymbolicLink;
  case S_IFSOCK: return abi::kSocketStream;
  default: return abi::kUnknown;
  }
}

namespace {

uint8_t filetype_from_dirent(unsigned char d_type) {
  switch (d_type) {
  case DT_REG: return abi::kRegularFile;
  case DT_DIR: return abi::kDirectory;
  case DT_CHR: return abi::kCharacterDevice;
  case DT_BLK: return abi::kBlockDevice;
  case DT_LNK: return abi::kSymbolicLink;
  case DT_SOCK: return abi::kSocketStream;
  default: return abi::kUnknown;
  }
}

uint64_t ns_of(const timespec& ts) {
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

uint16_t store_filestat(GuestMemory& mem, uint32_t ptr, const struct stat& st) {
  uint8_t buf[abi::kFilestatSize] = {};
  auto put64 = [&](uint32_t off, uint64_t v) { std::memcpy(buf + off, &v, 8); };
  put64(0, uint64_t(st.st_dev));
  put64(8, uint64_t(st.st_ino));
  buf[16] = filetype_from_mode(st.st_mode);
  put64(24, uint64_t(st.st_nlink));
  put64(32, uint64_t(st.st_size));
  put64(40, ns_of(st.st_atim));
  put64(48, ns_of(st.st_mtim));
  put64(56, ns_of(st.st_ctim));
  return mem.write(ptr, buf, sizeof buf) ? abi::kSuccess : abi::kFault;
}

struct OwnedFd {
  int fd = -1;
  ~OwnedFd() {
    if (fd >= 0) close(fd);
  }
};

} // namespace

uint16_t WasiHost::iovecs(GuestMemory& mem, uint32_t iovs, uint32_t count,
                          std::vector<::iovec>& out) {
  if (count > 1024) return abi::kInval;
  if (!mem.in_bounds(iovs, uint64_t(count) * abi::kIovecSize)) return abi::kFault;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t buf = 0, len = 0;
    mem.load(iovs + i * abi::kIovecSize, buf);
    mem.load(iovs + i * abi::kIovecSize + 4, len);
    if (!mem.in_bounds(buf, len)) return abi::kFault;
    out.push_back(::iovec{mem.at(buf), len});
  }
  return abi::kSuccess;
}

// ---- fd_* ----

// fd_read, fd_write, fd_pread and fd_pwrite: a[1..2] is the iovec array;
// the positioned forms take the offset in a[3] and the result pointer in
// a[4], the others the result pointer in a[3].
uint16_t WasiHost::transfer(const Value* a, Transfer kind) {
  FdEntry* e = entry(a[0].i32());
  if (!e) return abi::kBadf;
  bool positioned = kind == Transfer::PRead || kind == Transfer::PWrite;
  if (!positioned && e->type == abi::kDirectory) return abi::kIsdir;
  GuestMemory mem = memory();
  std::vector<::iovec> iov;
  if (uint16_t err = iovecs(mem, a[1].i32(), a[2].i32(), iov)) return err;
  if (positioned && a[3].i64() > uint64_t(INT64_MAX)) return abi::kInval;
  off_t at = positioned ? off_t(a[3].i64()) : 0;
  int count = int(iov.size());
  ssize_t n = 0;
  do {
    switch (kind) {
    case Transfer::Read: n = readv(e->host, iov.data(), count); break;
    case Transfer::Write: n = writev(e->host, iov.data(), count); break;
    case Transfer::PRead: n = preadv(e->host, iov.data(), count, at); break;
    case Transfer::PWrite: n = pwritev(e->host, iov.data(), count, at); break;
    }
  } while (n < 0 && errno == EINTR);
  if (n < 0) return wasi_errno_from_host(errno);
  return mem.store<uint32_t>(a[positioned ? 4 : 3].i32(), uint32_t(n)) ? abi::kSuccess
                                                                       : abi::kFault;
}

uint16_t WasiHost::fd_read(const Value* a) {
  return transfer(a, Transfer::Read);
}

uint16_t WasiHost::fd_write(const Value* a) {
  return transfer(a, Transfer::Write);
}

uint16_t WasiHost::fd_pread(const Value* a) {
  return transfer(a, Transfer::PRead);
}

uint16_t WasiHost::fd_pwrite(const Value* a) {
  return transfer(a, Transfer::PWrite);
}

uint16_t WasiHost::fd_seek(const Value* a) {
  FdEntry* e = entry(a[0].i32());
  if (!e) return abi::kBadf;
  if (e->type == abi::kDirectory) return abi::kIsdir;
  int whence;
  switch (a[2].i32()) {
  case abi::kWhenceSet: whence = SEEK_SET; break;
  case abi::kWhenceCur: whence = SEEK_CUR; break;
  case abi::kWhenceEnd: whence = SEEK_END; break;
  default: return abi::kInval;
  }
  off_t r = lseek(e->host, off_t(int64_t(a[1].i64())), whence);
  if (r < 0) return wasi_errno_from_host(errno);
  GuestMemory mem = memory();
  return mem.store<uint64_t>(a[3].i32(), uint64_t(r)) ? abi::kSuccess : abi::kFault;
}

uint16_t WasiHost::fd_tell(const Value* a) {
  FdEntry* e = entry(a[0].i32());
  if (!e) return abi::kBadf;
  off_t r = lseek(e->host, 0, SEEK_CUR);
  if (r < 0) return wasi_errno_from_host(errno);
  GuestMemory mem = memory();
  return mem.store<uint64_t>(a[1].i32(), uint64_t(r)) ? abi::kSuccess : abi::kFault;
}

uint16_t WasiHost::fd_close(const Value* a) {
  FdEntry* e = entry(a[0].i32());
  if (!e) return abi::kBadf;
  if (e->owned) close(e->host);
  fds_[a[0].i32()].reset();
  return abi::kSuccess;
}

uint16_t WasiHost::fd_sync(const Value* a) {
  FdEntry* e = entry(a[0].i32());
  if (!e) return abi::kBadf;
  return fsync(e->host) == 0 ? abi::kSuccess : wasi_errno_from_host(errno);
}

uint16_t WasiHost::fd_datasync(const Value* a) {
  FdEntry* e = entry(a[0].i32());
  if (!e) return abi::kBadf;
  return fdatasync(e->host) == 0 ? abi::kSuccess : wasi_errno_from_host(errno);
}

uint16_t WasiHost::fd_fdstat_get(const Value* a) {
  FdEntry* e = entry(a[0].i32());
  if (!e) return abi::kBadf;
  uint16_t flags = 0;
  int fl = fcntl(e->host, F_GETFL);
  if (fl >= 0) {
    if (fl & O_APPEND) flags |= abi::kFdflagAppend;
    if (fl & O_NONBLOCK) flags |= abi::kFdflagNonblock;
    if (fl & O_DSYNC) flags |= abi::kFdflagDsync;
    if ((fl & O_SYNC) == O_SYNC) flags |= abi::kFdflagSync;
  }
  uint8_t buf[abi::kFdstatSize] = {};
  buf[0] = e->type;
  std::memcpy(buf + 2, &flags, 2);
  std::memcpy(buf + 8, &e->rights, 8);
  uint64_t inheriting = abi::kAllRights;
  std::memcpy(buf + 16, &inheriting, 8);
  GuestMemory mem = memory();
  return mem.write(a[1].i32(), buf, sizeof buf) ? abi::kSuccess : abi::kFault;
}

uint16_t WasiHost::fd_fdstat_set_flags(const Value* a) {
  FdEntry* e = entry(a[0].i32());
  if (!e) return abi::kBadf;
  uint32_t flags = a[1].i32();
  if (flags & ~uint32_t(abi::kFdflagAppend | abi::kFdflagNonblock)) return abi::kNotsup;
  int fl = fcntl(e->host, F_GETFL);
  if (fl < 0) return wasi_errno_from_host(errno);
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & abi::kFdflagAppend) fl |= O_APPEND;
  if (flags & abi::kFdflagNonblock) fl |= O_NONBLOCK;
  return fcntl(e->host, F_SETFL, fl) == 0 ? abi::kSuccess : wasi_errno_from_host(errno);
}

uint16_t WasiHost::fd_filestat_get(const Value* a) {
  FdEntry* e = entry(a[0].i32());
  if (!e) return abi::kBadf;
  struct stat st;
  if (fstat(e->host, &st) != 0) return wasi_errno_from_host(errno);
  GuestMemory mem = memory();
  return store_filestat(mem, a[1].i32(), st);
}

uint16_t WasiHost::fd_prestat_get(const Value* a) {
  FdEntry* e = entry(a[0].i32());
  if (!e || !e->preopen) return abi::kBadf;
  uint8_t buf[abi::kPrestatSize] = {};
  buf[0] = abi::kPreopenDir;
  uint32_t len = uint32_t(e->guest_name.size());
  std::memcpy(buf + 4, &len, 4);
  GuestMemory mem = memory();
  return mem.write(a[1].i32(), buf, sizeof buf) ? abi::kSuccess : abi::kFault;
}

uint16_t WasiHost::fd_prestat_dir_name(const Value* a) {
  FdEntry* e = entry(a[0].i32());
  if (!e || !e->preopen) return abi::kBadf;
  if (a[2].i32() < e->guest_name.size()) return abi::kNametoolong;
  GuestMemory mem = memory();
  return mem.write(a[1].i32(), e->guest_name.data(), e->guest_name.size()) ? abi::kSuccess
                                                                           : abi::kFault;
}

uint16_t WasiHost::fd_readdir(const Value* a) {
  FdEntry* e = entry(a[0].i32());
  if (!e) return abi::kBadf;
  if (e->type != abi::kDirectory) return abi::kNotdir;
  uint32_t buf = a[1].i32(), buf_len = a[2].i32();
  uint64_t cookie = a[3].i64();
  GuestMemory mem = memory();
  if (!mem.in_bounds(buf, buf_len) || !mem.in_bounds(a[4].i32(), 4)) return abi::kFault;
  if (cookie == 0 || e->dir_cache.empty()) {
    int fd = openat(e->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return wasi_errno_from_host(errno);
    DIR* dir = fdopendir(fd);
    if (!dir) {
      int err = errno;
      close(fd);
      return wasi_errno_from_host(err);
    }
    e->dir_cache.clear();
    while (struct dirent* d = readdir(dir))
      e->dir_cache.push_back({uint64_t(d->d_ino), filetype_from_dirent(d->d_type), d->d_name});
    closedir(dir);
  }
  uint32_t used = 0;
  for (uint64_t i = cookie; i < e->dir_cache.size() && used < buf_len; ++i) {
    const DirEntryInfo& d = e->dir_cache[size_t(i)];
    uint8_t head[abi::kDirentSize] = {};
    uint64_t next = i + 1;
    uint32_t namlen = uint32_t(d.name.size());
    std::memcpy(head, &next, 8);
    std::memcpy(head + 8, &d.ino, 8);
    std::memcpy(head + 16, &namlen, 4);
    head[20] = d.type;
    // Entries that do not fit are truncated: the guest sees a full buffer and retries.
    uint32_t n = std::min<uint32_t>(abi::kDirentSize, buf_len - used);
    mem.write(buf + used, head, n);
    used += n;
    n = std::min<uint32_t>(namlen, buf_len - used);
    mem.write(buf + used, d.name.data(), n);
    used += n;
  }
  mem.store<uint32_t>(a[4].i32(), used);
  return abi::kSuccess;
}

// ---- path_* ----

namespace {

// Reads the guest path argument pair (ptr, len).
uint16_t guest_path(GuestMemory& mem, const Value& ptr, const Value& len, std::string& out) {
  return mem.string(ptr.i32(), len.i32(), out) ? abi::kSuccess : abi::kFault;
}

} // namespace

uint16_t WasiHost::path_open(const Value* a) {
  FdEntry* dir = entry(a[0].i32());
  if (!dir) return abi::kBadf;
  if (dir->type != abi::kDirectory) return abi::kNotdir;
  GuestMemory mem = memory();
  std::string path;
  if (uint16_t err = guest_path(mem, a[2], a[3], path)) return err;
  uint32_t lookup = a[1].i32(), oflags = a[4].i32(), fdflags = a[7].i32();
  uint64_t rights = a[5].i64();
  if (!mem.in_bounds(a[8].i32(), 4)) return abi::kFault;
  bool want_write = rights & abi::kRightFdWrite;
  bool want_read = rights & abi::kRightFdRead;
  int flags = want_write ? (want_read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (oflags & abi::kOflagDirectory) flags = O_RDONLY | O_DIRECTORY;
  if (oflags & abi::kOflagCreat) flags |= O_CREAT;
  if (oflags & abi::kOflagExcl) flags |= O_EXCL;
  if (oflags & abi::kOflagTrunc) flags |= O_TRUNC;
  if (fdflags & abi::kFdflagAppend) flags |= O_APPEND;
  if (fdflags & abi::kFdflagNonblock) flags |= O_NONBLOCK;
  if (fdflags & (abi::kFdflagDsync | abi::kFdflagRsync)) flags |= O_DSYNC;
  if (fdflags & abi::kFdflagSync) flags |= O_SYNC;
  if ((oflags & abi::kOflagDirectory) && (oflags & (abi::kOflagCreat | abi::kOflagTrunc)))
    return abi::kInval;
  int fd = -1;
  uint16_t err =
      open_beneath(dir->host, path, flags, 0666, (lookup & abi::kLookupSymlinkFollow) != 0, fd);
  // A directory opened for reading only may be what the guest meant (opendir without O_DIRECTORY).
  if (err) return err;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return wasi_errno_from_host(e);
  }
  FdEntry fe;
  fe.host = fd;
  fe.type = filetype_from_mode(st.st_mode);
  fe.rights = rights & abi::kAllRights;
  if (fe.type == abi::kDirectory || fe.rights == 0) fe.rights = abi::kAllRights;
  uint32_t guest_fd = add_fd(std::move(fe));
  mem.store<uint32_t>(a[8].i32(), guest_fd);
  return abi::kSuccess;
}

uint16_t WasiHost::path_filestat_get(const Value* a) {
  FdEntry* dir = entry(a[0].i32());
  if (!dir) return abi::kBadf;
  if (dir->type != abi::kDirectory) return abi::kNotdir;
  GuestMemory mem = memory();
  std::string path;
  if (uint16_t err = guest_path(mem, a[2], a[3], path)) return err;
  bool follow = a[1].i32() & abi::kLookupSymlinkFollow;
  struct stat st;
  std::string last;
  OwnedFd parent;
  uint16_t err = follow ? abi::kInval : open_parent_beneath(dir->host, path, parent.fd, last);
  if (!err) {
    if (fstatat(parent.fd, last.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return wasi_errno_from_host(errno);
  } else if (err == abi::kInval) { // following, or a last component of "." / ".."
    OwnedFd target;
    if (uint16_t e = open_beneath(dir->host, path, O_PATH, 0, follow, target.fd)) return e;
    if (fstat(target.fd, &st) != 0) return wasi_errno_from_host(errno);
  } else {
    return err;
  }
  return store_filestat(mem, a[4].i32(), st);
}

// The path_* calls that act on a path's last component: a[at] is the
// directory fd, a[at + 1..2] the guest path. Opens the path's parent beneath
// that directory. kInval means the last component is "." or "..".
uint16_t WasiHost::open_path_parent(const Value* a, unsigned at, std::string& path, int& parent_fd,
                                    std::string& last) {
  FdEntry* dir = entry(a[at].i32());
  if (!dir) return abi::kBadf;
  GuestMemory mem = memory();
  if (uint16_t err = guest_path(mem, a[at + 1], a[at + 2], path)) return err;
  return open_parent_beneath(dir->host, path, parent_fd, last);
}

uint16_t WasiHost::path_create_directory(const Value* a) {
  std::string path, last;
  OwnedFd parent;
  if (uint16_t err = open_path_parent(a, 0, path, parent.fd, last))
    return err == abi::kInval ? abi::kExist : err;
  return mkdirat(parent.fd, last.c_str(), 0777) == 0 ? abi::kSuccess : wasi_errno_from_host(errno);
}

uint16_t WasiHost::path_unlink_file(const Value* a) {
  std::string path, last;
  OwnedFd parent;
  if (uint16_t err = open_path_parent(a, 0, path, parent.fd, last))
    return err == abi::kInval ? abi::kIsdir : err;
  if (path.back() == '/') {
    struct stat st;
    if (fstatat(parent.fd, last.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return wasi_errno_from_host(errno);
    return S_ISDIR(st.st_mode) ? abi::kIsdir : abi::kNotdir;
  }
  return unlinkat(parent.fd, last.c_str(), 0) == 0 ? abi::kSuccess : wasi_errno_from_host(errno);
}

uint16_t WasiHost::path_remove_directory(const Value* a) {
  std::string path, last;
  OwnedFd parent;
  if (uint16_t err = open_path_parent(a, 0, path, parent.fd, last)) return err;
  return unlinkat(parent.fd, last.c_str(), AT_REMOVEDIR) == 0 ? abi::kSuccess
                                                              : wasi_errno_from_host(errno);
}

uint16_t WasiHost::path_rename(const Value* a) {
  if (!entry(a[0].i32()) || !entry(a[3].i32())) return abi::kBadf;
  std::string from, to, from_last, to_last;
  OwnedFd from_parent, to_parent;
  if (uint16_t err = open_path_parent(a, 0, from, from_parent.fd, from_last)) return err;
  if (uint16_t err = open_path_parent(a, 3, to, to_parent.fd, to_last)) return err;
  return renameat(from_parent.fd, from_last.c_str(), to_parent.fd, to_last.c_str()) == 0
             ? abi::kSuccess
             : wasi_errno_from_host(errno);
}

} // namespace tandem::wasi
