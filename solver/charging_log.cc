#include "solver/charging_log.h"

#include <ostream>
#include <sstream>

namespace mpstream::solver
{
  void charging_say(std::ostream *log, const std::string &message)
  {
    if (log)
      *log << "[charging] " << message << std::endl;
  }

  double charging_seconds_since(std::chrono::steady_clock::time_point t0)
  {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }

  std::string charging_seconds_text(double s)
  {
    std::ostringstream o;
    o.precision(3);
    o << s << " s";
    return o.str();
  }
} // namespace mpstream::solver
