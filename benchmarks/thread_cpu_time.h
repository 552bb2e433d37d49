#pragma once
// Thread CPU time for the benchmarks: on a shared machine the wall clock also counts the time
// the thread waits for a core.
#include <ctime>

namespace mpstream::bench
{
  inline double thread_cpu_seconds()
  {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
  }
} // namespace mpstream::bench
