// Unit tests of the plain-C++ pieces of the thermal solver: material laws, heat sources and
// the transient-limit root finder.
#include "common/error.h"
#include "solver/heat_source.h"
#include "solver/thermal_material.h"
#include "solver/transient_limit.h"
#include "solver/tungsten_properties.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mpstream::solver;
namespace W = mpstream::materials::tungsten;

TEST(ThermalModels, TungstenEnthalpyIncludesLatentHeatAcrossMeltingInterval)
{
  TungstenThermalMaterial::Options o;
  TungstenThermalMaterial m(o);
  const double dT = o.melting_half_width_K;
  // Below T_m: exactly rho * sensible heat (no smoothing leaks below the melting point).
  EXPECT_NEAR(m.enthalpy(3695.0) - m.enthalpy(1000.0), o.density_kg_per_m3 * W::sensible_heat(1000.0, 3695.0), 1e-3);
  EXPECT_DOUBLE_EQ(m.liquid_fraction(3695.0), 0.0);
  EXPECT_DOUBLE_EQ(m.liquid_fraction(3695.0 + 2 * dT), 1.0);
  // Across the interval: sensible + full latent heat.
  const double jump = m.enthalpy(3695.0 + 2 * dT) - m.enthalpy(3695.0);
  EXPECT_NEAR(jump, o.density_kg_per_m3 * (W::sensible_heat(3695.0, 3695.0 + 2 * dT) + W::latent_heat_fusion), 1e-3);
}

TEST(ThermalModels, HeatCapacityIsDerivativeOfEnthalpy)
{
  TungstenThermalMaterial m(TungstenThermalMaterial::Options{});
  for (double T : {500.0, 2000.0, 3500.0, 3700.0, 3705.0, 3712.0})
    {
      const double h = 1e-3, fd = (m.enthalpy(T + h) - m.enthalpy(T - h)) / (2 * h);
      EXPECT_NEAR(m.heat_capacity(T), fd, 1e-5 * fd) << T; // central FD error ~ h^2
    }
}

TEST(ThermalModels, RadiationFluxAndDerivative)
{
  TungstenThermalMaterial::Options o;
  o.environment_temperature_K = 300.0;
  TungstenThermalMaterial m(o);
  const double T = 3000.0, sigma = 5.670374419e-8; // CODATA 2018
  // The flux: the Stefan-Boltzmann law restated with the code's emissivity (checked against
  // Forsythe & Worthing in test_tungsten_properties); only sigma is independent. The
  // derivative: the code's central difference (step fd_step_K) against a 1 K one.
  EXPECT_NEAR(m.surface_flux(T), W::total_emissivity(T) * sigma * (std::pow(T, 4) - std::pow(300.0, 4)), 1e-6);
  EXPECT_NEAR(m.surface_flux(300.0), 0.0, 1e-9);
  const double fd = (m.surface_flux(T + 0.5) - m.surface_flux(T - 0.5));
  EXPECT_NEAR(m.surface_flux_derivative(T), fd, 1e-4 * fd);
}

TEST(ThermalModels, ExponentialSourceNormalisation)
{
  // Monte Carlo-free check: midpoint quadrature on a fine Cartesian grid over the sphere.
  const double r = 2.5e-6, lambda = 1.5e-6, P = 0.1;
  const auto   q = exponential_depth_source(r, lambda, P);
  const int    n = 120;
  const double h = 2 * r / n;
  double       sum = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k)
        sum += q({{-r + (i + 0.5) * h, -r + (j + 0.5) * h, -r + (k + 0.5) * h}});
  EXPECT_NEAR(sum * h * h * h, P, 0.01 * P); // staircase sphere surface: ~1/n accuracy
  // Large lambda: uniform limit, volume integral -> sphere volume.
  EXPECT_NEAR(exponential_depth_volume(r, 1e3), 4.0 / 3.0 * M_PI * r * r * r, 1e-6 * r * r * r);
  // Deposition peaks at the entry (top, +z) surface.
  EXPECT_GT(q({{0, 0, 0.99 * r}}), q({{0, 0, -0.99 * r}}));
}

TEST(ThermalModels, SpherePowerFromFocalSpotShareRegression)
{
  // Regression: the formula of heat_source.cc restated (no independent reference).
  // Hexagonal monolayer: N = W L / (2 sqrt3 r^2) spheres share S_muP P_input.
  const double r = 2.5e-6, W_cs = 450e-6, L_cs = 4670e-6;
  const double N = W_cs * L_cs / (2 * std::sqrt(3.0) * r * r);
  EXPECT_NEAR(sphere_power(46.2e3, 0.3048, r, W_cs, L_cs) * N, 0.3048 * 46.2e3, 1e-9);
}

TEST(ThermalModels, GridSourceReadsCells)
{
  mpstream::CartesianGrid g;
  g.lower = {-1, -1, -1};
  g.upper = {1, 1, 1};
  g.n_cells = {2, 1, 1};
  g.values = {3.0, 5.0};
  const auto q = grid_source(g, 2.0);
  EXPECT_DOUBLE_EQ(q({{-0.5, 0, 0}}), 6.0);
  EXPECT_DOUBLE_EQ(q({{0.5, 0, 0}}), 10.0);
  g.values.pop_back();
  EXPECT_THROW(grid_source(g), mpstream::InputError);
}

TEST(ThermalModels, RootFinderFindsMonotoneRootAndReportsFailure)
{
  const auto peak = [](double P) { return 1000.0 + 0.06 * P + 1e-7 * P * P; };
  // Exact root of 1000 + 0.06 P + 1e-7 P^2 = 3695.
  const double exact = (-0.06 + std::sqrt(0.0036 + 4e-7 * 2695.0)) / 2e-7;
  const auto   r = find_power_for_peak_temperature(peak, 3695.0, 1e4, 2e4, 1e-6, 1e-6);
  EXPECT_NEAR(r.P_input_W, exact, 1e-5 * exact);
  EXPECT_LT(r.evaluations, 20u);
  EXPECT_THROW(find_power_for_peak_temperature([](double) { return 100.0; }, 3695.0, 1e4, 2e4),
               mpstream::RuntimeFailure);
}

TEST(ThermalModels, WithoutLatentHeatEnthalpyIsSensibleHeatOnly)
{
  TungstenThermalMaterial::Options o;
  o.latent_heat = false;
  TungstenThermalMaterial m(o), with(TungstenThermalMaterial::Options{});
  EXPECT_NEAR(m.enthalpy(3800.0) - m.enthalpy(1000.0), o.density_kg_per_m3 * W::sensible_heat(1000.0, 3800.0), 1e-3);
  EXPECT_DOUBLE_EQ(m.liquid_fraction(3800.0), 0.0);
  // Identical to the melting material up to T_m.
  EXPECT_DOUBLE_EQ(m.heat_capacity(3690.0), with.heat_capacity(3690.0));
}

TEST(ThermalModels, SphereGridSourceKeepsCellEnergyInsideSphere)
{
  // A uniform grid of cell averages over a cube around the sphere: after the inside-fraction
  // correction, integrating q over the sphere recovers the grid's energy over the cells that
  // touch the sphere (to the 1e-3 resolution of the sampling; checked by midpoint quadrature).
  const double r = 2.5e-6;
  mpstream::CartesianGrid g;
  g.lower   = {-r, -r, -r};
  g.upper   = {r, r, r};
  g.n_cells = {6, 6, 6};
  g.values.assign(g.size(), 1.0);
  double expected = 0.0;
  for (std::size_t k = 0; k < 6; ++k)
    for (std::size_t j = 0; j < 6; ++j)
      for (std::size_t i = 0; i < 6; ++i)
        expected += cell_fraction_inside_sphere(g, i, j, k, r) > 0 ? g.cell_volume() : 0.0;
  const auto   q = sphere_grid_source(g, r);
  const int    n = 180;
  const double h = 2 * r / n;
  double       sum = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k)
        {
          const std::array<double, 3> x{{-r + (i + 0.5) * h, -r + (j + 0.5) * h, -r + (k + 0.5) * h}};
          if (x[0] * x[0] + x[1] * x[1] + x[2] * x[2] <= r * r)
            sum += q(x);
        }
  EXPECT_NEAR(sum * h * h * h, expected, 0.01 * expected);
}
