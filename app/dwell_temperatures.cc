#include "app/dwell_temperatures.h"

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
  DwellTemperatures dwell_temperatures(const Scenario &sc, const layout::StreamLayout &layout, std::size_t samples,
                                       RunContext &context)
  {
    const auto &th = sc.thermal;
    const auto &op = sc.operating_point;
    const unsigned threads =
      th.threads > 0 ? th.threads : std::max(1u, std::thread::hardware_concurrency() / context.n_ranks);
    context.log << "[charging] dwell: sphere temperatures from the whole-stream transient of the "
                << layout.spheres.size() << " spheres (Monte Carlo " << th.whole_stream_mc_histories
                << " histories) ..." << std::endl;
    DwellTemperatures out;
    const auto mc = solver::stream_mc_source(mc::Geometry::from_layout(layout), op.tube_voltage,
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
    return out;
  }
} // namespace mpstream::app
