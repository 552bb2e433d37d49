#include "solver/mc_charge_sources.h"

#include "mc/sphere_charge.h"
#include "solver/mc_shielding.h"
#include "common/error.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>

namespace mpstream::solver
{
  double MonteCarloChargeSources::mean() const
  {
    return q.empty() ? 0.0 : std::accumulate(q.begin(), q.end(), 0.0) / static_cast<double>(q.size());
  }

  double MonteCarloChargeSources::min() const { return q.empty() ? 0.0 : *std::min_element(q.begin(), q.end()); }

  double MonteCarloChargeSources::max() const { return q.empty() ? 0.0 : *std::max_element(q.begin(), q.end()); }

  double MonteCarloChargeSources::largest_relative_stderr() const
  {
    double worst = 0.0;
    for (std::size_t i = 0; i < q.size(); ++i)
      worst = q[i] > 0 ? std::max(worst, q_stderr[i] / q[i]) : std::numeric_limits<double>::infinity();
    return worst;
  }

  MonteCarloChargeSources monte_carlo_charge_sources(const layout::StreamLayout &layout, double U,
                                                     std::uint64_t histories, unsigned threads,
                                                     const mc::TransportOptions &options,
                                                     const mc::PhysicsOptions &physics, MPI_Comm comm,
                                                     const mc::ElectricField *field,
                                                     const mc::FieldFlightOptions &field_options)
  {
    const mc::Geometry geometry = mc::Geometry::from_layout(layout);
    const auto run = run_monte_carlo(geometry, U, histories, threads, {}, comm, options, physics, field, field_options);
    MonteCarloChargeSources out;
    out.histories = run.tallies.histories;
    out.seconds   = run.seconds;
    for (const auto &c : mc::sphere_charge_fractions(run.tallies, geometry, mc::Source::for_geometry(geometry, U)))
      {
        out.q.push_back(c.q.value);
        out.q_stderr.push_back(c.q.stderr_);
        out.q_absorbed.push_back(c.q_without_secondaries.value);
      }
    out.power_fraction      = mc::sphere_deposited_fractions(run.tallies, U);
    out.field_work_fraction = run.summary.field_work.value;
    out.trapped_per_primary = run.summary.trapped.value;
    return out;
  }

  MonteCarloChargeSources monte_carlo_layer_charge_sources(const layout::StreamLayout &layout,
                                                           const layout::StreamLayout &periodic_stream, double U,
                                                           std::uint64_t histories, unsigned threads,
                                                           const mc::TransportOptions &options,
                                                           const mc::PhysicsOptions &physics, MPI_Comm comm)
  {
    const std::size_t n_layers = periodic_stream.layer_heights.size();
    if (layout.layer_heights.size() != n_layers)
      throw InputError("charge sources: the periodic stream has " + std::to_string(n_layers) +
                       " layers, the patch " + std::to_string(layout.layer_heights.size()));
    std::vector<int> layer;
    for (const auto &s : periodic_stream.spheres)
      layer.push_back(s.layer);
    const mc::Geometry geometry = mc::Geometry::from_layout(periodic_stream);
    const auto run = run_monte_carlo(geometry, U, histories, threads, {}, comm, options, physics);
    const auto by_layer =
      mc::group_charge_fractions(run.tallies, geometry, mc::Source::for_geometry(geometry, U), layer, n_layers);
    MonteCarloChargeSources out;
    out.histories = run.tallies.histories;
    out.seconds   = run.seconds;
    for (const auto &s : layout.spheres)
      {
        if (s.layer < 0 || static_cast<std::size_t>(s.layer) >= n_layers)
          throw InputError("charge sources: a sphere of the patch is on no layer of the periodic stream");
        const auto &c = by_layer[static_cast<std::size_t>(s.layer)];
        out.q.push_back(c.q.value);
        out.q_stderr.push_back(c.q.stderr_);
        out.q_absorbed.push_back(c.q_without_secondaries.value);
      }
    return out;
  }
} // namespace mpstream::solver
