#pragma once
// Wall-clock seconds for the timing keys of summary.json and the progress lines.
#include <chrono>

namespace mpstream
{
  using WallClock = std::chrono::steady_clock;

  inline double seconds_since(WallClock::time_point start)
  {
    return std::chrono::duration<double>(WallClock::now() - start).count();
  }
} // namespace mpstream
