#pragma once
// Charge sources of the charging stage from one stream-geometry Monte Carlo run (issue 13
// item 1): every sphere's q_i (net electrons per primary through its cross-section,
// mc/sphere_charge.h) with its standard error, at the operating point's tube voltage, over the
// same geometry as the mesh (mc::Geometry::from_layout: layers, gaps, anode, periodic cell if
// any). The histories are split over the ranks of comm (solver::run_monte_carlo): every rank
// holds the result of a serial run, bit for bit. Charging then uses
// Q_i = -q_i j pi r_i^2 dwell (ChargingCoefficients::per_sphere).
#include "layout/stream_layout.h"
#include "mc/physics_tables.h"
#include "mc/transport.h"

#include <mpi.h>

#include <cstdint>
#include <vector>

namespace mpstream::solver
{
  struct MonteCarloChargeSources
  {
    std::vector<double> q, q_stderr;   // per sphere of the layout
    std::vector<double> q_absorbed;    // the absorbed electrons alone (secondaries not subtracted)
    // Energy deposited in each sphere per primary, as a fraction of the primary's energy e U
    // (the stream's field changes it: primaries arrive slowed).
    std::vector<double> power_fraction;
    // Whole-run fractions of the beam energy: the field's work on the electrons (< 0: the
    // stream repels them) and the electrons trapped in the vacuum (per primary).
    double field_work_fraction = 0, trapped_per_primary = 0;
    std::uint64_t histories = 0;
    double seconds          = 0;

    double mean() const;
    double min() const;
    double max() const;
    // Largest stderr_i / q_i over the spheres (infinity if some q_i <= 0).
    double largest_relative_stderr() const;
  };

  // Per-sphere q_i over the layout itself (its finite patch or periodic cell).
  // field: the stream's static field in the vacuum (nullptr: none, the paper's MC).
  MonteCarloChargeSources monte_carlo_charge_sources(const layout::StreamLayout &layout, double tube_voltage_V,
                                                     std::uint64_t histories, unsigned threads,
                                                     const mc::TransportOptions &options,
                                                     const mc::PhysicsOptions &physics, MPI_Comm comm,
                                                     const mc::ElectricField *field = nullptr,
                                                     const mc::FieldFlightOptions &field_options = {});

  // The focal-spot interior's q for a finite patch: the MC runs over `periodic_stream` (the
  // patch's stream made laterally periodic, same layer heights), and every sphere of `layout`
  // takes the mean q of its layer there (mc::group_charge_fractions).
  MonteCarloChargeSources monte_carlo_layer_charge_sources(const layout::StreamLayout &layout,
                                                           const layout::StreamLayout &periodic_stream,
                                                           double tube_voltage_V, std::uint64_t histories,
                                                           unsigned threads, const mc::TransportOptions &options,
                                                           const mc::PhysicsOptions &physics, MPI_Comm comm);
} // namespace mpstream::solver
