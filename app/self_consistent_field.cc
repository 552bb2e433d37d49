#include "app/self_consistent_field.h"

#include "app/mc_stream_field.h"
#include "app/parameter_checks.h"
#include "common/wall_clock.h"
#include "solver/charge_sources.h"

#include <algorithm>
#include <cmath>

namespace mpstream::app
{
  namespace
  {
    // The Monte Carlo section's charge-source MC over the layout itself, in the field of the
    // state that is in place in the run's Electrostatics, with `histories` and seed + seed_offset.
    solver::MonteCarloChargeSources mc_in_state_field(const Scenario &scenario, const layout::StreamLayout &layout,
                                                      RunContext &context, std::uint64_t histories,
                                                      std::uint64_t seed_offset = 0)
    {
      const auto field = sample_field_for_mc(scenario, layout, *context.electrostatics, context);
      const auto &mc   = scenario.monte_carlo;
      auto transport   = mc.transport;
      transport.seed += seed_offset;
      auto r = solver::monte_carlo_charge_sources(layout, scenario.operating_point.tube_voltage, histories,
                                                  context.threads.threads_for(mc.threads), transport, mc.physics,
                                                  context.comm, field.field.get(), field.flight);
      context.log << "[charging] Monte Carlo in the field (" << histories << " histories): q mean " << r.mean()
                  << " (min " << r.min() << ", max " << r.max() << "), field work " << 100 * r.field_work_fraction
                  << " % of the beam energy, " << r.seconds << " s" << std::endl;
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
          loop.last_mc = mc_in_state_field(scenario, layout, context, scenario.monte_carlo.histories);
          return loop.last_mc.q;
        },
        scenario.charging.self_consistent);
      context.log << "[charging] self-consistent " << name << " state after " << loop.outcome.history.size() - 1
                  << " iteration(s): " << solver::history_text(loop.outcome.history) << std::endl;
      return loop;
    }

    // The growth's settings with the run's cut-off, -U_tube.
    solver::ChargeGrowthSettings growth_settings(const Scenario &scenario)
    {
      auto g               = scenario.charging.self_consistent.growth;
      g.cutoff_potential_V = -scenario.operating_point.tube_voltage;
      return g;
    }

    // The growth's Monte Carlos weighted by the dwell fraction each step used them for (mc[k]:
    // step k's): the grown charge's q, the independent errors summed in quadrature, the dwell
    // means of the deposited energy and the field's work.
    solver::MonteCarloChargeSources dwell_mean(const std::vector<solver::GrowthStep> &steps,
                                               const std::vector<solver::MonteCarloChargeSources> &mc,
                                               const std::vector<double> &q_effective)
    {
      const std::size_t N = q_effective.size();
      solver::MonteCarloChargeSources m;
      m.q = q_effective;
      m.q_stderr.assign(N, 0.0);
      m.q_absorbed.assign(N, 0.0);
      m.power_fraction.assign(N, 0.0);
      for (const auto &step : steps)
        {
          const auto &r = mc.at(step.index);
          const double w = step.length;
          for (std::size_t i = 0; i < N; ++i)
            {
              m.q_stderr[i] += w * w * r.q_stderr[i] * r.q_stderr[i];
              m.q_absorbed[i] += w * r.q_absorbed[i];
              m.power_fraction[i] += w * r.power_fraction[i];
            }
          m.field_work_fraction += w * r.field_work_fraction;
          m.trapped_per_primary += w * r.trapped_per_primary;
          m.histories += r.histories;
          m.seconds += r.seconds;
        }
      for (double &s : m.q_stderr)
        s = std::sqrt(s);
      return m;
    }

    ChargeGrowth grow_backscatter_only_charge(const Scenario &scenario, const layout::StreamLayout &layout,
                                              solver::StreamCharging &charging,
                                              const solver::MonteCarloChargeSources &field_free, RunContext &context)
    {
      const auto &q0 = field_free.q;
      const auto settings = growth_settings(scenario);
      const auto &beam    = scenario.operating_point;
      const std::uint64_t histories_per_step =
        std::max<std::uint64_t>(1000, scenario.monte_carlo.histories / settings.growth_steps);
      const auto charge_of_unit_q = solver::backscatter_only_charges_C(
        beam, layout, solver::ChargingCoefficients::per_sphere(std::vector<double>(q0.size(), 1.0)));
      ChargeGrowth g;
      std::vector<solver::MonteCarloChargeSources> mc{field_free}; // step k's Monte Carlo
      context.log << "[charging] self-consistent field, backscatter-only: the charge grows in its own field over "
                  << "the dwell (steps of at most 1/" << settings.growth_steps << " of it and "
                  << settings.potential_step_V << " V, " << histories_per_step << " histories each)" << std::endl;
      solver::ChargeGrowthModel model;
      model.potentials_V = [&](const std::vector<double> &Q) { return charging.state_of_charges(Q).potentials; };
      model.q_in_field   = [&](unsigned int step) {
        mc.push_back(mc_in_state_field(scenario, layout, context, histories_per_step, step));
        return mc.at(step).q;
      };
      const auto start = WallClock::now();
      model.on_step    = [&](const solver::GrowthStep &s) {
        const double done = s.dwell_fraction + s.length, elapsed = seconds_since(start);
        context.log << "[charging] growth step " << s.index + 1 << ": dwell " << s.dwell_fraction << " -> " << done
                    << " (" << solver::to_string(s.limit) << "), min sphere potential at its start " << s.potential_min_V
                    << " V, q mean " << s.q_mean << (s.at_cutoff ? ", " + std::to_string(s.at_cutoff) + " at the cut-off" : "")
                    << "; " << elapsed << " s";
        if (done < 1 && done > 0)
          context.log << ", ETA " << elapsed * (1 - done) / done << " s at this pace";
        context.log << std::endl;
      };
      const auto grown = solver::grow_charge_in_own_field(charge_of_unit_q, q0, model, settings);
      g.charges_C         = grown.charges_C;
      g.steps             = grown.steps;
      g.cutoff_reached_at = grown.cutoff_reached_at;
      g.potential_min_V   = *std::min_element(grown.potentials_V.begin(), grown.potentials_V.end());
      for (std::size_t i = 0; i < q0.size(); ++i)
        g.q_effective.push_back(g.charges_C[i] / charge_of_unit_q[i]);
      g.dwell_mean_mc = dwell_mean(g.steps, mc, g.q_effective);
      context.log << "[charging] growth: " << solver::growth_history_text(g.steps) << std::endl;
      context.log << "[charging] self-consistent backscatter-only state (charge grown in its field): min sphere "
                  << "potential " << g.potential_min_V << " V";
      if (g.cutoff_reached_at >= 0)
        context.log << ", at the beam's cut-off from " << g.cutoff_reached_at << " of the dwell";
      context.log << std::endl;
      return g;
    }
  } // namespace

  void check_self_consistent_inputs(const Scenario &scenario, const layout::StreamLayout &layout)
  {
    const auto &c = scenario.charging;
    if (!c.self_consistent_field)
      return;
    growth_settings(scenario).validate();
    if (!layout.periodic_cell && c.mc_periodic_embedding)
      parameter_error("Charging/Self-consistent field", "on",
                      "needs Geometry/Lateral boundary = periodic cell or Charging/Monte Carlo embedding = patch "
                      "(the Monte Carlo must fly through the field of the stream it charges)");
    check_field_grid_clear_of_electrodes(scenario, layout, "Charging/Self-consistent field", "on");
  }

  SelfConsistentCharging self_consistent_charging(const Scenario &scenario, const layout::StreamLayout &layout,
                                                  solver::StreamCharging &charging,
                                                  const solver::MonteCarloChargeSources &field_free,
                                                  RunContext &context)
  {
    const auto start = WallClock::now();
    const auto mode  = scenario.charging.settings.mode;
    SelfConsistentCharging out;
    out.backscatter_only = grow_backscatter_only_charge(scenario, layout, charging, field_free, context);
    if (mode != solver::ChargingMode::backscatter_only)
      out.mode = iterate(scenario, layout, field_free.q, solver::to_string(mode),
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
