// Stage "thermal": transient heat conduction in one sphere over its dwell in the focal spot at
// the operating point, then (optionally) the input power at which its peak temperature reaches
// T_melt, beside the heat-capacity limit. Serial per sphere; rank 0 computes.
#include "app/stages.h"
#include "common/atomic_file.h"
#include "mc/cases.h"
#include "mc/material.h"
#include "mc/source.h"
#include "solver/heat_source.h"
#include "solver/power_limits.h"
#include "solver/thermal.h"
#include "solver/transient_limit.h"
#include "solver/tungsten_properties.h"

#include <algorithm>
#include <iomanip>
#include <optional>

namespace mpstream::app
{
  namespace
  {
    // Heat source from the electron MC: the paper's close-packed monolayer (periodic primitive
    // cell of two equivalent spheres) over the anode at the operating voltage. Returns the
    // sphere-centred power density per watt of input power, averaged over the two spheres.
    struct McSource
    {
      CartesianGrid grid_per_W_input; // W/m^3 per W of P_input
      double S_muP;
      double seconds;
    };

    McSource monte_carlo_source(const Scenario &sc, double U, RunContext &context)
    {
      auto op = sc.operating_point;
      op.tube_voltage = U;
      const auto   geometry = mc::monolayer_geometry(sc.layout.sphere_radius, sc.layout.anode_gap,
                                                   sc.layout.anode_present, sc.layout.lateral_clearance);
      mc::PhysicsOptions physics;
      physics.max_energy_eV = std::max(physics.max_energy_eV, op.tube_voltage);
      const mc::PhysicsTables tables(mc::tungsten(), physics);
      mc::GridSpec grid;
      grid.cells_per_axis = sc.thermal.mc_grid_cells;
      context.log << "[thermal] Monte Carlo heat source: " << sc.thermal.mc_histories << " histories at "
                  << op.tube_voltage << " eV ..." << std::endl;
      const auto run = mc::run_case(geometry, tables, op.tube_voltage, sc.thermal.mc_histories, 2,
                                    mc::TransportOptions{}, grid);
      const auto grids = mc::power_density_grids(run.tallies, geometry, op.tube_voltage);
      // The MC grid is per W of beam power on the periodic cell; the FS spreads P_input uniformly.
      const auto   src = mc::Source::for_geometry(geometry, op.tube_voltage);
      const double cell_share = (src.x_hi - src.x_lo) * (src.y_hi - src.y_lo) /
                                (op.focal_spot_width * op.focal_spot_length);
      McSource out{grids.front(), run.summary.S_muP.value, run.seconds};
      auto &g = out.grid_per_W_input;
      for (int d = 0; d < 3; ++d) // sphere-centred coordinates
        {
          g.lower[d] -= geometry.spheres().front().centre[d];
          g.upper[d] -= geometry.spheres().front().centre[d];
        }
      for (std::size_t c = 0; c < g.values.size(); ++c)
        {
          double sum = 0.0;
          for (const auto &other : grids)
            sum += other.values[c];
          g.values[c] = cell_share * sum / grids.size();
        }
      return out;
    }

    solver::PowerDensity make_source(const Scenario &sc, double P_input, double S_muP,
                                     const std::optional<McSource> &mc_source)
    {
      const auto  &op = sc.operating_point;
      const double r  = sc.layout.sphere_radius;
      const double P  = solver::sphere_power(P_input, S_muP, r, op.focal_spot_width, op.focal_spot_length);
      if (mc_source) // MC shape, scaled to the S_muP of the power-limit table (see doc/thermal.md)
        {
          const auto &g = mc_source->grid_per_W_input;
          double      per_W = 0.0;
          for (const double v : g.values)
            per_W += v * g.cell_volume();
          return solver::sphere_grid_source(g, r, P / per_W);
        }
      return sc.thermal.source_model == "uniform"
               ? solver::uniform_source(r, P)
               : solver::exponential_depth_source(r, sc.thermal.source_decay_length_m, P);
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
      const auto &op = sc.operating_point;
      auto solid = sc.power_limits.stream;
      solid.melting_allowed       = false;
      solid.maximum_temperature_K = materials::tungsten::melting_temperature;
      const auto   cap   = solver::compute_power_limits(solid, sc.power_limits.table, U);
      const double S_muP = cap.S.S_muP;
      auto settings = th.settings;
      settings.relaxation_time_s = 0.0;
      // Without latent heat the solution is unchanged until the peak reaches T_m, and the peak
      // keeps rising smoothly beyond it (with latent heat it stalls at T_m: a poor root function).
      auto options = th.material;
      options.latent_heat = false;
      const solver::TungstenThermalMaterial solid_material(options);
      const auto peak = [&](double P) {
        if (mc_source)
          settings.source_power_W = solver::sphere_power(P, S_muP, sc.layout.sphere_radius,
                                                         op.focal_spot_width, op.focal_spot_length);
        const auto t = solver::solve_sphere_transient(settings, solid_material, make_source(sc, P, S_muP, mc_source));
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
  } // namespace

  void run_thermal_stage(const Scenario &scenario, RunContext &context)
  {
    if (!context.is_root())
      return;
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
        context.summary["heat_source_S_muP_monte_carlo"] = mc_source->S_muP;
        context.summary["heat_source_monte_carlo_s"]     = mc_source->seconds;
      }
    context.log << "[thermal] one sphere, " << op.input_power << " W input, S_muP = " << S_muP
                << ", dwell " << op.dwell_time() << " s ..." << std::endl;
    auto settings = th.settings;
    if (mc_source) // exact sphere power despite the cell-wise grid (solver::ThermalSettings)
      settings.source_power_W = solver::sphere_power(op.input_power, S_muP, scenario.layout.sphere_radius,
                                                     op.focal_spot_width, op.focal_spot_length);
    const auto r = solver::solve_sphere_transient(settings, material,
                                                  make_source(scenario, op.input_power, S_muP, mc_source));
    write_history(r, context);
    context.log << "[thermal] exit: peak " << r.exit_peak_temperature_K << " K, mean "
                << r.exit_mean_temperature_K << " K, liquid fraction " << r.exit_liquid_fraction
                << "; evens out (spread to " << th.settings.equalization_fraction * 100
                << " %) in " << r.equalization_time_s << " s; energy balance error "
                << r.energy_balance_relative_error << std::endl;
    auto &s = context.summary;
    s["sphere_power_W"]               = r.deposited_energy_J / th.settings.heating_time_s;
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

    if (th.transient_limit)
      {
        const auto lim = transient_limit(scenario, op.tube_voltage, mc_source, context);
        s["P_input_limit_muP_transient_W"]     = lim.transient_W;
        s["P_input_limit_muP_capacity_W"]      = lim.capacity_W;
        s["transient_to_capacity_limit_ratio"] = lim.transient_W / lim.capacity_W;
      }
    if (th.transient_limit_voltages.empty())
      return;
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
} // namespace mpstream::app
