#include "solver/mc_shielding.h"

#include "mc/cases.h"
#include "mc/material.h"
#include "mc/physics_tables.h"
#include "mc/source.h"
#include "mc/transport.h"

#include <algorithm>
#include <chrono>

namespace mpstream::solver
{
  MonteCarloRun run_monte_carlo(const mc::Geometry &geometry, double U, std::uint64_t n,
                                unsigned threads, const mc::GridSpec &grid, MPI_Comm comm,
                                const mc::TransportOptions &options, mc::PhysicsOptions physics,
                                const mc::ElectricField *field, const mc::FieldFlightOptions &field_options)
  {
    int rank = 0, n_ranks = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &n_ranks);
    physics.max_energy_eV = std::max(physics.max_energy_eV, U);
    const mc::PhysicsTables tables(mc::tungsten(), physics);
    const mc::Transport     transport(geometry, tables, mc::Source::for_geometry(geometry, U), options, grid,
                                        field, field_options);
    const auto        t0 = std::chrono::steady_clock::now();
    const mc::Tallies local =
      transport.run(n * rank / n_ranks, n * (rank + 1) / n_ranks, threads);
    const std::vector<std::int64_t> mine = local.serialize();
    std::vector<std::int64_t>       all(mine.size() * n_ranks);
    MPI_Allgather(mine.data(), static_cast<int>(mine.size()), MPI_INT64_T, all.data(),
                  static_cast<int>(mine.size()), MPI_INT64_T, comm);
    const mc::Tallies shape(geometry.spheres().size(), grid);
    MonteCarloRun     out{shape, {}, 0.0};
    for (int r = 0; r < n_ranks; ++r) // integer sums: the order does not matter
      {
        mc::Tallies part = shape;
        part.deserialize(std::vector<std::int64_t>(all.begin() + r * mine.size(),
                                                   all.begin() + (r + 1) * mine.size()));
        out.tallies.merge(part);
      }
    out.summary = mc::summarize(out.tallies, U);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
  }

  MonteCarloShielding monte_carlo_shielding_table(const std::vector<double> &voltages, double r,
                                                  std::uint64_t n, unsigned threads, MPI_Comm comm)
  {
    // Table 1's geometry: touching spheres (clearance 0) resting on the anode (gap 0).
    const mc::Geometry monolayer = mc::monolayer_geometry(r, 0.0, true, 0.0);
    const mc::Geometry bare      = mc::Geometry::bulk();
    MonteCarloShielding out;
    for (const double U : voltages)
      {
        const auto hybrid = run_monte_carlo(monolayer, U, n, threads, {}, comm);
        const auto anode  = run_monte_carlo(bare, U, n, threads, {}, comm);
        out.table.tube_voltage_V.push_back(U);
        out.table.S_muP.push_back(hybrid.summary.S_muP.value);
        out.table.S_anode.push_back(hybrid.summary.S_anode.value);
        out.table.one_minus_etaE_bare_anode.push_back(1.0 - anode.summary.eta_E.value);
        out.S_muP_stderr.push_back(hybrid.summary.S_muP.stderr_);
        out.S_anode_stderr.push_back(hybrid.summary.S_anode.stderr_);
        out.eta_E_bare_stderr.push_back(anode.summary.eta_E.stderr_);
        out.seconds += hybrid.seconds + anode.seconds;
      }
    out.table.validate();
    return out;
  }
} // namespace mpstream::solver
