#pragma once
// Second stream limit (issue 6): the input power at which the peak temperature of a sphere
// reaches a target (T_melt) during its dwell, from the transient heat solution, to compare with
// the heat-capacity limit P_max,muP / S_muP. Plain C++: the transient is passed in as a callable.
#include <functional>
#include <utility>
#include <vector>

namespace mpstream::solver
{
  struct TransientLimit
  {
    double P_input_W;          // root
    double peak_temperature_K; // at the root
    unsigned evaluations;
    std::vector<std::pair<double, double>> trace; // (P_input, peak T) of every evaluation
  };

  // Root of peak_temperature(P) = T_target by the Illinois variant of regula falsi, starting
  // from the bracket [P_lo, P_hi] (widened by factors of 1.5 up to 6 times if it does not
  // bracket). peak_temperature must increase with P. Stops when the bracket is narrower than
  // rel_tol * P or |peak - T_target| <= temperature_tol_K. Throws RuntimeFailure when no
  // bracket is found or max_evaluations is exceeded.
  TransientLimit find_power_for_peak_temperature(const std::function<double(double)> &peak_temperature,
                                                 double T_target_K, double P_lo_W, double P_hi_W,
                                                 double rel_tol = 1e-3, double temperature_tol_K = 0.5,
                                                 unsigned max_evaluations = 20);
} // namespace mpstream::solver
