#include "app/response_progress.h"

#include <sstream>

namespace mpstream::app
{
  std::function<void(const solver::SolveProgress &)> progress_printer(dealii::ConditionalOStream &log)
  {
    return [&log](const solver::SolveProgress &p) {
      // The mean time per solve so far times the solves left.
      const double left = p.done > 0 && p.total > p.done ? p.seconds / p.done * (p.total - p.done) : 0.0;
      std::ostringstream line;
      line.precision(3);
      line << "[electrostatics] " << p.task << ": " << p.done << " of " << p.total << " (" << p.iterations
           << " CG iterations), " << p.seconds << " s elapsed, about " << left << " s left";
      log << line.str() << std::endl;
    };
  }
} // namespace mpstream::app
