// Stage "thermal": transient heat conduction in one sphere over its dwell in the focal spot at
// the operating point, then (optionally) the input power at which its peak temperature reaches
// T_melt, beside the heat-capacity limit. Serial per sphere; rank 0 computes.
#include "app/stages.h"
#include "common/atomic_file.h"
#include "solver/heat_source.h"
#include "solver/power_limits.h"
#include "solver/thermal.h"
#include "solver/transient_limit.h"
#include "solver/tungsten_properties.h"

#include <iomanip>

namespace mpstream::app
{
  namespace
  {
    solver::PowerDensity make_source(const Scenario &sc, double P_input, double S_muP)
    {
      const auto  &op = sc.operating_point;
      const double r  = sc.layout.sphere_radius;
      const double P  = solver::sphere_power(P_input, S_muP, r, op.focal_spot_width, op.focal_spot_length);
      return sc.thermal.uniform_source ? solver::uniform_source(r, P)
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
    context.log << "[thermal] one sphere, " << op.input_power << " W input, S_muP = " << S_muP
                << ", dwell " << op.dwell_time() << " s ..." << std::endl;
    const auto r = solver::solve_sphere_transient(th.settings, material,
                                                  make_source(scenario, op.input_power, S_muP));
    write_history(r, context);
    context.log << "[thermal] exit: peak " << r.exit_peak_temperature_K << " K, mean "
                << r.exit_mean_temperature_K << " K, liquid fraction " << r.exit_liquid_fraction
                << "; evens out (spread to " << th.settings.equalization_fraction * 100
                << " %) in " << r.equalization_time_s << " s; energy balance error "
                << r.energy_balance_relative_error << std::endl;
    auto &s = context.summary;
    s["sphere_power_W"]               = solver::sphere_power(op.input_power, S_muP, scenario.layout.sphere_radius,
                                                             op.focal_spot_width, op.focal_spot_length);
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

    if (!th.transient_limit)
      return;
    // Heat-capacity limit of the stream (non-melting), and the transient one.
    auto solid = scenario.power_limits.stream;
    solid.melting_allowed       = false;
    solid.maximum_temperature_K = materials::tungsten::melting_temperature;
    const double P_capacity = solver::compute_power_limits(solid, scenario.power_limits.table, op.tube_voltage)
                                .P_input_limit_muP_W;
    auto settings = th.settings;
    settings.relaxation_time_s = 0.0;
    // Without latent heat the solution is unchanged until the peak reaches T_m, and the peak
    // keeps rising smoothly beyond it (with latent heat it stalls at T_m: a poor root function).
    auto options = th.material;
    options.latent_heat = false;
    const solver::TungstenThermalMaterial solid_material(options);
    const auto peak = [&](double P) {
      const auto t = solver::solve_sphere_transient(settings, solid_material, make_source(scenario, P, S_muP));
      context.log << "[thermal]   " << P << " W -> peak " << t.peak_temperature_K << " K" << std::endl;
      return t.peak_temperature_K;
    };
    const auto lim = solver::find_power_for_peak_temperature(
      peak, materials::tungsten::melting_temperature, 0.9 * P_capacity, 1.02 * P_capacity, 2e-3, 0.5);
    context.log << "[thermal] peak reaches T_melt at " << lim.P_input_W << " W input; heat-capacity "
                << "limit " << P_capacity << " W (ratio " << lim.P_input_W / P_capacity << ")" << std::endl;
    s["P_input_limit_muP_transient_W"] = lim.P_input_W;
    s["P_input_limit_muP_capacity_W"]  = P_capacity;
    s["transient_to_capacity_limit_ratio"] = lim.P_input_W / P_capacity;
  }
} // namespace mpstream::app
