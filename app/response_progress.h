#pragma once
// Progress of Electrostatics' unit solves (compute_responses, mean_potential_responses) in the
// run's log: after each solve "k of n", its CG iterations, the time so far and an estimate of
// the rest, so the minutes of response solves on a large stream show where they are.
#include "solver/electrostatics.h"

#include <deal.II/base/conditional_ostream.h>

#include <functional>

namespace mpstream::app
{
  // For Electrostatics::set_progress_callback: prints to `log` (rank 0 only), which must
  // outlive the callback.
  std::function<void(const solver::SolveProgress &)> progress_printer(dealii::ConditionalOStream &log);
} // namespace mpstream::app
