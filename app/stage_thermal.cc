// Stage "thermal": transient heat conduction in one sphere over its dwell in the focal spot at
// the operating point, then (optionally) the input power at which its peak temperature reaches
// T_melt, beside the heat-capacity limit (rank 0). Then (Thermal/Whole stream) every sphere of
// the Geometry section's stream with its own MC power grid, over all ranks and threads.
#include "app/stages.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "mc/cases.h"
#include "mc/material.h"
#include "mc/source.h"
#include "solver/heat_source.h"
#include "solver/mc_shielding.h"
#include "solver/power_limits.h"
#include "solver/stream_thermal.h"
#include "solver/thermal.h"
#include "solver/transient_limit.h"
#include "solver/tungsten_properties.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <iomanip>
#include <map>
#include <optional>
#include <thread>

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
                << r.exit_mean_temperature_K << " K, liquid fraction " << r.exit_liquid_fraction << "; ";
    if (std::isnan(r.equalization_time_s)) // e.g. a sphere held at the melting plateau
      context.log << "spread does not fall to " << th.settings.equalization_fraction * 100
                  << " % of its exit value within the relaxation time (" << th.settings.relaxation_time_s
                  << " s; spread at exit " << r.exit_peak_temperature_K - r.exit_min_temperature_K << " K)";
    else
      context.log << "evens out (spread to " << th.settings.equalization_fraction * 100 << " %) in "
                  << r.equalization_time_s << " s";
    context.log << "; energy balance error " << r.energy_balance_relative_error << std::endl;
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

    using Clock = std::chrono::steady_clock;
    double seconds_since(Clock::time_point t0)
    {
      return std::chrono::duration<double>(Clock::now() - t0).count();
    }

    // Per-sphere power grids of the Geometry section's stream from the electron MC at the
    // operating voltage: sphere-centred, W/m^3 per W of input power (the focal spot spreads
    // P_input uniformly; the MC beam covers the stream's lateral box or periodic cell). The
    // histories are split over the ranks (solver::run_monte_carlo), so every rank holds the
    // result of a serial run, bit for bit.
    struct StreamMcSource
    {
      std::vector<CartesianGrid> grids_per_W_input;
      double S_muP, seconds;
    };

    StreamMcSource stream_monte_carlo(const Scenario &sc, const meshing::StreamLayout &layout,
                                      unsigned threads, RunContext &context)
    {
      const auto  &op = sc.operating_point;
      const double U  = op.tube_voltage;
      const auto   geometry = mc::Geometry::from_layout(layout);
      mc::GridSpec grid;
      grid.cells_per_axis = sc.thermal.mc_grid_cells;
      const auto run = solver::run_monte_carlo(geometry, U, sc.thermal.whole_stream_mc_histories, threads,
                                               grid, context.comm);
      StreamMcSource out{mc::power_density_grids(run.tallies, geometry, U), run.summary.S_muP.value, run.seconds};
      const auto   source = mc::Source::for_geometry(geometry, U);
      const double share  = (source.x_hi - source.x_lo) * (source.y_hi - source.y_lo) /
                           (op.focal_spot_width * op.focal_spot_length);
      for (std::size_t i = 0; i < out.grids_per_W_input.size(); ++i)
        {
          auto &g = out.grids_per_W_input[i];
          for (int d = 0; d < 3; ++d)
            {
              g.lower[d] -= geometry.spheres()[i].centre[d];
              g.upper[d] -= geometry.spheres()[i].centre[d];
            }
          for (double &v : g.values)
            v *= share;
        }
      return out;
    }

    void write_stream_csv(const meshing::StreamLayout &layout, const solver::StreamThermalResult &res,
                          RunContext &context)
    {
      AtomicFile csv(context.path("stream_thermal.csv"));
      csv.stream() << "sphere,layer,x_m,y_m,z_m,sphere_power_W,exit_peak_temperature_K,"
                      "exit_mean_temperature_K,exit_min_temperature_K,exit_molten_fraction,"
                      "peak_temperature_K,max_molten_fraction,radiated_energy_J,"
                      "energy_balance_relative_error\n"
                   << std::setprecision(10);
      for (std::size_t i = 0; i < res.spheres.size(); ++i)
        {
          const auto &s = res.spheres[i];
          const auto &c = layout.spheres[i].centre;
          csv.stream() << i << ',' << layout.spheres[i].layer << ',' << c[0] << ',' << c[1] << ','
                       << c[2] << ',' << s.sphere_power_W << ',' << s.exit_peak_temperature_K << ','
                       << s.exit_mean_temperature_K << ',' << s.exit_min_temperature_K << ','
                       << s.exit_molten_fraction << ',' << s.peak_temperature_K << ','
                       << s.max_molten_fraction << ',' << s.radiated_energy_J << ','
                       << s.energy_balance_relative_error << '\n';
        }
      csv.commit();
    }

    // Per layer: sphere count, mean/max exit peak, mean of the exit means, max molten fraction,
    // mean sphere power. CSV, summary array and log.
    void summarise_layers(const meshing::StreamLayout &layout, const solver::StreamThermalResult &res,
                          RunContext &context)
    {
      struct Layer
      {
        std::size_t n = 0;
        double peak_sum = 0, peak_max = 0, mean_sum = 0, molten_max = 0, power_sum = 0;
      };
      std::map<int, Layer> layers;
      for (std::size_t i = 0; i < res.spheres.size(); ++i)
        {
          const auto &s = res.spheres[i];
          auto       &l = layers[layout.spheres[i].layer];
          ++l.n;
          l.peak_sum += s.exit_peak_temperature_K;
          l.peak_max = std::max(l.peak_max, s.exit_peak_temperature_K);
          l.mean_sum += s.exit_mean_temperature_K;
          l.molten_max = std::max(l.molten_max, s.exit_molten_fraction);
          l.power_sum += s.sphere_power_W;
        }
      AtomicFile csv(context.path("stream_thermal_layers.csv"));
      csv.stream() << "layer,z_m,n_spheres,mean_exit_peak_temperature_K,max_exit_peak_temperature_K,"
                      "mean_exit_mean_temperature_K,max_exit_molten_fraction,mean_sphere_power_W\n"
                   << std::setprecision(10);
      Json array = Json::array();
      for (const auto &[index, l] : layers)
        {
          const double z = index >= 0 && std::size_t(index) < layout.layer_heights.size()
                             ? layout.layer_heights[index] : 0.0;
          csv.stream() << index << ',' << z << ',' << l.n << ',' << l.peak_sum / l.n << ',' << l.peak_max
                       << ',' << l.mean_sum / l.n << ',' << l.molten_max << ',' << l.power_sum / l.n << '\n';
          Json row = Json::object();
          row["layer"]                        = index;
          row["z_m"]                          = z;
          row["n_spheres"]                    = l.n;
          row["mean_exit_peak_temperature_K"] = l.peak_sum / l.n;
          row["max_exit_peak_temperature_K"]  = l.peak_max;
          row["mean_exit_mean_temperature_K"] = l.mean_sum / l.n;
          row["max_exit_molten_fraction"]     = l.molten_max;
          row["mean_sphere_power_W"]          = l.power_sum / l.n;
          array.push_back(row);
          context.log << "[thermal]   layer " << index << " (z = " << z * 1e6 << " um, " << l.n
                      << " spheres): exit peak mean " << l.peak_sum / l.n << " K, max " << l.peak_max
                      << " K; mean T " << l.mean_sum / l.n << " K; molten max " << l.molten_max
                      << "; power " << l.power_sum / l.n << " W" << std::endl;
        }
      csv.commit();
      context.summary["stream_layers"] = array;
    }

    // Input power at which the hottest sphere of the stream reaches T_melt (its own MC grid scaled
    // with P, no latent heat as in transient_limit()), beside the heat-capacity limit.
    void hottest_sphere_limit(const Scenario &sc, const solver::ThermalSettings &settings,
                              const CartesianGrid &grid, double peak_at_P_input, RunContext &context)
    {
      const auto &op = sc.operating_point;
      auto solid = sc.power_limits.stream;
      solid.melting_allowed       = false;
      solid.maximum_temperature_K = materials::tungsten::melting_temperature;
      const double P_cap = solver::compute_power_limits(solid, sc.power_limits.table, op.tube_voltage)
                             .P_input_limit_muP_W;
      auto options = sc.thermal.material;
      options.latent_heat = false;
      const solver::TungstenThermalMaterial material(options);
      const solver::SphereDiscretization    mesh(settings);
      double per_W = 0.0;
      for (const double v : grid.values)
        per_W += v * grid.cell_volume();
      const auto peak = [&](double P) {
        auto s = settings;
        s.source_power_W = P * per_W;
        return mesh.solve(s, material, solver::sphere_grid_source(grid, sc.layout.sphere_radius, P))
          .peak_temperature_K;
      };
      // Temperature rise nearly proportional to P: start from the linear estimate.
      const double T0 = settings.initial_temperature_K, Tm = materials::tungsten::melting_temperature;
      const double P_lin = op.input_power * (Tm - T0) / std::max(peak_at_P_input - T0, 1e-3);
      const auto lim = solver::find_power_for_peak_temperature(peak, Tm, 0.95 * P_lin, 1.05 * P_lin, 2e-3, 0.5);
      context.log << "[thermal] whole stream: the hottest sphere reaches T_melt at " << lim.P_input_W
                  << " W input; heat-capacity limit " << P_cap << " W (ratio " << lim.P_input_W / P_cap
                  << ")" << std::endl;
      context.summary["P_input_limit_muP_stream_transient_W"]    = lim.P_input_W;
      context.summary["stream_transient_to_capacity_limit_ratio"] = lim.P_input_W / P_cap;
    }

    // The stream the whole-stream transient heats: inside the focal spot every sphere has
    // neighbours on all sides, so by default the Geometry section's hexagonal stream is made
    // laterally periodic (a finite patch loses the sideways backscatter of its missing
    // neighbours: S_muP 0.15 instead of 0.29 at 132 kV, doc/thermal.md).
    meshing::StreamLayout thermal_stream_layout(const Scenario &sc, RunContext &context)
    {
      const bool hexagonal = sc.layout.kind != meshing::LayoutKind::csv;
      if (!sc.thermal.whole_stream_periodic || sc.layout.periodic || !hexagonal)
        return ensure_layout(sc, context);
      auto parameters     = sc.layout;
      parameters.periodic = true;
      parameters.rows += parameters.rows % 2; // a hexagonal cell repeats after an even row count
      return meshing::make_stream_layout(parameters);
    }

    void whole_stream(const Scenario &sc, RunContext &context)
    {
      const auto &th = sc.thermal;
      const auto &op = sc.operating_point;
      const auto layout = thermal_stream_layout(sc, context);
      const unsigned threads =
        th.threads > 0 ? th.threads : std::max(1u, std::thread::hardware_concurrency() / context.n_ranks);
      context.log << "[thermal] whole stream: " << layout.spheres.size() << " spheres"
                  << (layout.periodic_cell ? " (periodic cell)" : "") << ", Monte Carlo "
                  << th.whole_stream_mc_histories << " histories at " << op.tube_voltage << " V on "
                  << context.n_ranks << " rank(s) x " << threads << " thread(s) ..." << std::endl;
      const auto mc = stream_monte_carlo(sc, layout, threads, context);
      std::vector<solver::PowerDensity> sources;
      std::vector<double>               powers;
      for (const auto &g : mc.grids_per_W_input)
        {
          double per_W = 0.0;
          for (const double v : g.values)
            per_W += v * g.cell_volume();
          powers.push_back(op.input_power * per_W); // exact on the discrete sphere
          sources.push_back(solver::sphere_grid_source(g, sc.layout.sphere_radius, op.input_power));
        }
      auto settings              = th.settings;
      settings.refinements       = th.whole_stream_refinements;
      settings.relaxation_time_s = 0.0;
      settings.probes.clear();
      const solver::TungstenThermalMaterial material(th.material);
      const auto t0  = Clock::now();
      const auto res = solver::solve_stream_transient(settings, material, sources, powers, threads, context.comm);
      const double wall = seconds_since(t0);
      if (!context.is_root())
        return;
      write_stream_csv(layout, res, context);
      const std::size_t hot = res.hottest();
      const auto       &h   = res.spheres[hot];
      double mean_sum = 0, molten_max = 0, molten_sum = 0, balance_max = 0, P_min = 1e300, P_max = 0, P_sum = 0;
      for (const auto &s : res.spheres)
        {
          mean_sum += s.exit_mean_temperature_K;
          molten_max = std::max(molten_max, s.exit_molten_fraction);
          molten_sum += s.exit_molten_fraction;
          balance_max = std::max(balance_max, s.energy_balance_relative_error);
          P_min = std::min(P_min, s.sphere_power_W);
          P_max = std::max(P_max, s.sphere_power_W);
          P_sum += s.sphere_power_W;
        }
      const double n = static_cast<double>(res.spheres.size());
      context.log << "[thermal] whole stream (" << mc.seconds << " s MC, " << wall << " s heat): hottest sphere "
                  << hot << " (layer " << layout.spheres[hot].layer << "): exit peak " << h.exit_peak_temperature_K
                  << " K, mean " << h.exit_mean_temperature_K << " K, molten " << h.exit_molten_fraction
                  << "; stream mean " << mean_sum / n << " K; MC S_muP " << mc.S_muP << std::endl;
      summarise_layers(layout, res, context);
      auto &s = context.summary;
      s["stream_n_spheres"]                   = res.spheres.size();
      s["stream_periodic_cell"]               = layout.periodic_cell.has_value();
      s["stream_peak_temperature_K"]          = h.exit_peak_temperature_K;
      s["stream_hottest_sphere"]              = hot;
      s["stream_hottest_layer"]               = layout.spheres[hot].layer;
      s["stream_hottest_mean_temperature_K"]  = h.exit_mean_temperature_K;
      s["stream_mean_temperature_K"]          = mean_sum / n;
      s["stream_molten_fraction_max"]         = molten_max;
      s["stream_molten_fraction_mean"]        = molten_sum / n;
      s["stream_sphere_power_min_W"]          = P_min;
      s["stream_sphere_power_max_W"]          = P_max;
      s["stream_sphere_power_mean_W"]         = P_sum / n;
      s["stream_S_muP_monte_carlo"]           = mc.S_muP;
      s["stream_energy_balance_max_relative_error"] = balance_max;
      s["stream_n_dofs_per_sphere"]           = res.n_dofs;
      s["stream_monte_carlo_s"]               = mc.seconds;
      s["stream_thermal_s"]                   = wall;
      s["stream_ranks"]                       = context.n_ranks;
      s["stream_threads_per_rank"]            = threads;
      if (th.transient_limit)
        hottest_sphere_limit(sc, settings, mc.grids_per_W_input[hot], h.peak_temperature_K, context);
    }
  } // namespace

  void run_thermal_stage(const Scenario &scenario, RunContext &context)
  {
    // Rank 0 alone solves the single sphere; the whole stream needs every rank, so the others
    // must learn of a failure there instead of waiting for rank 0 in the stream's MC.
    std::exception_ptr failure;
    if (context.is_root())
      try
        {
          single_sphere(scenario, context);
        }
      catch (...)
        {
          failure = std::current_exception();
        }
    int failed = failure ? 1 : 0;
    MPI_Bcast(&failed, 1, MPI_INT, 0, context.comm);
    if (failure)
      std::rethrow_exception(failure);
    if (failed)
      throw RuntimeFailure("thermal: the single-sphere transient failed on rank 0");
    if (scenario.thermal.whole_stream)
      whole_stream(scenario, context);
  }
} // namespace mpstream::app
