#include "app/thermal_stream.h"

#include "app/run_on_root.h"
#include "app/stage_cache_keys.h"
#include "app/stages.h"
#include "app/thermal_limits.h"
#include "common/atomic_file.h"
#include "common/wall_clock.h"
#include "mc/geometry.h"
#include "solver/heat_source.h"
#include "solver/mc_heat_source.h"
#include "solver/mc_products_io.h"
#include "solver/stream_thermal.h"
#include "solver/thermal.h"
#include "solver/transient_limit.h"
#include "solver/tungsten_properties.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <utility>

namespace mpstream::app
{
  namespace
  {
    // Per-sphere power grids of the Geometry section's stream from the electron MC at the
    // operating voltage (solver/mc_heat_source.h; the MC beam covers the stream's lateral box or
    // periodic cell), the histories split over the ranks.
    solver::StreamMcSource stream_monte_carlo(const Scenario &sc, const layout::StreamLayout &layout,
                                              unsigned threads, RunContext &context)
    {
      const auto &op = sc.operating_point;
      return solver::stream_mc_source(mc::Geometry::from_layout(layout), op.tube_voltage,
                                      sc.thermal.whole_stream_mc_histories, threads, sc.thermal.mc_grid_cells,
                                      op.focal_spot_width, op.focal_spot_length, context.comm);
    }

    // Stage cache (app/stage_cache.h): the grids of an earlier run with the same MC inputs, or a
    // fresh MC (then stored). Its time is this run's (reading or computing).
    solver::StreamMcSource cached_stream_monte_carlo(const Scenario &sc, const layout::StreamLayout &layout,
                                                     unsigned threads, RunContext &context)
    {
      const auto t0 = WallClock::now();
      auto mc       = reuse_or_compute<solver::StreamMcSource>(
        context, stream_mc_key(sc, context, layout), [&] { return stream_monte_carlo(sc, layout, threads, context); },
        &solver::write_stream_mc_source, &solver::read_stream_mc_source);
      mc.seconds = seconds_since(t0);
      return mc;
    }

    void write_stream_csv(const layout::StreamLayout &layout, const solver::StreamThermalResult &res,
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
    void summarise_layers(const layout::StreamLayout &layout, const solver::StreamThermalResult &res,
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
      context.stage_summary("thermal")["stream_layers"] = array;
    }

    // Input power at which the hottest sphere of the stream reaches T_melt (its own MC grid scaled
    // with P, no latent heat as in transient_limit()), beside the heat-capacity limit.
    void hottest_sphere_limit(const Scenario &sc, const solver::ThermalSettings &settings,
                              const CartesianGrid &grid, double peak_at_P_input, RunContext &context)
    {
      const auto &op = sc.operating_point;
      const double P_cap    = non_melting_power_limits(sc, op.tube_voltage).P_input_limit_muP_W;
      const auto   material = material_without_latent_heat(sc);
      const solver::SphereDiscretization    mesh(settings);
      const auto peak = [&](double P) {
        const auto source = solver::mc_absolute_source(grid, sc.layout.sphere_radius, P);
        auto s            = settings;
        s.source_power_W  = source.power_W;
        return mesh.solve(s, material, source.q).peak_temperature_K;
      };
      // Temperature rise nearly proportional to P: start from the linear estimate.
      const double T0 = settings.initial_temperature_K, Tm = materials::tungsten::melting_temperature;
      const double P_lin = op.input_power * (Tm - T0) / std::max(peak_at_P_input - T0, 1e-3);
      const auto lim = solver::find_power_for_peak_temperature(peak, Tm, 0.95 * P_lin, 1.05 * P_lin, 2e-3, 0.5);
      context.log << "[thermal] whole stream: the hottest sphere reaches T_melt at " << lim.P_input_W
                  << " W input; heat-capacity limit " << P_cap << " W (ratio " << lim.P_input_W / P_cap
                  << ")" << std::endl;
      context.stage_summary("thermal")["P_input_limit_muP_stream_transient_W"]    = lim.P_input_W;
      context.stage_summary("thermal")["stream_transient_to_capacity_limit_ratio"] = lim.P_input_W / P_cap;
    }

    // Sums and extremes over the stream's spheres (means: sum / n).
    struct StreamTotals
    {
      double mean_sum = 0, molten_max = 0, molten_sum = 0, balance_max = 0, P_min = 1e300, P_max = 0, P_sum = 0;
      double n = 0;
    };

    StreamTotals stream_totals(const solver::StreamThermalResult &res)
    {
      StreamTotals t;
      for (const auto &s : res.spheres)
        {
          t.mean_sum += s.exit_mean_temperature_K;
          t.molten_max = std::max(t.molten_max, s.exit_molten_fraction);
          t.molten_sum += s.exit_molten_fraction;
          t.balance_max = std::max(t.balance_max, s.energy_balance_relative_error);
          t.P_min = std::min(t.P_min, s.sphere_power_W);
          t.P_max = std::max(t.P_max, s.sphere_power_W);
          t.P_sum += s.sphere_power_W;
        }
      t.n = static_cast<double>(res.spheres.size());
      return t;
    }

    // The whole stream's summary keys, in one place.
    void write_stream_summary(const layout::StreamLayout &layout, const solver::StreamThermalResult &res,
                              const StreamTotals &t, const solver::StreamMcSource &mc, double wall, unsigned threads,
                              RunContext &context)
    {
      const std::size_t hot = res.hottest();
      const auto       &h   = res.spheres[hot];
      auto             &s   = context.stage_summary("thermal");
      s["stream_n_spheres"]                   = res.spheres.size();
      s["stream_periodic_cell"]               = layout.periodic_cell.has_value();
      s["stream_peak_temperature_K"]          = h.exit_peak_temperature_K;
      s["stream_hottest_sphere"]              = hot;
      s["stream_hottest_layer"]               = layout.spheres[hot].layer;
      s["stream_hottest_mean_temperature_K"]  = h.exit_mean_temperature_K;
      s["stream_mean_temperature_K"]          = t.mean_sum / t.n;
      s["stream_molten_fraction_max"]         = t.molten_max;
      s["stream_molten_fraction_mean"]        = t.molten_sum / t.n;
      s["stream_sphere_power_min_W"]          = t.P_min;
      s["stream_sphere_power_max_W"]          = t.P_max;
      s["stream_sphere_power_mean_W"]         = t.P_sum / t.n;
      s["stream_S_muP_monte_carlo"]           = mc.S_muP;
      s["stream_energy_balance_max_relative_error"] = t.balance_max;
      s["stream_n_dofs_per_sphere"]           = res.n_dofs;
      s["stream_monte_carlo_s"]               = mc.seconds;
      s["stream_thermal_s"]                   = wall;
      s["stream_ranks"]                       = context.n_ranks;
      s["stream_threads_per_rank"]            = threads;
    }
  } // namespace

  // The stream the whole-stream transient heats: inside the focal spot every sphere has
  // neighbours on all sides, so by default the Geometry section's hexagonal stream is made
  // laterally periodic (a finite patch loses the sideways backscatter of its missing
  // neighbours: S_muP 0.15 instead of 0.29 at 132 kV, doc/thermal.md).
  layout::StreamLayout whole_stream_layout(const Scenario &sc, RunContext &context)
  {
    const bool hexagonal = sc.layout.kind != layout::LayoutKind::csv;
    if (!sc.thermal.whole_stream_periodic || sc.layout.periodic || !hexagonal)
      return ensure_layout(sc, context);
    auto parameters     = sc.layout;
    parameters.periodic = true;
    parameters.rows += parameters.rows % 2; // a hexagonal cell repeats after an even row count
    return layout::make_stream_layout(parameters);
  }

  const WholeStreamTransient &ensure_whole_stream_transient(const Scenario &sc, RunContext &context,
                                                            std::size_t history_samples)
  {
    if (context.whole_stream && (history_samples == 0 || context.whole_stream->history_samples == history_samples))
      return *context.whole_stream;
    const auto &th = sc.thermal;
    const auto &op = sc.operating_point;
    auto run       = std::make_shared<WholeStreamTransient>();
    run->layout    = whole_stream_layout(sc, context);
    run->threads   = context.threads.threads_for(th.threads);
    run->history_samples = history_samples;
    context.log << "[thermal] whole stream: " << run->layout.spheres.size() << " spheres"
                << (run->layout.periodic_cell ? " (periodic cell)" : "") << ", Monte Carlo "
                << th.whole_stream_mc_histories << " histories at " << op.tube_voltage << " V on "
                << context.n_ranks << " rank(s) x " << run->threads << " thread(s) ..." << std::endl;
    run->mc = cached_stream_monte_carlo(sc, run->layout, run->threads, context);
    std::vector<solver::PowerDensity> sources;
    std::vector<double>               powers;
    for (const auto &g : run->mc.grids_per_W_input)
      {
        auto source = solver::mc_absolute_source(g, sc.layout.sphere_radius, op.input_power);
        powers.push_back(source.power_W); // exact on the discrete sphere
        sources.push_back(std::move(source.q));
      }
    run->settings                   = th.settings;
    run->settings.refinements       = th.whole_stream_refinements;
    run->settings.relaxation_time_s = 0.0;
    run->settings.probes.clear();
    const solver::TungstenThermalMaterial material(th.material);
    const auto t0  = WallClock::now();
    run->result    = reuse_or_compute<solver::StreamThermalResult>( // stage cache, as the MC above
      context, stream_transient_key(sc, context, run->layout, history_samples),
      [&] {
        return solver::solve_stream_transient(run->settings, material, sources, powers, run->threads, context.comm,
                                              history_samples);
      },
      &solver::write_stream_thermal_result, &solver::read_stream_thermal_result);
    run->thermal_s = seconds_since(t0);
    context.whole_stream = run;
    return *run;
  }

  void run_whole_stream_thermal(const Scenario &sc, RunContext &context)
  {
    const auto &th       = sc.thermal;
    const auto &run      = ensure_whole_stream_transient(sc, context, 0);
    const auto &layout   = run.layout;
    const auto &mc       = run.mc;
    const auto &res      = run.result;
    const auto &settings = run.settings;
    const double wall    = run.thermal_s;
    const unsigned threads = run.threads;
    // Rank 0 writes and derives the limit; a failure there ends the run on every rank.
    run_on_root(context.comm, [&] {
      write_stream_csv(layout, res, context);
      const std::size_t hot = res.hottest();
      const auto       &h   = res.spheres[hot];
      const auto        t   = stream_totals(res);
      context.log << "[thermal] whole stream (" << mc.seconds << " s MC, " << wall << " s heat): hottest sphere "
                  << hot << " (layer " << layout.spheres[hot].layer << "): exit peak " << h.exit_peak_temperature_K
                  << " K, mean " << h.exit_mean_temperature_K << " K, molten " << h.exit_molten_fraction
                  << "; stream mean " << t.mean_sum / t.n << " K; MC S_muP " << mc.S_muP << std::endl;
      summarise_layers(layout, res, context);
      write_stream_summary(layout, res, t, mc, wall, threads, context);
      if (th.transient_limit)
        hottest_sphere_limit(sc, settings, mc.grids_per_W_input[hot], h.peak_temperature_K, context);
    });
  }
} // namespace mpstream::app
