#pragma once
// Progress lines of the charging driver and its parts: "[charging] <message>" (the app's
// progress log starts its estimates on these lines); a null stream is silent (ranks > 0).
#include <chrono>
#include <iosfwd>
#include <string>

namespace mpstream::solver
{
  void charging_say(std::ostream *log, const std::string &message);
  double charging_seconds_since(std::chrono::steady_clock::time_point t0);
  std::string charging_seconds_text(double s); // "1.23 s"
} // namespace mpstream::solver
