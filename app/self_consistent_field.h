#pragma once
// Charging/Self-consistent field = on (issue 15 item 3): the charge fractions q_i from Monte
// Carlos whose electrons fly through the field of the stream's own charge state, on the
// responses of the first charging run:
//  1. the backscatter-only state by the charge's growth in its own field over the dwell,
//     dQ_i/dt = -q_i(state(t)) j pi r_i^2 (solver/charge_growth.h: explicit steps limited by the
//     potential change and the beam's cut-off, one Monte Carlo each with its own histories):
//     q(V) jumps to 0 where the stream turns the beam back, so a q held constant over the dwell
//     has no fixed point there; the growth stops by itself;
//  2. the Mode's state (field cap, Murphy-Good: the final state; dwell: its most negative
//     state, at the peak) by the fixed point of solver/self_consistent_charging.h, started from
//     the field-free q (these states sit at a few kV, where q varies smoothly).
// Each Monte Carlo: one charge state (reusing the responses), one field sampling. The fixed point's
// Monte Carlos use the section's histories and seed (common random numbers); the growth's k-th
// uses Histories / growth steps histories and seed + k (independent: their errors average out
// over the dwell as in one Monte Carlo of the section's histories).
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

  // The backscatter-only charge grown in its own field.
  struct ChargeGrowth
  {
    std::vector<double> charges_C;      // at the exit
    std::vector<double> q_effective;    // the dwell-mean q_i: charges / (-j pi r_i^2 dwell)
    std::vector<solver::GrowthStep> steps;
    double cutoff_reached_at = -1;      // dwell fraction; negative: never
    // The growth's Monte Carlos (the field-free one for the first step) weighted by the dwell
    // fraction each step used: q = q_effective, the dwell-mean deposited energy and field work.
    solver::MonteCarloChargeSources dwell_mean_mc;
    double potential_min_V = 0;         // of the exit state
  };

  struct SelfConsistentCharging
  {
    ChargeGrowth backscatter_only;
    std::optional<SelfConsistentLoop> mode; // empty in Mode = backscatter only
    solver::ChargingResult result;          // the Mode at the self-consistent q (of the loop that ran last)
    double seconds = 0;

    // What the later outputs use: the Mode's fixed point, or in Mode = backscatter only the grown
    // charge's dwell-mean q and Monte Carlo.
    const std::vector<double> &q() const { return mode ? mode->outcome.q : backscatter_only.q_effective; }
    const solver::MonteCarloChargeSources &last_mc() const
    {
      return mode ? mode->last_mc : backscatter_only.dwell_mean_mc;
    }
  };

  // Refuses (InputError) a finite patch whose charge-source MC runs over the periodic
  // embedding: its field would not be the field of the stream the MC flies through.
  void check_self_consistent_inputs(const Scenario &scenario, const layout::StreamLayout &layout);

  SelfConsistentCharging self_consistent_charging(const Scenario &scenario, const layout::StreamLayout &layout,
                                                  solver::StreamCharging &charging,
                                                  const solver::MonteCarloChargeSources &field_free,
                                                  RunContext &context);
} // namespace mpstream::app
