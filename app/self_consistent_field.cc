#include "app/self_consistent_field.h"

#include "app/mc_stream_field.h"
#include "app/parameter_checks.h"
#include "common/wall_clock.h"
#include "solver/charge_sources.h"

#include <algorithm>

namespace mpstream::app
{
  namespace
  {
    // The Monte Carlo section's charge-source MC over the layout itself, in the field of the
    // state that is in place in the run's Electrostatics.
    solver::MonteCarloChargeSources mc_in_state_field(const Scenario &scenario, const layout::StreamLayout &layout,
                                                      RunContext &context)
    {
      const auto field = sample_field_for_mc(scenario, layout, *context.electrostatics, context);
      const auto &mc   = scenario.monte_carlo;
      auto r = solver::monte_carlo_charge_sources(layout, scenario.operating_point.tube_voltage, mc.histories,
                                                  context.threads.threads_for(mc.threads), mc.transport, mc.physics,
                                                  context.comm, field.field.get(), field.flight);
      context.log << "[charging] Monte Carlo in the field: q mean " << r.mean() << " (min " << r.min() << ", max "
                  << r.max() << "), field work " << 100 * r.field_work_fraction << " % of the beam energy, "
                  << r.seconds << " s" << std::endl;
      return r;
    }

    // The dwell's most negative state (its peak), solved with the electrode model.
    solver::ChargeState dwell_peak_state(solver::StreamCharging &charging, const solver::ChargingResult &r)
    {
      const auto peak = std::min_element(r.dwell.begin(), r.dwell.end(), [](const auto &a, const auto &b) {
        return *std::min_element(a.potentials_V.begin(), a.potentials_V.end()) <
               *std::min_element(b.potentials_V.begin(), b.potentials_V.end());
      });
      return charging.state_of_charges(peak->charges_C);
    }

    SelfConsistentLoop iterate(const Scenario &scenario, const layout::StreamLayout &layout,
                               const std::vector<double> &q0, const std::string &name,
                               const std::function<double(const std::vector<double> &)> &state_potential_min,
                               RunContext &context)
    {
      SelfConsistentLoop loop;
      context.log << "[charging] self-consistent field, " << name << ": iterating q -> state -> field -> Monte Carlo"
                  << std::endl;
      loop.outcome = solver::iterate_self_consistent_q(
        q0,
        [&](const std::vector<double> &q) {
          loop.potential_min_V = state_potential_min(q);
          return loop.potential_min_V;
        },
        [&] {
          loop.last_mc = mc_in_state_field(scenario, layout, context);
          return loop.last_mc.q;
        },
        scenario.charging.self_consistent);
      context.log << "[charging] self-consistent " << name << " state after " << loop.outcome.history.size() - 1
                  << " iteration(s): " << solver::history_text(loop.outcome.history) << std::endl;
      return loop;
    }

    ChargeGrowth grow_backscatter_only_charge(const Scenario &scenario, const layout::StreamLayout &layout,
                                              solver::StreamCharging &charging, const std::vector<double> &q0,
                                              RunContext &context)
    {
      const unsigned int K = scenario.charging.self_consistent.growth_steps;
      const auto &beam     = scenario.operating_point;
      const auto whole_dwell = [&](const std::vector<double> &q) { // C per sphere over the dwell at q
        return solver::backscatter_only_charges_C(beam, layout, solver::ChargingCoefficients::per_sphere(q));
      };
      const std::vector<double> per_unit_q = whole_dwell(std::vector<double>(q0.size(), 1.0));
      ChargeGrowth g;
      g.charges_C.assign(q0.size(), 0.0);
      std::vector<double> q = q0; // no charge, no field: the field-free q
      context.log << "[charging] self-consistent field, backscatter-only: the charge grows in its own field, " << K
                  << " steps over the dwell" << std::endl;
      for (unsigned int k = 0; k < K; ++k)
        {
          double V = 0;
          if (k > 0)
            {
              V         = charging.state_of_charges(g.charges_C).potential_min();
              g.last_mc = mc_in_state_field(scenario, layout, context);
              q         = g.last_mc.q;
            }
          const auto step = whole_dwell(q);
          for (std::size_t i = 0; i < q.size(); ++i)
            g.charges_C[i] += step[i] / K;
          double q_mean = 0;
          for (const double x : q)
            q_mean += x / static_cast<double>(q.size());
          g.history.push_back({k, V, q_mean, 0.0});
          context.log << "[charging] growth step " << k + 1 << "/" << K << ": min sphere potential at its start "
                      << V << " V, mean q " << q_mean << std::endl;
        }
      g.potential_min_V = charging.state_of_charges(g.charges_C).potential_min();
      for (std::size_t i = 0; i < q0.size(); ++i)
        g.q_effective.push_back(g.charges_C[i] / per_unit_q[i]);
      context.log << "[charging] self-consistent backscatter-only state (charge grown in its field): min sphere potential "
                  << g.potential_min_V << " V" << std::endl;
      return g;
    }
  } // namespace

  void check_self_consistent_inputs(const Scenario &scenario, const layout::StreamLayout &layout)
  {
    const auto &c = scenario.charging;
    if (c.self_consistent_field && !layout.periodic_cell && c.mc_periodic_embedding)
      parameter_error("Charging/Self-consistent field", "on",
                      "needs Geometry/Lateral boundary = periodic cell or Charging/Monte Carlo embedding = patch "
                      "(the Monte Carlo must fly through the field of the stream it charges)");
  }

  SelfConsistentCharging self_consistent_charging(const Scenario &scenario, const layout::StreamLayout &layout,
                                                  solver::StreamCharging &charging,
                                                  const std::vector<double> &q_field_free, RunContext &context)
  {
    const auto start = WallClock::now();
    const auto mode  = scenario.charging.settings.mode;
    SelfConsistentCharging out;
    out.backscatter_only = grow_backscatter_only_charge(scenario, layout, charging, q_field_free, context);
    if (mode != solver::ChargingMode::backscatter_only)
      out.mode = iterate(scenario, layout, q_field_free, solver::to_string(mode),
                         [&](const std::vector<double> &q) {
                           charging.set_coefficients(solver::ChargingCoefficients::per_sphere(q));
                           out.result = charging.run();
                           if (mode == solver::ChargingMode::dwell && !out.result.dwell.empty())
                             return dwell_peak_state(charging, out.result).potential_min();
                           return out.result.final_state.potential_min(); // in place after run()
                         },
                         context);
    else
      {
        charging.set_coefficients(solver::ChargingCoefficients::per_sphere(out.backscatter_only.q_effective));
        out.result = charging.run();
      }
    out.seconds = seconds_since(start);
    return out;
  }
} // namespace mpstream::app
