#include "app/dwell_temperatures.h"

#include "app/thermal_stream.h"

#include <algorithm>

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
    // The interior's temperatures: the whole-stream thermal layout (periodic for a patch).
    const auto &run          = ensure_whole_stream_transient(sc, context, samples);
    const auto &stream       = run.layout;
    const bool by_layer_only = stream.spheres.size() != layout.spheres.size() ||
                               stream.periodic_cell.has_value() != layout.periodic_cell.has_value();
    DwellTemperatures out;
    out.monte_carlo_s = run.mc.seconds;
    out.thermal_s     = run.thermal_s;
    out.mean_K        = run.result.mean_temperature_history_K;
    out.peak_K        = run.result.peak_temperature_history_K;
    context.log << "[charging] dwell: sphere temperatures from the whole-stream transient of "
                << stream.spheres.size() << " spheres" << (stream.periodic_cell ? " (periodic cell)" : "")
                << (by_layer_only ? ", each sphere taking its layer's mean" : "") << " (" << out.monte_carlo_s
                << " s MC, " << out.thermal_s << " s heat; hottest sphere at the exit "
                << run.result.spheres[run.result.hottest()].exit_peak_temperature_K << " K peak)" << std::endl;
    return by_layer_only ? by_layer(out, stream, layout) : out;
  }
} // namespace mpstream::app
