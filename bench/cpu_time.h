// CPU time of the whole process (every thread), in seconds: what the
// benchmarks compare on a shared machine, where wall time mostly measures
// the other jobs.
#pragma once

#include <ctime>

namespace tandem::bench {

inline double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

} // namespace tandem::bench
