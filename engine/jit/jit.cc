// The JIT tier's entry points: lazy compilation, installation of compiled
// entries, the interpreter fallback and the statistics (see jit.h).
#include "jit/jit.h"

#include "base/parallel.h"
#include "jit/codegen.h"
#include "jit/compile.h"
#include "jit/trap_handler.h"
#include "runtime/module_impl.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <unistd.h>

namespace tandem::jit {
namespace {

std::atomic<rt::EntryFn> g_fallback{nullptr};

struct Counters {
  std::mutex mutex;
  uint64_t compiled = 0;
  uint64_t fallbacks = 0;
  uint64_t code_bytes = 0;
  uint64_t osr_entries = 0;
  std::map<std::string, uint64_t> reasons;
};
// Immortal: the compiler thread may still count while the process exits.
Counters& counters() {
  static Counters* c = new Counters;
  return *c;
}

// An environment switch: set, non-empty and not "0".
bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v && *v && *v != '0';
}

// TANDEM_JIT_STATS=1 in the environment prints the counters at exit (for
// suite runs: which operators still fall back).
void print_stats_at_exit() {
  JitStats s = stats();
  std::fprintf(stderr, "jit: %llu compiled, %llu fallbacks, %llu code bytes, %llu OSR entries\n",
               (unsigned long long)s.compiled, (unsigned long long)s.fallbacks,
               (unsigned long long)s.code_bytes, (unsigned long long)s.osr_entries);
  for (const std::string& r : s.fallback_reasons)
    std::fprintf(stderr, "jit fallback: %s\n", r.c_str());
}
void maybe_register_stats_printer() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (env_flag("TANDEM_JIT_STATS")) std::atexit(print_stats_at_exit);
  });
}

// Two switches for looking at the code (read once):
// - TANDEM_JIT_PERFMAP=1 appends every compiled function to
//   /tmp/perf-PID.map (the format `perf report` reads for JIT code, as V8's
//   --perf-basic-prof does), named wasm-function[INDEX];
// - TANDEM_JIT_DUMP=DIR writes each function's machine code to
//   DIR/wasm-function-INDEX.bin (`objdump -D -b binary -mi386:x86-64`).
void write_code_dump(const char* dir, const CodeBatch& batch,
                     std::span<rt::FuncInst* const> funcs) {
  for (size_t i = 0; i < funcs.size(); ++i) {
    const CodeRegion& r = batch.region(i);
    std::string path =
        std::string(dir) + "/wasm-function-" + std::to_string(funcs[i]->func_index) + ".bin";
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
      std::fwrite(reinterpret_cast<const void*>(r.start), 1, r.end - r.start, f);
      std::fclose(f);
    }
  }
}
void write_perf_map(const CodeBatch& batch, std::span<rt::FuncInst* const> funcs) {
  static std::FILE* out = [] {
    char path[64];
    std::snprintf(path, sizeof path, "/tmp/perf-%d.map", int(getpid()));
    return std::fopen(path, "a");
  }();
  if (!out) return;
  for (size_t i = 0; i < funcs.size(); ++i) {
    const CodeRegion& r = batch.region(i);
    std::fprintf(out, "%lx %lx wasm-function[%u]\n", (unsigned long)r.start,
                 (unsigned long)(r.end - r.start), funcs[i]->func_index);
  }
  std::fflush(out);
}
// The two switches above, for a batch about to be installed.
void publish_for_tools(const CodeBatch& batch, std::span<rt::FuncInst* const> funcs) {
  static const bool perf_map = env_flag("TANDEM_JIT_PERFMAP");
  static const char* dump_dir = std::getenv("TANDEM_JIT_DUMP");
  bool dump = dump_dir && *dump_dir;
  if (!perf_map && !dump) return;
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  if (dump) write_code_dump(dump_dir, batch, funcs);
  if (perf_map) write_perf_map(batch, funcs);
}

// Functions compiled together on a lazy entry (one code mapping each batch).
constexpr size_t kBatchSize = 128;
// Buffer reserved per byte of wasm code (machine code is about 2.5x).
constexpr size_t kCodeBytesPerBodyByte = 3;

} // namespace

Status generate(CodeGenerator& gen, MacroAssembler& masm, rt::FuncInst* f) {
  if (!f->module) return Error::make(ErrorKind::Internal, "no code for a host function");
  install_trap_handler();
  maybe_register_stats_printer();
  masm.begin_function();
  Status s = gen.run(f->func_index);
  if (!s.ok()) masm.abandon_function();
  return s;
}

Result<std::shared_ptr<CodeBatch>> compile_code(rt::FuncInst* f, bool osr_points) {
  if (!f->module) return Error::make(ErrorKind::Internal, "no code for a host function");
  MacroAssembler masm;
  CodeGenerator gen(*f->module, masm, osr_points);
  TANDEM_TRY(generate(gen, masm, f));
  return CodeBatch::create(masm);
}

void install_batch(rt::ModuleInst* inst, std::shared_ptr<CodeBatch> batch,
                   std::span<rt::FuncInst* const> funcs) {
  {
    Counters& c = counters();
    std::lock_guard<std::mutex> lock(c.mutex);
    c.compiled += funcs.size();
    c.code_bytes += batch->code_bytes();
  }
  publish_for_tools(*batch, funcs);
  for (size_t i = 0; i < funcs.size(); ++i) {
    funcs[i]->jit_entry = batch->internal_entry(i);
    std::atomic_ref<rt::EntryFn>(funcs[i]->entry).store(batch->entry(i), std::memory_order_release);
  }
  inst->tier_data.push_back(std::move(batch));
}

void count_fallback(const std::string& reason) {
  Counters& c = counters();
  std::lock_guard<std::mutex> lock(c.mutex);
  ++c.fallbacks;
  ++c.reasons[reason];
}

void count_osr_entry() {
  Counters& c = counters();
  std::lock_guard<std::mutex> lock(c.mutex);
  ++c.osr_entries;
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
  Result<std::shared_ptr<CodeBatch>> batch = compile_code(f, /*osr_points=*/false);
  if (!batch.ok()) {
    count_fallback(batch.error().message);
    rt::EntryFn fb = g_fallback.load();
    if (!fb)
      return Error::make(ErrorKind::Internal, "JIT: no fallback tier for " + batch.error().message);
    f->entry = fb;
    return std::move(batch).error();
  }
  install_batch(f->module, std::move(*batch), {&f, 1});
  return {};
}

namespace {

// One batch of compile_pending: its functions, then what became of them.
struct PendingBatch {
  std::span<rt::FuncInst* const> funcs;
  std::vector<rt::FuncInst*> ok; // compiled, in `batch`
  std::shared_ptr<CodeBatch> batch;
  std::vector<std::pair<rt::FuncInst*, std::string>> failed; // with the reason
};

// Compiles one batch into one code mapping, with one assembler (one buffer)
// and one code generator. Touches nothing shared but the trap-site registry
// (locked): the caller installs the result.
void compile_batch(rt::ModuleInst* inst, PendingBatch& b) {
  const wasm::Module& m = inst->module->module;
  MacroAssembler masm;
  size_t body_bytes = 0;
  for (rt::FuncInst* f : b.funcs) body_bytes += m.body_of(f->func_index).code.size;
  masm.reserve(kCodeBytesPerBodyByte * body_bytes + 256 * b.funcs.size());
  CodeGenerator gen(*inst, masm, /*osr_points=*/false);
  for (rt::FuncInst* f : b.funcs) {
    Status s = generate(gen, masm, f);
    if (s.ok())
      b.ok.push_back(f);
    else
      b.failed.emplace_back(f, s.error().message);
  }
  if (b.ok.empty()) return;
  Result<std::shared_ptr<CodeBatch>> batch = CodeBatch::create(masm);
  if (batch.ok()) {
    b.batch = std::move(*batch);
    return;
  }
  for (rt::FuncInst* f : b.ok) b.failed.emplace_back(f, batch.error().message);
  b.ok.clear();
}

// Compiles every function of `inst` still waiting on the lazy entry, in
// batches, on up to compile_threads() threads (base/parallel.h; the caller
// is one of them);
// then installs the batches in order on the calling thread. A function the
// JIT rejects gets the fallback entry.
void compile_pending(rt::ModuleInst* inst) {
  std::vector<rt::FuncInst*> pending;
  for (rt::FuncInst* g : inst->funcs)
    if (g->module == inst && g->entry == &lazy_compile_entry) pending.push_back(g);
  std::vector<PendingBatch> batches;
  for (size_t start = 0; start < pending.size(); start += kBatchSize) {
    size_t n = std::min(kBatchSize, pending.size() - start);
    batches.emplace_back().funcs = std::span<rt::FuncInst* const>(pending).subspan(start, n);
  }
  parallel_for(batches.size(), [&](size_t i) { compile_batch(inst, batches[i]); });
  rt::EntryFn fb = g_fallback.load();
  for (PendingBatch& b : batches) {
    for (auto& [f, reason] : b.failed) {
      count_fallback(reason);
      if (fb) f->entry = fb;
    }
    if (b.batch) install_batch(inst, std::move(b.batch), b.ok);
  }
}

} // namespace

void compile_instance(rt::ModuleInst* inst) {
  for (rt::FuncInst* g : inst->funcs)
    if (g->module == inst && !is_compiled(g) && g->entry != g_fallback.load())
      g->entry = &lazy_compile_entry;
  compile_pending(inst);
}

bool lazy_compile_entry(rt::ExecContext* ctx, rt::FuncInst* f, rt::RawValue* frame) {
  if (f->module) compile_pending(f->module);
  if (f->entry == &lazy_compile_entry) // no fallback either
    return ctx->store->fail(Error::make(ErrorKind::Internal, "JIT: no entry for a function"));
  return f->entry(ctx, f, frame);
}

JitStats stats() {
  Counters& c = counters();
  std::lock_guard<std::mutex> lock(c.mutex);
  JitStats s;
  s.compiled = c.compiled;
  s.fallbacks = c.fallbacks;
  s.code_bytes = c.code_bytes;
  s.osr_entries = c.osr_entries;
  for (const auto& [reason, n] : c.reasons)
    s.fallback_reasons.push_back(std::to_string(n) + " " + reason);
  return s;
}

void reset_stats() {
  Counters& c = counters();
  std::lock_guard<std::mutex> lock(c.mutex);
  c.compiled = c.fallbacks = c.code_bytes = c.osr_entries = 0;
  c.reasons.clear();
}

} // namespace tandem::jit
