// Work split over threads for the per-function passes over a large module
// (validation, JIT compilation): how many threads, and a loop that hands
// out item indices to them. Small inputs stay on the calling thread.
#pragma once

#include <cstddef>
#include <functional>

namespace tandem {

// Threads for one such pass: TANDEM_COMPILE_THREADS=N (1..64) if set, else
// one per core (at most 16). Read once.
unsigned compile_threads();

// Calls work(i) for every i in [0, count), on up to compile_threads()
// threads (the caller is one), when count >= 2; each thread takes the next
// index as it finishes one. Returns when all calls have returned. `work`
// must be safe to run concurrently on different indices.
void parallel_for(size_t count, const std::function<void(size_t)>& work);

} // namespace tandem
