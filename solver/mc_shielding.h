#pragma once
// Electron-MC inputs of the thermal stages (issue 6 items 2 and 4), with the histories split
// over MPI ranks and the integer tallies all-gathered: every rank ends with the result of a
// serial run, bit for bit (mc/tallies.h).
//  - run_monte_carlo(): one case (any geometry, per-sphere power grids optional);
//  - monte_carlo_shielding_table(): S_muP and S_anode of the paper's Table-1 geometry (close-
//    packed monolayer of touching spheres resting on the anode, periodic) and 1 - eta_E of the
//    bare W anode, at the given tube voltages: the "S coefficients and bare anode's eta_E from
//    the MC" of issue 6 item 4, in place of the .prm table.
#include "mc/geometry.h"
#include "mc/physics_tables.h"
#include "mc/summary.h"
#include "mc/tallies.h"
#include "mc/transport.h"
#include "solver/power_limits.h"

#include <mpi.h>

#include <cstdint>
#include <vector>

namespace mpstream::solver
{
  struct MonteCarloRun
  {
    mc::Tallies tallies;
    mc::Summary summary;
    double seconds = 0;
  };

  // Normal incidence at energy e U over the geometry's cell / patch (mc::Source::for_geometry),
  // histories [0, n) split over the ranks of comm, `threads` std::threads per rank.
  // `options` and `physics`: transport and physics settings (the Monte Carlo section's; the
  // physics tables' top energy is raised to e U if needed).
  // field: the static field the electrons fly through in the vacuum (nullptr: none).
  MonteCarloRun run_monte_carlo(const mc::Geometry &geometry, double tube_voltage_V,
                                std::uint64_t histories, unsigned threads,
                                const mc::GridSpec &grid, MPI_Comm comm,
                                const mc::TransportOptions &options = {},
                                mc::PhysicsOptions physics = {}, const mc::ElectricField *field = nullptr,
                                const mc::FieldFlightOptions &field_options = {});

  struct MonteCarloShielding
  {
    ShieldingTable table;
    std::vector<double> S_muP_stderr, S_anode_stderr, eta_E_bare_stderr;
    double seconds = 0;
  };

  MonteCarloShielding monte_carlo_shielding_table(const std::vector<double> &tube_voltages_V,
                                                  double sphere_radius_m, std::uint64_t histories,
                                                  unsigned threads, MPI_Comm comm);
} // namespace mpstream::solver
