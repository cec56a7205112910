// Tier-up policies, the background compiler thread and per-instance job
// bookkeeping (see tier_up.h).
#include "jit/tier_up.h"

#include "jit/compile.h"
#include "jit/jit.h"
#include "runtime/store.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tandem::jit {
namespace {

enum JobState : int { kQueued, kRunning, kDone, kCancelled };

struct Job {
  rt::FuncInst* f = nullptr;
  std::atomic<int> state{kQueued};
  Result<std::shared_ptr<CodeBatch>> result{std::shared_ptr<CodeBatch>()};
};

// The background compiler: one thread, a FIFO of jobs. Immortal (the
// process may exit while it waits).
class CompilerThread {
public:
  static CompilerThread& get() {
    static CompilerThread* t = new CompilerThread;
    return *t;
  }

  void enqueue(std::shared_ptr<Job> job) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!started_) {
      std::thread([this] { loop(); }).detach();
      started_ = true;
    }
    queue_.push_back(std::move(job));
    work_cv_.notify_one();
  }

  // Cancels `job` if it has not started; waits for it if it is running.
  void cancel(Job& job) {
    int expected = kQueued;
    if (job.state.compare_exchange_strong(expected, kCancelled)) return;
    std::unique_lock<std::mutex> lock(mutex_);
    done_cv_.wait(lock, [&] { return job.state.load() != kRunning; });
  }

  void wait_idle() {
    std::unique_lock<std::mutex> lock(mutex_);
    done_cv_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
  }

private:
  void loop() {
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_cv_.wait(lock, [&] { return !queue_.empty(); });
        job = std::move(queue_.front());
        queue_.pop_front();
        int expected = kQueued;
        if (!job->state.compare_exchange_strong(expected, kRunning)) {
          done_cv_.notify_all();
          continue; // cancelled
        }
        ++running_;
      }
      job->result = compile_code(job->f, /*osr_points=*/true);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        job->state.store(kDone);
        --running_;
      }
      done_cv_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  int running_ = 0;
  bool started_ = false;
};

// Tier-up bookkeeping of one module instance, owned by the instance
// (ModuleInst::tier_data): its pending jobs and the functions the JIT
// rejected. Touched only by the store's thread (the compiler thread sees
// the jobs, not this object).
struct InstanceTierState {
  explicit InstanceTierState(const rt::ModuleInst* i) : inst(i) {}
  ~InstanceTierState();
  const rt::ModuleInst* inst;
  std::unordered_map<rt::FuncInst*, std::shared_ptr<Job>> jobs;
  std::unordered_set<rt::FuncInst*> rejected;
  // The code installed for each function (for its OSR entries).
  std::unordered_map<rt::FuncInst*, std::shared_ptr<CodeBatch>> code;
};

std::mutex g_states_mutex;
std::unordered_map<const rt::ModuleInst*, InstanceTierState*>& states() {
  static auto* m = new std::unordered_map<const rt::ModuleInst*, InstanceTierState*>;
  return *m;
}

InstanceTierState::~InstanceTierState() {
  for (auto& [f, job] : jobs) CompilerThread::get().cancel(*job);
  std::lock_guard<std::mutex> lock(g_states_mutex);
  states().erase(inst);
}

InstanceTierState& state_for(rt::ModuleInst* inst) {
  {
    std::lock_guard<std::mutex> lock(g_states_mutex);
    auto it = states().find(inst);
    if (it != states().end()) return *it->second;
  }
  auto s = std::make_shared<InstanceTierState>(inst);
  InstanceTierState* raw = s.get();
  inst->tier_data.push_back(std::move(s));
  std::lock_guard<std::mutex> lock(g_states_mutex);
  states()[inst] = raw;
  return *raw;
}

struct Policy : rt::TierUpHook {
  TierUpConfig config;
};

// Random mode: stable per-function bits (splitmix64 of seed and index).
uint64_t random_bits(uint64_t seed, uint32_t func_index) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ull * (uint64_t(func_index) + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
// Whether the function runs compiled at all.
bool random_choice(uint64_t seed, uint32_t func_index) {
  return (random_bits(seed, func_index) & 1) != 0;
}
// At which count (call or back-edge) it compiles: the first, or a later one
// (2..17), which is often a back-edge of a running call (OSR).
uint32_t random_delay(uint64_t seed, uint32_t func_index) {
  uint64_t z = random_bits(seed, func_index);
  return (z & 2) ? 0 : 2 + uint32_t((z >> 8) % 16);
}

// Installs a finished compile, or records the rejection.
void finish(InstanceTierState& st, rt::FuncInst* f, Result<std::shared_ptr<CodeBatch>>&& result) {
  if (result.ok()) {
    st.code[f] = *result;
    install_batch(f->module, std::move(*result), {&f, 1});
  } else {
    count_fallback(result.error().message);
    st.rejected.insert(f);
  }
}

void on_hot(rt::ExecContext*, rt::FuncInst* f, rt::TierUpHook* self) {
  const TierUpConfig& cfg = static_cast<Policy*>(self)->config;
  if (!f->module || f->entry != fallback_entry()) return;
  InstanceTierState& st = state_for(f->module);
  if (st.rejected.count(f)) return;
  if (cfg.mode == TierUpMode::Random) {
    if (!random_choice(cfg.seed, f->func_index)) return;
    if (f->call_count < random_delay(cfg.seed, f->func_index)) return;
    finish(st, f, compile_code(f, /*osr_points=*/true));
    return;
  }
  auto it = st.jobs.find(f);
  if (it == st.jobs.end()) {
    if (!cfg.background) {
      finish(st, f, compile_code(f, /*osr_points=*/true));
      return;
    }
    auto job = std::make_shared<Job>();
    job->f = f;
    st.jobs.emplace(f, job);
    CompilerThread::get().enqueue(std::move(job));
    return;
  }
  Job& job = *it->second;
  if (job.state.load(std::memory_order_acquire) != kDone) return;
  finish(st, f, std::move(job.result));
  st.jobs.erase(it);
}

rt::EntryFn osr_entry(rt::TierUpHook*, rt::FuncInst* f, uint32_t loop_offset) {
  if (!f->module) return nullptr;
  InstanceTierState& st = state_for(f->module);
  auto it = st.code.find(f);
  if (it == st.code.end() || it->second->entry(0) != f->entry) return nullptr;
  rt::EntryFn e = it->second->osr_entry(0, loop_offset);
  if (e) count_osr_entry();
  return e;
}

} // namespace

rt::TierUpHook* tier_up_hook(const TierUpConfig& config) {
  static std::mutex mutex;
  static auto* policies = new std::vector<std::unique_ptr<Policy>>;
  std::lock_guard<std::mutex> lock(mutex);
  for (auto& p : *policies)
    if (p->config == config) return p.get();
  auto p = std::make_unique<Policy>();
  p->config = config;
  p->on_hot = &on_hot;
  if (config.osr) p->osr_entry = &osr_entry;
  p->threshold = config.mode == TierUpMode::Random ? 1 : std::max<uint32_t>(config.threshold, 1);
  policies->push_back(std::move(p));
  return policies->back().get();
}

TierUpConfig tier_up_config_from_env(uint32_t threshold) {
  TierUpConfig c;
  c.threshold = threshold;
  const char* v = std::getenv("TANDEM_TIERUP");
  if (!v) return c;
  std::string s(v);
  if (s.rfind("random:", 0) == 0) {
    c.mode = TierUpMode::Random;
    c.seed = std::strtoull(s.c_str() + 7, nullptr, 10);
  } else if (s == "sync") {
    c.background = false;
  } else if (s == "noosr") {
    c.osr = false;
  }
  return c;
}

void wait_for_background_compiles() {
  CompilerThread::get().wait_idle();
}

} // namespace tandem::jit
