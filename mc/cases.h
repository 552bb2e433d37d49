#pragma once
// Ready-made Monte Carlo cases shared by the study programs, tests and the app:
// the paper's close-packed monolayer (Table 1, Fig. 11b) as a periodic primitive cell, and
// one call that runs a case and summarises it.
#include "mc/geometry.h"
#include "mc/physics_tables.h"
#include "mc/summary.h"
#include "mc/transport.h"

#include <cstdint>

namespace mpstream::mc
{
  // Laterally infinite hexagonal monolayer of W spheres (primitive periodic cell: 2 rows of
  // 1 sphere), lowest sphere surface `anode_gap_m` above the anode (0: resting on it), or
  // free-standing when `anode_present` is false.
  Geometry monolayer_geometry(double sphere_radius_m, double anode_gap_m, bool anode_present,
                              double lateral_clearance = 0.02);

  struct CaseResult
  {
    Summary summary;
    Tallies tallies;
    double seconds = 0;
  };

  // Runs histories [0, n) of a normally incident beam (energy_eV) uniform over the geometry's
  // cell (or patch), on `threads` threads.
  CaseResult run_case(const Geometry &geometry, const PhysicsTables &tables, double energy_eV,
                      std::uint64_t n, unsigned threads, const TransportOptions &options,
                      const GridSpec &grid = {});

  // x-z depth-profile grid over the periodic cell (or patch), from z_lo up to the top body.
  GridSpec profile_grid(const Geometry &geometry, double z_lo_m, std::size_t nx, std::size_t nz);
} // namespace mpstream::mc
