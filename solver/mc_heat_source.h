#pragma once
// The electron MC's power-density grids as heat sources of the thermal solver (doc/thermal.md,
// "Heat source"): the MC tallies W/m^3 per W of beam power on its own source rectangle; the
// focal spot spreads P_input uniformly, so a grid times (MC source area / FS area) is per W of
// input power. Grids are sphere-centred, as the thermal solver takes them (heat_source.h).
#include "common/cartesian_grid.h"
#include "mc/geometry.h"
#include "solver/heat_source.h"

#include <mpi.h>

#include <cstdint>
#include <vector>

namespace mpstream::solver
{
  // The paper's close-packed monolayer (periodic primitive cell of two equivalent spheres) at
  // tube voltage U, on this rank alone: the power grid per W of input power, averaged over the
  // two spheres, and the MC's S_muP.
  struct MonolayerMcSource
  {
    CartesianGrid grid_per_W_input; // W/m^3 per W of P_input, sphere-centred
    double S_muP   = 0;
    double seconds = 0;
  };
  MonolayerMcSource monolayer_mc_source(double sphere_radius_m, double anode_gap_m, bool anode_present,
                                        double lateral_clearance, double tube_voltage_V, std::uint64_t histories,
                                        std::size_t grid_cells_per_axis, double focal_spot_width_m,
                                        double focal_spot_length_m);

  // Every sphere of `geometry` its own grid per W of input power (the histories split over the
  // ranks of comm, solver::run_monte_carlo: every rank holds the result of a serial run).
  struct StreamMcSource
  {
    std::vector<CartesianGrid> grids_per_W_input; // W/m^3 per W of P_input, sphere-centred
    double S_muP   = 0;
    double seconds = 0;
  };
  StreamMcSource stream_mc_source(const mc::Geometry &geometry, double tube_voltage_V, std::uint64_t histories,
                                  unsigned threads, std::size_t grid_cells_per_axis, double focal_spot_width_m,
                                  double focal_spot_length_m, MPI_Comm comm);

  // Power the sphere absorbs per W of input power (W/W): the grid's integral.
  double absorbed_power_per_W_input(const CartesianGrid &grid_per_W_input);

  // The MC's shape only, scaled so that the sphere absorbs sphere_power_W (e.g. from the
  // S_muP of the power-limit table).
  PowerDensity mc_shape_source(const CartesianGrid &grid_per_W_input, double radius_m, double sphere_power_W);

  // The MC's own absorbed power at P_input: the source and the power it deposits, exact on the
  // discrete sphere (ThermalSettings::source_power_W).
  struct SphereHeatSource
  {
    PowerDensity q;
    double power_W = 0;
  };
  SphereHeatSource mc_absolute_source(const CartesianGrid &grid_per_W_input, double radius_m, double P_input_W);
} // namespace mpstream::solver
