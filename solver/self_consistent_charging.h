#pragma once
// The self-consistent charge source (issue 15 item 3): the charge fractions q_i a stream keeps
// depend on the field its own charge makes (primaries arrive slowed, scattered electrons are
// pushed away). A fixed-point iteration on q closes the loop:
//   q_0 from the field-free Monte Carlo;
//   state_k = the charge state of q_k (backscatter-only, field cap, dwell ...);
//   q_{k+1} from MC(q in the field of state_k) by one of three schemes (SelfConsistentMethod;
//   the default brackets the charge scale, which stays robust where q(V) falls off a cliff:
//   Anderson mixing and the damped iteration oscillate there, tests/solver/
//   test_self_consistent_charging.cc and doc/charging.md);
// until the state's most negative sphere potential changes by less than `tolerance` (relative)
// between two iterations. The Monte Carlo runs with the same seed every time (common random
// numbers): its noise then shifts every iterate alike and does not stall the stopping test.
// Plain C++: the states and the Monte Carlo come as callbacks (app/self_consistent_field.cc).
#include "solver/charge_growth.h"

#include <functional>
#include <string>
#include <vector>

namespace mpstream::solver
{
  enum class SelfConsistentMethod
  {
    bracketed_scale, // the charge scale by Illinois regula falsi, the shape from the last MC
    anderson,        // Anderson mixing of the per-sphere q (depth anderson_depth, beta = damping)
    damped           // q + damping (q_MC - q)
  };
  std::string to_string(SelfConsistentMethod method);

  struct SelfConsistentSettings
  {
    SelfConsistentMethod method = SelfConsistentMethod::bracketed_scale;
    unsigned int max_iterations = 12; // Monte Carlo runs in the field
    double tolerance            = 0.02; // relative change of the minimum potential
    double damping              = 0.5;  // in (0, 1]: Anderson's beta; 1 and depth 0: the plain iteration
    unsigned int anderson_depth = 2;    // earlier iterates in the Anderson step (0: damped iteration)
    // The backscatter-only charge's growth in its own field (solver/charge_growth.h); its
    // cutoff_potential_V is the run's -U_tube.
    ChargeGrowthSettings growth;
    // QuantityError (keys self_consistent_iterations, _tolerance, _damping) if out of range.
    void validate() const;
  };

  struct SelfConsistentIterate
  {
    unsigned int iteration = 0;    // 0: the field-free q
    double potential_min_V = 0;    // of the state of this iterate's q
    double q_mean          = 0;
    double relative_change = 0;    // of potential_min_V against the previous iterate (0 for the first)
  };

  struct SelfConsistentOutcome
  {
    std::vector<double> q; // per sphere, the last iterate
    std::vector<SelfConsistentIterate> history;
    // The bracketed scale closed on a jump of mean q_MC - mean q through zero, not a root: the
    // charge at which the stream turns the beam back (primaries stop reaching the spheres), where
    // a charge that only grows while they arrive saturates.
    bool at_cliff = false;
  };

  // potential_min_of_state(q): computes the charge state of q (kept by the caller for the next
  // call of q_in_field) and returns its most negative sphere potential (V); q_in_field(): the
  // per-sphere q of a Monte Carlo through the field of that state. Throws QuantityError (key
  // self_consistent_iterations) with the whole history if max_iterations do not converge.
  SelfConsistentOutcome iterate_self_consistent_q(
    std::vector<double> q0, const std::function<double(const std::vector<double> &)> &potential_min_of_state,
    const std::function<std::vector<double>()> &q_in_field, const SelfConsistentSettings &settings);

  // "0: -102.4 kV (q 0.162); 1: -95.1 kV (q 0.151, 7.1 %); ..." for logs and error messages.
  std::string history_text(const std::vector<SelfConsistentIterate> &history);
} // namespace mpstream::solver
