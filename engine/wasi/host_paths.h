// Confined path resolution on the host for the WASI layer: every path is
// resolved beneath a directory fd with openat2(RESOLVE_BENEATH) when the kernel
// has it, else component by component with O_NOFOLLOW (symlinks expanded by
// hand, `..` never above the start). Escapes fail with ENOTCAPABLE. All
// results are WASI errno values (wasi_abi.h), never host errno.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tandem::wasi {

// Host errno -> WASI errno.
uint16_t wasi_errno_from_host(int host_errno);

// Opens `path` beneath `dirfd` with open(2) `flags`/`mode`. `follow_last`
// says whether a symlink as the last component is followed. On success sets
// `out_fd` (owned by the caller) and returns 0.
uint16_t open_beneath(int dirfd, std::string_view path, int flags, unsigned mode, bool follow_last,
                      int& out_fd);

// Opens the directory that contains the last component of `path` (an O_PATH
// fd, owned by the caller) and returns that component in `last`. A last
// component of "." or ".." is EINVAL (callers that only read use open_beneath).
uint16_t open_parent_beneath(int dirfd, std::string_view path, int& parent_fd, std::string& last);

// Test hook: forces the component-by-component resolver.
void force_manual_path_walk(bool on);

} // namespace tandem::wasi
