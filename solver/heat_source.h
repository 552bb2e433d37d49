#pragma once
// Power-density sources for one sphere, q(x) [W/m^3] with x relative to the sphere centre.
// Electrons arrive along -z (PHYSICS.md: z points to the cathode). Plain C++.
#include "common/cartesian_grid.h"

#include <array>
#include <functional>

namespace mpstream::solver
{
  using PowerDensity = std::function<double(const std::array<double, 3> &x)>;

  // Power one sphere absorbs when the focal spot receives P_input: the spheres' share
  // S_muP P_input spread over the hexagonal close-packed monolayer under the focal spot
  // (one sphere per 2 sqrt(3) r^2 of area).
  double sphere_power(double P_input_W, double S_muP, double radius_m, double focal_spot_width_m,
                      double focal_spot_length_m);

  // Uniform q = P / V over the sphere.
  PowerDensity uniform_source(double radius_m, double sphere_power_W);

  // Stand-in until the MC grid is available (ours): q proportional to exp(-d / lambda), d the
  // depth below the entry surface along the beam (-z), normalised analytically so that the
  // sphere absorbs sphere_power_W.
  PowerDensity exponential_depth_source(double radius_m, double decay_length_m,
                                        double sphere_power_W);
  // Integral of exp(-d / lambda) over the sphere [m^3] (normalisation of the above).
  double exponential_depth_volume(double radius_m, double decay_length_m);

  // MC hand-over: the grid's cell values [W/m^3] in sphere-centred coordinates, times scale.
  PowerDensity grid_source(CartesianGrid grid, double scale = 1.0);

  // As grid_source, for a grid of cell averages over whole cells (energy / cell volume) of
  // which the sphere of radius r (centred at the origin) fills only part: each cell's value is
  // divided by the fraction of its volume inside the sphere (sampled on 10^3 points), so that
  // the energy of every cell is deposited inside the sphere.
  PowerDensity sphere_grid_source(CartesianGrid grid, double radius_m, double scale = 1.0);
  // Fraction of a grid cell's volume inside the origin-centred sphere (10^3-point sampling).
  double cell_fraction_inside_sphere(const CartesianGrid &grid, std::size_t i, std::size_t j,
                                     std::size_t k, double radius_m);
} // namespace mpstream::solver
