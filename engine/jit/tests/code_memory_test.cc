// Code memory is W^X, and the guard-page trap handler accepts a fault only
// at a registered trap site touching that site's memory reservation; any
// other fault kills the process with the original signal.
#include "jit/code_memory.h"
#include "jit/tests/tier_rig.h"
#include "jit/trap_handler.h"

#include <asmjit/x86.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <sys/mman.h>
#include <sys/wait.h>

using namespace tandem;
using namespace tandem::jit;

namespace {

// The permission string ("r-xp") of the mapping containing `p`.
std::string mapping_perms(const void* p) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  uintptr_t a = reinterpret_cast<uintptr_t>(p);
  while (std::getline(maps, line)) {
    std::istringstream in(line);
    std::string range, perms;
    in >> range >> perms;
    size_t dash = range.find('-');
    uintptr_t lo = std::stoull(range.substr(0, dash), nullptr, 16);
    uintptr_t hi = std::stoull(range.substr(dash + 1), nullptr, 16);
    if (a >= lo && a < hi) return perms;
  }
  return "";
}

bool any_writable_executable_mapping() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream in(line);
    std::string range, perms;
    in >> range >> perms;
    if (perms.size() >= 3 && perms[1] == 'w' && perms[2] == 'x') return true;
  }
  return false;
}

TEST(CodeMemory, WritableThenExecutableNeverBoth) {
  auto mem = CodeMemory::allocate(100);
  ASSERT_TRUE(mem.ok());
  EXPECT_EQ(mapping_perms((*mem)->data()).substr(0, 3), "rw-");
  ASSERT_TRUE((*mem)->make_executable().ok());
  EXPECT_EQ(mapping_perms((*mem)->data()).substr(0, 3), "r-x");
}

TEST(CodeMemory, CompiledFunctionsAreReadExecuteOnly) {
  jit::testing::TierRig rig(Tier::Jit);
  ASSERT_TRUE(rig.load("(module (func (export \"f\") (result i32) (i32.const 7)))"));
  EXPECT_EQ(rig.bits("f"), 7u);
  rig.expect_compiled("f");
  void* entry = reinterpret_cast<void*>(rig.func("f").raw()->entry);
  EXPECT_EQ(mapping_perms(entry).substr(0, 3), "r-x");
  EXPECT_FALSE(any_writable_executable_mapping());
}

// A hand-made "compiled function" `int f(const int* p) { return *p; }` whose
// load is a registered trap site for a fake memory, and whose out-of-bounds
// stub returns -1.
struct FakeCode {
  std::unique_ptr<CodeMemory> mem;
  CodeRegion region;
  rt::MemoryInst memory;
  void* reservation = nullptr;
  size_t reserved = 1 << 20;

  FakeCode() {
    reservation = mmap(nullptr, reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memory.base = static_cast<uint8_t*>(reservation);
    memory.reserved = reserved;
    asmjit::CodeHolder code;
    code.init(asmjit::Environment::host());
    asmjit::x86::Assembler a(&code);
    asmjit::Label stub = a.newLabel();
    size_t site = a.offset();
    a.mov(asmjit::x86::eax, asmjit::x86::dword_ptr(asmjit::x86::rdi));
    a.ret();
    a.bind(stub);
    a.mov(asmjit::x86::eax, -1);
    a.ret();
    code.flatten();
    auto allocated = CodeMemory::allocate(code.codeSize());
    EXPECT_TRUE(allocated.ok());
    mem = std::move(allocated.value());
    code.relocateToBase(reinterpret_cast<uint64_t>(mem->data()));
    code.copyFlattenedData(mem->data(), mem->size());
    EXPECT_TRUE(mem->make_executable().ok());
    region.start = reinterpret_cast<uintptr_t>(mem->data());
    region.end = region.start + code.codeSize();
    region.oob_stub = region.start + code.labelOffsetFromBase(stub);
    region.sites = {TrapSite{uint32_t(site), &memory}};
    register_code_region(&region);
    install_trap_handler();
  }
  ~FakeCode() {
    unregister_code_region(&region);
    munmap(reservation, reserved);
  }
  int call(const void* p) { return reinterpret_cast<int (*)(const void*)>(mem->data())(p); }
};

TEST(TrapHandler, FaultAtATrapSiteInsideTheReservationResumesAtTheStub) {
  FakeCode fake;
  uintptr_t start = fake.region.start;
  auto base = reinterpret_cast<uintptr_t>(fake.reservation);
  EXPECT_EQ(trap_resume_address(start, base + 100), fake.region.oob_stub);
  EXPECT_FALSE(trap_resume_address(start, base + fake.reserved).has_value()); // outside
  EXPECT_FALSE(trap_resume_address(start + 1, base + 100).has_value());       // not a site
  EXPECT_EQ(fake.call(static_cast<uint8_t*>(fake.reservation) + 100), -1);
  int value = 5;
  EXPECT_EQ(fake.call(&value), 5);
}

// How an unaccepted fault ends the process: by SIGSEGV, or, in a build with
// AddressSanitizer (whose handler we chain to), by its SEGV report and exit(1).
// GCC says __SANITIZE_ADDRESS__; clang says __has_feature(address_sanitizer).
#if defined(__SANITIZE_ADDRESS__)
#define TANDEM_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TANDEM_TEST_UNDER_ASAN 1
#endif
#endif
bool died_of_fault(int status) {
#if defined(TANDEM_TEST_UNDER_ASAN)
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) return true;
#endif
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

TEST(TrapHandlerDeathTest, FaultOutsideTheReservationKillsTheProcess) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        FakeCode fake;
        void* other = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        fake.call(other);
      },
      died_of_fault, "");
}

TEST(TrapHandlerDeathTest, FaultOutsideCompiledCodeKillsTheProcess) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        install_trap_handler();
        void* p = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        *static_cast<volatile int*>(p) = 1;
      },
      died_of_fault, "");
}

} // namespace
