#include "solver/mc_charge_sources.h"

#include "mc/sphere_charge.h"
#include "solver/mc_shielding.h"

#include <algorithm>
#include <limits>
#include <numeric>

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
                                                     const mc::PhysicsOptions &physics, MPI_Comm comm)
  {
    const mc::Geometry geometry = mc::Geometry::from_layout(layout);
    const auto run = run_monte_carlo(geometry, U, histories, threads, {}, comm, options, physics);
    MonteCarloChargeSources out;
    out.histories = run.tallies.histories;
    out.seconds   = run.seconds;
    for (const auto &c : mc::sphere_charge_fractions(run.tallies, geometry, mc::Source::for_geometry(geometry, U)))
      {
        out.q.push_back(c.q.value);
        out.q_stderr.push_back(c.q.stderr_);
        out.q_absorbed.push_back(c.q_without_secondaries.value);
      }
    return out;
  }
} // namespace mpstream::solver
