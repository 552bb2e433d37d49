#pragma once
// Charging/Self-consistent field = on (issue 15 item 3): the charge fractions q_i from Monte
// Carlos whose electrons fly through the field of the stream's own charge state, iterated to a
// fixed point (solver/self_consistent_charging.h) on the responses of the first charging run:
//  1. the backscatter-only state (its field: that state's);
//  2. the Mode's state (field cap, Murphy-Good: the final state; dwell: its most negative
//     state, at the peak; backscatter only: step 1 alone).
// Each iteration: one charge state (reusing the responses), one field sampling, one Monte Carlo
// with the Monte Carlo section's histories and seed (common random numbers).
#include "app/run_context.h"
#include "app/scenario.h"
#include "solver/mc_charge_sources.h"
#include "solver/self_consistent_charging.h"
#include "solver/stream_charging.h"

namespace mpstream::app
{
  struct SelfConsistentLoop
  {
    solver::SelfConsistentOutcome outcome;
    solver::MonteCarloChargeSources last_mc; // the last Monte Carlo in the field
    double potential_min_V = 0;              // of the state at the final q
  };

  struct SelfConsistentCharging
  {
    SelfConsistentLoop backscatter_only;
    std::optional<SelfConsistentLoop> mode; // empty in Mode = backscatter only
    solver::ChargingResult result;          // the Mode at the self-consistent q (of the loop that ran last)
    double seconds = 0;
  };

  // Refuses (InputError) a finite patch whose charge-source MC runs over the periodic
  // embedding: its field would not be the field of the stream the MC flies through.
  void check_self_consistent_inputs(const Scenario &scenario, const layout::StreamLayout &layout);

  SelfConsistentCharging self_consistent_charging(const Scenario &scenario, const layout::StreamLayout &layout,
                                                  solver::StreamCharging &charging,
                                                  const std::vector<double> &q_field_free, RunContext &context);
} // namespace mpstream::app
