#include "solver/mc_heat_source.h"

#include "mc/cases.h"
#include "mc/material.h"
#include "mc/source.h"
#include "mc/summary.h"
#include "solver/mc_shielding.h"

#include <algorithm>

namespace mpstream::solver
{
  namespace
  {
    // Per W of beam power on the MC's source rectangle -> per W of input power on the FS.
    double focal_spot_share(const mc::Geometry &geometry, double tube_voltage_V, double focal_spot_width_m,
                            double focal_spot_length_m)
    {
      const auto src = mc::Source::for_geometry(geometry, tube_voltage_V);
      return (src.x_hi - src.x_lo) * (src.y_hi - src.y_lo) / (focal_spot_width_m * focal_spot_length_m);
    }

    void centre_on(CartesianGrid &g, const mc::SphereBody &sphere)
    {
      for (int d = 0; d < 3; ++d)
        {
          g.lower[d] -= sphere.centre[d];
          g.upper[d] -= sphere.centre[d];
        }
    }
  } // namespace

  MonolayerMcSource monolayer_mc_source(double sphere_radius_m, double anode_gap_m, bool anode_present,
                                        double lateral_clearance, double tube_voltage_V, std::uint64_t histories,
                                        std::size_t grid_cells_per_axis, double focal_spot_width_m,
                                        double focal_spot_length_m)
  {
    const double U = tube_voltage_V;
    const auto geometry = mc::monolayer_geometry(sphere_radius_m, anode_gap_m, anode_present, lateral_clearance);
    mc::PhysicsOptions physics;
    physics.max_energy_eV = std::max(physics.max_energy_eV, U);
    const mc::PhysicsTables tables(mc::tungsten(), physics);
    mc::GridSpec grid;
    grid.cells_per_axis = grid_cells_per_axis;
    const auto run   = mc::run_case(geometry, tables, U, histories, 2, mc::TransportOptions{}, grid);
    const auto grids = mc::power_density_grids(run.tallies, geometry, U);
    const double cell_share = focal_spot_share(geometry, U, focal_spot_width_m, focal_spot_length_m);
    MonolayerMcSource out{grids.front(), run.summary.S_muP.value, run.seconds};
    auto &g = out.grid_per_W_input;
    centre_on(g, geometry.spheres().front());
    for (std::size_t c = 0; c < g.values.size(); ++c)
      {
        double sum = 0.0;
        for (const auto &other : grids)
          sum += other.values[c];
        g.values[c] = cell_share * sum / grids.size();
      }
    return out;
  }

  StreamMcSource stream_mc_source(const mc::Geometry &geometry, double tube_voltage_V, std::uint64_t histories,
                                  unsigned threads, std::size_t grid_cells_per_axis, double focal_spot_width_m,
                                  double focal_spot_length_m, MPI_Comm comm)
  {
    const double U = tube_voltage_V;
    mc::GridSpec grid;
    grid.cells_per_axis = grid_cells_per_axis;
    const auto run = run_monte_carlo(geometry, U, histories, threads, grid, comm);
    StreamMcSource out{mc::power_density_grids(run.tallies, geometry, U), run.summary.S_muP.value, run.seconds};
    const double share = focal_spot_share(geometry, U, focal_spot_width_m, focal_spot_length_m);
    for (std::size_t i = 0; i < out.grids_per_W_input.size(); ++i)
      {
        auto &g = out.grids_per_W_input[i];
        centre_on(g, geometry.spheres()[i]);
        for (double &v : g.values)
          v *= share;
      }
    return out;
  }

  double absorbed_power_per_W_input(const CartesianGrid &grid_per_W_input)
  {
    double per_W = 0.0;
    for (const double v : grid_per_W_input.values)
      per_W += v * grid_per_W_input.cell_volume();
    return per_W;
  }

  PowerDensity mc_shape_source(const CartesianGrid &grid_per_W_input, double radius_m, double sphere_power_W)
  {
    return sphere_grid_source(grid_per_W_input, radius_m, sphere_power_W / absorbed_power_per_W_input(grid_per_W_input));
  }

  SphereHeatSource mc_absolute_source(const CartesianGrid &grid_per_W_input, double radius_m, double P_input_W)
  {
    return {sphere_grid_source(grid_per_W_input, radius_m, P_input_W),
            P_input_W * absorbed_power_per_W_input(grid_per_W_input)};
  }
} // namespace mpstream::solver
