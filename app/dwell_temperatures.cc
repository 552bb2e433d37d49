#include "app/dwell_temperatures.h"

#include "app/thermal_stream.h"

#include "common/wall_clock.h"
#include "mc/geometry.h"
#include "solver/mc_heat_source.h"
#include "solver/stream_thermal.h"
#include "solver/thermal.h"
#include "solver/thermal_material.h"

#include <algorithm>
#include <thread>

namespace mpstream::app
{
  namespace
  {
    // Each patch sphere takes its layer's mean (mean_K) and hottest (peak_K) history over the
    // periodic stream: the layouts differ in row count and layer draw, so only the layer
    // carries over (as for the charge fractions, Charging/Monte Carlo embedding).
    DwellTemperatures by_layer(const DwellTemperatures &stream_T, const layout::StreamLayout &stream,
                               const layout::StreamLayout &patch)
    {
      const std::size_t L = stream.layer_heights.size(), M = stream_T.mean_K.front().size();
      std::vector<std::vector<double>> mean(L, std::vector<double>(M, 0.0)), peak(L, std::vector<double>(M, 0.0));
      std::vector<double> count(L, 0.0);
      for (std::size_t i = 0; i < stream.spheres.size(); ++i)
        {
          const auto l = static_cast<std::size_t>(stream.spheres[i].layer);
          count[l] += 1;
          for (std::size_t j = 0; j < M; ++j)
            {
              mean[l][j] += stream_T.mean_K[i][j];
              peak[l][j] = std::max(peak[l][j], stream_T.peak_K[i][j]);
            }
        }
      DwellTemperatures out = stream_T;
      out.mean_K.clear();
      out.peak_K.clear();
      for (const auto &sphere : patch.spheres)
        {
          const auto l = static_cast<std::size_t>(sphere.layer);
          out.mean_K.push_back(mean.at(l));
          for (double &T : out.mean_K.back())
            T /= count[l];
          out.peak_K.push_back(peak[l]);
        }
      return out;
    }
  } // namespace

  DwellTemperatures dwell_temperatures(const Scenario &sc, const layout::StreamLayout &layout, std::size_t samples,
                                       RunContext &context)
  {
    const auto &th = sc.thermal;
    const auto &op = sc.operating_point;
    const unsigned threads =
      th.threads > 0 ? th.threads : std::max(1u, std::thread::hardware_concurrency() / context.n_ranks);
    // The interior's temperatures: the whole-stream thermal layout (periodic for a patch).
    const auto stream   = whole_stream_layout(sc, context);
    const bool by_layer_only = stream.spheres.size() != layout.spheres.size() ||
                               stream.periodic_cell.has_value() != layout.periodic_cell.has_value();
    context.log << "[charging] dwell: sphere temperatures from the whole-stream transient of "
                << stream.spheres.size() << " spheres" << (stream.periodic_cell ? " (periodic cell)" : "")
                << (by_layer_only ? ", each sphere taking its layer's mean" : "") << " (Monte Carlo "
                << th.whole_stream_mc_histories << " histories) ..." << std::endl;
    DwellTemperatures out;
    const auto mc = solver::stream_mc_source(mc::Geometry::from_layout(stream), op.tube_voltage,
                                             th.whole_stream_mc_histories, threads, th.mc_grid_cells,
                                             op.focal_spot_width, op.focal_spot_length, context.comm);
    out.monte_carlo_s = mc.seconds;
    std::vector<solver::PowerDensity> sources;
    std::vector<double> powers;
    for (const auto &g : mc.grids_per_W_input)
      {
        auto source = solver::mc_absolute_source(g, sc.layout.sphere_radius, op.input_power);
        powers.push_back(source.power_W);
        sources.push_back(std::move(source.q));
      }
    auto settings              = th.settings;
    settings.refinements       = th.whole_stream_refinements;
    settings.relaxation_time_s = 0.0;
    settings.probes.clear();
    const solver::TungstenThermalMaterial material(th.material);
    const auto t0  = WallClock::now();
    const auto res = solver::solve_stream_transient(settings, material, sources, powers, threads, context.comm, samples);
    out.thermal_s  = seconds_since(t0);
    out.mean_K     = res.mean_temperature_history_K;
    out.peak_K     = res.peak_temperature_history_K;
    context.log << "[charging] dwell: temperatures ready (" << out.monte_carlo_s << " s MC, " << out.thermal_s
                << " s heat); hottest sphere at the exit " << res.spheres[res.hottest()].exit_peak_temperature_K
                << " K peak" << std::endl;
    return by_layer_only ? by_layer(out, stream, layout) : out;
  }
} // namespace mpstream::app
