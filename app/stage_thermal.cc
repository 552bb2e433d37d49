// Stage "thermal": transient heat conduction in one sphere over its dwell in the focal spot at
// the operating point, then (optionally) the input power at which its peak temperature reaches
// T_melt, beside the heat-capacity limit (rank 0). Then (Thermal/Whole stream) every sphere of
// the Geometry section's stream with its own MC power grid, over all ranks and threads
// (thermal_stream.h).
#include "app/run_on_root.h"
#include "app/stages.h"
#include "app/thermal_limits.h"
#include "app/thermal_stream.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "solver/heat_source.h"
#include "solver/mc_heat_source.h"
#include "solver/power_limits.h"
#include "solver/thermal.h"
#include "solver/transient_limit.h"
#include "solver/tungsten_properties.h"

#include <cmath>
#include <iomanip>
#include <optional>

namespace mpstream::app
{
  namespace
  {
    // Heat source from the electron MC (solver/mc_heat_source.h): the paper's close-packed
    // monolayer over the anode at tube voltage U, per W of input power, sphere-centred.
    using McSource = solver::MonolayerMcSource;

    McSource monte_carlo_source(const Scenario &sc, double U, RunContext &context)
    {
      const auto &op = sc.operating_point;
      context.log << "[thermal] Monte Carlo heat source: " << sc.thermal.mc_histories << " histories at " << U
                  << " eV ..." << std::endl;
      return solver::monolayer_mc_source(sc.layout.sphere_radius, sc.layout.anode_gap, sc.layout.anode_present,
                                         sc.layout.lateral_clearance, U, sc.thermal.mc_histories,
                                         sc.thermal.mc_grid_cells, op.focal_spot_width, op.focal_spot_length);
    }

    // The sphere's heat source at input power P_input (S_muP from the power-limit table).
    solver::SphereHeatSource make_source(const Scenario &sc, double P_input, double S_muP,
                                         const std::optional<McSource> &mc_source)
    {
      const auto  &op = sc.operating_point;
      const double r  = sc.layout.sphere_radius;
      const double P  = solver::sphere_power(P_input, S_muP, r, op.focal_spot_width, op.focal_spot_length);
      if (mc_source) // MC shape, scaled to the S_muP of the power-limit table (see doc/thermal.md)
        return {solver::mc_shape_source(mc_source->grid_per_W_input, r, P), P};
      return {sc.thermal.source_model == "uniform" ? solver::uniform_source(r, P)
                                                   : solver::exponential_depth_source(r, sc.thermal.source_decay_length_m, P),
              P};
    }

    // One sphere's transient at input power P_input.
    solver::ThermalResult solve_one_sphere(const Scenario &sc, solver::ThermalSettings settings,
                                           const solver::ThermalMaterial &material, double P_input, double S_muP,
                                           const std::optional<McSource> &mc_source)
    {
      const auto source = make_source(sc, P_input, S_muP, mc_source);
      if (mc_source) // exact sphere power despite the cell-wise grid (solver::ThermalSettings)
        settings.source_power_W = source.power_W;
      return solver::solve_sphere_transient(settings, material, source.q);
    }

    void write_history(const solver::ThermalResult &r, RunContext &context)
    {
      AtomicFile csv(context.path("thermal_history.csv"));
      csv.stream() << "time_s,T_max_K,T_min_K,T_mean_K,liquid_fraction\n" << std::setprecision(10);
      for (const auto &h : r.history)
        csv.stream() << h.time_s << ',' << h.max_K << ',' << h.min_K << ',' << h.mean_K << ','
                     << h.liquid_fraction << '\n';
      csv.commit();
    }
    struct LimitPair
    {
      double S_muP, capacity_W, transient_W;
    };

    // Input power at which the sphere's peak temperature reaches T_melt during the dwell, at
    // tube voltage U, beside the heat-capacity limit P_max,muP / S_muP (non-melting).
    LimitPair transient_limit(const Scenario &sc, double U, const std::optional<McSource> &mc_source,
                              RunContext &context)
    {
      const auto &th = sc.thermal;
      const auto   cap   = non_melting_power_limits(sc, U);
      const double S_muP = cap.S.S_muP;
      auto settings = th.settings;
      settings.relaxation_time_s = 0.0;
      const auto solid_material = material_without_latent_heat(sc);
      const auto peak = [&](double P) {
        const auto t = solve_one_sphere(sc, settings, solid_material, P, S_muP, mc_source);
        context.log << "[thermal]   " << U << " V, " << P << " W -> peak " << t.peak_temperature_K << " K" << std::endl;
        return t.peak_temperature_K;
      };
      const double P_cap = cap.P_input_limit_muP_W;
      const auto   lim   = solver::find_power_for_peak_temperature(
        peak, materials::tungsten::melting_temperature, 0.9 * P_cap, 1.02 * P_cap, 2e-3, 0.5);
      context.log << "[thermal] " << U << " V: peak reaches T_melt at " << lim.P_input_W
                  << " W input; heat-capacity limit " << P_cap << " W (ratio " << lim.P_input_W / P_cap
                  << ")" << std::endl;
      return {S_muP, P_cap, lim.P_input_W};
    }

    void log_exit_state(const solver::ThermalResult &r, const solver::ThermalSettings &settings, RunContext &context)
    {
      context.log << "[thermal] exit: peak " << r.exit_peak_temperature_K << " K, mean "
                  << r.exit_mean_temperature_K << " K, liquid fraction " << r.exit_liquid_fraction << "; ";
      if (std::isnan(r.equalization_time_s)) // e.g. a sphere held at the melting plateau
        context.log << "spread does not fall to " << settings.equalization_fraction * 100
                    << " % of its exit value within the relaxation time (" << settings.relaxation_time_s
                    << " s; spread at exit " << r.exit_peak_temperature_K - r.exit_min_temperature_K << " K)";
      else
        context.log << "evens out (spread to " << settings.equalization_fraction * 100 << " %) in "
                    << r.equalization_time_s << " s";
      context.log << "; energy balance error " << r.energy_balance_relative_error << std::endl;
    }

    // The single sphere's summary keys, in one place.
    void write_single_sphere_summary(const solver::ThermalResult &r, const solver::ThermalSettings &settings,
                                     RunContext &context)
    {
      auto &s = context.stage_summary("thermal");
      s["sphere_power_W"]               = r.deposited_energy_J / settings.heating_time_s;
      s["peak_temperature_K"]           = r.peak_temperature_K;
      s["exit_peak_temperature_K"]      = r.exit_peak_temperature_K;
      s["exit_mean_temperature_K"]      = r.exit_mean_temperature_K;
      s["exit_min_temperature_K"]       = r.exit_min_temperature_K;
      s["exit_molten_fraction"]         = r.exit_liquid_fraction;
      s["max_molten_fraction"]          = r.max_liquid_fraction;
      s["equalization_time_s"]          = r.equalization_time_s;
      s["spread_at_exit_K"]             = r.exit_peak_temperature_K - r.exit_min_temperature_K;
      s["spread_after_relaxation_K"]    = r.history.back().max_K - r.history.back().min_K;
      s["energy_balance_relative_error"] = r.energy_balance_relative_error;
      s["radiated_energy_J"]            = r.surface_loss_J;
      s["deposited_energy_J"]           = r.deposited_energy_J;
      s["thermal_n_dofs"]               = r.n_dofs;
      s["thermal_n_steps"]              = r.n_steps;
      s["thermal_n_newton_iterations"]  = r.n_newton_iterations;
    }

    // transient_limits.csv: the transient limit at each of Thermal/Transient limit voltages.
    void write_transient_limits_csv(const Scenario &scenario, RunContext &context)
    {
      const auto &th = scenario.thermal;
      AtomicFile csv(context.path("transient_limits.csv"));
      csv.stream() << "tube_voltage_V,S_muP,P_input_limit_muP_capacity_W,P_input_limit_muP_transient_W,ratio\n"
                   << std::setprecision(8);
      for (const double U : th.transient_limit_voltages)
        {
          std::optional<McSource> src;
          if (th.source_model == "monte carlo")
            src = monte_carlo_source(scenario, U, context);
          const auto lim = transient_limit(scenario, U, src, context);
          csv.stream() << U << ',' << lim.S_muP << ',' << lim.capacity_W << ',' << lim.transient_W << ','
                       << lim.transient_W / lim.capacity_W << '\n';
        }
      csv.commit();
    }

    // The single-sphere transient at the operating point (and its transient limits), rank 0.
    void single_sphere(const Scenario &scenario, RunContext &context)
    {
      const auto &th = scenario.thermal;
      const auto &op = scenario.operating_point;
      const auto  limits = solver::compute_power_limits(scenario.power_limits.stream,
                                                        scenario.power_limits.table, op.tube_voltage);
      const double S_muP = limits.S.S_muP;
      const solver::TungstenThermalMaterial material(th.material);
      std::optional<McSource> mc_source;
      if (th.source_model == "monte carlo")
        {
          mc_source = monte_carlo_source(scenario, op.tube_voltage, context);
          context.log << "[thermal] Monte Carlo: S_muP = " << mc_source->S_muP << " (table: " << S_muP
                      << "), " << mc_source->seconds << " s" << std::endl;
          context.stage_summary("thermal")["heat_source_S_muP_monte_carlo"] = mc_source->S_muP;
          context.stage_summary("thermal")["heat_source_monte_carlo_s"]     = mc_source->seconds;
        }
      context.log << "[thermal] one sphere, " << op.input_power << " W input, S_muP = " << S_muP
                  << ", dwell " << solver::dwell_time_s(op) << " s ..." << std::endl;
      const auto r = solve_one_sphere(scenario, th.settings, material, op.input_power, S_muP, mc_source);
      write_history(r, context);
      log_exit_state(r, th.settings, context);
      write_single_sphere_summary(r, th.settings, context);
      if (th.transient_limit)
        {
          const auto lim = transient_limit(scenario, op.tube_voltage, mc_source, context);
          auto &s = context.stage_summary("thermal");
          s["P_input_limit_muP_transient_W"]     = lim.transient_W;
          s["P_input_limit_muP_capacity_W"]      = lim.capacity_W;
          s["transient_to_capacity_limit_ratio"] = lim.transient_W / lim.capacity_W;
        }
      if (!th.transient_limit_voltages.empty())
        write_transient_limits_csv(scenario, context);
    }

  } // namespace

  void run_thermal_stage(const Scenario &scenario, RunContext &context)
  {
    // Rank 0 alone solves the single sphere; the whole stream needs every rank, so the others
    // must learn of a failure there instead of waiting for rank 0 in the stream's MC.
    run_on_root(context.comm, [&] { single_sphere(scenario, context); });
    if (scenario.thermal.whole_stream)
      run_whole_stream_thermal(scenario, context);
  }
} // namespace mpstream::app
