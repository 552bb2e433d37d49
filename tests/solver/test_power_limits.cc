// Unit tests of the power-limit formulas of PHYSICS.md on hand-computable inputs.
#include "common/error.h"
#include "solver/power_limits.h"
#include "solver/tungsten_properties.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mpstream::solver;

namespace
{
  ShieldingTable two_row_table()
  {
    ShieldingTable t;
    t.tube_voltage_V            = {100e3, 200e3};
    t.S_muP                     = {0.40, 0.20};
    t.S_anode                   = {0.20, 0.40};
    t.one_minus_etaE_bare_anode = {0.60, 0.70};
    return t;
  }
} // namespace

TEST(PowerLimits, LinearInterpolationBetweenRows)
{
  const auto s = interpolate(two_row_table(), 125e3);
  EXPECT_NEAR(s.S_muP, 0.35, 1e-14);
  EXPECT_NEAR(s.S_anode, 0.25, 1e-14);
  EXPECT_NEAR(s.one_minus_etaE_bare_anode, 0.625, 1e-14);
  EXPECT_NEAR(interpolate(two_row_table(), 200e3).S_muP, 0.20, 1e-14); // end row exact
}

TEST(PowerLimits, NoExtrapolationOutsideTable)
{
  EXPECT_THROW(interpolate(two_row_table(), 99e3), mpstream::InputError);
  EXPECT_THROW(interpolate(two_row_table(), 201e3), mpstream::InputError);
}

TEST(PowerLimits, StreamMassRateIsMonolayerOfSpheres)
{
  // Mass per area of a hexagonal close-packed monolayer = sphere mass / (2 sqrt3 r^2);
  // times L_CS v it must equal rho pi/(3 sqrt3) 2r L_CS v.
  StreamParameters p;
  const double r = p.sphere_radius_m;
  const double sphere_mass = p.density_kg_per_m3 * 4.0 / 3.0 * M_PI * r * r * r;
  const double areal_mass  = sphere_mass / (2.0 * std::sqrt(3.0) * r * r);
  EXPECT_NEAR(stream_mass_rate(p), areal_mass * p.operating_point.focal_spot_length * p.operating_point.stream_speed,
              1e-12 * stream_mass_rate(p));
}

TEST(PowerLimits, FormulaAndMinimum)
{
  StreamParameters p; // 100 m/s, T0 = 1073.15 K, non-melting
  const auto t = two_row_table();
  const auto r = compute_power_limits(p, t, 100e3);
  const double c = mpstream::materials::tungsten::sensible_heat(1073.15, 3695.0);
  // P_max,muP: the formula of power_limits.cc restated (regression; its factors are checked in
  // StreamMassRateIsMonolayerOfSpheres and against Tolias 2017 in test_tungsten_properties).
  EXPECT_NEAR(r.P_max_muP_W, stream_mass_rate(p) * c, 1e-9 * r.P_max_muP_W);
  EXPECT_NEAR(r.P_max_anode_W, 0.60 * 25e3, 1e-9);
  EXPECT_NEAR(r.P_input_limit_anode_W, 0.60 * 25e3 / 0.20, 1e-6);
  EXPECT_NEAR(r.P_input_limit_muP_W, r.P_max_muP_W / 0.40, 1e-6);
  EXPECT_DOUBLE_EQ(r.P_max_W, std::min(r.P_input_limit_anode_W, r.P_input_limit_muP_W));
  EXPECT_EQ(r.limiting_component, LimitingComponent::microparticles); // 35 kW < 75 kW
  EXPECT_NEAR(r.dwell_time_s, 4.5e-6, 1e-18);
}

TEST(PowerLimits, MeltingAddsLatentHeat)
{
  StreamParameters p;
  const double c0 = heat_capacity_per_mass(p);
  p.melting_allowed = true;
  EXPECT_NEAR(heat_capacity_per_mass(p) - c0, mpstream::materials::tungsten::latent_heat_fusion,
              1e-6);
}

TEST(PowerLimits, BadInputThrowsInputError)
{
  StreamParameters p;
  p.operating_point.stream_speed = -1.0;
  EXPECT_THROW(compute_power_limits(p, two_row_table(), 150e3), mpstream::InputError);
  p = StreamParameters{};
  p.maximum_temperature_K = 4000.0; // above T_melt without melting
  EXPECT_THROW(compute_power_limits(p, two_row_table(), 150e3), mpstream::InputError);
  auto t = two_row_table();
  t.S_anode[1] = 0.0;
  EXPECT_THROW(compute_power_limits(StreamParameters{}, t, 150e3), mpstream::InputError);
  t = two_row_table();
  t.tube_voltage_V[1] = 50e3; // not increasing
  EXPECT_THROW(compute_power_limits(StreamParameters{}, t, 80e3), mpstream::InputError);
}

TEST(PowerLimits, SweepCoversRangeInclusive)
{
  const auto rows = sweep_power_limits(StreamParameters{}, two_row_table(), 100e3, 200e3, 30e3);
  ASSERT_EQ(rows.size(), 5u); // 100, 130, 160, 190, 200
  EXPECT_DOUBLE_EQ(rows.back().tube_voltage_V, 200e3);
}
