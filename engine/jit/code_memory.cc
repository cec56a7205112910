// CodeMemory: mmap RW, then mprotect RX once (see code_memory.h).
#include "jit/code_memory.h"

#include <sys/mman.h>
#include <unistd.h>

namespace tandem::jit {

Result<std::unique_ptr<CodeMemory>> CodeMemory::allocate(size_t bytes) {
  size_t page = size_t(sysconf(_SC_PAGESIZE));
  size_t size = (bytes + page - 1) / page * page;
  if (size == 0) size = page;
  // Populated up front: the compiler writes every page at once, and one
  // populate is cheaper than a fault per page.
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                 -1, 0);
  if (p == MAP_FAILED) return Error::make(ErrorKind::Exhaustion, "cannot allocate code memory");
  return std::unique_ptr<CodeMemory>(new CodeMemory(static_cast<uint8_t*>(p), size));
}

CodeMemory::~CodeMemory() {
  munmap(base_, size_);
}

Status CodeMemory::make_executable() {
  if (mprotect(base_, size_, PROT_READ | PROT_EXEC) != 0)
    return Error::make(ErrorKind::Internal, "cannot make code memory executable");
  executable_ = true;
  return {};
}

} // namespace tandem::jit
