#pragma once
// The backscatter-only charge grown in its own field over the dwell (issue 15 item 3;
// doc/charging.md, "Self-consistent charging"). In the dwell fraction s in [0, 1]:
//   dQ_i/ds = q_i(state(Q)) * Q1_i,   Q1_i = -j pi r_i^2 * dwell (the charge of q = 1),
// where q_i(state) comes from a Monte Carlo through the field of the charge state Q.
// q is not smooth in Q: it rises as the primaries arrive slower and drops to zero at the beam's
// cut-off, a sphere potential of -U_tube (the primaries leave the cathode at -U, so they land on
// a sphere at V with the kinetic energy e (U + V)). The integrator is forward Euler with the step
// limited three ways:
//   - at most 1 / growth_steps of the dwell;
//   - no sphere's potential changes by more than potential_step_V in a step (q(V) is resolved);
//   - a sphere still taking charge stops at the cut-off band's middle, cutoff + band / 2
//     (the potentials are affine in Q, so this step length is exact): no explicit step can
//     overshoot the cut-off, which the unlimited step did by 15 kV on the default stream.
// A sphere within `cutoff_band_V` of the cut-off takes no more charge (q = 0: the primaries that
// reach it land with less than e band; the error this makes in its potential is below the band).
// It may still be pushed further by its neighbours' charge: then no primary reaches it at all.
// Plain C++: the potentials and the Monte Carlo come as callbacks (app/self_consistent_field.cc).
#include <functional>
#include <string>
#include <vector>

namespace mpstream::solver
{
  struct ChargeGrowthSettings
  {
    unsigned int growth_steps = 10;    // the longest step is 1 / growth_steps of the dwell
    double potential_step_V   = 10e3;  // largest change of any sphere potential in one step
    double cutoff_potential_V = 0;     // -U_tube: no primary lands on a sphere below it
    double cutoff_band_V      = 1e3;   // a sphere within this of the cut-off takes no more charge
    unsigned int max_steps    = 1000;  // a guard: more steps than this is an error
    // QuantityError (keys self_consistent_growth_steps, _potential_step, _cutoff_band) if out of range.
    void validate() const;
  };

  // Why a step has the length it has.
  enum class GrowthStepLimit
  {
    longest_step,   // 1 / growth_steps (or the rest of the dwell)
    potential_step, // potential_step_V
    cutoff,         // a sphere reaches the cut-off band
    beam_turned_back // no sphere takes charge: the rest of the dwell changes nothing
  };
  std::string to_string(GrowthStepLimit limit);

  struct GrowthStep
  {
    unsigned int index       = 0;
    double dwell_fraction    = 0; // at the step's start
    double length            = 0; // in dwell fractions
    double potential_min_V   = 0; // at the step's start
    double q_mean            = 0; // of the q the step used (zero at the cut-off)
    unsigned int at_cutoff   = 0; // spheres within the cut-off band at the step's start
    GrowthStepLimit limit    = GrowthStepLimit::longest_step;
  };

  struct ChargeGrowthResult
  {
    std::vector<double> charges_C;    // at the exit
    std::vector<double> potentials_V; // at the exit (its state is left in place)
    std::vector<GrowthStep> steps;
    // Dwell fraction at which the first sphere reached the cut-off band (negative: never).
    double cutoff_reached_at = -1;
  };

  struct ChargeGrowthModel
  {
    // Sphere potentials (V) of charges Q (C), affine in Q, electrode model included. Each call
    // leaves its state in place for q_in_field.
    std::function<std::vector<double>(const std::vector<double> &)> potentials_V;
    // q per sphere from a Monte Carlo through the field of the state potentials_V put in place
    // last; `step` numbers the Monte Carlos (1, 2, ...) so that each can draw its own histories.
    std::function<std::vector<double>(unsigned int step)> q_in_field;
    // Optional: told of every step once its length is known (progress output).
    std::function<void(const GrowthStep &)> on_step;
  };

  // charge_of_unit_q: Q1_i (C, negative); q0: the first step's q (the field-free Monte Carlo:
  // no charge yet). QuantityError (key self_consistent_growth_steps) with the step history if
  // max_steps do not reach the dwell's end.
  ChargeGrowthResult grow_charge_in_own_field(const std::vector<double> &charge_of_unit_q,
                                              const std::vector<double> &q0, const ChargeGrowthModel &model,
                                              const ChargeGrowthSettings &settings);

  // "0.000 +0.100 -0.0 kV q 0.161 (longest step); ..." for logs and error messages.
  std::string growth_history_text(const std::vector<GrowthStep> &steps);
} // namespace mpstream::solver
