// The thread pool-less work split of parallel.h: threads are started per
// call, which costs tens of microseconds, so callers use it only for inputs
// that take milliseconds.
#include "base/parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

namespace tandem {

unsigned compile_threads() {
  static const unsigned n = [] {
    if (const char* v = std::getenv("TANDEM_COMPILE_THREADS"); v && *v) {
      unsigned long t = std::strtoul(v, nullptr, 10);
      return unsigned(std::clamp<unsigned long>(t, 1, 64));
    }
    return std::clamp(std::thread::hardware_concurrency(), 1u, 16u);
  }();
  return n;
}

void parallel_for(size_t count, const std::function<void(size_t)>& work) {
  std::atomic<size_t> next{0};
  auto loop = [&] {
    for (size_t i; (i = next.fetch_add(1)) < count;) work(i);
  };
  size_t threads = std::min<size_t>(compile_threads(), count);
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(loop);
  loop();
  for (std::thread& t : helpers) t.join();
}

} // namespace tandem
