// Charge sources (solver/charge_sources.h) against the paper's worked example
// (Behling et al. 2024, Sect. 3.3; PHYSICS.md): 132 kV, 46.2 kW, 0.3 FS (450 x 4670 um),
// 100 m/s -> I = 0.35 A, j = 1.67e5 A/m^2, dwell 4.5 us, Q = -q 1.47e-11 C, areal charge of a
// close-packed monolayer q 0.68 C/m^2, sheet field ~ q 77 MV/mm. The paper gives 2-3 digits:
// tolerance half a unit in the last digit it gives.
#include "solver/charge_sources.h"
#include "common/error.h"
#include "layout/stream_layout.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mpstream::solver;

TEST(ChargeSources, PaperExample132kV)
{
  const OperatingPoint beam; // defaults are the paper's point
  EXPECT_NEAR(beam_current_A(beam), 0.35, 0.005);
  EXPECT_NEAR(current_density_A_per_m2(beam), 1.67e5, 0.005e5);
  EXPECT_NEAR(dwell_time_s(beam), 4.5e-6, 0.05e-6);
  const double Q1 = charge_per_unit_q_C(beam, 2.5e-6);
  EXPECT_NEAR(Q1, 1.47e-11, 0.005e-11);
  const double sigma = hexagonal_areal_charge_C_per_m2(Q1, 5e-6); // touching spheres
  EXPECT_NEAR(sigma, 0.68, 0.005);
  EXPECT_NEAR(sheet_field_V_per_m(sigma) / 1e9 * 1e-3 * 1e3, 77, 0.5); // MV/mm = 1e9 V/m
}

TEST(ChargeSources, UniformPerLayerPerSphere)
{
  mpstream::layout::StreamLayout layout;
  layout.spheres = {{{0, 0, 5e-6}, 2.5e-6, 0}, {{6e-6, 0, 10e-6}, 2.5e-6, 1}, {{0, 6e-6, 5e-6}, 1.25e-6, 0}};
  const OperatingPoint beam;
  const double Q1 = charge_per_unit_q_C(beam, 2.5e-6);

  auto Q = backscatter_only_charges_C(beam, layout, ChargingCoefficients::uniform(0.2));
  EXPECT_NEAR(Q[0], -0.2 * Q1, 1e-12 * Q1);
  EXPECT_NEAR(Q[1], -0.2 * Q1, 1e-12 * Q1);
  EXPECT_NEAR(Q[2], -0.2 * Q1 / 4, 1e-12 * Q1); // charge scales with the cross-section

  Q = backscatter_only_charges_C(beam, layout, ChargingCoefficients::per_layer({0.1, 0.3}));
  EXPECT_NEAR(Q[0], -0.1 * Q1, 1e-12 * Q1);
  EXPECT_NEAR(Q[1], -0.3 * Q1, 1e-12 * Q1);

  Q = backscatter_only_charges_C(beam, layout, ChargingCoefficients::per_sphere({0.1, 0.2, -0.4}));
  EXPECT_NEAR(Q[2], 0.4 * Q1 / 4, 1e-12 * Q1); // q < 0: net positive charging

  // Charge = current x dwell; current density x area x q.
  const auto I = beam_charging_currents_A(beam, layout, ChargingCoefficients::uniform(1));
  EXPECT_NEAR(I[0] * dwell_time_s(beam), -Q1, 1e-12 * Q1);
}

TEST(ChargeSources, BadInput)
{
  mpstream::layout::StreamLayout layout;
  layout.spheres = {{{0, 0, 5e-6}, 2.5e-6, 2}};
  OperatingPoint beam;
  EXPECT_THROW(backscatter_only_charges_C(beam, layout, ChargingCoefficients::per_layer({0.1})),
               mpstream::InputError);
  EXPECT_THROW(backscatter_only_charges_C(beam, layout, ChargingCoefficients::per_sphere({0.1, 0.2})),
               mpstream::InputError);
  EXPECT_THROW(ChargingCoefficients::uniform(std::nan("")), mpstream::InputError);
  beam.stream_speed = 0;
  EXPECT_THROW(dwell_time_s(beam), mpstream::InputError);
  beam.stream_speed = 100;
  beam.input_power  = -1;
  try
    {
      current_density_A_per_m2(beam);
      FAIL();
    }
  catch (const mpstream::InputError &e)
    {
      EXPECT_NE(std::string(e.what()).find("input_power_W"), std::string::npos);
    }
}
