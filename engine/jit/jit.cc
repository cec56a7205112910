// The JIT tier's entry points: lazy compilation, installation of compiled
// entries, the interpreter fallback and the statistics (see jit.h).
#include "jit/jit.h"

#include "jit/codegen.h"
#include "jit/compile.h"
#include "jit/trap_handler.h"
#include "runtime/module_impl.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>

namespace tandem::jit {
namespace {

std::atomic<rt::EntryFn> g_fallback{nullptr};

struct Counters {
  std::mutex mutex;
  uint64_t compiled = 0;
  uint64_t fallbacks = 0;
  uint64_t code_bytes = 0;
  std::map<std::string, uint64_t> reasons;
};
// Immortal: the compiler thread may still count while the process exits.
Counters& counters() {
  static Counters* c = new Counters;
  return *c;
}

// TANDEM_JIT_STATS=1 in the environment prints the counters at exit (for
// suite runs: which operators still fall back).
void print_stats_at_exit() {
  JitStats s = stats();
  std::fprintf(stderr, "jit: %llu compiled, %llu fallbacks, %llu code bytes\n",
               (unsigned long long)s.compiled, (unsigned long long)s.fallbacks,
               (unsigned long long)s.code_bytes);
  for (const std::string& r : s.fallback_reasons)
    std::fprintf(stderr, "jit fallback: %s\n", r.c_str());
}
void maybe_register_stats_printer() {
  static std::once_flag once;
  std::call_once(once, [] {
    const char* v = std::getenv("TANDEM_JIT_STATS");
    if (v && *v && *v != '0') std::atexit(print_stats_at_exit);
  });
}

// A compiled function's code, owned by its module instance.
struct CompiledHolder {
  std::unique_ptr<CompiledCode> code;
};

} // namespace

Result<std::unique_ptr<CompiledCode>> compile_code(rt::FuncInst* f) {
  if (!f->module) return Error::make(ErrorKind::Internal, "no code for a host function");
  install_trap_handler();
  maybe_register_stats_printer();
  MacroAssembler masm;
  CodeGenerator gen(*f->module, f->func_index, masm);
  TANDEM_TRY(gen.run());
  return masm.finalize();
}

void install_code(rt::FuncInst* f, std::unique_ptr<CompiledCode> code) {
  auto holder = std::make_shared<CompiledHolder>();
  holder->code = std::move(code);
  rt::EntryFn entry = holder->code->entry();
  {
    Counters& c = counters();
    std::lock_guard<std::mutex> lock(c.mutex);
    ++c.compiled;
    c.code_bytes += holder->code->code_size();
  }
  f->module->tier_data.push_back(std::move(holder));
  std::atomic_ref<rt::EntryFn>(f->entry).store(entry, std::memory_order_release);
}

void count_fallback(const std::string& reason) {
  Counters& c = counters();
  std::lock_guard<std::mutex> lock(c.mutex);
  ++c.fallbacks;
  ++c.reasons[reason];
}

rt::EntryFn fallback_entry() {
  return g_fallback.load();
}

void set_fallback_entry(rt::EntryFn entry) {
  g_fallback.store(entry);
}

bool is_compiled(const rt::FuncInst* f) {
  return f->entry && f->entry != &lazy_compile_entry && f->entry != g_fallback.load() &&
         f->module != nullptr;
}

Status compile_function(rt::FuncInst* f) {
  if (is_compiled(f)) return {};
  Result<std::unique_ptr<CompiledCode>> code = compile_code(f);
  if (!code.ok()) {
    count_fallback(code.error().message);
    rt::EntryFn fb = g_fallback.load();
    if (!fb)
      return Error::make(ErrorKind::Internal, "JIT: no fallback tier for " + code.error().message);
    f->entry = fb;
    return std::move(code).error();
  }
  install_code(f, std::move(*code));
  return {};
}

bool lazy_compile_entry(rt::ExecContext* ctx, rt::FuncInst* f, rt::RawValue* frame) {
  Status s = compile_function(f);
  if (f->entry == &lazy_compile_entry) // no fallback either
    return ctx->store->fail(s.ok() ? Error::make(ErrorKind::Internal, "JIT: no entry") : s.error());
  return f->entry(ctx, f, frame);
}

JitStats stats() {
  Counters& c = counters();
  std::lock_guard<std::mutex> lock(c.mutex);
  JitStats s;
  s.compiled = c.compiled;
  s.fallbacks = c.fallbacks;
  s.code_bytes = c.code_bytes;
  for (const auto& [reason, n] : c.reasons)
    s.fallback_reasons.push_back(std::to_string(n) + " " + reason);
  return s;
}

void reset_stats() {
  Counters& c = counters();
  std::lock_guard<std::mutex> lock(c.mutex);
  c.compiled = c.fallbacks = c.code_bytes = 0;
  c.reasons.clear();
}

} // namespace tandem::jit
